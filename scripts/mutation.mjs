#!/usr/bin/env node
// npm run mutation [-- --mutate GLOB[,GLOB…]] [--spec GLOB[,GLOB…]] [--force] [other Stryker flags]
// npm run mutation -- --per-folder [--force] [other Stryker flags]
// Runs Stryker over src/core (stryker.config.mjs) under Node 22 or newer, which
// Stryker 10 needs: this Node when it is new enough, else the Node 24 the test
// host uses (.vscode-test/node24), installed from the npm registry if missing.
// Incremental: reports/stryker-incremental.json keeps the last results, so a
// re-run tests only the mutants whose code or tests changed (--force: all).
// Writes reports/mutation/mutation.json and prints the score of each folder.
// --per-folder: the whole of src/core, one folder at a time with that folder's
// own tests (all unit tests on every mutant would take hours on two cores: a
// mutant in a shared module is reached by hundreds of tests), each folder with
// its own incremental file; the folders' reports are merged into mutation.json.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import picomatch from 'picomatch';
import { join } from 'node:path';
import { nodeBinary, repoRoot } from '../test/host/paths.mjs';
import { formatScores, mergeReports, readReport, scoresByFolder } from './mutation/summary.mjs';

const REPORT = join(repoRoot, 'reports/mutation/mutation.json');
const PEER = join(repoRoot, '.vscode-test/peer/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex');

async function strykerNode() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  if (!existsSync(nodeBinary)) {
    console.log('Stryker needs Node 22 or newer; installing Node 24 into .vscode-test/node24');
    const { installNode } = await import('../test/host/provision.mjs');
    await installNode((m) => console.log(`[provision] ${m}`));
  }
  return nodeBinary;
}

/** The value of `--mutate` (both `--mutate X` and `--mutate=X`), or undefined. */
function mutateArg(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--mutate' || args[i] === '-m') return args[i + 1];
    if (args[i].startsWith('--mutate=')) return args[i].slice('--mutate='.length);
  }
  return undefined;
}

/**
 * The unit tests for the files being mutated: those of the same folder under
 * test/unit (src/core/logs/x.ts → test/unit/logs/**), or of the same name for a
 * file directly in src/core (src/core/mask.ts → test/unit/mask.test.ts), and
 * test/unit/mutation/ likewise. Undefined (every unit test) for the whole core.
 */
export function specFor(mutate) {
  if (!mutate) return undefined;
  const spec = new Set();
  for (const glob of mutate.split(',')) {
    // an exclusion (`!src/core/otel/generated/**`) adds no tests
    if (glob.startsWith('!')) continue;
    const m = /^src\/core\/([^/*{]+)(\/|$)/.exec(glob.replace(/^\.\//, ''));
    if (!m) return undefined;
    const name = m[1].replace(/\.ts$/, '');
    if (m[2] === '/') {
      spec.add(`test/unit/${name}/**/*.test.ts`);
      spec.add(`test/unit/mutation/${name}/**/*.test.ts`);
    } else {
      spec.add(`test/unit/${name}.test.ts`);
      spec.add(`test/unit/mutation/${name}*.test.ts`);
    }
  }
  return [...spec];
}

/**
 * The folders of src/core for --per-folder: what each mutates and which tests it runs. The files
 * directly in src/core run the unit tests directly in test/unit (their tests are named after them).
 */
export function coreFolders() {
  const top = readdirSync(join(repoRoot, 'src/core')).filter((f) => f.endsWith('.ts')).map((f) => `src/core/${f}`);
  const folder = (name, mutate = `src/core/${name}/**/*.ts`) => ({ name, mutate, spec: specFor(`src/core/${name}/`) });
  const core = { name: 'core', mutate: top.join(','), spec: ['test/unit/*.test.ts', 'test/unit/mutation/*.test.ts'] };
  // The app server's and the test export's tests run real processes and collectors with real
  // timeouts (seconds per mutant): they go last.
  return [
    folder('otel', 'src/core/otel/**/*.ts,!src/core/otel/generated/**,!src/core/otel/exportTest/**'),
    folder('readiness'),
    core,
    folder('logs'),
    folder('appServer'),
    { ...folder('otel', 'src/core/otel/exportTest/**/*.ts'), name: 'otelExport' },
  ];
}

/**
 * A systematic sample of a folder's mutate globs: every `every`-th line of each file, from an
 * offset that differs per file (a hash of its path), as Stryker line ranges (`file.ts:12-12`).
 * A mutant is in the sample when it starts and ends on a chosen line, so one spanning several
 * lines (a whole block removed) never is.
 */
export function sampleGlobs(mutate, every) {
  const globs = mutate.split(',');
  const excluded = picomatch(globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1)));
  const included = picomatch(globs.filter((g) => !g.startsWith('!')));
  const files = readdirSync(join(repoRoot, 'src/core'), { recursive: true }).map((f) => `src/core/${f}`);
  const ranges = [];
  for (const file of files.filter((f) => f.endsWith('.ts') && included(f) && !excluded(f)).sort()) {
    const lines = readFileSync(join(repoRoot, file), 'utf8').split('\n').length;
    const offset = [...file].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % every;
    for (let line = 1 + offset; line <= lines; line += every) ranges.push(`${file}:${line}-${line}`);
  }
  return ranges.join(',');
}

async function perFolder(args) {
  const started = Date.now();
  const reports = [];
  const sampleAt = args.indexOf('--sample');
  const every = sampleAt >= 0 ? Number(args.splice(sampleAt, 2)[1]) : 0;
  for (const folder of coreFolders()) {
    const mutate = every ? sampleGlobs(folder.mutate, every) : folder.mutate;
    const incremental = `reports/stryker-incremental-${every ? `sample${every}-` : ''}${folder.name}.json`;
    console.log(`\n=== ${folder.name}: ${folder.mutate}${every ? ` (every ${every}th line: ${mutate.split(',').length} lines)` : ''}`);
    const code = await main(['--mutate', mutate, '--spec', folder.spec.join(','), '--incrementalFile', incremental, ...args]);
    if (code !== 0) return code;
    const saved = join(repoRoot, `reports/mutation/${folder.name}.json`);
    copyFileSync(REPORT, saved);
    reports.push(readReport(saved));
  }
  writeFileSync(REPORT, JSON.stringify(mergeReports(reports)));
  console.log(`\nsrc/core, all folders (${((Date.now() - started) / 1000).toFixed(0)} s, report: reports/mutation/mutation.json)`);
  for (const line of formatScores(scoresByFolder(readReport(REPORT)))) if (!line.includes('.ts ')) console.log(`  ${line}`);
  return 0;
}

/** dist/ is built once per invocation, however many folders --per-folder runs. */
let built = false;
/** The Stryker run in progress: a signal to this script goes to it. */
let current;

async function main(args) {
  const node = await strykerNode();
  if (!built) {
    // The tests of the bundles run in the sandbox too (they cannot see a mutant, but must pass).
    const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('building dist/ failed');
    built = true;
  }
  const started = Date.now();
  const stryker = join(repoRoot, 'node_modules/@stryker-mutator/core/bin/stryker.js');
  const shim = join(repoRoot, 'scripts/mutation/cjs-extension.cjs');
  const env = {
    ...process.env,
    // Stryker's worker processes load the mocha runner too: the shim must be in each.
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${shim}`.trim(),
    // The tests read src/ in place; the global setup need not build dist/.
    CODE_OPS_NO_BUILD: '1',
  };
  const spec = args.includes('--spec') ? args.splice(args.indexOf('--spec'), 2)[1] : specFor(mutateArg(args))?.join(',');
  if (spec) {
    env.CODE_OPS_MUTATION_SPEC = spec;
    console.log(`tests: ${spec}`);
  }
  // The sandbox Stryker copies the project into has no .vscode-test/: name the peer.
  if (!env.CODE_OPS_CODEX_BIN && existsSync(PEER)) env.CODE_OPS_CODEX_BIN = PEER;
  const child = (current = spawn(node, [stryker, 'run', 'stryker.config.mjs', ...args], { cwd: repoRoot, stdio: 'inherit', env }));
  const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
  current = undefined;
  if (code === 0 && existsSync(REPORT)) {
    console.log(`\nmutation score per folder and file (${((Date.now() - started) / 1000).toFixed(0)} s, report: reports/mutation/mutation.json)`);
    for (const line of formatScores(scoresByFolder(readReport(REPORT)))) console.log(`  ${line}`);
  }
  return code;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => current?.kill(sig));
  const args = process.argv.slice(2);
  const i = args.indexOf('--per-folder');
  process.exitCode = i >= 0 ? await perFolder(args.filter((_, j) => j !== i)) : await main(args);
}
