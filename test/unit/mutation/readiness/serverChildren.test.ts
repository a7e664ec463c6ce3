// A server's own children that carry its name (a fork that has not exec'd yet,
// a subshell of a wrapper script) are the same server, not a second one on the
// CODE_HOME. Found as a flaky "3 app servers share" in
// test/unit/readiness/checks.test.ts under load: the stand-in server's shell
// forks for each `sleep`, and the fork has its name and environment.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listServerProcesses } from '../../../../src/core/readiness/procs';
import { runChecks } from '../../../../src/core/readiness/checks';
import { skipOnPlatform } from '../../setup/platform';
import { contextFor, makeCodeHome, tempDir } from '../../readiness/helpers';

describe('app servers on /proc: a server with children of its own name', () => {
  let tmp: { dir: string; cleanup: () => void };
  const groups: number[] = [];
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => {
    for (const pid of groups.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    tmp.cleanup();
  });

  /** A `code-app-server` script that keeps a subshell (same name, same environment) running beside itself. */
  async function serverWithChild(home: string): Promise<{ pid: number; child: number }> {
    const bin = path.join(tmp.dir, 'bin', 'code-app-server');
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.writeFileSync(bin, '#!/bin/sh\n( while :; do sleep 1; done ) &\nwhile :; do sleep 1; done\n');
    fs.chmodSync(bin, 0o755);
    const proc = spawn(bin, [], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CODE_HOME: home, CODE_SECURE_MODE: '1' }, stdio: 'ignore', detached: true });
    const pid = proc.pid!;
    groups.push(pid);
    for (let i = 0; i < 200; i++) {
      const children = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).filter((n) => {
        try {
          const stat = fs.readFileSync(`/proc/${n}/stat`, 'utf8');
          return stat.startsWith(`${n} (code-app-server) `) && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
        } catch {
          return false;
        }
      });
      if (children.length && fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'code-app-server') return { pid, child: Number(children[0]) };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the stand-in server did not start its subshell');
  }

  it('lists the parent only, and one-server-per-home passes', async function () {
    if (process.platform !== 'linux') skipOnPlatform(this, '/proc is read on Linux only');
    const home = makeCodeHome(tmp.dir);
    const { pid, child } = await serverWithChild(home);
    const mine = (await listServerProcesses()).filter((p) => p.env.CODE_HOME === home);
    assert.deepEqual(mine.map((p) => p.pid), [pid], `child ${child} is not a second server`);
    const [r] = await runChecks(contextFor(home), ['one-server-per-home']);
    assert.equal(r.status, 'pass', r.detail);
    assert.match(r.detail, new RegExp(`pid ${pid} \\(code-app-server\\)\\.$`));
  });

  it('still counts two separate servers, each with its own child, as two', async function () {
    if (process.platform !== 'linux') skipOnPlatform(this, '/proc is read on Linux only');
    const home = makeCodeHome(tmp.dir);
    const a = await serverWithChild(home);
    const b = await serverWithChild(home);
    const mine = (await listServerProcesses()).filter((p) => p.env.CODE_HOME === home);
    assert.deepEqual(mine.map((p) => p.pid), [a.pid, b.pid].sort((x, y) => x - y));
    const [r] = await runChecks(contextFor(home), ['one-server-per-home']);
    assert.equal(r.status, 'fail', r.detail);
    assert.match(r.detail, /^2 app servers share /);
  });

  it('keeps a process whose stat cannot be read (a fake /proc without stat files)', async () => {
    const root = path.join(tmp.dir, 'proc');
    for (const pid of [101, 102]) {
      fs.mkdirSync(path.join(root, String(pid)), { recursive: true });
      fs.writeFileSync(path.join(root, String(pid), 'comm'), 'code-app-server\n');
      fs.writeFileSync(path.join(root, String(pid), 'cmdline'), 'code-app-server\0');
      fs.writeFileSync(path.join(root, String(pid), 'environ'), `CODE_HOME=/srv/home${pid}\0`);
      if (pid === 101) fs.writeFileSync(path.join(root, String(pid), 'stat'), `${pid} (code app) server) S 1 ${pid} ${pid} 0`);
    }
    assert.deepEqual((await listServerProcesses({ procRoot: root, uid: process.getuid?.() })).map((p) => p.pid), [101, 102]);
    fs.writeFileSync(path.join(root, '102', 'stat'), '102 (code-app-server) S 101 102 102 0');
    assert.deepEqual((await listServerProcesses({ procRoot: root, uid: process.getuid?.() })).map((p) => p.pid), [101], 'a name with ") " in it does not confuse the parent field');
  });
});
