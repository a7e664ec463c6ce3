// The server checks beyond the state table (serverStates.test.ts): housekeeping
// retention over its environment values, one-server-per-home, the binary, the
// panics and how the running servers are gathered; with exact details. The
// retention is judged through what a server Code Ops starts would get (the
// skip detail), so no process is needed for the table. Written from the
// survivors of `npm run mutation -- --mutate src/core/readiness/checks/server.ts`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChecks, type CheckContext } from '../../../../src/core/readiness/checks';
import { runningServers } from '../../../../src/core/readiness/checks/server';
import type { CheckId, CheckResult } from '../../../../src/core/readiness/model';
import type { ServerProcess } from '../../../../src/core/readiness/procs';
import type { ServerSnapshot } from '../../../../src/core/appServer/types';
import type { PanicHit } from '../../../../src/core/logs/api';
import { contextFor, makeCodeHome, tempDir } from '../../readiness/helpers';

describe('server checks: exact verdicts', () => {
  let tmp: { dir: string; cleanup: () => void };
  let home: string;
  before(() => {
    tmp = tempDir();
    home = makeCodeHome(tmp.dir);
  });
  after(() => tmp.cleanup());

  /** A context with these running servers (none by default) and no supervised one unless given. */
  function ctxWith(over: Parameters<typeof contextFor>[1] = {}, servers: ServerProcess[] = []): CheckContext {
    const ctx = contextFor(home, over);
    ctx.deps = { ...ctx.deps, listServerProcesses: async () => servers };
    return ctx;
  }
  const one = async (ctx: CheckContext, id: CheckId): Promise<CheckResult> => (await runChecks(ctx, [id]))[0];
  const server = (pid: number, env: Record<string, string> = {}, kind: ServerProcess['kind'] = 'code-app-server'): ServerProcess => ({ pid, kind, home, env });
  const snapshot = (over: Partial<ServerSnapshot> = {}): ServerSnapshot => ({ state: 'healthy', reason: 'ok', mode: 'spawn', restartsInWindow: 0, panics: [], ...over });

  describe('housekeeping-retention (what a server Code Ops starts would get)', () => {
    const WOULD = 'a server Code Ops starts would get this retention: ';
    const rows: Array<[Record<string, string>, number, string]> = [
      [{}, 7, 'Sessions 7 d, logs 14 d: no shorter than the 7-day backup window.'],
      [{}, 14, 'Housekeeping deletes sessions after 7 d, but a backup may be 14 days old'],
      [{}, 15, 'Housekeeping deletes sessions after 7 d and logs after 14 d, but a backup may be 15 days old'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: '3' }, 7, 'Housekeeping deletes sessions after 3 d, but a backup may be 7 days old: state between those ages is in no backup. Raise CODE_CLEANUP_*_RETENTION_DAYS or back up more often.'],
      [{ CODE_CLEANUP_LOG_RETENTION_DAYS: '2' }, 7, 'Housekeeping deletes logs after 2 d, but'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: '0' }, 7, 'Housekeeping deletes sessions after 0 d'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: ' 5 ' }, 7, 'Housekeeping deletes sessions after 5 d'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: '-1' }, 7, 'Sessions kept, logs 14 d'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: 'off', CODE_CLEANUP_LOG_RETENTION_DAYS: ' Disabled ' }, 30, 'Sessions kept, logs kept: no shorter than the 30-day backup window.'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: 'disable' }, 7, 'Sessions kept,'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: 'offx' }, 7, 'Sessions 7 d,'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: 'xoff' }, 7, 'Sessions 7 d,'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: '5x' }, 7, 'Sessions 7 d,'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: 'x5' }, 7, 'Sessions 7 d,'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: '55' }, 7, 'Sessions 55 d,'],
      [{ CODE_CLEANUP_SESSION_RETENTION_DAYS: '' }, 7, 'Sessions 7 d,'],
      [{ CODE_CLEANUP_DISABLE: '1' }, 7, 'CODE_CLEANUP_DISABLE is set: housekeeping never prunes sessions, worktrees or logs; the checklist asks for it enabled with a retention that fits.'],
      [{ CODE_CLEANUP_DISABLE: ' TRUE ' }, 7, 'CODE_CLEANUP_DISABLE is set'],
      [{ CODE_CLEANUP_DISABLE: 'on' }, 7, 'CODE_CLEANUP_DISABLE is set'],
      [{ CODE_CLEANUP_DISABLE: 'Yes' }, 7, 'CODE_CLEANUP_DISABLE is set'],
      [{ CODE_CLEANUP_DISABLE: '0' }, 7, 'Sessions 7 d,'],
      [{ CODE_CLEANUP_DISABLE: '10' }, 7, 'Sessions 7 d,'],
      [{ CODE_CLEANUP_DISABLE: 'yesno' }, 7, 'Sessions 7 d,'],
      [{ CODE_CLEANUP_DISABLE: 'no' }, 7, 'Sessions 7 d,'],
      [{ CODE_CLEANUP_DISABLE: 'x1' }, 7, 'Sessions 7 d,'],
    ];
    for (const [env, window, detail] of rows) {
      it(`${JSON.stringify(env)}, ${window}-day window: ${detail.slice(0, 50)}`, async () => {
        const r = await one(ctxWith({ settings: { serverEnv: env, backupMaxAgeDays: window } }), 'housekeeping-retention');
        assert.equal(r.status, 'skip');
        const said = r.detail.slice(r.detail.indexOf(WOULD) + WOULD.length);
        assert.ok(r.detail.includes(WOULD), r.detail);
        assert.ok(`${said}`.startsWith(detail.replace(/\.$/, '')), `${said}\n  wanted: ${detail}`);
      });
    }

    it('ends the skip detail with one period', async () => {
      const r = await one(ctxWith({ settings: { backupMaxAgeDays: 7 } }), 'housekeeping-retention');
      assert.equal(r.detail, `No running app server on ${home} to inspect; ${WOULD}Sessions 7 d, logs 14 d: no shorter than the 7-day backup window.`);
    });

    it('judges running servers with the same rules and names each', async () => {
      const r = await one(ctxWith({ settings: { backupMaxAgeDays: 7 } }, [server(11, { CODE_CLEANUP_DISABLE: '1' }), server(12)]), 'housekeeping-retention');
      assert.equal(r.status, 'warn');
      assert.equal(r.detail, 'pid 11 (code-app-server): CODE_CLEANUP_DISABLE is set: housekeeping never prunes sessions, worktrees or logs; the checklist asks for it enabled with a retention that fits. pid 12 (code-app-server): Sessions 7 d, logs 14 d: no shorter than the 7-day backup window.');
      assert.equal(r.fix?.action.kind, 'openSetting');
      const ok = await one(ctxWith({}, [server(12)]), 'housekeeping-retention');
      assert.deepEqual([ok.status, ok.fix], ['pass', undefined]);
    });
  });

  describe('environment checks: gathering and wording', () => {
    it('drops only a final period of what a started server would get', async () => {
      const r = await one(ctxWith({ settings: { serverEnv: { RUST_LOG: 'codex.core=debug' } } }), 'rust-log');
      assert.ok(r.detail.endsWith('would get RUST_LOG=codex.core=debug.'), r.detail);
    });

    it('says processes are read on Linux only elsewhere', async () => {
      for (const [platform, where] of [['darwin', '(process environments are read on Linux only)'], ['linux', `on ${home}`]] as const) {
        const r = await one(ctxWith({ platform }), 'secure-mode');
        assert.equal(r.detail, `No running app server ${where} to inspect; a server Code Ops starts would get CODE_SECURE_MODE=1.`);
        const o = await one(ctxWith({ platform }), 'one-server-per-home');
        assert.equal(o.detail, `No running app server on ${home}${platform === 'linux' ? '' : ' (processes are read on Linux only)'}.`);
      }
    });

    it('one-server-per-home: exact pass, fail and socket verdicts', async () => {
      const pass = await one(ctxWith({}, [server(21)]), 'one-server-per-home');
      assert.deepEqual([pass.status, pass.detail, pass.fix], ['pass', 'One app server on this CODE_HOME: pid 21 (code-app-server).', undefined]);
      const fail = await one(ctxWith({}, [server(21), server(22, {}, 'codex app-server')]), 'one-server-per-home');
      assert.equal(fail.status, 'fail');
      assert.equal(fail.detail, `2 app servers share ${home}: pid 21 (code-app-server), pid 22 (codex app-server). The checklist asks for one per CODE_HOME (Beacon only logs "code home already in use").`);
      assert.deepEqual(fail.fix, { action: { kind: 'showServerOutput' }, label: 'Show App Server Output' });
      for (const ctx of [ctxWith({ settings: { socket: '/run/code.sock' } }, [server(21), server(22)]), ctxWith({ server: { snapshot: snapshot({ mode: 'socket' }), recentStderr: [] } }, [server(21), server(22)])]) {
        const s = await one(ctx, 'one-server-per-home');
        assert.deepEqual([s.status, s.detail], ['skip', 'Attached over a socket: the servers on the deployed host are not visible here.']);
      }
    });

    it('a failing environment offers the codeOps.appServer.env setting', async () => {
      const r = await one(ctxWith({}, [server(31)]), 'secure-mode');
      assert.deepEqual(r.fix, { action: { kind: 'openSetting', setting: 'codeOps.appServer.env' }, label: 'Open codeOps.appServer.env' });
    });

    it('runningServers: the supervised child once, of the kind its command says; never over a socket; only this home', async () => {
      const other = path.join(tmp.dir, 'elsewhere');
      fs.mkdirSync(other, { recursive: true });
      const listed = [server(process.pid, { FROM: 'list' }), { ...server(41), home: other }, { ...server(42), home: path.join(home, '.') }];
      const ctx = contextFor(home, { server: { snapshot: snapshot({ pid: process.pid }), recentStderr: [] }, settings: { serverCommand: '/opt/bin/codex', serverArgs: ['app-server'] } });
      const got = await runningServers(ctx, async () => listed);
      assert.deepEqual(got.map((s) => [s.pid, s.kind]), [[process.pid, 'codex app-server'], [42, 'code-app-server']]);
      assert.equal(got[0].env.FROM, undefined, 'the supervised child is read from /proc, not taken from the list');
      const plain = contextFor(home, { server: { snapshot: snapshot({ pid: process.pid }), recentStderr: [] }, settings: { serverCommand: '/opt/bin/my-server' } });
      assert.equal((await runningServers(plain, async () => []))[0].kind, 'code-app-server');
      const socket = contextFor(home, { server: { snapshot: snapshot({ pid: process.pid, mode: 'socket' }), recentStderr: [] } });
      assert.deepEqual(await runningServers(socket, async () => []), []);
    });
  });

  describe('app-server-binary', () => {
    function ctxResolving(resolved: { path?: string; error?: string }, version: { version?: string; error?: string }, settings: Partial<import('../../../../src/core/readiness/checks').CheckSettings> = {}) {
      const calls: unknown[][] = [];
      const ctx = contextFor(home, { settings });
      ctx.deps = {
        ...ctx.deps,
        resolveExecutable: async (command, _env, cwd) => (calls.push(['resolve', command, cwd]), resolved),
        readVersion: async (file) => (calls.push(['version', file]), version),
      };
      return { ctx, calls };
    }

    it('passes with the version and the path; resolves the command from the server cwd, else the workspace', async () => {
      const { ctx, calls } = ctxResolving({ path: '/opt/bin/code-app-server' }, { version: 'code-app-server 1.2.3' }, { serverCommand: '  ', serverCwd: '/srv/work' });
      const r = await one(ctx, 'app-server-binary');
      assert.deepEqual([r.status, r.detail, r.version], ['pass', 'code-app-server 1.2.3 (/opt/bin/code-app-server)', 'code-app-server 1.2.3']);
      assert.deepEqual(calls, [['resolve', 'code-app-server', '/srv/work'], ['version', '/opt/bin/code-app-server']]);
      const other = ctxResolving({ path: '/x' }, { version: 'v' }, { serverCommand: ' my-server ' });
      await one(other.ctx, 'app-server-binary');
      assert.deepEqual(other.calls[0], ['resolve', 'my-server', other.ctx.cwd]);
    });

    it('fails when not found, with the resolver\'s words or its own, and offers the setting', async () => {
      const r = await one(ctxResolving({}, {}, { serverCommand: 'nope-server' }).ctx, 'app-server-binary');
      assert.deepEqual([r.status, r.detail], ['fail', 'nope-server was not found.']);
      assert.deepEqual(r.fix, { action: { kind: 'openSetting', setting: 'codeOps.appServer.command' }, label: 'Set codeOps.appServer.command' });
      const said = await one(ctxResolving({ error: 'not on PATH (/usr/bin)' }, {}).ctx, 'app-server-binary');
      assert.equal(said.detail, 'not on PATH (/usr/bin)');
    });

    it('warns when --version fails, saying why', async () => {
      const r = await one(ctxResolving({ path: '/opt/x' }, { error: 'exit code 2' }).ctx, 'app-server-binary');
      assert.deepEqual([r.status, r.detail], ['warn', '/opt/x found, but `--version` failed: exit code 2']);
      const silent = await one(ctxResolving({ path: '/opt/x' }, {}).ctx, 'app-server-binary');
      assert.equal(silent.detail, '/opt/x found, but `--version` failed: no output');
    });

    it('skips when attached over a socket, not for a blank socket setting', async () => {
      const r = await one(ctxResolving({ path: '/x' }, { version: 'v' }, { socket: '/run/code.sock' }).ctx, 'app-server-binary');
      assert.deepEqual([r.status, r.detail], ['skip', 'Attached to /run/code.sock; no binary is started here.']);
      assert.equal((await one(ctxResolving({ path: '/x' }, { version: 'v' }, { socket: '  ' }).ctx, 'app-server-binary')).status, 'pass');
    });

    it('app-server-liveness probes over the socket setting when there is one', async () => {
      const seen: Array<string | undefined> = [];
      for (const socket of ['/run/code.sock', '']) {
        const ctx = contextFor(home, { probe: true, settings: { socket } });
        ctx.deps = { ...ctx.deps, probeOnce: async (o) => (seen.push(o.socket), { healthy: false, state: 'timeout', error: null } as never) };
        await one(ctx, 'app-server-liveness');
      }
      assert.deepEqual(seen, ['/run/code.sock', undefined]);
    });
  });

  describe('no-panics', () => {
    const PANIC = "thread 'main' panicked at core/src/lib.rs:10:5:";
    function ctxPanics(hits: PanicHit[], server?: { panics?: string[]; stderr?: string[] }) {
      const ctx = contextFor(home, server ? { server: { snapshot: snapshot({ panics: (server.panics ?? []).map((line) => ({ at: 1, line })) }), recentStderr: server.stderr ?? [] } } : {});
      ctx.deps = { ...ctx.deps, findPanics: async () => hits };
      return ctx;
    }

    it('passes with none, saying where it looked', async () => {
      assert.equal((await one(ctxPanics([]), 'no-panics')).detail, 'No panic (in any of the three forms Code writes) in the last 24 h of logs.');
      const r = await one(ctxPanics([], { stderr: ['INFO fine'] }), 'no-panics');
      assert.deepEqual([r.status, r.detail], ['pass', "No panic (in any of the three forms Code writes) in the last 24 h of logs or in the server's stderr."]);
    });

    it('fails on panics in the logs, counting the server\'s distinct ones too, and opens the newest', async () => {
      const hits: PanicHit[] = [
        { file: path.join(home, 'log', 'a.log'), lineNumber: 3, line: 'panicked at a' } as PanicHit,
        { file: path.join(home, 'log', 'b.log'), lineNumber: 1, line: 'panicked at b' } as PanicHit,
      ];
      const r = await one(ctxPanics(hits, { panics: [PANIC, PANIC], stderr: [PANIC, 'INFO x'] }), 'no-panics');
      assert.equal(r.status, 'fail');
      assert.equal(r.detail, `3 panic lines in 24 h; newest ${path.join('log', 'b.log')}:1: panicked at b`);
      assert.deepEqual(r.fix, { action: { kind: 'openFile', file: hits[1].file, line: 0 }, label: 'Open b.log at the panic' });
      const outside = await one(ctxPanics([{ file: home, lineNumber: 0, line: 'p' } as PanicHit]), 'no-panics');
      assert.ok(outside.detail.startsWith(`1 panic line in 24 h; newest ${home}:0: p`), outside.detail);
    });

    it('fails on panics only the server saw, naming the last distinct one', async () => {
      const other = "thread 'worker' panicked at core/src/x.rs:1:1:";
      const r = await one(ctxPanics([], { panics: [PANIC], stderr: ['INFO not a panic', other, PANIC] }), 'no-panics');
      assert.deepEqual([r.status, r.detail], ['fail', `2 panic lines in the app server's stderr: ${other}`]);
      assert.equal(r.fix?.action.kind, 'showServerOutput');
    });
  });
});
