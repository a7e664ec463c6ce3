import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killAfterTest } from './setup/children';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, pred: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('npm run demo: a SIGTERM to its npm parent stops what it started (test/host/orphan.mjs)', function () {
  this.timeout(20_000);

  it('notices the shell between npm and node dying and stops its server', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-orphan-'));
    try {
      const pidFile = path.join(dir, 'pids');
      const fixture = path.resolve(__dirname, '../fixtures/mocha/orphanChild.mjs');
      // What `npm run demo` starts: a shell that runs node (and is not replaced by it).
      const shell = killAfterTest(spawn('sh', ['-c', `"${process.execPath}" "${fixture}" "${pidFile}"; echo done`], { stdio: 'ignore' }));
      await until('the demo stand-in to start its server', () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').endsWith('\n'), 10_000);
      const [demo, server] = fs.readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
      assert.ok(alive(demo) && alive(server));
      shell.kill('SIGTERM'); // what npm's SIGTERM does to the shell; node gets no signal
      await until('the server to be stopped', () => !alive(server), 5_000);
      await until('the demo stand-in to exit', () => !alive(demo), 5_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
