import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { probeOnce } from '../../../src/core/appServer/probe';
import { main } from '../../../src/cli';
import { splitCommandLine } from '../../../src/cli/probe';
import { AppServerSupervisor } from '../../../src/core/appServer/supervisor';
import { FAKE_SERVER, FAST, sleep, states, tempCodeHome, waitForState } from './helpers';
import { socketGateway } from './socketHelper';

const fakeEnv = (scenario: string, extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, FAKE_SCENARIO: scenario, RUST_LOG: 'info', ...extra });

function capture(env: NodeJS.ProcessEnv) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d) => out.push(String(d)));
  stderr.on('data', (d) => err.push(String(d)));
  return { io: { stdout, stderr, env, cwd: process.cwd() }, out: () => out.join(''), err: () => err.join('') };
}

describe('probeOnce', function () {
  this.timeout(10_000);

  it('healthy: reports initialize and probe latency, the user agent, and a clean exit', async () => {
    const r = await probeOnce({ command: process.execPath, args: [FAKE_SERVER], env: fakeEnv('healthy'), timeoutMs: 2000 });
    assert.equal(r.healthy, true, JSON.stringify(r));
    assert.equal(r.state, 'healthy');
    assert.ok(r.initializeMs! >= 0 && r.probeMs! >= 0);
    assert.match(r.userAgent!, /^fake-app-server\/1\.0 \(code-ops;/);
    assert.equal(r.exitCode, 0);
    assert.equal(r.error, null);
    assert.ok(r.stderrTail.some((l) => l === 'stdin closed; exiting'), r.stderrTail.join('\n'));
  });

  it('config-error: exits during start-up, stderr tail kept, state config-error', async () => {
    const r = await probeOnce({ command: process.execPath, args: [FAKE_SERVER], env: fakeEnv('config-error'), timeoutMs: 2000 });
    assert.equal(r.healthy, false);
    assert.equal(r.state, 'config-error');
    assert.equal(r.exitCode, 1);
    assert.ok(r.stderrTail.some((l) => l.includes('error loading config')));
  });

  it('hang: initialize not answered is unresponsive, and the server is still stopped', async () => {
    const t0 = Date.now();
    const r = await probeOnce({ command: process.execPath, args: [FAKE_SERVER], env: fakeEnv('hang'), timeoutMs: 300 });
    assert.equal(r.state, 'unresponsive');
    assert.match(r.error!, /not answered within 300 ms/);
    assert.equal(r.exitCode, 0, 'it exited on stdin EOF');
    assert.ok(Date.now() - t0 < 3000);
  });

  it('no-probe: initialize answered but the probe is not', async () => {
    const r = await probeOnce({ command: process.execPath, args: [FAKE_SERVER], env: fakeEnv('no-probe'), timeoutMs: 300 });
    assert.equal(r.healthy, false);
    assert.equal(r.state, 'unresponsive');
    assert.notEqual(r.initializeMs, null);
    assert.equal(r.probeMs, null);
    assert.match(r.error!, /Liveness probe failed/);
  });

  it('ignore-sigterm: still reports healthy and the process is killed', async () => {
    const r = await probeOnce({ command: process.execPath, args: [FAKE_SERVER], env: fakeEnv('ignore-sigterm'), timeoutMs: 2000, stopTimings: { stdinGraceMs: 100, termGraceMs: 100 } });
    assert.equal(r.healthy, true);
    assert.equal(r.exitCode, null, 'killed by a signal');
  });

  it('not-found: a missing binary', async () => {
    const r = await probeOnce({ command: 'no-such-app-server', args: [], env: { PATH: '/nonexistent' } });
    assert.equal(r.state, 'not-found');
    assert.match(r.error!, /not found on PATH/);
  });

  it('socket: handshakes and probes through a Unix socket gateway', async () => {
    const gw = await socketGateway('healthy');
    try {
      const r = await probeOnce({ command: '', args: [], socket: gw.socketPath, timeoutMs: 2000 });
      assert.equal(r.healthy, true, JSON.stringify(r));
      const missing = await probeOnce({ command: '', args: [], socket: `${gw.socketPath}.missing`, timeoutMs: 500 });
      assert.equal(missing.state, 'not-found');
      assert.match(missing.error!, /No socket at .*\.missing: nothing exists there/);
    } finally {
      await gw.close();
    }
  });
});

describe('code-ops probe', function () {
  this.timeout(10_000);

  it('splits a command line like a shell', () => {
    assert.deepEqual(splitCommandLine(`codex app-server`), ['codex', 'app-server']);
    assert.deepEqual(splitCommandLine(`"/opt/my dir/codex" 'a b' c\\ d ""`), ['/opt/my dir/codex', 'a b', 'c d', '']);
    assert.throws(() => splitCommandLine(`"open`), /unterminated/);
  });

  it('--json prints the result and exits 0 when healthy', async () => {
    const c = capture(fakeEnv('healthy'));
    const code = await main(['probe', '--command', `"${process.execPath}" ${FAKE_SERVER}`, '--json', '--timeout', '3000'], c.io);
    assert.equal(code, 0, c.err());
    const r = JSON.parse(c.out());
    assert.deepEqual(Object.keys(r).sort(), ['codexHome', 'configWarnings', 'error', 'escapedProcesses', 'exitCode', 'healthy', 'homeMismatch', 'initializeMs', 'probeMs', 'skippedLines', 'state', 'stderrTail', 'userAgent']);
    assert.equal(r.healthy, true);
    assert.ok(r.stderrTail.some((l: string) => l.startsWith('env RUST_LOG=info CODE_SECURE_MODE=1')));
  });

  it('readable summary and exit 1 when not healthy; --code-home is passed on', async () => {
    const home = tempCodeHome();
    const c = capture(fakeEnv('config-error'));
    const code = await main(['probe', '--command', `${process.execPath} ${FAKE_SERVER}`, '--code-home', home], c.io);
    assert.equal(code, 1);
    assert.match(c.out(), /^NOT healthy \(config-error\)/);
    assert.ok(c.out().includes(`CODE_HOME=${home}`));
  });

  it('exit 2 on bad usage', async () => {
    for (const args of [['--timeout', 'soon'], ['--bogus'], ['--command', ''], ['--command', 'x', '--socket', '/s'], ['--command', '"x']]) {
      const c = capture({});
      assert.equal(await main(['probe', ...args], c.io), 2, args.join(' '));
      assert.match(c.err(), /code-ops probe: /);
    }
  });

  it('runs from the bundle as a real process', function () {
    const cli = path.resolve('dist/cli.js');
    const r = spawnSync(process.execPath, [cli, 'probe', '--json', '--command', `${process.execPath} ${FAKE_SERVER}`], { encoding: 'utf8', env: { ...process.env, FAKE_SCENARIO: 'healthy' } });
    if (r.status === null) throw r.error ?? new Error('no status');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).healthy, true);
  });
});

async function waitUntil(cond: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond() && Date.now() < until) await sleep(20);
}

describe('AppServerSupervisor attached to a Unix socket', function () {
  this.timeout(10_000);

  it('handshakes, probes, reconnects with backoff after the connection drops, never restarts a process', async () => {
    const gw = await socketGateway('healthy');
    const supervisor = new AppServerSupervisor({ command: '', args: [], env: {}, socket: gw.socketPath, clientInfo: { name: 't', title: 't', version: '1' }, timings: FAST });
    try {
      await supervisor.start();
      await waitForState(supervisor, 'healthy');
      assert.equal(supervisor.snapshot().mode, 'socket');
      assert.equal(supervisor.snapshot().pid, undefined);
      gw.dropConnections();
      await waitForState(supervisor, 'backing-off');
      await waitForState(supervisor, 'healthy');
      assert.deepEqual(states(supervisor), ['stopped', 'starting', 'healthy', 'crashed', 'backing-off', 'starting', 'healthy']);
      assert.match(supervisor.transitions[3].reason, /reconnecting/);
    } finally {
      await supervisor.shutdown();
      await waitUntil(() => gw.children.size === 0);
      await gw.close();
    }
    assert.equal(gw.children.size, 0, 'each gateway child exited when its connection closed');
  });
});
