import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChecks, type CheckContext } from '../../../src/core/readiness/checks';
import { applyPermissionsFix } from '../../../src/core/permissions';
import type { CheckId, CheckResult } from '../../../src/core/readiness/model';
import type { ServerSnapshot } from '../../../src/core/appServer/types';
import { requirePeer } from '../../peer';
import { skipOnPlatform } from '../setup/platform';
import { contextFor, fakeServerBinary, FIXTURES, makeCodeHome, startServerProcess, tempDir, utcDay } from './helpers';
import { CHECKS } from '../../../src/core/readiness/catalog';

async function one(ctx: CheckContext, id: CheckId): Promise<CheckResult> {
  const [r] = await runChecks(ctx, [id]);
  assert.equal(r.id, id);
  return r;
}

const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function snapshot(over: Partial<ServerSnapshot> = {}): ServerSnapshot {
  return { state: 'healthy', reason: 'initialize answered', mode: 'spawn', restartsInWindow: 0, panics: [], ...over };
}

const posix = process.platform !== 'win32';

describe('readiness automatic checks', () => {
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  describe('code-home-permissions', () => {
    it('passes for a 0700 CODE_HOME with auth.json 0600', async function () {
      if (!posix) skipOnPlatform(this, 'POSIX file modes');
      const home = makeCodeHome(tmp.dir, { files: { 'auth.json': '{}' } });
      const r = await one(contextFor(home), 'code-home-permissions');
      assert.equal(r.status, 'pass', r.detail);
      assert.match(r.detail, /0700.*auth\.json private/);
    });

    it('fails for a world-readable home and auth.json, and its fix makes it pass', async function () {
      if (!posix) skipOnPlatform(this, 'POSIX file modes');
      const home = makeCodeHome(tmp.dir, { mode: 0o755, files: { 'auth.json': { text: '{"token":"x"}', mode: 0o644 }, 'client.pem': { text: 'k', mode: 0o640 } } });
      const r = await one(contextFor(home), 'code-home-permissions');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /CODE_HOME is 0755/);
      assert.match(r.detail, /auth\.json is 0644/);
      assert.match(r.detail, /client\.pem is 0640/);
      assert.equal(r.fix?.action.kind, 'permissions');
      if (r.fix?.action.kind !== 'permissions') return;
      await applyPermissionsFix(r.fix.action);
      assert.equal(fs.statSync(home).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(home, 'auth.json')).mode & 0o777, 0o600);
      assert.equal((await one(contextFor(home), 'code-home-permissions')).status, 'pass');
    });

    it('fails for a missing CODE_HOME and offers to create it 0700', async function () {
      if (!posix) skipOnPlatform(this, 'POSIX file modes');
      const home = path.join(tmp.dir, 'nope');
      const r = await one(contextFor(home), 'code-home-permissions');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /does not exist/);
      assert.ok(r.fix?.action.kind === 'permissions');
      await applyPermissionsFix(r.fix.action);
      assert.equal(fs.statSync(home).mode & 0o777, 0o700);
    });
  });

  describe('config checks', () => {
    it('pass on the checklist-style config with an env-referenced header', async () => {
      const home = makeCodeHome(tmp.dir, { files: { 'config.toml': fixture('good-config.toml') } });
      const results = await runChecks(contextFor(home), ['config-valid', 'otel-exporter', 'otel-environment', 'otel-log-user-prompt', 'secrets-in-config']);
      for (const r of results) assert.equal(r.status, 'pass', `${r.id}: ${r.detail}`);
      assert.match(results.find((r) => r.id === 'otel-exporter')!.detail, /otlp-grpc/);
    });

    it('config-valid fails on broken TOML with a fix that opens config.toml at the error', async () => {
      const home = makeCodeHome(tmp.dir, { files: { 'config.toml': fixture('broken-syntax.toml') } });
      const r = await one(contextFor(home), 'config-valid');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /^config\.toml:2: TOML syntax error/);
      assert.deepEqual(r.fix && { kind: r.fix.action.kind, file: 'file' in r.fix.action ? r.fix.action.file : '' }, { kind: 'openConfig', file: path.join(home, 'config.toml') });
      // the checks that read [otel] say the file does not parse instead of guessing
      assert.match((await one(contextFor(home), 'otel-exporter')).detail, /does not parse/);
    });

    it('config-valid fails on a bare exporter string and warns without a config.toml', async () => {
      const bad = makeCodeHome(tmp.dir, { files: { 'config.toml': fixture('bare-exporter.toml') } });
      const r = await one(contextFor(bad), 'config-valid');
      assert.equal(r.status, 'fail');
      assert.ok(r.fix?.action.kind === 'openConfig' && r.fix.action.line === 2, JSON.stringify(r.fix));
      const empty = tempDir();
      try {
        const none = await one(contextFor(makeCodeHome(empty.dir)), 'config-valid');
        assert.equal(none.status, 'warn');
        assert.match(none.detail, /No config\.toml/);
      } finally {
        empty.cleanup();
      }
    });

    it('config-valid also validates managed_config.toml', async () => {
      const home = makeCodeHome(tmp.dir, { files: { 'config.toml': fixture('good-config.toml'), 'managed_config.toml': fixture('broken-syntax.toml') } });
      const r = await one(contextFor(home), 'config-valid');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /^managed_config\.toml:2:/);
    });

    it('otel-exporter fails for exporter "none" and when managed_config.toml turns it off', async () => {
      const home = makeCodeHome(tmp.dir, { files: { 'config.toml': fixture('dev-prompts.toml') } });
      const r = await one(contextFor(home), 'otel-exporter');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /"none"/);
      const other = tempDir();
      try {
        const managed = makeCodeHome(other.dir, { files: { 'config.toml': fixture('good-config.toml'), 'managed_config.toml': '[otel]\nexporter = "none"\n' } });
        assert.equal((await one(contextFor(managed), 'otel-exporter')).status, 'fail');
      } finally {
        other.cleanup();
      }
    });

    it('otel-environment fails on the "dev" default and only warns for a non-production target', async () => {
      const home = makeCodeHome(tmp.dir, { files: { 'config.toml': fixture('dev-prompts.toml') } });
      const r = await one(contextFor(home), 'otel-environment');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /"dev" \(default\)/);
      const staging = await one(contextFor(home, { settings: { target: 'staging' } }), 'otel-environment');
      assert.equal(staging.status, 'warn');
    });

    it('otel-log-user-prompt fails when true and points at the key', async () => {
      const home = makeCodeHome(tmp.dir, { files: { 'config.toml': fixture('dev-prompts.toml') } });
      const r = await one(contextFor(home), 'otel-log-user-prompt');
      assert.equal(r.status, 'fail');
      assert.ok(r.fix?.action.kind === 'openConfig');
      assert.deepEqual([r.fix.action.line, r.fix.action.character], [1, 18]);
    });

    it('secrets-in-config fails on a literal header and never prints the value', async () => {
      const home = makeCodeHome(tmp.dir, { files: { 'config.toml': fixture('secret-header.toml') } });
      const r = await one(contextFor(home), 'secrets-in-config');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /config\.toml:8: header x-api-key holds a literal secret/);
      assert.doesNotMatch(JSON.stringify(r), /4f9a8b7c/);
    });

    it('secrets-in-config also finds API keys outside [otel]', async () => {
      const home = makeCodeHome(tmp.dir, { files: { 'config.toml': `${fixture('good-config.toml')}\n[model_providers.acme]\napi_key = "sk-abcdefghijklmnop1234"\n` } });
      const r = await one(contextFor(home), 'secrets-in-config');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /key api_key/);
      assert.doesNotMatch(r.detail, /abcdefgh/);
    });
  });

  describe('server environment: the running server is judged, never our defaults', () => {
    const servers: Array<{ kill(): void }> = [];
    afterEach(() => {
      for (const s of servers.splice(0)) s.kill();
    });
    const start = async (home: string, env: Record<string, string>) => {
      const s = await startServerProcess(tmp.dir, { ...env, CODE_HOME: home });
      servers.push(s);
      return s;
    };

    it('skips with nothing running, saying so and what Code Ops would set; never passes', async () => {
      const home = makeCodeHome(tmp.dir);
      const ids = ['secure-mode', 'rust-log', 'one-server-per-home', 'housekeeping-retention'] as const;
      const all = await runChecks(contextFor(home), ids);
      const results = ids.map((id) => all.find((r) => r.id === id)!);
      assert.deepEqual(results.map((r) => r.status), ['skip', 'skip', 'skip', 'skip']);
      assert.match(results[0].detail, /No running app server .* to inspect; a server Code Ops starts would get CODE_SECURE_MODE=1\.$/);
      assert.match(results[1].detail, /would get RUST_LOG=info\.$/);
    });

    it('judges a real code-app-server process on this CODE_HOME by its /proc environment and names its pid', async function () {
      if (process.platform !== 'linux') this.skip();
      const home = makeCodeHome(tmp.dir);
      const bare = await start(home, {});
      const [secure, rust] = await runChecks(contextFor(home), ['secure-mode', 'rust-log']);
      assert.equal(secure.status, 'fail', secure.detail);
      assert.match(secure.detail, new RegExp(`pid ${bare.pid} \\(code-app-server\\): CODE_SECURE_MODE is not set`));
      assert.equal(rust.status, 'fail');
      assert.equal(secure.fix?.action.kind, 'openSetting');
      bare.kill();
      servers.splice(0);
      const good = await start(home, { CODE_SECURE_MODE: '1', RUST_LOG: 'info' });
      const again = await runChecks(contextFor(home), ['secure-mode', 'rust-log', 'one-server-per-home']);
      assert.deepEqual(again.map((r) => r.status), ['pass', 'pass', 'pass'], again.map((r) => r.detail).join('\n'));
      for (const r of again) assert.match(r.detail, new RegExp(`pid ${good.pid}`));
    });

    it('warns on the legacy variable alone and fails on 0; a server on another home is not ours', async function () {
      if (process.platform !== 'linux') this.skip();
      const home = makeCodeHome(tmp.dir);
      const other = path.join(tmp.dir, 'other-home');
      fs.mkdirSync(other);
      await start(other, { CODE_SECURE_MODE: '0' });
      assert.equal((await one(contextFor(home), 'secure-mode')).status, 'skip');
      await start(home, { CODEX_SECURE_MODE: '1' });
      const legacy = await one(contextFor(home), 'secure-mode');
      assert.equal(legacy.status, 'warn');
      assert.match(legacy.detail, /legacy CODEX_SECURE_MODE/);
    });

    it('flags two servers on one CODE_HOME', async function () {
      if (process.platform !== 'linux') this.skip();
      const home = makeCodeHome(tmp.dir);
      const a = await start(home, { CODE_SECURE_MODE: '1' });
      const b = await start(home, { CODE_SECURE_MODE: '1' });
      const r = await one(contextFor(home), 'one-server-per-home');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, new RegExp(`2 app servers share .*pid ${a.pid}.*pid ${b.pid}`));
    });

    it('housekeeping retention shorter than the backup window warns; disabled housekeeping warns', async function () {
      if (process.platform !== 'linux') this.skip();
      const home = makeCodeHome(tmp.dir);
      const s = await start(home, { CODE_CLEANUP_SESSION_RETENTION_DAYS: '3' });
      const r = await one(contextFor(home, { settings: { backupMaxAgeDays: 7 } }), 'housekeeping-retention');
      assert.equal(r.status, 'warn', r.detail);
      assert.match(r.detail, /sessions after 3 d.*7 days old/);
      s.kill();
      servers.splice(0);
      await start(home, { CODE_CLEANUP_DISABLE: '1' });
      assert.match((await one(contextFor(home), 'housekeeping-retention')).detail, /CODE_CLEANUP_DISABLE/);
    });

    it('rust-log skips when attached over a socket', async () => {
      const home = makeCodeHome(tmp.dir);
      assert.equal((await one(contextFor(home, { settings: { socket: '/run/code.sock' } }), 'rust-log')).status, 'skip');
    });
  });

  describe('app server', () => {
    it('app-server-binary passes with the version the binary reports', async function () {
      if (!posix) skipOnPlatform(this, 'POSIX file modes');
      const home = makeCodeHome(tmp.dir);
      const bin = fakeServerBinary(tmp.dir);
      const r = await one(contextFor(home, { settings: { serverCommand: bin } }), 'app-server-binary');
      assert.equal(r.status, 'pass', r.detail);
      assert.equal(r.version, 'code-app-server 9.9.9');
    });

    it('app-server-binary fails for a missing command and warns when --version fails', async function () {
      if (!posix) skipOnPlatform(this, 'POSIX file modes');
      const home = makeCodeHome(tmp.dir);
      const missing = await one(contextFor(home, { settings: { serverCommand: 'no-such-code-app-server-xyz' } }), 'app-server-binary');
      assert.equal(missing.status, 'fail');
      assert.deepEqual(missing.fix, { label: 'Set codeOps.appServer.command', action: { kind: 'openSetting', setting: 'codeOps.appServer.command' } });
      const broken = path.join(tmp.dir, 'broken-server');
      fs.writeFileSync(broken, '#!/bin/sh\nexit 7\n');
      fs.chmodSync(broken, 0o755);
      assert.equal((await one(contextFor(home, { settings: { serverCommand: broken } }), 'app-server-binary')).status, 'warn');
    });

    it('app-server-liveness reads the supervisor snapshot and skips without one', async () => {
      const home = makeCodeHome(tmp.dir);
      assert.equal((await one(contextFor(home), 'app-server-liveness')).status, 'skip');
      const healthy = await one(contextFor(home, { server: { snapshot: snapshot({ initializeMs: 158.4, userAgent: 'code/1.0' }), recentStderr: [] } }), 'app-server-liveness');
      assert.equal(healthy.status, 'pass');
      assert.match(healthy.detail, /158 ms \(code\/1\.0\)/);
      const stopped = await one(contextFor(home, { server: { snapshot: snapshot({ state: 'stopped' }), recentStderr: [] } }), 'app-server-liveness');
      assert.equal(stopped.status, 'skip');
      assert.deepEqual(stopped.fix, { label: 'Start App Server', action: { kind: 'startServer' } });
      const looping = await one(contextFor(home, { server: { snapshot: snapshot({ state: 'crash-loop', reason: 'exited 1 four times' }), recentStderr: [] } }), 'app-server-liveness');
      assert.equal(looping.status, 'fail');
    });

    it('app-server-liveness with probe fails for a server that exits at once', async function () {
      if (!posix) skipOnPlatform(this, 'POSIX file modes');
      const home = makeCodeHome(tmp.dir);
      const bin = fakeServerBinary(tmp.dir);
      const r = await one(contextFor(home, { probe: true, settings: { serverCommand: bin, probeTimeoutMs: 2000 } }), 'app-server-liveness');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /^Probe: /);
    });

    it('app-server-liveness with probe passes against the real codex app-server', async function () {
      const bin = requirePeer(this);
      this.timeout(30_000);
      const home = makeCodeHome(tmp.dir);
      const r = await one(contextFor(home, { probe: true, settings: { serverCommand: bin, serverArgs: ['app-server'], probeTimeoutMs: 10_000 } }), 'app-server-liveness');
      assert.equal(r.status, 'pass', r.detail);
      assert.match(r.detail, /Probe answered initialize in \d+ ms/);
    });

    it('no-crash-loop: skip without a server, pass under 4 restarts, fail at 4', async () => {
      const home = makeCodeHome(tmp.dir);
      assert.equal((await one(contextFor(home), 'no-crash-loop')).status, 'skip');
      assert.equal((await one(contextFor(home, { server: { snapshot: snapshot({ restartsInWindow: 3 }), recentStderr: [] } }), 'no-crash-loop')).status, 'pass');
      const r = await one(contextFor(home, { server: { snapshot: snapshot({ restartsInWindow: 4, state: 'crash-loop' }), recentStderr: [] } }), 'no-crash-loop');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /4 restarts/);
    });
  });

  describe('logs', () => {
    const panicLine = (ms: number) =>
      `${new Date(ms).toISOString()} ERROR main ThreadId(01) Panic occurred: PanicHookInfo { payload: Any { .. }, location: Location { file: "src/main.rs", line: 64, column: 11 } }\n`;

    it('no-panics fails on a panic in today\'s dated critical log and points at the line', async () => {
      const now = Date.now();
      const home = makeCodeHome(tmp.dir, {
        files: { [`logs/critical.log.${utcDay(now)}`]: `${new Date(now - 60_000).toISOString()} ERROR main ThreadId(01) failed to record rollout items\n${panicLine(now - 30_000)}` },
      });
      const r = await one(contextFor(home, { now: () => now }), 'no-panics');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, new RegExp(`logs/critical\\.log\\.${utcDay(now)}:2`));
      assert.ok(r.fix?.action.kind === 'openFile' && r.fix.action.line === 1, JSON.stringify(r.fix));
    });

    it('no-panics ignores panics older than 24 hours', async () => {
      const now = Date.now();
      const old = now - 3 * 86_400_000;
      const home = makeCodeHome(tmp.dir, { files: { [`logs/critical.log.${utcDay(old)}`]: panicLine(old), 'log/code-tui.log': `${new Date(now).toISOString()}  INFO all good\n` } });
      const r = await one(contextFor(home, { now: () => now }), 'no-panics');
      assert.equal(r.status, 'pass', r.detail);
    });

    it('no-panics fails on a panic seen in the supervised server\'s stderr', async () => {
      const home = makeCodeHome(tmp.dir);
      const r = await one(contextFor(home, { server: { snapshot: snapshot(), recentStderr: ['Panic occurred: PanicHookInfo { .. }'] } }), 'no-panics');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /stderr/);
    });

    it('logs-present passes with both logs, fails when critical logs are missing, warns on the legacy name', async () => {
      const day = utcDay(Date.now());
      const both = makeCodeHome(tmp.dir, { files: { 'log/code-tui.log': 'x\n', [`logs/critical.log.${day}`]: '' } });
      const r = await one(contextFor(both), 'logs-present');
      assert.equal(r.status, 'pass', r.detail);
      fs.rmSync(path.join(both, 'logs'), { recursive: true });
      const missing = await one(contextFor(both), 'logs-present');
      assert.equal(missing.status, 'fail');
      assert.match(missing.detail, /Layout log\/ and logs\/ \(Beacon\): missing logs\/critical\.log\.YYYY-MM-DD/);
      fs.renameSync(path.join(both, 'log/code-tui.log'), path.join(both, 'log/codex-tui.log'));
      fs.mkdirSync(path.join(both, 'logs'));
      fs.writeFileSync(path.join(both, `logs/critical.log.${day}`), '');
      assert.equal((await one(contextFor(both), 'logs-present')).status, 'warn');
    });

    it("logs-present finds Code's debug_logs/ layout and says so (just-every code-rs/core/src/config.rs log_dir)", async () => {
      const day = utcDay(Date.now());
      const home = makeCodeHome(tmp.dir, { files: { 'debug_logs/codex-tui.log': 'x\n', [`debug_logs/critical.log.${day}`]: '' } });
      const r = await one(contextFor(home), 'logs-present');
      assert.equal(r.status, 'pass', r.detail);
      assert.match(r.detail, /debug_logs/);
      // Without --debug Code writes no TUI log: a warning that says why, not a failure.
      fs.rmSync(path.join(home, 'debug_logs/codex-tui.log'));
      const noTui = await one(contextFor(home), 'logs-present');
      assert.equal(noTui.status, 'warn', noTui.detail);
      assert.match(noTui.detail, /only with --debug/);
    });
  });

  describe('backup-recent', function () {
    const hasTar = spawnSync('tar', ['--version']).status === 0;
    before(function () {
      if (!hasTar) skipOnPlatform(this, 'needs a tar binary');
    });

    /** A real archive made by the system tar from a folder shaped like CODE_HOME. */
    function archive(name: string, parts: string[], extra: string[] = []): string {
      const src = path.join(tmp.dir, `src-${name}`, '.code');
      fs.mkdirSync(src, { recursive: true });
      for (const p of parts) {
        if (p.endsWith('/')) {
          fs.mkdirSync(path.join(src, p), { recursive: true });
          fs.writeFileSync(path.join(src, p, 'keep.txt'), 'x');
        } else fs.writeFileSync(path.join(src, p), '{}');
      }
      const out = path.join(tmp.dir, 'backups', name);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const r = spawnSync('tar', [name.endsWith('.tar') ? '-cf' : '-czf', out, ...extra, '-C', path.dirname(src), '.code']);
      assert.equal(r.status, 0, String(r.stderr));
      return out;
    }

    it('skips until a glob is set', async () => {
      const r = await one(contextFor(makeCodeHome(tmp.dir)), 'backup-recent');
      assert.equal(r.status, 'skip');
      assert.equal(r.fix?.action.kind, 'openSetting');
    });

    it('passes for a fresh archive holding auth.json, sessions/, log/ and logs/', async () => {
      archive('code-2025.tgz', ['auth.json', 'sessions/', 'log/', 'logs/']);
      const r = await one(contextFor(makeCodeHome(tmp.dir), { settings: { backupGlob: path.join(tmp.dir, 'backups', '*.tgz') } }), 'backup-recent');
      assert.equal(r.status, 'pass', r.detail);
    });

    it('fails when the newest archive lacks sessions/', async () => {
      const old = archive('old.tar', ['auth.json', 'sessions/', 'log/', 'logs/']);
      const past = new Date(Date.now() - 86_400_000);
      fs.utimesSync(old, past, past);
      archive('new.tar.gz', ['auth.json', 'log/', 'logs/']);
      const r = await one(contextFor(makeCodeHome(tmp.dir), { settings: { backupGlob: 'backups/*.{tar,tar.gz}' } }), 'backup-recent');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /new\.tar\.gz .* lacks sessions\//);
    });

    it('fails when the newest archive is older than backupMaxAgeDays', async () => {
      const file = archive('b.tgz', ['auth.json', 'sessions/', 'log/', 'logs/']);
      const past = new Date(Date.now() - 10 * 86_400_000);
      fs.utimesSync(file, past, past);
      const r = await one(contextFor(makeCodeHome(tmp.dir), { settings: { backupGlob: 'backups/**/*.tgz', backupMaxAgeDays: 7 } }), 'backup-recent');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /10\.0 days old \(max 7 days\)/);
    });

    it('fails with a clear message for a file that is not an archive', async () => {
      fs.mkdirSync(path.join(tmp.dir, 'backups'));
      fs.writeFileSync(path.join(tmp.dir, 'backups', 'fake.tgz'), 'this is not gzip at all, just text padding '.repeat(20));
      const r = await one(contextFor(makeCodeHome(tmp.dir), { settings: { backupGlob: 'backups/*.tgz' } }), 'backup-recent');
      assert.equal(r.status, 'fail');
      assert.match(r.detail, /fake\.tgz: not a tar archive/);
    });
  });

  it('runs every check of the catalog without throwing on an empty CODE_HOME', async () => {
    const results = await runChecks(contextFor(makeCodeHome(tmp.dir)));
    assert.equal(results.length, CHECKS.length);
    for (const r of results) assert.ok(['pass', 'fail', 'warn', 'skip'].includes(r.status) && r.detail.length > 0, r.id);
  });
});
