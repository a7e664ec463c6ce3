import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFileFor, codeCacheRecords, loadBundle, setCodeCacheDir, type LoadRecord } from '../../src/core/codeCache';

// src/core/codeCache.ts loads our bundles with a V8 code cache. The cache is only worth anything in a
// new process, so the hit/miss cases run real `node` processes one after the other, as extension
// hosts do; in-process cases check that a bundle loads exactly as require() would load it.

const REPO = path.resolve(__dirname, '../..');
const MODULE = path.join(REPO, 'src/core/codeCache.ts');

/** A bundle like ours: CommonJS, requires a built-in, uses __dirname, has functions run later. */
function bundleSource(value: string): string {
  return [
    '"use strict";',
    "const path = require('node:path');",
    `exports.value = ${JSON.stringify(value)};`,
    'exports.where = () => new Error("here").stack;',
    'exports.dir = () => path.basename(__dirname);',
    'exports.sum = (n) => { let s = 0; for (let i = 0; i < n; i++) s += i; return s; };',
    "exports.http = () => import('node:http');",
    '',
  ].join('\n');
}

/** Loads `file` in a new node process with the cache in `dir`; waits for the write; returns the record and the module's answers. */
function loadInChild(file: string, dir: string): { record: LoadRecord; value: string; sum: number } {
  const script = `
    const { loadBundle, codeCacheRecords } = require(${JSON.stringify(MODULE)});
    const mod = loadBundle(${JSON.stringify(file)}, ${JSON.stringify(dir)}, 10);
    const sum = mod.sum(10);
    setTimeout(() => {
      const record = codeCacheRecords().find((r) => r.file === ${JSON.stringify(file)});
      process.stdout.write(JSON.stringify({ record, value: mod.value, sum }));
    }, 300);
  `;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 20_000 });
  return JSON.parse(out) as { record: LoadRecord; value: string; sum: number };
}

describe('code cache (src/core/codeCache.ts)', function () {
  this.timeout(60_000);
  let tmp: string;
  let bundle: string;
  let cacheDir: string;

  beforeEach(() => {
    // no folder set by an earlier suite: a load without one has no cache
    setCodeCacheDir(undefined);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-codecache-'));
    bundle = path.join(tmp, 'dist', 'feature.js');
    fs.mkdirSync(path.dirname(bundle));
    fs.writeFileSync(bundle, bundleSource('one'));
    cacheDir = path.join(tmp, 'storage');
  });

  afterEach(() => {
    delete require.cache[bundle];
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loads a bundle as require() would: same exports, __dirname, one instance shared with require', () => {
    const mod = loadBundle(bundle, undefined) as { value: string; dir(): string; sum(n: number): number };
    assert.equal(mod.value, 'one');
    assert.equal(mod.dir(), 'dist');
    assert.equal(mod.sum(5), 10);
    assert.equal(loadBundle(bundle, undefined), mod, 'a second load returns the same instance');
    assert.equal(require.cache[bundle]?.exports, mod, "require() of the same path gets the instance from require's cache");
    const record = codeCacheRecords().filter((r) => r.file === bundle);
    assert.deepEqual(
      record.map((r) => r.outcome),
      ['off'],
      'without a directory there is no cache, and the second load read nothing',
    );
  });

  it('import() in a bundle works as under require() (the OpenTelemetry exporters load node:http so)', async () => {
    const mod = loadBundle(bundle, undefined) as { http(): Promise<{ request: unknown }> };
    assert.equal(typeof (await mod.http()).request, 'function');
  });

  it("keeps the file's line numbers in stack traces", () => {
    const mod = loadBundle(bundle, undefined) as { where(): string };
    assert.match(mod.where(), new RegExp(`${path.basename(bundle).replace('.', '\\.')}:4:\\d+`), 'exports.where is on line 4 of the file');
  });

  it('a bundle that throws at load leaves nothing in require’s cache', () => {
    fs.writeFileSync(bundle, 'throw new Error("broken bundle");\n');
    assert.throws(() => loadBundle(bundle, undefined), /broken bundle/);
    assert.equal(require.cache[bundle], undefined);
  });

  it('misses in the first process, writes the cache, hits in the next (real processes)', () => {
    const first = loadInChild(bundle, cacheDir);
    assert.equal(first.record.outcome, 'miss');
    assert.equal(first.value, 'one');
    assert.equal(first.sum, 45);
    const target = cacheFileFor(cacheDir, bundle, fs.statSync(bundle, { bigint: true }));
    assert.equal(first.record.written, target, 'the cache is written under the bundle’s identity');
    const st = fs.statSync(target);
    assert.ok(st.size > 0);
    assert.equal(st.mode & 0o777, 0o600, 'the cache file is private');
    assert.equal(fs.statSync(path.dirname(target)).mode & 0o777, 0o700, 'so is its folder');
    const second = loadInChild(bundle, cacheDir);
    assert.equal(second.record.outcome, 'hit');
    assert.equal(second.record.written, undefined, 'a hit writes nothing');
    assert.equal(second.value, 'one');
    assert.equal(second.sum, 45);
  });

  it('a rebuilt bundle of the same length never runs the old code, and its old cache is removed', () => {
    loadInChild(bundle, cacheDir);
    const old = cacheFileFor(cacheDir, bundle, fs.statSync(bundle, { bigint: true }));
    assert.ok(fs.existsSync(old));
    // same length, other content: V8 alone (it checks the source length) would accept the old cache
    const next = path.join(tmp, 'next.js');
    fs.writeFileSync(next, bundleSource('two'));
    assert.equal(fs.statSync(next).size, fs.statSync(bundle).size);
    fs.renameSync(next, bundle);
    const rebuilt = loadInChild(bundle, cacheDir);
    assert.equal(rebuilt.record.outcome, 'miss');
    assert.equal(rebuilt.value, 'two');
    assert.equal(fs.existsSync(old), false, 'the cache of the old build is gone');
    assert.deepEqual(fs.readdirSync(path.join(cacheDir, 'v8-cache')), [path.basename(rebuilt.record.written!)]);
  });

  it('a rebuild written over the same file (same inode, length and time) never runs the old code: the build id differs', () => {
    const withBuild = (value: string, id: string) => `${bundleSource(value)}// code-ops-build ${id}\n`;
    fs.writeFileSync(bundle, withBuild('one', 'aaaaaaaaaaaaaaaa'));
    const before = fs.statSync(bundle);
    const first = loadInChild(bundle, cacheDir);
    assert.equal(first.record.outcome, 'miss');
    assert.match(path.basename(first.record.written!), /^feature-aaaaaaaaaaaaaaaa-/);
    // in place (same inode), same length, and the old times put back (a copy that keeps them, or a coarse clock)
    fs.writeFileSync(bundle, withBuild('two', 'bbbbbbbbbbbbbbbb'));
    fs.utimesSync(bundle, before.atime, before.mtime);
    const after = fs.statSync(bundle, { bigint: true });
    assert.equal(after.ino, BigInt(before.ino));
    assert.equal(after.size, BigInt(before.size));
    const rebuilt = loadInChild(bundle, cacheDir);
    assert.equal(rebuilt.value, 'two');
    assert.equal(rebuilt.record.outcome, 'miss');
    assert.match(path.basename(rebuilt.record.written!), /^feature-bbbbbbbbbbbbbbbb-/);
  });

  it('a temporary file a dead writer left behind is removed with the next write', () => {
    const target = cacheFileFor(cacheDir, bundle, fs.statSync(bundle, { bigint: true }));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const leftover = `${target}.12345.x1y2.tmp`;
    fs.writeFileSync(leftover, 'half a cache');
    const r = loadInChild(bundle, cacheDir);
    assert.equal(r.record.written, target);
    assert.equal(fs.existsSync(leftover), false);
  });

  it('a corrupt cache is refused, the bundle still runs, and the cache is written again', () => {
    const target = cacheFileFor(cacheDir, bundle, fs.statSync(bundle, { bigint: true }));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, Buffer.alloc(4096, 0x5a));
    const r = loadInChild(bundle, cacheDir);
    assert.equal(r.record.outcome, 'rejected');
    assert.equal(r.value, 'one');
    assert.equal(r.record.written, target);
    assert.equal(loadInChild(bundle, cacheDir).record.outcome, 'hit');
  });

  it('a FIFO, a link to /dev/zero or an oversized file in the cache’s place is not read (no hang, no memory)', function () {
    if (process.platform === 'win32') this.skip();
    const target = cacheFileFor(cacheDir, bundle, fs.statSync(bundle, { bigint: true }));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const cases: Array<[string, () => void]> = [
      ['FIFO', () => execFileSync('mkfifo', [target])],
      ['symlink to /dev/zero', () => fs.symlinkSync('/dev/zero', target)],
      ['40 MB sparse file', () => fs.truncateSync((fs.writeFileSync(target, ''), target), 40 * 1024 * 1024)],
    ];
    for (const [name, make] of cases) {
      fs.rmSync(target, { force: true });
      make();
      const started = Date.now();
      const script = `const { loadBundle, codeCacheRecords } = require(${JSON.stringify(MODULE)}); const m = loadBundle(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}, 60000); process.stdout.write(JSON.stringify({ outcome: codeCacheRecords()[0].outcome, value: m.value })); process.exit(0);`;
      const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 15_000 });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
      assert.deepEqual(JSON.parse(r.stdout), { outcome: 'miss', value: 'one' }, name);
      assert.ok(Date.now() - started < 10_000, `${name}: took ${Date.now() - started} ms`);
    }
  });

  it('a cache folder that cannot be created costs nothing but the cache', function () {
    if (process.platform !== 'linux') this.skip(); // /proc refuses new folders, to root as well
    const r = loadInChild(bundle, '/proc/self/code-ops-storage');
    assert.equal(r.record.outcome, 'miss');
    assert.equal(r.value, 'one');
    assert.equal(r.record.written, undefined);
    assert.match(r.record.error ?? '', /ENOENT|EACCES|EPERM/);
  });

  it('a file where the cache folder should be: the write fails, the bundle runs', () => {
    fs.mkdirSync(cacheDir);
    fs.writeFileSync(path.join(cacheDir, 'v8-cache'), 'not a folder');
    const r = loadInChild(bundle, cacheDir);
    assert.equal(r.record.outcome, 'miss');
    assert.equal(r.value, 'one');
    assert.equal(r.record.written, undefined);
    assert.match(r.record.error ?? '', /EEXIST|ENOTDIR|not a directory|file already exists/i);
  });
});
