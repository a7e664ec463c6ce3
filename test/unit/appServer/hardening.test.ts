import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { AppServerSupervisor, type SupervisorConfig, type SupervisorTimings } from '../../../src/core/appServer/supervisor';
import { buildServerEnv } from '../../../src/core/appServer/env';
import { readSettings } from '../../../src/core/settingsReader';
import { FAKE_SERVER, FAST, sleep, states, tempCodeHome, waitForState } from './helpers';
import { socketGateway } from './socketHelper';

const CLIENT = { name: 'code-ops-test', title: 'Code Ops tests', version: '0' };

/** A supervisor for `command` with a real, existing CODE_HOME unless told otherwise. */
function supervisorFor(command: string, extra: Partial<SupervisorConfig> = {}, timings: Partial<SupervisorTimings> = {}) {
  const codeHome = extra.codeHome ?? tempCodeHome();
  const config: SupervisorConfig = {
    command,
    args: [],
    env: buildServerEnv({ base: { PATH: process.env.PATH }, codeHome }),
    cwd: codeHome,
    codeHome,
    clientInfo: CLIENT,
    timings: { ...FAST, ...timings },
    ...extra,
  };
  return new AppServerSupervisor(config);
}

/** An executable shell script that runs the fake server (the shape of a real wrapper). */
function wrapperScript(dir: string, name: string, scenario = 'healthy'): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\nFAKE_SCENARIO=${scenario} exec "${process.execPath}" "${FAKE_SERVER}" "$@"\n`, { mode: 0o755 });
  return file;
}

/** A socket file nobody listens on: its listener was killed before it could clean up. */
function staleSocket(dir: string): string {
  const sock = path.join(dir, 'stale.sock');
  const r = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(sock)}, () => process.kill(process.pid, 'SIGKILL'))`]);
  assert.equal(r.signal, 'SIGKILL');
  assert.ok(fs.statSync(sock).isSocket(), 'the socket file is left behind');
  return sock;
}

describe('the supervisor with bad commands, folders and sockets (real files)', function () {
  this.timeout(15_000);
  const live: AppServerSupervisor[] = [];
  const track = (s: AppServerSupervisor) => (live.push(s), s);
  afterEach(async () => {
    for (const s of live.splice(0)) await s.shutdown();
  });

  /** Starts and asserts the supervisor lands in not-found at once and stays there (no restart storm). */
  async function expectNotFound(s: AppServerSupervisor, reason: RegExp, setting: string) {
    await s.start();
    await waitForState(s, 'not-found', 3000);
    await sleep(300);
    assert.deepEqual(states(s), ['stopped', 'starting', 'not-found'], 'one attempt, no restart');
    const snap = s.snapshot();
    assert.match(snap.reason, reason);
    assert.equal(snap.blocker?.setting, setting);
    assert.equal(snap.pid, undefined);
    assert.equal(snap.restartsInWindow, 0);
    return snap;
  }

  it('command empty: not-found, names the empty setting', async () => {
    await expectNotFound(track(supervisorFor('')), /codeOps\.appServer\.command is empty/, 'codeOps.appServer.command');
  });

  it('command whitespace: not-found, names the empty setting', async () => {
    await expectNotFound(track(supervisorFor('   ')), /codeOps\.appServer\.command is empty/, 'codeOps.appServer.command');
  });

  it('command a directory: not-found, says it is a directory', async () => {
    const dir = tempCodeHome();
    await expectNotFound(track(supervisorFor(dir)), /is a directory, not an executable/, 'codeOps.appServer.command');
  });

  it('command a non-executable file: not-found, suggests chmod +x', async () => {
    const file = path.join(tempCodeHome(), 'server');
    fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    await expectNotFound(track(supervisorFor(file)), /is not executable\. Run `chmod \+x/, 'codeOps.appServer.command');
  });

  it('command a text file with the execute bit: not-found ("not a program"), never a crash loop', async () => {
    const file = path.join(tempCodeHome(), 'notes.txt');
    fs.writeFileSync(file, 'these are notes\nnot a program\n', { mode: 0o755 });
    await expectNotFound(track(supervisorFor(file)), /notes\.txt is not a program \(no #! line/, 'codeOps.appServer.command');
  });

  it('command random bytes with the execute bit: not-found, not restarted', async () => {
    const file = path.join(tempCodeHome(), 'blob');
    fs.writeFileSync(file, Buffer.from([0x00, 0x01, 0x02, 0x28, 0x0a, 0xff, 0x29, 0x0a]), { mode: 0o755 });
    await expectNotFound(track(supervisorFor(file)), /is not a program/, 'codeOps.appServer.command');
  });

  it('a wrapper whose command is missing (exit 127): not-found with the shell line, not a crash loop', async () => {
    const file = path.join(tempCodeHome(), 'wrapper.sh');
    fs.writeFileSync(file, '#!/bin/sh\nexec code-app-server-missing-for-test\n', { mode: 0o755 });
    const snap = await expectNotFound(track(supervisorFor(file)), /\(code 127\) during start-up: a command it runs was not found \(.*not found\)/, 'codeOps.appServer.command');
    assert.match(snap.lastError ?? '', /code-app-server-missing-for-test/);
  });

  it('a relative command from the settings is resolved against the workspace folder and runs', async () => {
    const workspace = tempCodeHome();
    wrapperScript(workspace, 'bin/code-app-server');
    const { settings, problems } = readSettings({ 'appServer.command': { value: './bin/code-app-server' } }, { workspaceFolder: workspace, trusted: true, env: {} });
    assert.equal(settings.appServer.command, path.join(workspace, 'bin', 'code-app-server'));
    assert.equal(problems.length, 1);
    // The server's own folder is elsewhere: the command still resolves against the workspace.
    const s = track(supervisorFor(settings.appServer.command, { cwd: tempCodeHome() }));
    await s.start();
    await waitForState(s, 'healthy', 5000);
  });

  it('cwd that does not exist: not-found before spawning, offers to create it', async () => {
    const missing = path.join(tempCodeHome(), 'no', 'such');
    const snap = await expectNotFound(track(supervisorFor(process.execPath, { args: [FAKE_SERVER], cwd: missing })), /working folder .*such does not exist/, 'codeOps.appServer.cwd');
    assert.equal(snap.blocker?.createFolder, missing);
  });

  it('cwd that is a file: not-found, no folder to create', async () => {
    const file = path.join(tempCodeHome(), 'file');
    fs.writeFileSync(file, 'x');
    const snap = await expectNotFound(track(supervisorFor(process.execPath, { args: [FAKE_SERVER], cwd: file })), /is a file, not a folder \(codeOps\.appServer\.cwd\)/, 'codeOps.appServer.cwd');
    assert.equal(snap.blocker?.createFolder, undefined);
  });

  it('CODE_HOME that does not exist: not-found before spawning with "create the folder"; after creating it, start works', async () => {
    const codeHome = path.join(tempCodeHome(), 'missing-home');
    const s = track(supervisorFor(process.execPath, { args: [FAKE_SERVER], codeHome, cwd: tempCodeHome() }));
    const spawned: string[] = [];
    s.onStderrLine((l) => spawned.push(l));
    const snap = await expectNotFound(s, /CODE_HOME .*missing-home does not exist, and Code refuses to start without it/, 'codeOps.codeHome');
    assert.equal(snap.blocker?.createFolder, codeHome);
    assert.deepEqual(spawned, [], 'no process was spawned');
    fs.mkdirSync(codeHome);
    await s.start();
    await waitForState(s, 'healthy', 5000);
    assert.equal(s.snapshot().blocker, undefined, 'the blocker is cleared');
  });

  it('CODE_HOME that is a file: not-found, no folder to create', async () => {
    const file = path.join(tempCodeHome(), 'home-file');
    fs.writeFileSync(file, '');
    const snap = await expectNotFound(track(supervisorFor(process.execPath, { args: [FAKE_SERVER], codeHome: file, cwd: tempCodeHome() })), /CODE_HOME .*home-file is a file, not a folder/, 'codeOps.codeHome');
    assert.equal(snap.blocker?.createFolder, undefined);
  });

  describe('socket paths that are no listening socket: clear reason, bounded reconnects', () => {
    const slow = { restart: { maxRestarts: 3, windowMs: 60_000, baseDelayMs: 100, maxDelayMs: 400, jitter: 0 } };

    async function expectReconnecting(socket: string, reason: RegExp) {
      const s = track(supervisorFor('unused', { socket }, slow));
      const delays: number[] = [];
      s.onDidTransition((c) => {
        if (c.to === 'backing-off') delays.push(s.snapshot().nextRetryInMs!);
      });
      await s.start();
      await waitForState(s, 'backing-off', 3000);
      assert.match(s.snapshot().lastError ?? '', reason);
      await sleep(1200);
      // 100, 200, 400, 400 ms… : at most a handful of attempts in 1.2 s, never a storm.
      assert.ok(delays.length >= 3 && delays.length <= 6, `attempts: ${delays.join(', ')}`);
      assert.deepEqual(delays.slice(0, 4), [100, 200, 400, 400]);
      assert.ok(!states(s).includes('crash-loop'), 'an attached server is not ours to give up on');
      return s;
    }

    it('a path where nothing exists; once the gateway appears there, it attaches', async () => {
      const gateway = await socketGateway('healthy');
      const missing = path.join(path.dirname(gateway.socketPath), 'later.sock');
      const s = await expectReconnecting(missing, /No socket at .*later\.sock: nothing exists there/);
      const proxy = net.createServer((c) => {
        const up = net.createConnection(gateway.socketPath);
        c.pipe(up).pipe(c);
        c.on('error', () => up.destroy());
        up.on('error', () => c.destroy());
      });
      await new Promise<void>((r) => proxy.listen(missing, r));
      try {
        await waitForState(s, 'healthy', 3000);
      } finally {
        await s.stop();
        proxy.close();
        await gateway.close();
      }
    });

    it('a regular file', async () => {
      const file = path.join(tempCodeHome(), 'app.sock');
      fs.writeFileSync(file, 'not a socket');
      await expectReconnecting(file, /is a regular file, not a socket/);
    });

    it('a directory', async () => {
      await expectReconnecting(tempCodeHome(), /is a folder, not a socket/);
    });

    it('a socket nobody listens on (left over)', async () => {
      await expectReconnecting(staleSocket(tempCodeHome()), /Nobody listens on .*stale\.sock: the socket file is left over/);
    });
  });

  it('healthUrl unreachable: each probe is missed with the network error named, then a restart', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const s = track(supervisorFor(process.execPath, { args: [FAKE_SERVER], healthUrl: `http://127.0.0.1:${port}/health` }, { maxMissedProbes: 3 }));
    await s.start();
    await waitForState(s, 'unresponsive', 3000);
    assert.match(s.snapshot().lastError ?? '', new RegExp(`health URL http://127\\.0\\.0\\.1:${port}/health failed: fetch failed \\(ECONNREFUSED\\)`));
    await waitForState(s, 'crashed', 3000);
    const crash = s.transitions.find((c) => c.to === 'crashed');
    assert.match(crash?.reason ?? '', /unresponsive: 3 probes in a row got no reply \(health URL .* failed/);
  });

  it('absurd timings given straight to the supervisor: defaults for zero/NaN/negative, a floor for tiny, no timer overflow', async () => {
    const count = (lines: string[]) => lines.filter((l) => l.startsWith('recv ') && l.includes('"initialize"')).length;
    const run = async (timings: Partial<SupervisorTimings>, ms: number) => {
      const s = track(supervisorFor(process.execPath, { args: [FAKE_SERVER] }, timings));
      const lines: string[] = [];
      s.onStderrLine((l) => lines.push(l));
      await s.start();
      await waitForState(s, 'healthy', 3000);
      await sleep(ms);
      return { s, lines };
    };
    // 0, NaN and -5 are nonsense: the defaults apply (a 15 s interval, a 10 s handshake, 3 missed probes).
    const zero = await run({ probeIntervalMs: 0, probeTimeoutMs: Number.NaN, maxMissedProbes: 0, initializeTimeoutMs: -5 }, 300);
    assert.equal(count(zero.lines), 1, 'only the handshake: no probe loop');
    assert.equal(zero.s.snapshot().state, 'healthy');
    // 1 ms is taken as the 10 ms floor: probes, but not a tight loop.
    const tiny = await run({ probeIntervalMs: 1 }, 300);
    const probes = count(tiny.lines);
    assert.ok(probes >= 3 && probes <= 32, `probes every ≥10 ms (saw ${probes} in 300 ms)`);
    // Beyond what a Node timer holds it would fire at once (TimeoutOverflowWarning): capped instead.
    const huge = await run({ probeIntervalMs: 1e12 }, 200);
    assert.equal(count(huge.lines), 1, 'a too-large interval does not overflow into an immediate timer');
  });
});
