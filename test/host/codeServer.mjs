// Starts and stops a throwaway code-server (VS Code in the browser with the
// ordinary Node extension host) and the headless Chromium that drives it.
// Everything a run writes goes into its own temp folder, on its own free
// port, so several runs can share a machine.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath, codeServerEntry, nodeBinary } from './paths.mjs';

/** Chromium flags that keep a headless run quiet and offline. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The environment without the `npm_*` variables of an enclosing `npm run`, which would leak into the extension host. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/** pids of every live descendant of `root`, read from /proc (children before grandchildren). */
export function descendantPids(root) {
  const parentOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // the process exited while we looked
    }
  }
  const out = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift();
    for (const [pid, ppid] of parentOf) {
      if (ppid === parent) {
        out.push(pid);
        queue.push(pid);
      }
    }
  }
  return out;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForHealth(url, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.signalCode ?? `exit ${child.exitCode}`})`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return;
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer /healthz within ${deadlineMs} ms (${lastError})`);
}

/**
 * Starts code-server on 127.0.0.1 with throwaway config, user data,
 * extensions and XDG folders. `env` is added to the server's environment,
 * which the extension host inherits. `vsix` (a path or a list) installs packaged extensions
 * first; `userSettings` becomes the user's settings.json; `port` defaults to a free one. `smokeTestDriver`
 * makes the workbench honour a development payload (tests). Returns a handle whose `stop()` kills the whole process tree.
 */
export async function startCodeServer({ env = {}, vsix, userSettings, port: requestedPort, smokeTestDriver = true, log = () => {}, tmpPrefix = 'code-ops-host-' } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), tmpPrefix));
  const dirs = {
    tmp,
    userData: join(tmp, 'user-data'),
    extensions: join(tmp, 'extensions'),
    xdg: join(tmp, 'xdg'),
  };
  for (const d of [dirs.userData, dirs.extensions, ...['config', 'data', 'cache', 'state', 'runtime'].map((x) => join(dirs.xdg, x))]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
  }
  if (userSettings) {
    mkdirSync(join(dirs.userData, 'User'), { recursive: true });
    writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  }
  const configFile = join(tmp, 'config.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  const serverEnv = cleanEnv({
    XDG_CONFIG_HOME: join(dirs.xdg, 'config'),
    XDG_DATA_HOME: join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: join(dirs.xdg, 'cache'),
    XDG_STATE_HOME: join(dirs.xdg, 'state'),
    XDG_RUNTIME_DIR: join(dirs.xdg, 'runtime'),
    ...env,
  });
  const common = ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  for (const file of vsix ? [vsix].flat() : []) {
    log(`installing ${file}`);
    const res = spawnSync(nodeBinary, [codeServerEntry, ...common, '--install-extension', file], { env: serverEnv, encoding: 'utf8', timeout: 120_000 });
    if (res.status !== 0) {
      throw new Error(`code-server --install-extension failed (${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
    }
  }

  const port = requestedPort ?? (await freePort());
  const args = [
    codeServerEntry,
    ...common,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const logFile = join(tmp, 'code-server.log');
  const logStream = createWriteStream(logFile);
  // Detached: its own process group, so stop() can signal the server and the extension host together.
  const child = spawn(nodeBinary, args, { env: serverEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(logStream, { end: false });
  child.stderr.pipe(logStream, { end: false });
  const url = `http://127.0.0.1:${port}`;
  log(`code-server pid ${child.pid} on ${url} (state in ${tmp})`);

  let stopped = false;
  const stop = async ({ keepTemp = false } = {}) => {
    if (stopped) return;
    stopped = true;
    const pids = [child.pid, ...descendantPids(child.pid)];
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // group already gone
    }
    // Processes that left the group (some hosts detach their children) get the signal by pid.
    for (const pid of pids.slice(1)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {}
    }
    const deadline = Date.now() + 5000;
    while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids.filter(isAlive)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
    logStream.end();
    if (!keepTemp) rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await waitForHealth(url, child, 30_000);
  } catch (e) {
    let tail = '';
    try {
      tail = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {}
    await stop({ keepTemp: false });
    throw new Error(`${e instanceof Error ? e.message : e}\n${tail}`, { cause: e });
  }
  return { url, port, pid: child.pid, dirs, logFile, env: serverEnv, child, stop };
}

/** Headless Debian Chromium driven by playwright-core (no browser download). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  // Our runners close the browser themselves on Ctrl-C, after stopping code-server; playwright's own
  // handlers would exit the process first and leave the server running.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
}

/** URL of the workbench with `folder` open; `payload` is the list of [key, value] pairs of the development payload. */
export function workbenchUrl(server, { folder, payload } = {}) {
  const params = new URLSearchParams();
  if (folder) params.set('folder', folder);
  if (payload) params.set('payload', JSON.stringify(payload));
  const query = params.toString();
  return `${server.url}/${query ? `?${query}` : ''}`;
}

/** A file path as the workbench sees it on the remote (the code-server host). */
export function remoteUri(server, path) {
  return `vscode-remote://127.0.0.1:${server.port}${path}`;
}
