// Loads our own bundles (dist/*.js) with a V8 code cache kept in the extension's global storage.
//
// A new extension host compiles every bundle it requires from scratch: V8 parses the file and
// compiles each function the first time it runs. For the activation bundle that is about half of
// what activation costs (bench/activation.bench.mjs: require + activate 8 ms fresh, 3 ms when V8
// already holds the compiled code). VS Code does the same for its own code; Node offers it as
// vm.Script's cachedData. After a bundle has run for a while, the code V8 compiled for it (the
// top level and every function run so far) is written to
//   <globalStorage>/v8-cache/<bundle>-<build id>-<device>-<inode>-<size>-<mtime ns>-<V8 version>-<arch>.bin
// and the next host reads it instead of compiling. V8 checks its own version and flags and the
// source length, not the content; the build id esbuild.mjs writes at the end of every bundle (new at
// every build) and the file's identity in the name (a reinstalled bundle is a new file: new inode, new
// modification time) keep a cache from being used for other code of the same length. A cache that
// cannot be read, is refused by V8, or cannot be written costs nothing but the compile it would have
// saved: the bundle runs the same either way.
//
// A module loaded here goes into require's cache under its path, so a later plain `require()` of
// the same file (from another bundle) gets the same instance.
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { mkdirsSync } from './mkdirs';

/** A cache file larger than this is not ours (the biggest bundle's cache is a few MB). */
const MAX_CACHE_BYTES = 32 * 1024 * 1024;
/** How long a bundle runs before its code is written: what activation and the first updates compiled is in it. */
export const WRITE_AFTER_MS = 3000;
const SUBDIR = 'v8-cache';

export type CacheOutcome = 'hit' | 'miss' | 'rejected' | 'off';

export interface LoadRecord {
  file: string;
  outcome: CacheOutcome;
  /** ms from reading the file to the module's top level having run */
  loadMs: number;
  /** set once the cache file was written (or the write failed: `error`) */
  written?: string;
  error?: string;
}

/**
 * The entry point (dist/main.js) and the activation bundle each carry a copy of this module; they
 * share one state through a registered symbol, so the directory set at activation holds for both.
 */
interface SharedState {
  dir: string | undefined;
  records: LoadRecord[];
}
const STATE_KEY = Symbol.for('code-ops.codeCache');
const shared = ((globalThis as Record<symbol, SharedState | undefined>)[STATE_KEY] ??= { dir: undefined, records: [] });

/** Where caches go (the extension's global storage); undefined turns caching off. Set at activation. */
export function setCodeCacheDir(dir: string | undefined): void {
  shared.dir = dir;
}

/** Where caches go now (undefined: off). */
export function codeCacheDir(): string | undefined {
  return shared.dir;
}

/** Names the cache folder for a process we start (the config language server, src/server/main.ts). */
export const CODE_CACHE_ENV = 'CODE_OPS_CODE_CACHE_DIR';

/** What was loaded through here, in order (the bench and the tests read it). */
export function codeCacheRecords(): readonly LoadRecord[] {
  return shared.records;
}

/** The build id esbuild.mjs writes at the end of each bundle (new at every build), when there is one. */
function buildId(source: string): string | undefined {
  // the last line, or the one before a source map comment (development builds)
  return /^\/\/ code-ops-build ([0-9a-f]{8,32})$/m.exec(source.slice(-200))?.[1];
}

/**
 * The cache file for a bundle in `dir`: the bundle's build id and identity (device, inode, size,
 * modification time), V8's version and the architecture in the name. The build id catches a rebuild
 * written over the same file within the file system's time resolution (or copied with its times).
 */
export function cacheFileFor(dir: string, file: string, st: fs.BigIntStats, source = ''): string {
  const identity = [st.dev, st.ino, st.size, st.mtimeNs].map((n) => n.toString(36)).join('-');
  const build = buildId(source);
  const v8 = process.versions.v8.replace(/[^\w.]/g, '_');
  return path.join(dir, SUBDIR, `${path.basename(file, '.js')}-${build ? `${build}-` : ''}${identity}-${v8}-${process.arch}.bin`);
}

/** The bundle's text and identity, read through one descriptor. */
function readBundle(file: string): { source: string; st: fs.BigIntStats } {
  const fd = fs.openSync(file, 'r');
  try {
    return { st: fs.fstatSync(fd, { bigint: true }), source: fs.readFileSync(fd, 'utf8') };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The cache file's bytes: a regular file of reasonable size, opened without blocking on a FIFO or
 * following a symlink; else undefined. The same rules as src/core/fsSafe.ts, without its sentences
 * for people: that module would add 2 KB to the entry point and the activation bundle, and nobody
 * reads why a cache was skipped.
 */
function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOFOLLOW ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size === 0 || st.size > MAX_CACHE_BYTES) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    for (let n = 1; off < st.size && n > 0; off += n) n = fs.readSync(fd, buf, off, st.size - off, off);
    return off === st.size ? buf : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes the cache atomically (a private temporary file, then rename) and removes this bundle's older caches. */
export function writeCache(target: string, data: Buffer): void {
  const dir = path.dirname(target);
  mkdirsSync(dir, 0o700);
  // a name no other writer (nor a crashed earlier process with the same pid) uses
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, data, { flag: 'wx', mode: 0o600 });
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  const prefix = path.basename(target).split('-')[0] + '-';
  for (const name of fs.readdirSync(dir)) {
    // older caches of this bundle, and temporary files a process left when it died between write and rename
    if (name.startsWith(prefix) && (name.endsWith('.bin') || name.endsWith('.tmp')) && name !== path.basename(target)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Requires one of our bundles (an absolute path), compiled from the code cache when there is one.
 * Same result as `require(file)`: one instance per path, shared with require's cache.
 */
export function loadBundle(file: string, dir: string | undefined = shared.dir, writeAfterMs = WRITE_AFTER_MS): unknown {
  const already = require.cache[file];
  if (already) return already.exports;
  const started = performance.now();
  const { source, st } = readBundle(file);
  const target = dir === undefined ? undefined : cacheFileFor(dir, file, st, source);
  const cachedData = target === undefined ? undefined : readCache(target);
  // The wrapper sits on a line of its own, so line and column numbers in stack traces are the file's.
  // `import()` in a bundle (the OpenTelemetry exporters import node:http that way) goes to Node's own loader, as under
  // require(). Only where there is one: Node 20 warns (once) that the option is experimental.
  const importModuleDynamically = source.includes('import(') ? vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {\n${source}\n})`, { filename: file, lineOffset: -1, cachedData, importModuleDynamically });
  const outcome: CacheOutcome = target === undefined ? 'off' : cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const Module = nodeModule.Module;
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  require.cache[file] = mod;
  try {
    const run = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: nodeModule.Module, f: string, d: string) => void;
    run.call(mod.exports, mod.exports, nodeModule.createRequire(file), mod, file, path.dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  mod.loaded = true;
  const record: LoadRecord = { file, outcome, loadMs: performance.now() - started };
  shared.records.push(record);
  if (target !== undefined && outcome !== 'hit') {
    const timer = setTimeout(() => {
      try {
        writeCache(target, script.createCachedData());
        record.written = target;
      } catch (e) {
        record.error = e instanceof Error ? e.message : String(e);
      }
    }, writeAfterMs);
    timer.unref();
  }
  return mod.exports;
}
