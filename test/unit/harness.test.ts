import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killAfterTest } from './setup/children';
import { descendants, distStaleness } from './setup/hooks';
import { skipOnPlatform } from './setup/platform';

const ROOT = path.resolve(__dirname, '../..');
const MOCHA = path.join(ROOT, 'node_modules/mocha/bin/mocha.js');

/** Runs mocha with the unit suite's .mocharc.json on one fixture file, as a real process. */
function runMocha(fixture: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [MOCHA, path.join(ROOT, 'test/fixtures/mocha', fixture)], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CODE_OPS_NO_BUILD: '1', ...env },
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('unit suite harness: no leftover processes, no silent skips, a current dist/', function () {
  this.timeout(90_000);

  it('kills the child of a failing test and a forgotten child, fails the run and still exits', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-leaky-'));
    try {
      fs.writeFileSync(path.join(dir, 'followed.log'), 'one line\n');
      const r = runMocha('leaky.fixture.ts', { LEAKY_DIR: dir });
      assert.equal(r.error, undefined, 'mocha exited by itself (no timeout)');
      assert.notEqual(r.status, 0, r.stdout);
      const owned = Number(/owned child (\d+)/.exec(r.stdout)?.[1]);
      const forgotten = Number(/forgotten child (\d+)/.exec(r.stdout)?.[1]);
      assert.ok(owned > 0 && forgotten > 0, r.stdout);
      assert.match(r.stdout, /deliberate failure/);
      assert.match(r.stdout, /"leaky fixture" left 1 child process\(es\) running \(now killed\):\n\s+pid \d+: sleep 300/);
      assert.doesNotMatch(r.stdout, /tail --follow/, 'the owned child was killed after its test, before the watchdog looked');
      assert.equal(alive(owned), false, 'tail --follow is gone');
      assert.equal(alive(forgotten), false, 'sleep is gone');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts skips, accepts a declared platform skip and fails on an undeclared one', () => {
    const r = runMocha('skips.fixture.ts');
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stdout, /skipped on this platform: skips fixture is skipped for a platform reason \(a platform this suite does not run on\)/);
    assert.match(r.stdout, /FAILED, skipped without a declared platform reason: skips fixture is skipped for no declared reason/);
    assert.match(r.stdout, /skipped: 2 \(1 platform-specific, 1 undeclared\)\n$/);
  });

  it('finds its own children and grandchildren through /proc', async function () {
    if (process.platform !== 'linux') skipOnPlatform(this, 'reads /proc');
    const child = killAfterTest(spawn('sh', ['-c', 'sleep 31 & wait'], { stdio: 'ignore' }));
    await new Promise((r) => setTimeout(r, 200));
    const mine = descendants().map((p) => p.command);
    assert.ok(mine.includes('sh -c sleep 31 & wait'), mine.join('\n'));
    assert.ok(mine.includes('sleep 31'), 'the grandchild too');
    const exited = new Promise((r) => child.once('exit', r));
    for (const p of descendants()) if (p.command === 'sleep 31') process.kill(p.pid, 'SIGKILL');
    await exited; // the shell's `wait` returns once its sleep is gone
    assert.deepEqual(descendants().filter((p) => p.command.includes('sleep 31')), []);
  });

  it('sees dist/ as stale when a source is newer than a bundle, and as missing when a bundle is absent', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-dist-'));
    try {
      fs.mkdirSync(path.join(root, 'src'));
      fs.mkdirSync(path.join(root, 'dist'));
      fs.writeFileSync(path.join(root, 'esbuild.mjs'), '');
      fs.writeFileSync(path.join(root, 'package.json'), '{}');
      fs.writeFileSync(path.join(root, 'src', 'a.ts'), '');
      const old = new Date(Date.now() - 60_000);
      for (const f of ['esbuild.mjs', 'package.json', 'src/a.ts']) fs.utimesSync(path.join(root, f), old, old);
      assert.equal(distStaleness(root), 'dist/main.js is missing');
      for (const name of ['main.js', 'extension.js', 'cli.js', 'server.js']) fs.writeFileSync(path.join(root, 'dist', name), '');
      assert.equal(distStaleness(root), undefined);
      fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'changed');
      assert.equal(distStaleness(root), 'sources changed since the last build');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
