import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS_DIR } from './corpus';

const GENERATOR = path.join(CORPUS_DIR, 'generate.mjs');
const REGENERATE = 'node test/fixtures/config/generate.mjs';

function runGenerator(args: string[]) {
  const r = spawnSync(process.execPath, [GENERATOR, ...args], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}

const tomlFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.toml')).sort();

describe(`config corpus generator (${REGENERATE})`, function () {
  this.timeout(30_000);
  let out: string;
  beforeEach(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-corpus-'));
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  it('writes exactly the committed corpus, byte for byte', () => {
    // a fixture dropped from the table must not survive a regeneration; other files are left alone
    fs.writeFileSync(path.join(out, 'stale-fixture.toml'), '# beacon: none\n');
    fs.writeFileSync(path.join(out, 'notes.txt'), 'kept');
    const r = runGenerator([out]);
    assert.equal(r.status, 0, r.stderr);
    const committed = tomlFiles(CORPUS_DIR);
    const generated = tomlFiles(out);
    assert.match(r.stdout, new RegExp(`^${generated.length} fixtures written to `));
    assert.deepEqual(generated, committed, `the corpus and its generator list different files: run ${REGENERATE}`);
    assert.ok(committed.length >= 60, `only ${committed.length} fixtures`);
    for (const f of committed) {
      const want = fs.readFileSync(path.join(CORPUS_DIR, f));
      const got = fs.readFileSync(path.join(out, f));
      assert.ok(got.equals(want), `${f} differs from what the generator writes: run ${REGENERATE}`);
    }
    assert.equal(fs.readFileSync(path.join(out, 'notes.txt'), 'utf8'), 'kept');
  });

  it('keeps the bytes that matter: CRLF, raw invalid UTF-8, non-ASCII, deep nesting', () => {
    assert.equal(runGenerator([out]).status, 0);
    const read = (name: string) => fs.readFileSync(path.join(out, `${name}.toml`));
    const crlf = read('valid-crlf').toString('latin1');
    assert.ok(crlf.split('\r\n').length > 5, 'valid-crlf has CRLF lines');
    assert.equal(crlf.split('\r\n').length, crlf.split('\n').length, 'every line of valid-crlf ends in CRLF');
    assert.ok(read('syntax-binary-garbage').includes(Buffer.from([0x00, 0x01, 0x02, 0x50, 0x4b])));
    assert.ok(read('invalid-utf8-in-string').includes(Buffer.from('prod\xff\xfeuction', 'latin1')));
    assert.ok(read('environment-unicode').includes(Buffer.from('pr\u00f6d\u00fcction', 'utf8')));
    assert.ok(read('syntax-nesting-very-deep').includes(Buffer.from(`${'['.repeat(3000)}${']'.repeat(3000)}\n`)));
  });

  it('rejects bad usage and an unwritable folder with a clear message', () => {
    const usage = runGenerator([out, 'extra']);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /^usage: node test\/fixtures\/config\/generate\.mjs \[OUT_DIR\]/);
    fs.writeFileSync(path.join(out, 'a-file'), '');
    const blocked = runGenerator([path.join(out, 'a-file', 'sub')]);
    assert.equal(blocked.status, 1);
    assert.match(blocked.stderr, /cannot write the corpus to .*a-file.sub: ENOTDIR/);
    assert.doesNotMatch(blocked.stderr, /\n\s+at /, 'no stack trace');
  });
});
