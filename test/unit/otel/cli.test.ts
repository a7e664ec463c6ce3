import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `code-ops validate` as a real process, from the bundle `node esbuild.mjs` writes. */
const CLI = path.resolve(__dirname, '../../../dist/cli.js');

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, 'validate', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  if (r.error) throw r.error;
  return r;
}

describe('code-ops validate (CLI)', function () {
  this.timeout(30_000);
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-validate-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('prints FILE:LINE:COL: severity: message [code] and exits 1 on errors', () => {
    const file = path.join(home, 'config.toml');
    fs.writeFileSync(file, '[otel]\nenvironment = "production"\n[otel.exporter."otlp-grpc"]\nendpoint = "https://c:4317"\n');
    const r = run([file, '--dialect', 'beacon']);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout.trim(), `${file}:3:16: error: [otel.exporter."otlp-grpc"] has no \`headers\`: Code (Beacon) requires it (upstream codex does not); write \`headers = {}\` when none are needed. Code (Beacon) refuses to start with this config. [otel/missing-headers]`);
  });

  it('defaults FILE to $CODE_HOME/config.toml and exits 0 without errors', () => {
    fs.writeFileSync(path.join(home, 'config.toml'), '[otel]\nenvironment = "production"\nexporter = "none"\n');
    const r = run([], { CODE_HOME: home });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no problems \(beacon dialect\)/);
  });

  it('prints LSP-shaped JSON with 0-based ranges under --json', () => {
    const file = path.join(home, 'c.toml');
    fs.writeFileSync(file, '[otel]\nenvironment = "production"\nlog_user_prompt = true\n');
    const r = run([file, '--json', '--dialect', 'codex']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out, [
      {
        severity: 'warning',
        code: 'otel/log-user-prompt',
        message: out[0].message,
        range: { start: { line: 2, character: 18 }, end: { line: 2, character: 22 } },
      },
    ]);
  });

  it('picks the codex dialect for a file under CODEX_HOME', () => {
    fs.writeFileSync(path.join(home, 'config.toml'), '[otel]\nenvironment = "production"\nexporter = "statsig"\n');
    assert.equal(run([path.join(home, 'config.toml')], { CODEX_HOME: home }).status, 0);
    assert.equal(run([path.join(home, 'config.toml')], { CODE_HOME: home }).status, 1);
  });

  it('exits 2 with a clear message on an unreadable file or bad usage', () => {
    const missing = run([path.join(home, 'nope.toml')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*nope\.toml: no such file/);
    const dir = run([home]);
    assert.equal(dir.status, 2);
    assert.match(dir.stderr, /it is a folder, not a file/);
    const badDialect = run(['--dialect', 'toml']);
    assert.equal(badDialect.status, 2);
    assert.match(badDialect.stderr, /--dialect must be beacon or codex/);
    assert.equal(run(['--frobnicate']).status, 2);
    assert.equal(run(['a.toml', 'b.toml']).status, 2);
  });

  it('reports a literal secret header without printing its value', () => {
    const file = path.join(home, 'config.toml');
    fs.writeFileSync(file, '[otel]\nenvironment = "production"\nexporter = { otlp-grpc = { endpoint = "https://c:4317", headers = { x-api-key = "live-KEY-123456789" } } }\n');
    const r = run([file]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /\[otel\/literal-secret\]/);
    assert.ok(!r.stdout.includes('live-KEY'));
  });
});
