import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { probeOnce } from '../../src/core/appServer/probe';
import { readVersionSafely } from '../../src/core/appServer/version';
import { isRunning } from '../../src/core/appServer/groups';
import { AppServerSupervisor } from '../../src/core/appServer/supervisor';
import { buildServerEnv } from '../../src/core/appServer/env';
import type { InvalidLine } from '../../src/core/appServer/jsonl';
import { FAKE_SERVER, FAST, fakeSupervisor, sleep, tempCodeHome, waitForState } from '../unit/appServer/helpers';

const RUNS = 50;

/** A server that dies before reading stdin, as Beacon does on a broken config.toml (app-server-protocol.md). */
function shellServer(dir: string, body: string): string {
  const file = path.join(dir, 'server.sh');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

const CONFIG_ERROR = `echo 'Error: error loading config: TOML parse error at line 3, column 1: missing field \`protocol\`' >&2\nexit 1`;

/** Two busy loops, so the runs happen on a loaded machine (the races show up there). */
function loadMachine(): () => void {
  const burners: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  return () => burners.forEach((b) => b.kill('SIGKILL'));
}

async function waitGone(pid: number, withinMs = 3000): Promise<void> {
  const until = Date.now() + withinMs;
  while (await isRunning(pid)) {
    if (Date.now() > until) throw new Error(`process ${pid} is still running`);
    await sleep(20);
  }
}

function readPid(file: string): number {
  return Number(fs.readFileSync(file, 'utf8'));
}

async function waitForFile(file: string, withinMs = 5000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!fs.existsSync(file) || !fs.readFileSync(file, 'utf8')) {
    if (Date.now() > until) throw new Error(`${file} did not appear`);
    await sleep(20);
  }
}

describe('hostile: the app server dies, floods, escapes', function () {
  this.timeout(120_000);

  describe(`a config error before reading stdin (a write during start-up fails): ${RUNS} of ${RUNS} right on a loaded machine`, () => {
    let unload: () => void = () => undefined;
    before(() => {
      unload = loadMachine();
    });
    after(() => unload());

    it(`probe: config-error, exit code 1, never "write EPIPE" (${RUNS} runs)`, async () => {
      const dir = tempCodeHome();
      const server = shellServer(dir, CONFIG_ERROR);
      const wrong: string[] = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await probeOnce({ command: server, args: [], env: { PATH: process.env.PATH }, cwd: dir, timeoutMs: 5000 });
        if (r.state !== 'config-error' || r.exitCode !== 1 || /EPIPE|-32099/.test(r.error ?? '')) wrong.push(`run ${i}: ${r.state} ${r.error}`);
        else assert.ok(r.stderrTail.some((l) => l.includes('error loading config')));
      }
      assert.deepEqual(wrong, []);
    });

    it(`supervisor: config-error with the stderr line, no restart (${RUNS} runs)`, async () => {
      const dir = tempCodeHome();
      const server = shellServer(dir, CONFIG_ERROR);
      const wrong: string[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = new AppServerSupervisor({ command: server, args: [], env: buildServerEnv({ base: { PATH: process.env.PATH }, codeHome: dir }), cwd: dir, codeHome: dir, clientInfo: { name: 't', title: 't', version: '1' }, timings: FAST });
        try {
          await s.start();
          await waitForState(s, 'config-error', 5000).catch(() => undefined);
          const snap = s.snapshot();
          if (snap.state !== 'config-error' || !/error loading config/.test(snap.lastError ?? '')) wrong.push(`run ${i}: ${snap.state} ${snap.reason}`);
        } finally {
          await s.shutdown();
        }
      }
      assert.deepEqual(wrong, []);
    });

    it('the same shape without a config line is crashed (exit 1) and exit 127 is not-found, in probe and supervisor alike', async () => {
      const dir = tempCodeHome();
      const crash = shellServer(dir, 'echo "fatal: could not bind" >&2\nexit 1');
      for (let i = 0; i < 10; i++) {
        const r = await probeOnce({ command: crash, args: [], env: { PATH: process.env.PATH }, cwd: dir });
        assert.equal(r.state, 'crashed', r.error ?? '');
        assert.match(r.error ?? '', /exited \(code 1\) during start-up: fatal: could not bind/);
      }
      const missing = path.join(tempCodeHome(), 'server.sh');
      fs.writeFileSync(missing, '#!/bin/sh\nexec code-app-server-that-is-not-installed\n', { mode: 0o755 });
      const r = await probeOnce({ command: missing, args: [], env: { PATH: process.env.PATH }, cwd: dir });
      assert.equal(r.state, 'not-found', r.error ?? '');
      assert.match(r.error ?? '', /code 127/);
    });
  });

  describe('one huge JSON-RPC line (cut, reported, recovered)', () => {
    it('the supervisor skips a 64 MB line, reports it, and the handshake after it succeeds', async () => {
      const { supervisor } = fakeSupervisor('huge-line', { env: { FAKE_HUGE_MB: '64' }, timings: { initializeTimeoutMs: 20_000 } });
      const invalid: InvalidLine[] = [];
      supervisor.onInvalidLine((l) => invalid.push(l));
      try {
        await supervisor.start();
        await waitForState(supervisor, 'healthy', 20_000);
        assert.equal(invalid.length, 1);
        assert.equal(invalid[0].tooLong, true);
        assert.match(invalid[0].reason, /line longer than 16777216 bytes: cut and skipped/);
        assert.match(invalid[0].text, /^x{80}… \(67108864 bytes\)$/);
      } finally {
        await supervisor.shutdown();
      }
    });
  });

  describe('escaped descendants and the process group', () => {
    it('probe: a child in the group and one that left it (setsid) are both gone afterwards; the escaped one is reported', async () => {
      const dir = tempCodeHome();
      const childFile = path.join(dir, 'child.pid');
      const escapeFile = path.join(dir, 'escape.pid');
      const r = await probeOnce({
        command: process.execPath,
        args: [FAKE_SERVER],
        env: { PATH: process.env.PATH, FAKE_SCENARIO: 'escape', FAKE_CHILD_PID_FILE: childFile, FAKE_ESCAPE_PID_FILE: escapeFile },
        cwd: dir,
        timeoutMs: 5000,
      });
      assert.equal(r.healthy, true, JSON.stringify(r));
      const child = readPid(childFile);
      const escaped = readPid(escapeFile);
      await waitGone(child);
      await waitGone(escaped);
      assert.deepEqual(
        r.escapedProcesses.map((p) => p.pid),
        [escaped],
      );
    });

    it('supervisor: stop reports the escaped descendant in the snapshot, and nothing is left', async () => {
      const dir = tempCodeHome();
      const childFile = path.join(dir, 'child.pid');
      const escapeFile = path.join(dir, 'escape.pid');
      const { supervisor } = fakeSupervisor('escape', { env: { FAKE_CHILD_PID_FILE: childFile, FAKE_ESCAPE_PID_FILE: escapeFile } });
      try {
        await supervisor.start();
        await waitForState(supervisor, 'healthy');
        await waitForFile(escapeFile);
        await supervisor.stop();
        const escaped = readPid(escapeFile);
        assert.match(supervisor.snapshot().escapedProcesses ?? '', new RegExp(`1 process\\(es\\) started by the server had left its process group .*${escaped} \\(node\\).*Code Ops stopped them`));
        await waitGone(readPid(childFile));
        await waitGone(escaped);
      } finally {
        await supervisor.shutdown();
      }
    });
  });

  describe('--version runs: deadline, group stopped, never a program the workspace chose', () => {
    it('a --version that hangs (with a background child) is stopped at the deadline with its whole group', async () => {
      const dir = tempCodeHome();
      const pidFile = path.join(dir, 'bg.pid');
      const exe = shellServer(dir, `sleep 30 &\necho $! > "${pidFile}"\nsleep 30`);
      const t0 = Date.now();
      const r = await readVersionSafely(exe, { PATH: process.env.PATH }, { timeoutMs: 400 });
      assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
      assert.match(r.error ?? '', /no answer within 400 ms; stopped/);
      await waitGone(readPid(pidFile));
    });

    it('a program inside the workspace folder is not run', async () => {
      const workspace = tempCodeHome();
      const marker = path.join(workspace, 'ran');
      const exe = shellServer(workspace, `touch "${marker}"\necho evil 1.0`);
      const r = await readVersionSafely(exe, { PATH: process.env.PATH }, { workspaceFolders: [workspace] });
      assert.equal(r.refused, true);
      assert.match(r.error ?? '', /inside the workspace folder/);
      assert.equal(fs.existsSync(marker), false, 'it did not run');
    });

    it('a program found through a relative PATH entry is not run; through an absolute one it is', async () => {
      const dir = tempCodeHome();
      const bin = path.join(dir, 'bin');
      fs.mkdirSync(bin);
      const marker = path.join(dir, 'ran');
      const exe = path.join(bin, 'code-app-server');
      fs.writeFileSync(exe, `#!/bin/sh\ntouch "${marker}"\necho code-app-server 1.2.3\n`, { mode: 0o755 });
      for (const entry of ['bin', './bin']) {
        const r = await readVersionSafely(exe, { PATH: `${entry}${path.delimiter}${process.env.PATH}` }, { cwd: dir });
        assert.equal(r.refused, true, entry);
        assert.match(r.error ?? '', new RegExp(`relative PATH entry '${entry.replace('.', '\\.')}'`));
      }
      assert.equal(fs.existsSync(marker), false);
      const ok = await readVersionSafely(exe, { PATH: `${bin}${path.delimiter}${process.env.PATH}` }, { cwd: dir });
      assert.equal(ok.version, 'code-app-server 1.2.3');
      assert.equal(fs.existsSync(marker), true);
    });
  });
});
