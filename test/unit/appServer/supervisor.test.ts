import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppServerSupervisor } from '../../../src/core/appServer/supervisor';
import type { ApprovalRequest } from '../../../src/core/appServer/approvals';
import { assertGone, fakeSupervisor, FAKE_SERVER, FAST, isAlive, sleep, states, tempCodeHome, trackedSupervisors, waitForState } from './helpers';

describe('AppServerSupervisor against the scripted fake server', function () {
  this.timeout(15_000);
  const track = trackedSupervisors();

  it('healthy: handshakes with clientInfo, passes the checklist env, probes, stops gracefully with no process left', async () => {
    const { supervisor, codeHome } = track(fakeSupervisor('healthy'));
    const stderr: string[] = [];
    supervisor.onStderrLine((l) => stderr.push(l));
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    const snap = supervisor.snapshot();
    assert.match(snap.userAgent ?? '', /^fake-app-server\/1\.0 \(code-ops-test; 9\.9\.9\)/);
    assert.ok(snap.pid && isAlive(snap.pid));
    assert.ok((snap.initializeMs ?? -1) >= 0);
    await sleep(350);
    assert.ok(supervisor.snapshot().lastProbeMs !== undefined, 'a probe was answered');
    const init = stderr.find((l) => l.startsWith('recv ') && l.includes('"initialize"'));
    assert.match(init ?? '', /"clientInfo":\{"name":"code-ops-test","title":"Code Ops tests","version":"9.9.9"\}/);
    assert.ok(stderr.some((l) => l.includes('"method":"initialized"')));
    // ANSI colour codes are stripped and the environment the checklist asks for is set.
    assert.ok(stderr.some((l) => l.startsWith('2026-01-01T00:00:00Z  INFO fake-app-server: starting')), stderr.join('\n'));
    assert.ok(stderr.includes(`env RUST_LOG=info CODE_SECURE_MODE=1 CODE_HOME=${codeHome} cwd=${fs.realpathSync(codeHome)}`) || stderr.includes(`env RUST_LOG=info CODE_SECURE_MODE=1 CODE_HOME=${codeHome} cwd=${codeHome}`), stderr.join('\n'));
    const probes = stderr.filter((l) => l.startsWith('recv ') && l.includes('"initialize"')).length;
    assert.ok(probes >= 3, `initialize sent once plus probes, saw ${probes}`);
    await supervisor.stop();
    assert.deepEqual(states(supervisor), ['stopped', 'starting', 'healthy', 'stopped']);
    assert.equal(supervisor.snapshot().exitCode, 0, 'it exited on stdin EOF');
    await assertGone(snap.pid!);
  });

  it('config-error: an exit during start-up with a config error stops in config-error, no restart', async () => {
    const { supervisor } = track(fakeSupervisor('config-error'));
    await supervisor.start();
    await waitForState(supervisor, 'config-error');
    await sleep(100);
    assert.deepEqual(states(supervisor), ['stopped', 'starting', 'config-error']);
    assert.match(supervisor.snapshot().lastError ?? '', /error loading config/);
    assert.match(supervisor.snapshot().reason, /config\.toml/);
  });

  it('crash-after: restarts with backoff, then a crash loop after more than 3 restarts', async () => {
    const { supervisor } = track(fakeSupervisor('crash-after', { env: { FAKE_CRASH_AFTER_MS: '150' } }));
    const pids: number[] = [];
    supervisor.onDidTransition((c) => {
      if (c.to === 'healthy') pids.push(supervisor.snapshot().pid!);
    });
    await supervisor.start();
    await waitForState(supervisor, 'crash-loop', 8000);
    const seen = states(supervisor);
    const cycle = ['starting', 'healthy', 'crashed'];
    assert.deepEqual(seen, ['stopped', ...cycle, 'backing-off', ...cycle, 'backing-off', ...cycle, 'backing-off', ...cycle, 'crash-loop']);
    assert.equal(supervisor.snapshot().restartsInWindow, 3);
    assert.match(supervisor.snapshot().reason, /more than 3 restarts/);
    assert.equal(pids.length, 4);
    for (const pid of pids) await assertGone(pid);
    // "Restart Anyway" starts afresh.
    await supervisor.start('restart anyway');
    await waitForState(supervisor, 'healthy');
    assert.equal(supervisor.snapshot().restartsInWindow, 0);
  });

  it('exit-at-start (not a config error) is a crash, restarted, then a crash loop', async () => {
    const { supervisor } = track(fakeSupervisor('exit-at-start'));
    await supervisor.start();
    await waitForState(supervisor, 'crash-loop', 8000);
    assert.deepEqual(states(supervisor).slice(0, 4), ['stopped', 'starting', 'crashed', 'backing-off']);
    assert.ok(!states(supervisor).includes('config-error'));
  });

  it('hang: an unanswered initialize is a failed start, the process is killed', async () => {
    const { supervisor } = track(fakeSupervisor('hang', { timings: { initializeTimeoutMs: 300, restart: { ...FAST.restart!, maxRestarts: 0 } } }));
    let pid: number | undefined;
    supervisor.onDidChange((s) => (pid ??= s.pid));
    await supervisor.start();
    await waitForState(supervisor, 'crash-loop');
    assert.deepEqual(states(supervisor), ['stopped', 'starting', 'crashed', 'crash-loop']);
    assert.match(supervisor.transitions[1].reason, /initialize was not answered within 300 ms/);
    assert.ok(pid);
    await assertGone(pid);
  });

  it('no-probe: missed probes mark it unresponsive, then it is killed and restarted', async () => {
    const { supervisor } = track(fakeSupervisor('no-probe', { timings: { maxMissedProbes: 2 } }));
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    const firstPid = supervisor.snapshot().pid!;
    await waitForState(supervisor, 'backing-off', 3000);
    assert.deepEqual(states(supervisor), ['stopped', 'starting', 'healthy', 'unresponsive', 'crashed', 'backing-off']);
    assert.match(supervisor.transitions[2].reason, /missed probe 1 of 2/);
    assert.match(supervisor.transitions[3].reason, /2 probes in a row/);
    await assertGone(firstPid);
    await waitForState(supervisor, 'starting');
  });

  it('panic: a Panic occurred line is recorded and raised at once while the process keeps running', async () => {
    const { supervisor } = track(fakeSupervisor('panic'));
    const panics: string[] = [];
    supervisor.onPanic((p) => panics.push(p.line));
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    await sleep(300);
    assert.equal(panics.length, 1);
    assert.match(panics[0], /^Panic occurred: PanicHookInfo/);
    assert.equal(supervisor.snapshot().panics.length, 1);
    assert.equal(supervisor.snapshot().state, 'healthy');
    assert.ok(isAlive(supervisor.snapshot().pid!));
  });

  it('garbage: non-JSON stdout lines are reported and skipped, the server stays healthy', async () => {
    const { supervisor } = track(fakeSupervisor('garbage'));
    const invalid: string[] = [];
    supervisor.onInvalidLine((l) => invalid.push(l.text));
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    await sleep(350);
    assert.ok(invalid.includes('garbage before anything'), invalid.join('|'));
    assert.ok(invalid.filter((l) => l === 'this is not json {').length >= 2);
    assert.equal(supervisor.snapshot().state, 'healthy');
    assert.deepEqual(await supervisor.request('echo', { a: 1 }), { a: 1 });
  });

  for (const [method, decision, expected] of [
    ['execCommandApproval', 'approve', 'approved'],
    ['applyPatchApproval', 'decline', 'denied'],
    ['item/commandExecution/requestApproval', 'approveForSession', 'acceptForSession'],
    ['item/fileChange/requestApproval', 'decline', 'decline'],
  ] as const) {
    it(`approval: ${method} asks the handler and replies ${expected}; an unknown request gets a JSON-RPC error`, async () => {
      const asked: ApprovalRequest[] = [];
      const { supervisor } = track(
        fakeSupervisor('approval', {
          env: { FAKE_APPROVAL_METHOD: method, FAKE_NO_JSONRPC: '1' },
          deps: { approvals: async (r) => (asked.push(r), decision) },
        }),
      );
      const stderr: string[] = [];
      supervisor.onStderrLine((l) => stderr.push(l));
      await supervisor.start();
      await waitForState(supervisor, 'healthy');
      await sleep(300);
      assert.equal(asked.length, 1);
      assert.equal(asked[0].method, method);
      assert.ok(stderr.includes(`reply ${method}: {"decision":"${expected}"}`), stderr.join('\n'));
      const unknown = stderr.find((l) => l.startsWith('reply fake/unknownRequest:'));
      assert.match(unknown ?? '', /"error":\{"code":-32601,"message":"Code Ops does not handle the server request 'fake\/unknownRequest'\."/);
    });
  }

  it('approval: declined when nobody answers in time', async () => {
    const { supervisor } = track(fakeSupervisor('approval', { deps: { approvals: () => new Promise(() => undefined) }, timings: { approvalTimeoutMs: 200 } }));
    const stderr: string[] = [];
    const outcomes: string[] = [];
    supervisor.onStderrLine((l) => stderr.push(l));
    supervisor.onApproval((o) => outcomes.push(`${o.decision}/${o.auto}`));
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    await sleep(500);
    assert.deepEqual(outcomes, ['decline/timeout']);
    assert.ok(stderr.includes('reply execCommandApproval: {"decision":"denied"}'), stderr.join('\n'));
  });

  it('ignore-sigterm: stop escalates to SIGKILL and leaves no process', async () => {
    const { supervisor } = track(fakeSupervisor('ignore-sigterm'));
    const stderr: string[] = [];
    supervisor.onStderrLine((l) => stderr.push(l));
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    const pid = supervisor.snapshot().pid!;
    const t0 = Date.now();
    await supervisor.stop();
    const took = Date.now() - t0;
    assert.ok(took >= 550, `waited for stdin grace and SIGTERM grace (${took} ms)`);
    assert.ok(stderr.includes('SIGTERM ignored'));
    assert.equal(supervisor.snapshot().state, 'stopped');
    await assertGone(pid);
  });

  it('not-found: a missing binary is not-found at once, never a restart storm', async () => {
    const codeHome = tempCodeHome();
    const supervisor = new AppServerSupervisor({
      command: 'code-app-server-that-does-not-exist',
      args: [],
      env: { PATH: process.env.PATH },
      cwd: codeHome,
      clientInfo: { name: 't', title: 't', version: '0' },
      timings: FAST,
    });
    track({ supervisor });
    await supervisor.start();
    await sleep(100);
    assert.deepEqual(states(supervisor), ['stopped', 'starting', 'not-found']);
    assert.match(supervisor.snapshot().reason, /was not found on PATH/);
  });

  it('not-found: a file without execute permission (EACCES) is not-found', async () => {
    const codeHome = tempCodeHome();
    const file = path.join(codeHome, 'code-app-server');
    fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const supervisor = new AppServerSupervisor({ command: file, args: [], env: { PATH: process.env.PATH }, clientInfo: { name: 't', title: 't', version: '0' }, timings: FAST });
    track({ supervisor });
    await supervisor.start();
    assert.deepEqual(states(supervisor), ['stopped', 'starting', 'not-found']);
    assert.match(supervisor.snapshot().reason, /not executable/);
  });

  it('not-found: a working folder that does not exist is named as the cause', async () => {
    const supervisor = new AppServerSupervisor({ command: process.execPath, args: [FAKE_SERVER], env: { PATH: process.env.PATH }, cwd: path.join(tempCodeHome(), 'gone'), clientInfo: { name: 't', title: 't', version: '0' }, timings: FAST });
    track({ supervisor });
    await supervisor.start();
    assert.deepEqual(states(supervisor), ['stopped', 'starting', 'not-found']);
    assert.match(supervisor.snapshot().reason, /working folder .*gone does not exist/);
  });

  it('keeps recent notifications and passes configWarning on', async () => {
    const { supervisor } = track(fakeSupervisor('healthy', { env: { FAKE_CONFIG_WARNING: '1' } }));
    const seen: string[] = [];
    supervisor.onNotification((n) => seen.push(n.method));
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    await sleep(200);
    assert.deepEqual(seen, ['configWarning']);
    const [n] = supervisor.recentNotifications();
    assert.equal((n.params as { summary: string }).summary, 'Invalid configuration; using defaults.');
  });

  it('request: answers, server errors and timeouts come back as errors', async () => {
    const { supervisor } = track(fakeSupervisor('healthy'));
    await assert.rejects(supervisor.request('echo', {}), /not running/);
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    assert.deepEqual(await supervisor.request('echo', [1, 2]), [1, 2]);
    await assert.rejects(supervisor.request('nope', {}), (err: Error & { code?: number }) => err.code === -32601);
    assert.deepEqual(await supervisor.request('echo', [{ only: 1 }]), [{ only: 1 }]);
    await assert.rejects(supervisor.request('echo', 'text'), /must be an object or an array/);

  });

  it('request: a server that ignores a request gives a timeout error after the deadline', async () => {
    const { supervisor } = track(fakeSupervisor('no-probe', { timings: { probeIntervalMs: 60_000 } }));
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    const t0 = Date.now();
    await assert.rejects(supervisor.request('echo', {}, { timeoutMs: 200 }), /No reply to 'echo' within 200 ms/);
    assert.ok(Date.now() - t0 >= 190);
  });

  it('healthUrl: a non-200 answer counts as a missed probe', async () => {
    let status = 200;
    const { supervisor } = track(
      fakeSupervisor('healthy', { deps: { httpGet: async () => status } }),
    );
    supervisor.configure({ ...supervisor.currentConfig, healthUrl: 'http://gateway.invalid/health', timings: { ...FAST, maxMissedProbes: 5 } });
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    status = 503;
    await waitForState(supervisor, 'unresponsive', 2000);
    assert.match(supervisor.snapshot().lastError ?? '', /HTTP 503/);
    status = 200;
    await waitForState(supervisor, 'healthy', 2000);
  });

  it('dispose() kills a running server synchronously', async () => {
    const { supervisor } = fakeSupervisor('ignore-sigterm');
    await supervisor.start();
    await waitForState(supervisor, 'healthy');
    const pid = supervisor.snapshot().pid!;
    supervisor.dispose();
    await assertGone(pid);
  });

  it('the fake server is where other features expect it', () => {
    assert.ok(fs.existsSync(FAKE_SERVER));
  });
});
