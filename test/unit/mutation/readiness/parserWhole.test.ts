// The checklist parser (src/core/readiness/markdown.ts), whole: a checklist exercising a title,
// prose before the first section, numbered sections, a long task cut into its label, a fenced
// block with a comment naming the next command and a blank line between commands, a checked
// task with an inline command and a nested child, a section without tasks (a reference item with
// its ~~~ block), and a sub-section. The expected tree was read item by item when written
// (test/fixtures/readiness/parser-whole.expected.json). Then the helpers the parser uses.
// Written from the survivors of `npm run mutation -- --per-folder --sample 10` (readiness).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { githubAnchor, looksLikeCommand, parseChecklist, plainText, setTaskChecked, slug } from '../../../../src/core/readiness/markdown';

const FIXTURES = path.resolve(__dirname, '../../../fixtures/readiness');

describe('checklist parser, whole', () => {
  it('parses the fixture into the expected tree, every field', () => {
    const md = fs.readFileSync(path.join(FIXTURES, 'parser-whole.md'), 'utf8');
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'parser-whole.expected.json'), 'utf8')) as unknown;
    assert.deepEqual(JSON.parse(JSON.stringify(parseChecklist(md, 'test.md'))), expected);
  });

  it('a checklist without a heading is titled "Checklist"; CRLF reads like LF', () => {
    assert.equal(parseChecklist('no heading\n- [ ] a\n').title, 'Checklist');
    const md = fs.readFileSync(path.join(FIXTURES, 'parser-whole.md'), 'utf8');
    assert.deepEqual(parseChecklist(md.replace(/\n/g, '\r\n'), 'test.md'), parseChecklist(md, 'test.md'));
  });

  it('looksLikeCommand: a lower-case program and at least one argument, not prose', () => {
    const yes = ['code --version', 'npm i -g x', '  git  status  ', 'code-app-server --help', 'ls -la ~/.code'];
    const no = ['ls', 'or do this', 'and then', 'if it fails', 'the thing here', 'a b', 'an example', 'Upper case', '--flag only', ''];
    assert.deepEqual(yes.filter((c) => !looksLikeCommand(c)), []);
    assert.deepEqual(no.filter((c) => looksLikeCommand(c)), []);
  });

  it('plainText, slug, githubAnchor', () => {
    assert.equal(plainText('**Bold** and `code` and [link](http://x) and _it_'), 'Bold and `code` and link and it');
    assert.equal(slug('2.1 Sub Thing!'), '2-1-sub-thing');
    assert.equal(githubAnchor('2.1 Sub Thing!'), '21-sub-thing');
  });

  it('setTaskChecked flips only the box on the given line; a line that is no task any more is an error naming it', () => {
    const md = '# T\n## S\n- [ ] one\n- [x] two\n';
    assert.equal(setTaskChecked(md, 2, true), '# T\n## S\n- [x] one\n- [x] two\n');
    assert.equal(setTaskChecked(md, 3, false), '# T\n## S\n- [ ] one\n- [ ] two\n');
    assert.throws(() => setTaskChecked(md, 0, true), { message: 'Line 1 is not a task-list item any more.' });
  });
});

describe('checklist item labels, exactly', () => {
  it('a task of 60 characters is its own label; a longer one is cut at a word before 57 with an ellipsis', () => {
    const sixty = 'a'.repeat(29) + ' ' + 'b'.repeat(30);
    const long = `${'word '.repeat(14)}end`;
    const list = parseChecklist(`# T\n## S\n- [ ] ${sixty}\n- [ ] ${long}\n`);
    const [a, b] = list.sections[0].items;
    assert.equal(a.label, sixty);
    assert.equal(b.label, `${'word '.repeat(11).trimEnd()}…`);
  });
});
