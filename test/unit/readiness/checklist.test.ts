import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinChecklist, loadChecklistFile } from '../../../src/core/readiness/index';
import { parseChecklist, setTaskChecked } from '../../../src/core/readiness/markdown';
import { allItems, findItem, type Checklist } from '../../../src/core/readiness/model';
import { CHECK_IDS } from '../../../src/core/readiness/catalog';
import { progressOf } from '../../../src/core/readiness/progress';
import { FIXTURES, tempDir } from './helpers';

function byLabel(list: Checklist, label: string) {
  const item = [...allItems(list)].find((i) => i.label === label);
  assert.ok(item, `item "${label}"`);
  return item;
}

describe('readiness checklist model', () => {
  const list = builtinChecklist();

  it('turns the Beacon checklist into its seven sections with 2.1 and 2.2 nested', () => {
    assert.deepEqual(
      list.sections.map((s) => s.title),
      [
        '1. Pre-Deployment Verification',
        '2. Deployment',
        '3. Rollback Procedure',
        '4. Observability',
        '5. Alerting (only if running app-server)',
        '6. On-Call Procedures',
        '7. Monitoring Configuration',
      ],
    );
    assert.deepEqual(
      list.sections[1].sections.map((s) => s.title),
      ['2.1 CLI (npm/Homebrew/archives)', '2.2 App-server (optional)'],
    );
    assert.equal(list.sections[1].sections[1].anchor, '22-app-server-optional');
  });

  it('makes every `- [ ]` a checkbox item, nested ones nested', () => {
    const boxes = [...allItems(list)].filter((i) => i.checkbox);
    assert.equal(boxes.length, 20);
    const release = byLabel(list, 'Release Inputs');
    assert.equal(release.children.length, 2);
    assert.ok(release.children.every((c) => c.checkbox && c.id.startsWith(`${release.id}/`)));
    assert.deepEqual(progressOf(list, () => false), { done: 0, total: 20 });
    assert.deepEqual(progressOf(list.sections[0], (i) => i.label === 'CI Pipeline'), { done: 1, total: 6 });
  });

  it('turns the sections without checkboxes into reference items with their commands and templates', () => {
    const alerting = list.sections[4];
    assert.ok(alerting.items.every((i) => !i.checkbox));
    assert.equal(alerting.items.length, 3);
    const triage = byLabel(list, '6.2 Initial Triage Steps');
    assert.equal(triage.kind, 'reference');
    assert.deepEqual(
      triage.commands.map((c) => [c.label, c.runnable]),
      [
        ['Check recent deployments (if applicable)', true],
        ['Review logs for errors', true],
        ['Check resource usage', true],
      ],
    );
    assert.deepEqual(
      list.templates.map((t) => [t.name, t.kind]),
      [
        ['Initial Incident Post', 'incident'],
        ['Resolution Post', 'resolution'],
      ],
    );
    assert.match(list.templates[0].text, /^INCIDENT: \[CRITICAL\/WARNING\]/);
    const otlp = byLabel(list, '7.1 OTLP Endpoint Setup');
    assert.ok(otlp.commands.some((c) => !c.runnable && c.text.includes('[otel.exporter."otlp-grpc"]')));
  });

  it('carries the smoke checks and rollback commands as runnable commands', () => {
    assert.deepEqual(
      byLabel(list, 'Smoke checks').commands.map((c) => c.text),
      ['beacon --version', 'beacon doctor'],
    );
    assert.deepEqual(
      byLabel(list, 'CLI rollback').commands.map((c) => c.text),
      ['npm install -g @tytsxai/beacon-code@<previous>'],
    );
  });

  it('binds each automatic check to exactly one item and marks kinds', () => {
    const bound = [...allItems(list)].flatMap((i) => i.checks);
    assert.deepEqual([...bound].sort(), [...CHECK_IDS].sort());
    assert.deepEqual(byLabel(list, 'Environment').checks, ['secure-mode', 'rust-log']);
    assert.equal(byLabel(list, 'Environment').kind, 'both');
    // one-server-per-home verifies the supervisor item of the built-in list
    assert.equal(byLabel(list, 'Runtime').kind, 'both');
    const panic = [...allItems(list)].find((i) => i.checks.includes('no-panics'))!;
    assert.equal(panic.kind, 'automatic');
    assert.equal(panic.sectionId, list.sections[4].id);
    assert.ok(!list.sections.some((s) => s.id === 'automatic-checks'), 'the built-in list needs no extra section');
  });

  it('gives items stable ids that survive a re-parse', () => {
    const again = builtinChecklist();
    assert.deepEqual(
      [...allItems(again)].map((i) => i.id),
      [...allItems(list)].map((i) => i.id),
    );
    assert.ok(findItem(list, '4-observability/otel'));
  });

  it('gathers checks no item mentions of a custom checklist in an "Automatic checks" section', async () => {
    const { checklist } = await loadChecklistFile(path.join(FIXTURES, 'custom-checklist.md'));
    const last = checklist.sections[checklist.sections.length - 1];
    assert.equal(last.title, 'Automatic checks');
    assert.equal(last.items.length, CHECK_IDS.length);
    assert.equal(findItem(checklist, 'before/notes')?.checkedInSource, true);
    assert.equal(findItem(checklist, 'before/notes')?.children[0].checkedInSource, false);
    assert.deepEqual(findItem(checklist, 'after/smoke')?.commands.map((c) => c.text), ['code-ops check --json']);
  });
});

describe('Markdown checklist round trip', () => {
  it('ticks and unticks one box and leaves every other byte alone', () => {
    const original = fs.readFileSync(path.join(FIXTURES, 'custom-checklist.md'), 'utf8');
    const list = parseChecklist(original);
    const tag = findItem(list, 'before/tag')!;
    const ticked = setTaskChecked(original, tag.line, true);
    assert.equal(ticked.length, original.length);
    const diff = [...ticked].map((ch, i) => (ch !== original[i] ? i : -1)).filter((i) => i >= 0);
    assert.equal(diff.length, 1);
    assert.equal(ticked[diff[0]], 'x');
    assert.equal(parseChecklist(ticked).sections[0].items[0].checkedInSource, true);
    assert.equal(setTaskChecked(ticked, tag.line, false), original);
  });

  it('keeps CRLF line endings and a BOM, and a no-op tick returns the same text', () => {
    const crlf = `\uFEFF${fs.readFileSync(path.join(FIXTURES, 'crlf-checklist.md'), 'utf8')}`;
    const list = parseChecklist(crlf);
    const second = list.sections[0].items[1];
    assert.equal(second.label, 'second');
    const ticked = setTaskChecked(crlf, second.line, true);
    assert.equal(ticked, crlf.replace('- [ ] second', '- [x] second'));
    assert.equal(setTaskChecked(ticked, second.line, true), ticked);
    assert.equal(setTaskChecked(ticked, second.line, false), crlf);
  });

  it('refuses to write when the line is no longer a task item', () => {
    const text = '# T\n\n## S\n- [ ] a\n';
    assert.throws(() => setTaskChecked(text, 0, true), /Line 1 is not a task-list item/);
    assert.throws(() => setTaskChecked(text, 40, true), /no line 41/);
  });

  it('round-trips through a real file', async () => {
    const tmp = tempDir();
    try {
      const file = path.join(tmp.dir, 'production_checklist.md');
      fs.copyFileSync(path.join(FIXTURES, 'custom-checklist.md'), file);
      const before = fs.readFileSync(file);
      const { checklist, text } = await loadChecklistFile(file);
      const item = findItem(checklist, 'before/notes/reviewed-by-a-second-person')!;
      fs.writeFileSync(file, setTaskChecked(text, item.line, true));
      const reloaded = await loadChecklistFile(file);
      assert.equal(findItem(reloaded.checklist, item.id)?.checkedInSource, true);
      fs.writeFileSync(file, setTaskChecked(reloaded.text, item.line, false));
      assert.deepEqual(fs.readFileSync(file), before);
    } finally {
      tmp.cleanup();
    }
  });
});
