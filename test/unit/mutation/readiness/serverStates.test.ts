// The server checks over every server state and every environment they judge,
// table-driven. The states come from the ServerState type: SERVER_STATES must
// name each member (a compile error otherwise, and a failing test when the
// union in src/core/appServer/types.ts gains a member this list lacks), and
// every expectation is a Record<ServerState, …>, so a new state cannot go
// untested. The environments are real processes: each is a running
// `code-app-server` whose /proc environment is exactly the one in the table.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChecks, type CheckContext } from '../../../../src/core/readiness/checks';
import type { CheckId, CheckResult, CheckStatus } from '../../../../src/core/readiness/model';
import type { ProbeResult } from '../../../../src/core/appServer/probeTypes';
import type { ServerSnapshot, ServerState } from '../../../../src/core/appServer/types';
import { skipOnPlatform } from '../../setup/platform';
import { contextFor, makeCodeHome, startServerProcess, tempDir } from '../../readiness/helpers';

export const SERVER_STATES = ['stopped', 'starting', 'healthy', 'unresponsive', 'crashed', 'backing-off', 'crash-loop', 'not-found', 'config-error'] as const satisfies readonly ServerState[];
// Compiles only while SERVER_STATES names every member of ServerState.
type MissingState = Exclude<ServerState, (typeof SERVER_STATES)[number]>;
const everyStateListed: [MissingState] extends [never] ? true : never = true;

/** app-server-liveness from the supervisor's snapshot (no probe). */
const LIVENESS: Record<ServerState, CheckStatus> = {
  stopped: 'skip',
  starting: 'warn',
  healthy: 'pass',
  unresponsive: 'fail',
  crashed: 'fail',
  'backing-off': 'warn',
  'crash-loop': 'fail',
  'not-found': 'fail',
  'config-error': 'fail',
};

/** Whether the environment checks read the supervised child's environment in this state (it has a live process). */
const CHILD_INSPECTED: Record<ServerState, boolean> = {
  stopped: false,
  starting: true,
  healthy: true,
  unresponsive: true,
  crashed: false,
  'backing-off': true,
  'crash-loop': false,
  'not-found': false,
  'config-error': false,
};

/** no-crash-loop fails in this state whatever the restart count. */
const CRASH_LOOP_STATE: Record<ServerState, boolean> = {
  stopped: false,
  starting: false,
  healthy: false,
  unresponsive: false,
  crashed: false,
  'backing-off': false,
  'crash-loop': true,
  'not-found': false,
  'config-error': false,
};

type Env = Record<string, string>;

/** secure-mode over the running server's environment: status and what the detail says. */
const SECURE_ENVS: Array<{ env: Env; status: CheckStatus; detail: RegExp; fix: boolean }> = [
  { env: {}, status: 'fail', detail: /: CODE_SECURE_MODE is not set\.$/, fix: true },
  { env: { CODE_SECURE_MODE: '1' }, status: 'pass', detail: /: CODE_SECURE_MODE=1\.$/, fix: false },
  { env: { CODE_SECURE_MODE: '1', CODEX_SECURE_MODE: '1' }, status: 'warn', detail: /CODE_SECURE_MODE=1, but the legacy CODEX_SECURE_MODE is also set; drop it\.$/, fix: true },
  { env: { CODE_SECURE_MODE: '1', CODEX_SECURE_MODE: '0' }, status: 'warn', detail: /legacy CODEX_SECURE_MODE is also set/, fix: true },
  { env: { CODE_SECURE_MODE: '1', CODEX_SECURE_MODE: '' }, status: 'warn', detail: /legacy CODEX_SECURE_MODE is also set/, fix: true },
  { env: { CODEX_SECURE_MODE: '1' }, status: 'warn', detail: /: Only the legacy CODEX_SECURE_MODE=1 is set; use CODE_SECURE_MODE=1\.$/, fix: true },
  { env: { CODE_SECURE_MODE: '0' }, status: 'fail', detail: /: CODE_SECURE_MODE=0; the checklist asks for 1\.$/, fix: true },
  { env: { CODE_SECURE_MODE: 'true', CODEX_SECURE_MODE: '1' }, status: 'warn', detail: /Only the legacy CODEX_SECURE_MODE=1/, fix: true },
  { env: { CODE_SECURE_MODE: '', CODEX_SECURE_MODE: '0' }, status: 'fail', detail: /: CODE_SECURE_MODE=; the checklist asks for 1\.$/, fix: true },
];

/** rust-log over the running server's environment. */
const RUST_ENVS: Array<{ env: Env; status: CheckStatus; detail: RegExp }> = [
  { env: {}, status: 'fail', detail: /: RUST_LOG is not set, so it logs nothing useful\.$/ },
  { env: { RUST_LOG: '  ' }, status: 'fail', detail: /: RUST_LOG is not set/ },
  { env: { RUST_LOG: 'codex_core=debug,info' }, status: 'pass', detail: /: RUST_LOG=codex_core=debug,info\.$/ },
];

function snapshot(state: ServerState, over: Partial<ServerSnapshot> = {}): ServerSnapshot {
  return { state, reason: `reason of ${state}`, mode: 'spawn', restartsInWindow: 0, panics: [], ...over };
}

async function byId(ctx: CheckContext, ids: readonly CheckId[]): Promise<Record<string, CheckResult>> {
  const results = await runChecks(ctx, ids);
  return Object.fromEntries(results.map((r) => [r.id, r]));
}

describe('server checks over every server state (table from ServerState)', () => {
  let tmp: { dir: string; cleanup: () => void };
  let home: string;
  before(() => {
    tmp = tempDir();
    home = makeCodeHome(tmp.dir);
  });
  after(() => tmp.cleanup());

  it('lists every member of the ServerState union in src/core/appServer/types.ts', () => {
    assert.equal(everyStateListed, true);
    const source = fs.readFileSync(path.resolve(__dirname, '../../../../src/core/appServer/types.ts'), 'utf8');
    const union = /export type ServerState =([^;]+);/.exec(source);
    assert.ok(union, 'ServerState is a union of string literals');
    const members = [...union[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
    assert.deepEqual([...members].sort(), [...SERVER_STATES].sort());
    for (const table of [LIVENESS, CHILD_INSPECTED, CRASH_LOOP_STATE]) assert.deepEqual(Object.keys(table).sort(), [...SERVER_STATES].sort());
  });

  describe('app-server-liveness', () => {
    for (const state of SERVER_STATES) {
      it(`${state}: ${LIVENESS[state]} from the snapshot, without probing`, async () => {
        let probed = 0;
        const ctx = contextFor(home, { server: { snapshot: snapshot(state, { initializeMs: 158.4, userAgent: 'code/1.2.3' }), recentStderr: [] } });
        ctx.deps = { ...ctx.deps, probeOnce: async () => (probed++, { healthy: true, state: 'healthy' } as ProbeResult) };
        const { 'app-server-liveness': r } = await byId(ctx, ['app-server-liveness']);
        assert.equal(r.status, LIVENESS[state], r.detail);
        assert.equal(probed, 0);
        switch (LIVENESS[state]) {
          case 'pass':
            assert.equal(r.detail, 'Answered initialize in 158 ms (code/1.2.3).');
            assert.equal(r.fix, undefined);
            break;
          case 'warn':
            assert.equal(r.detail, `The server is ${state}: reason of ${state}`);
            assert.equal(r.fix, undefined);
            break;
          case 'fail':
            assert.equal(r.detail, `The server is ${state}: reason of ${state}`);
            assert.equal(r.fix?.action.kind, 'showServerOutput');
            break;
          case 'skip':
            assert.equal(r.detail, 'The app server is not running.');
            assert.equal(r.fix?.action.kind, 'startServer');
            break;
        }
      });

      it(`${state}: with --probe the snapshot still decides unless it is stopped`, async () => {
        const calls: unknown[] = [];
        const ctx = contextFor(home, { probe: true, server: { snapshot: snapshot(state), recentStderr: [] } });
        ctx.deps = { ...ctx.deps, probeOnce: async (o) => (calls.push(o), { healthy: true, state: 'healthy', initializeMs: 12.6, userAgent: 'probe/1' } as ProbeResult) };
        const { 'app-server-liveness': r } = await byId(ctx, ['app-server-liveness']);
        if (state === 'stopped') {
          assert.equal(calls.length, 1);
          assert.equal(r.status, 'pass');
          assert.equal(r.detail, 'Probe answered initialize in 13 ms (probe/1).');
        } else {
          assert.equal(calls.length, 0);
          assert.equal(r.status, LIVENESS[state]);
        }
      });
    }

    it('healthy without timing or user agent says only that it answered', async () => {
      const ctx = contextFor(home, { server: { snapshot: snapshot('healthy'), recentStderr: [] } });
      assert.equal((await byId(ctx, ['app-server-liveness']))['app-server-liveness'].detail, 'Answered initialize.');
    });

    it('without a supervised server: skip, or the probe result with --probe', async () => {
      const none = (await byId(contextFor(home), ['app-server-liveness']))['app-server-liveness'];
      assert.equal(none.status, 'skip');
      assert.equal(none.fix, undefined);
      assert.match(none.detail, /--probe/);
      const probes: Array<[ProbeResult, CheckStatus, string]> = [
        [{ healthy: true, state: 'healthy', initializeMs: null, userAgent: undefined } as unknown as ProbeResult, 'pass', 'Probe answered initialize in ? ms.'],
        [{ healthy: false, state: 'exited', error: 'exit code 3' } as unknown as ProbeResult, 'fail', 'Probe: exited: exit code 3'],
        [{ healthy: false, state: 'timeout' } as unknown as ProbeResult, 'fail', 'Probe: timeout'],
      ];
      for (const [result, status, detail] of probes) {
        let seen: { command: string; args: string[]; cwd?: string; socket?: string; timeoutMs?: number } | undefined;
        const ctx = contextFor(home, { probe: true, settings: { serverCommand: 'my-server', serverArgs: ['app-server'], probeTimeoutMs: 1234 } });
        ctx.deps = { ...ctx.deps, probeOnce: async (o) => ((seen = o), result) };
        const r = (await byId(ctx, ['app-server-liveness']))['app-server-liveness'];
        assert.deepEqual([r.status, r.detail], [status, detail]);
        assert.deepEqual(seen && [seen.command, seen.args, seen.cwd, seen.socket, seen.timeoutMs], ['my-server', ['app-server'], ctx.cwd, undefined, 1234]);
      }
    });
  });

  describe('no-crash-loop', () => {
    for (const state of SERVER_STATES) {
      for (const restarts of [0, 1, 3, 4, 9]) {
        const fails = CRASH_LOOP_STATE[state] || restarts >= 4;
        it(`${state} with ${restarts} restart(s): ${fails ? 'fail' : 'pass'}`, async () => {
          const ctx = contextFor(home, { server: { snapshot: snapshot(state, { restartsInWindow: restarts, lastError: restarts % 2 ? 'exit code 101' : undefined }), recentStderr: [] } });
          const r = (await byId(ctx, ['no-crash-loop']))['no-crash-loop'];
          if (!fails) {
            assert.deepEqual([r.status, r.detail, r.fix], ['pass', `${restarts} ${restarts === 1 ? 'restart' : 'restarts'} in the last 10 minutes.`, undefined]);
            return;
          }
          const why = restarts % 2 ? 'exit code 101' : `reason of ${state}`;
          const stopped = CRASH_LOOP_STATE[state] ? ' (stopped: crash loop)' : '';
          assert.equal(r.status, 'fail');
          assert.equal(r.detail, `${restarts} restarts in the last 10 minutes${stopped}. ${why}`);
          assert.equal(r.fix?.action.kind, 'showServerOutput');
        });
      }
    }

    it('skips without a supervised server', async () => {
      const r = (await byId(contextFor(home), ['no-crash-loop']))['no-crash-loop'];
      assert.deepEqual([r.status, r.detail], ['skip', 'No supervised server here, so no restart history.']);
    });
  });

  describe('secure-mode and rust-log: every state × every environment of the supervised child', () => {
    const children: Array<{ env: Env; pid: number; kill(): void; secure: (typeof SECURE_ENVS)[number]; rust: (typeof RUST_ENVS)[number] }> = [];
    before(async function () {
      if (process.platform !== 'linux') return;
      this.timeout(60_000);
      for (const secure of SECURE_ENVS) {
        for (const rust of RUST_ENVS) {
          const env = { ...secure.env, ...rust.env };
          children.push({ env, secure, rust, ...(await startServerProcess(tmp.dir, env)) });
        }
      }
    });
    after(() => {
      for (const c of children.splice(0)) c.kill();
    });

    /** A context whose only server is the supervised child `pid` (no /proc scan of other processes). */
    const supervised = (state: ServerState, pid: number, over: Partial<ServerSnapshot> = {}, socket?: string): CheckContext => {
      const ctx = contextFor(home, { server: { snapshot: snapshot(state, { pid, ...over }), recentStderr: [] }, settings: socket ? { socket } : {} });
      ctx.deps = { ...ctx.deps, listServerProcesses: async () => [] };
      return ctx;
    };

    for (const state of SERVER_STATES) {
      it(`${state}: ${CHILD_INSPECTED[state] ? 'judges the child by its /proc environment' : 'does not inspect the child (skip)'}`, async function () {
        if (process.platform !== 'linux') skipOnPlatform(this, '/proc environments are read on Linux only');
        assert.equal(children.length, SECURE_ENVS.length * RUST_ENVS.length);
        for (const child of children) {
          const label = `${state} ${JSON.stringify(child.env)}`;
          const r = await byId(supervised(state, child.pid), ['secure-mode', 'rust-log']);
          if (!CHILD_INSPECTED[state]) {
            for (const id of ['secure-mode', 'rust-log']) {
              assert.equal(r[id].status, 'skip', label);
              assert.match(r[id].detail, /^No running app server on .* to inspect; a server Code Ops starts would get /, label);
            }
            continue;
          }
          const prefix = `pid ${child.pid} (code-app-server): `;
          assert.equal(r['secure-mode'].status, child.secure.status, `${label}: ${r['secure-mode'].detail}`);
          assert.ok(r['secure-mode'].detail.startsWith(prefix), r['secure-mode'].detail);
          assert.match(r['secure-mode'].detail, child.secure.detail, label);
          assert.equal(r['secure-mode'].fix?.action.kind, child.secure.fix ? 'openSetting' : undefined, label);
          assert.equal(r['rust-log'].status, child.rust.status, `${label}: ${r['rust-log'].detail}`);
          assert.ok(r['rust-log'].detail.startsWith(prefix), r['rust-log'].detail);
          assert.match(r['rust-log'].detail, child.rust.detail, label);
          assert.equal(r['rust-log'].fix?.action.kind, child.rust.status === 'fail' ? 'openSetting' : undefined, label);
        }
      });

      it(`${state}: attached over a socket, neither check looks at a process`, async () => {
        for (const ctx of [supervised(state, process.pid, { mode: 'socket' }), supervised(state, process.pid, {}, '/run/code.sock'), supervised(state, process.pid, {}, '  ')]) {
          const r = await byId(ctx, ['secure-mode', 'rust-log']);
          const socket = ctx.server!.snapshot.mode === 'socket' || !!ctx.settings.socket?.trim();
          for (const id of ['secure-mode', 'rust-log']) {
            if (socket) assert.deepEqual([r[id].status, r[id].detail.startsWith('Attached over a socket')], ['skip', true], id);
            else assert.notEqual(r[id].detail.startsWith('Attached over a socket'), true, id);
          }
        }
      });
    }

    it('a child without a pid, or a pid that is gone, is not judged', async () => {
      const gone = supervised('healthy', 0x3fffffff);
      const nopid = supervised('healthy', 0);
      for (const ctx of [gone, nopid]) {
        const r = await byId(ctx, ['secure-mode']);
        assert.equal(r['secure-mode'].status, 'skip', r['secure-mode'].detail);
      }
    });

    it('the worst verdict of several servers wins and each is named', async function () {
      if (process.platform !== 'linux') skipOnPlatform(this, '/proc environments are read on Linux only');
      const good = children.find((c) => c.secure.status === 'pass' && c.rust.status === 'pass')!;
      const warn = children.find((c) => c.secure.status === 'warn' && c.rust.status === 'pass')!;
      const bad = children.find((c) => c.secure.status === 'fail' && c.rust.status === 'fail')!;
      for (const [others, status] of [[[warn], 'warn'], [[bad], 'fail'], [[warn, bad], 'fail'], [[bad, warn], 'fail'], [[good], 'pass']] as const) {
        const ctx = supervised('healthy', good.pid);
        ctx.deps = { ...ctx.deps, listServerProcesses: async () => others.map((o) => ({ pid: o.pid, kind: 'codex app-server' as const, home, env: o.env })) };
        const r = (await byId(ctx, ['secure-mode']))['secure-mode'];
        assert.equal(r.status, status, r.detail);
        for (const s of [good, ...others]) assert.match(r.detail, new RegExp(`pid ${s.pid} \\(`));
        assert.equal(r.fix?.action.kind, status === 'pass' ? undefined : 'openSetting');
      }
    });

    it('with nothing to inspect, says what a server Code Ops starts would get', async () => {
      const cases: Array<[Record<string, string | null>, string, string]> = [
        [{}, 'would get CODE_SECURE_MODE=1.', 'would get RUST_LOG=info.'],
        [{ CODE_SECURE_MODE: null, RUST_LOG: null }, 'would get no CODE_SECURE_MODE.', 'would get no RUST_LOG.'],
        [{ CODE_SECURE_MODE: '0', RUST_LOG: ' ' }, 'would get CODE_SECURE_MODE=0.', 'would get no RUST_LOG.'],
      ];
      for (const [serverEnv, secure, rust] of cases) {
        const ctx = contextFor(home, { settings: { serverEnv } });
        ctx.deps = { ...ctx.deps, listServerProcesses: async () => [] };
        const r = await byId(ctx, ['secure-mode', 'rust-log']);
        assert.ok(r['secure-mode'].detail.endsWith(secure), r['secure-mode'].detail);
        assert.ok(r['rust-log'].detail.endsWith(rust), r['rust-log'].detail);
        assert.ok(r['rust-log'].detail.includes(ctx.platform === 'linux' ? `on ${home}` : 'read on Linux only'));
      }
    });
  });
});
