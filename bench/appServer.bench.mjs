// Spawn-to-healthy and probe round trip through Code Ops (the bundled CLI's
// supervisor path: dist/cli.js is not loadable as a library, so the core is
// bundled here on the fly) vs. a minimal raw JSONL client, both against the
// same real `codex app-server`. Medians of one run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
const ROUNDS = Number(process.env.CODE_OPS_BENCH_ROUNDS ?? (process.env.CODE_OPS_BENCH_FAST === '1' ? 9 : 31));

/** Part of `npm run bench:ci` (run.mjs --fast). */
export const fast = true;
const PROBES = 200;

function codexBinary() {
  const p = join(repo, '.vscode-test/peer/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex');
  return process.env.CODE_OPS_CODEX_BIN ?? p;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function loadCore() {
  const dir = mkdtempSync(join(tmpdir(), 'code-ops-bench-core-'));
  const out = join(dir, 'core.cjs');
  await esbuild.build({
    stdin: { contents: "export { AppServerSupervisor } from './src/core/appServer/supervisor'; export { buildServerEnv } from './src/core/appServer/env';", resolveDir: repo, loader: 'ts' },
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: out, minify: true, logLevel: 'error',
  });
  try {
    return createRequire(pathToFileURL(out).href)(out);
  } finally {
    // loaded: the file is no longer needed
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: spawn, write initialize, wait for the line with id 0; then N probes one at a time. */
async function rawClient(bin, env, cwd) {
  const t0 = performance.now();
  // stderr is piped and drained like ours: a supervisor must read it (panics, config errors), and
  // codex starts measurably slower when stderr is a pipe than when it is /dev/null, which is the
  // server's cost, not the client's.
  const child = spawn(bin, ['app-server'], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', () => undefined);
  let buf = '';
  const waiters = new Map();
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        const msg = JSON.parse(line);
        if (msg.id !== undefined && waiters.has(msg.id)) {
          waiters.get(msg.id)();
          waiters.delete(msg.id);
        }
      } catch {}
    }
  });
  const call = (id) =>
    new Promise((resolve) => {
      waiters.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ id, method: 'initialize', params: { clientInfo: { name: 'raw', title: 'raw', version: '1' } } })}\n`);
    });
  await call(0);
  const healthyMs = performance.now() - t0;
  child.stdin.write('{"method":"initialized"}\n');
  const probes = [];
  for (let i = 1; i <= PROBES; i++) {
    const p0 = performance.now();
    await call(i);
    probes.push(performance.now() - p0);
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.stdin.end();
  await exited;
  return { healthyMs, probeMs: median(probes) };
}

async function viaCodeOps(core, bin, env, cwd) {
  const s = new core.AppServerSupervisor({
    command: bin, args: ['app-server'], env, cwd,
    clientInfo: { name: 'code-ops-bench', title: 'bench', version: '1' },
    timings: { probeIntervalMs: 3_600_000, initializeTimeoutMs: 20_000, probeTimeoutMs: 5000 },
  });
  const t0 = performance.now();
  const healthy = new Promise((resolve) => s.onDidTransition((c) => c.to === 'healthy' && resolve()));
  await s.start();
  await healthy;
  const healthyMs = performance.now() - t0;
  const probes = [];
  for (let i = 0; i < PROBES; i++) {
    const p0 = performance.now();
    await s.probeNow();
    probes.push(performance.now() - p0);
  }
  await s.shutdown();
  return { healthyMs, probeMs: median(probes) };
}

export async function run() {
  const bin = codexBinary();
  if (!existsSync(bin)) {
    return [{ group: 'app-server', metric: 'spawn to healthy, probe round trip', skipped: `the codex peer is not installed (${bin}); run node scripts/install-peer.mjs` }];
  }
  const core = await loadCore();
  const home = mkdtempSync(join(tmpdir(), 'code-ops-bench-home-'));
  const env = core.buildServerEnv({ base: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', CODEX_HOME: home } });
  const ours = { healthy: [], probe: [] };
  const raw = { healthy: [], probe: [] };
  // Warm the binary's pages once, then alternate so drift hits both alike.
  await rawClient(bin, env, home);
  await viaCodeOps(core, bin, env, home);
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which client goes first so load from elsewhere on the machine hits both alike.
    const order = i % 2 === 0 ? ['raw', 'ours'] : ['ours', 'raw'];
    for (const who of order) {
      const r = who === 'raw' ? await rawClient(bin, env, home) : await viaCodeOps(core, bin, env, home);
      const into = who === 'raw' ? raw : ours;
      into.healthy.push(r.healthyMs);
      into.probe.push(r.probeMs);
    }
  }
  rmSync(home, { recursive: true, force: true });
  const h = { ours: median(ours.healthy), raw: median(raw.healthy) };
  const p = { ours: median(ours.probe), raw: median(raw.probe) };
  // Each round runs both clients back to back, so the ratio within a round cancels most of the load
  // others put on the machine; the median of those is steadier than the ratio of the two medians.
  const ratio = median(ours.healthy.map((o, i) => o / raw.healthy[i]));
  return [
    { group: 'app-server', metric: `spawn to healthy (codex, median of ${ROUNDS}; ratio: median of paired rounds)`, value: h.ours, unit: 'ms', baseline: { label: 'raw JSONL client', value: h.raw }, ratio, target: 'ratio <= 1.1', pass: ratio <= 1.1 },
    { group: 'app-server', metric: `probe round trip (median of ${ROUNDS}x${PROBES})`, value: p.ours, unit: 'ms', baseline: { label: 'raw JSONL client', value: p.raw }, ratio: p.ours / p.raw, target: '< 1 ms added', pass: p.ours - p.raw < 1 },
  ];
}
