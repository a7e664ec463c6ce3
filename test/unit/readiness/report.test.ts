import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli';
import { listArchiveEntries } from '../../../src/core/readiness/archive';
import { builtinChecklist, CHECKS, incidentPost, renderReport, resolutionPost, type CheckId, type CheckResult } from '../../../src/core/readiness/index';
import { fakeServerBinary, FIXTURES, makeCodeHome, tempDir, utcDay } from './helpers';
import { skipOnPlatform } from '../setup/platform';

function result(id: CheckId, status: CheckResult['status'], detail: string): CheckResult {
  return { id, status, detail, at: 0, durationMs: 0 };
}

describe('readiness report and on-call posts', () => {
  const list = builtinChecklist();

  it('lists every item with its sign-off and verdict, and masks secrets', () => {
    const text = renderReport({
      checklist: list,
      results: new Map([
        ['otel-exporter', result('otel-exporter', 'fail', 'No [otel] exporter configured: nothing is exported.')],
        ['rust-log', result('rust-log', 'pass', 'RUST_LOG=info token=abcdef123456.')],
      ]),
      signOff: (id) => (id === '1-pre-deployment-verification/ci-pipeline' ? { checked: true, by: 'Ada', at: '2025-12-24T13:51:00Z', note: 'run 4411' } : undefined),
      isChecked: (i) => i.id === '1-pre-deployment-verification/ci-pipeline',
      now: new Date('2025-12-25T08:00:00Z'),
      codeHome: '/srv/code',
      serverVersion: 'code-app-server 1.2.3',
      target: 'production',
    });
    assert.match(text, /- \*\*Date\*\*: 2025-12-25 08:00 UTC/);
    assert.match(text, /- \*\*CODE_HOME\*\*: `\/srv\/code`/);
    assert.match(text, /- \*\*Server\*\*: code-app-server 1\.2\.3/);
    assert.match(text, /- \*\*Sign-off\*\*: 1\/20 items/);
    assert.match(text, /- \[x\] \*\*CI Pipeline\*\* — signed off by Ada, 2025-12-24 13:51 UTC\. Note: run 4411/);
    assert.match(text, /- `otel-exporter` \*\*fail\*\*/);
    assert.doesNotMatch(text, /[\u{1F300}-\u{1FAFF}\u2705\u274C\u26A0\u23ED\u23F3]/u, 'no emoji in the report');
    assert.match(text, /`config-valid` not run/);
    assert.doesNotMatch(text, /abcdef123456/);
    assert.equal((text.match(/^\s*- \[[ x]\]/gm) ?? []).length, 20);
  });

  it('fills the incident template with time, severity and server facts, leaving the human parts', () => {
    const post = incidentPost(list.templates, {
      now: new Date('2025-12-24T13:51:20Z'),
      server: { state: 'crash-loop', reason: 'exited 1 four times in 10 minutes', mode: 'spawn', restartsInWindow: 4, panics: [] },
      lastPanicLine: 'Panic occurred: PanicHookInfo { .. } api_key=sk-abcdefghijkl1234',
    });
    assert.match(post, /^INCIDENT: CRITICAL - \[Brief Description\]/);
    assert.match(post, /- Time: 2025-12-24 13:51 UTC/);
    assert.match(post, /- Impact: \[% users affected \/ services down\]/);
    assert.match(post, /- App server: crash-loop, 4 restarts in 10 min/);
    assert.match(post, /- Last panic: `Panic occurred/);
    assert.doesNotMatch(post, /abcdefghijkl1234/);
  });

  it('fills the resolution duration only when the start is known', () => {
    const known = resolutionPost(list.templates, { now: new Date('2025-12-24T14:21:00Z'), since: new Date('2025-12-24T13:51:00Z') });
    assert.match(known, /- Duration: 30 minutes \(since 13:51 UTC\)/);
    assert.match(known, /- Root Cause: \[1-2 sentences\]/);
    assert.match(resolutionPost([], { now: new Date() }), /- Duration: \[X minutes\]/);
  });
});

describe('tar listing', function () {
  const hasTar = spawnSync('tar', ['--version']).status === 0;
  let tmp: { dir: string; cleanup: () => void };
  before(function () {
    if (!hasTar) skipOnPlatform(this, 'needs a tar binary');
  });
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp?.cleanup());

  for (const format of ['gnu', 'pax', 'ustar']) {
    it(`reads ${format} headers, long names included`, async () => {
      const deep = path.join('home', 'x'.repeat(60), 'y'.repeat(50), 'sessions', '2025', 'rollout.jsonl');
      const src = path.join(tmp.dir, 'src');
      fs.mkdirSync(path.dirname(path.join(src, deep)), { recursive: true });
      fs.writeFileSync(path.join(src, deep), 'z'.repeat(1500));
      const out = path.join(tmp.dir, `a-${format}.tar.gz`);
      const r = spawnSync('tar', [`--format=${format}`, '-czf', out, '-C', src, 'home']);
      assert.equal(r.status, 0, String(r.stderr));
      const { names, complete } = await listArchiveEntries(out);
      assert.equal(complete, true);
      assert.ok(names.includes(deep.split(path.sep).join('/')), names.join('\n'));
    });
  }

  it('stops early once the caller has seen enough', async () => {
    const src = path.join(tmp.dir, 'src');
    fs.mkdirSync(src);
    for (let i = 0; i < 50; i++) fs.writeFileSync(path.join(src, `f${String(i).padStart(2, '0')}`), 'x');
    const out = path.join(tmp.dir, 'many.tar');
    assert.equal(spawnSync('tar', ['-cf', out, '-C', tmp.dir, 'src']).status, 0);
    const { names, complete } = await listArchiveEntries(out, { until: (n) => n.endsWith('f03') });
    assert.equal(complete, false);
    assert.equal(names[names.length - 1], 'src/f03');
  });

  it('rejects a truncated gzip stream with a clear error', async () => {
    const src = path.join(tmp.dir, 'src');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'big'), Buffer.alloc(200_000, 7));
    const out = path.join(tmp.dir, 'cut.tgz');
    assert.equal(spawnSync('tar', ['-czf', out, '-C', tmp.dir, 'src']).status, 0);
    const bytes = fs.readFileSync(out);
    fs.writeFileSync(out, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await assert.rejects(listArchiveEntries(out), /gzip|unexpected end/i);
  });
});

describe('code-ops check', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  function io(cwd: string) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: string[] = [];
    const err: string[] = [];
    stdout.on('data', (d) => out.push(String(d)));
    stderr.on('data', (d) => err.push(String(d)));
    return { io: { stdout, stderr, env: { PATH: process.env.PATH, HOME: tmp.dir }, cwd }, out: () => out.join(''), err: () => err.join('') };
  }

  function goodHome(): string {
    const now = Date.now();
    return makeCodeHome(tmp.dir, {
      files: {
        'config.toml': fs.readFileSync(path.join(FIXTURES, 'good-config.toml'), 'utf8'),
        'auth.json': '{}',
        'log/code-tui.log': `${new Date(now).toISOString()}  INFO started\n`,
        [`logs/critical.log.${utcDay(now)}`]: '',
      },
    });
  }

  it('exits 0 and prints a table when nothing fails', async function () {
    if (process.platform === 'win32') skipOnPlatform(this, 'POSIX shell scripts as fake servers');
    const home = goodHome();
    const bin = fakeServerBinary(tmp.dir);
    const c = io(tmp.dir);
    const code = await main(['check', '--code-home', home, '--command', bin], c.io);
    assert.equal(code, 0, c.out());
    assert.match(c.out(), /^STATUS {2}CHECK +DETAIL$/m);
    assert.match(c.out(), /^pass +app-server-binary +code-app-server 9\.9\.9/m);
    assert.match(c.out(), new RegExp(`${CHECKS.length} checks: \\d+ pass, 0 fail`));
  });

  it('prints JSON rows and exits 1 when a check fails, and writes the report with recorded sign-offs', async () => {
    const home = makeCodeHome(tmp.dir, { files: { 'config.toml': fs.readFileSync(path.join(FIXTURES, 'dev-prompts.toml'), 'utf8') } });
    fs.mkdirSync(path.join(tmp.dir, '.code-ops'));
    fs.writeFileSync(
      path.join(tmp.dir, '.code-ops', 'readiness.json'),
      JSON.stringify({ version: 1, items: { '4-observability/otel': { checked: true, by: 'Ada', at: '2025-12-24T10:00:00Z' } } }),
    );
    const c = io(tmp.dir);
    const code = await main(['check', '--code-home', home, '--json', '--report', 'ready.md'], c.io);
    assert.equal(code, 1);
    const rows = JSON.parse(c.out()) as Array<Record<string, string>>;
    assert.equal(rows.length, CHECKS.length);
    for (const r of rows) assert.deepEqual(Object.keys(r), ['id', 'section', 'title', 'status', 'detail']);
    const prompt = rows.find((r) => r.id === 'otel-log-user-prompt')!;
    assert.equal(prompt.status, 'fail');
    assert.equal(prompt.section, '4. Observability');
    const report = fs.readFileSync(path.join(tmp.dir, 'ready.md'), 'utf8');
    assert.match(report, /- \[x\] \*\*OTEL\*\* — signed off by Ada/);
    assert.match(report, /`otel-log-user-prompt` \*\*fail\*\*/);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [['--bogus'], ['--target', 'prod'], ['--backup-max-age-days', '-1'], ['--code-home', '']]) {
      const c = io(tmp.dir);
      assert.equal(await main(['check', ...args], c.io), 2, args.join(' '));
      assert.match(c.err(), /code-ops check: /);
    }
  });
});
