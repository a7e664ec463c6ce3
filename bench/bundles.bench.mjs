// Size of each bundle (bench/run.mjs builds a private production copy of dist/;
// run alone, this reads dist/) and of the .vsix packaged from them. The
// extension bundle is what VS Code loads at activation (test/unit/bundle.test.ts keeps
// it small and free of the lazy parts; its cost is timed by activation.bench.mjs); the
// others load lazily (configClient when a config file is opened, readinessDeps on
// the first check run) or in their own process (server, cli).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchDist, copyExtension, repoRoot as repo } from './extensionCopy.mjs';

const dist = benchDist();

const ROLE = {
  'main.js': 'the entry point: activate() schedules the activation bundle',
  'extension.js': 'activation, second step: the features',
  'serverMain.js': 'language server entry: server.js through the code cache',
  'configClient.js': 'lazy: first config file opened',
  'readinessDeps.js': 'lazy: first readiness check',
  'appServerCore.js': 'lazy: first Start/Restart/Send Request',
  'readiness.js': 'lazy: Readiness view shown or command',
  'logs.js': 'lazy: after activation (follow on) or first logs command',
  'server.js': 'language server process',
  'alerts.js': 'lazy: first alert or action',
  'timeline.js': 'lazy: the timeline recorder, after activation',
  'configFeature.js': 'lazy: config.toml found or opened, or a config command',
  'cli.js': 'code-ops CLI: the dispatcher and validate',
  'cliProbe.js': 'lazy: code-ops probe',
  'cliCheck.js': 'lazy: code-ops check',
  'cliTail.js': 'lazy: code-ops tail',
  'timelineView.js': 'lazy: first Show Server Timeline',
  'otelTest.js': 'lazy: Send Test Telemetry, code-ops otel-test',
  'lmTools.js': 'lazy: first language-model tool call',
  'mcp.js': 'lazy: code-ops mcp',
};

const kb = (bytes) => bytes / 1024;

/** Packages a copy of the extension with these bundles with vsce into a temp file; undefined when vsce is not available. */
function packageVsix() {
  const vsce = join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!existsSync(vsce)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'code-ops-bench-vsix-'));
  const out = join(dir, 'code-ops.vsix');
  try {
    const ext = copyExtension(join(dir, 'extension'));
    const res = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--out', out], { cwd: ext, encoding: 'utf8', timeout: 120_000 });
    if (res.status !== 0 || !existsSync(out)) throw new Error(`vsce package failed (${res.status ?? res.signal}): ${(res.stderr || res.stdout).trim().split('\n').slice(-3).join(' ')}`);
    return statSync(out).size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  if (!existsSync(dist)) throw new Error(`${dist} is missing: build first with \`node esbuild.mjs --production\``);
  // what activation loads first (the entry point, then the activation bundle), then the rest by name
  const rank = (f) => ['main.js', 'extension.js'].indexOf(f) >>> 0;
  const bundles = readdirSync(dist).filter((f) => f.endsWith('.js')).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  // A development build carries sourcemaps next to the bundles: say so, its sizes are not the shipped ones.
  const development = readdirSync(dist).some((f) => f.endsWith('.js.map'));
  const group = development ? 'bundle size (DEVELOPMENT build)' : 'bundle size';
  const rows = [];
  for (const f of bundles) {
    const bytes = statSync(join(dist, f)).size;
    const gz = gzipSync(readFileSync(join(dist, f))).length;
    const metric = `${f} (${ROLE[f] ?? 'bundle'}; gzip ${kb(gz).toFixed(0)} KB)`;
    rows.push({ group, metric, value: kb(bytes), unit: 'KB' });
  }
  try {
    const vsix = packageVsix();
    if (vsix !== undefined) rows.push({ group, metric: '.vsix (vsce package of these bundles)', value: kb(vsix), unit: 'KB' });
  } catch (e) {
    // dist/ may be rebuilt by someone else meanwhile: the bundle sizes above still stand
    rows.push({ group, metric: '.vsix (vsce package of these bundles)', value: NaN, unit: 'KB', target: String(e?.message ?? e).slice(0, 120) });
  }
  return rows;
}
