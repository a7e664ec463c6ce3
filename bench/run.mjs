// Runs every bench/*.bench.mjs and prints one table.
// A bench module exports `async function run(): Promise<Row[]>` where a Row is
//   { group, metric, value, unit, baseline?: { label, value }, ratio?, target?, pass? }
// `ratio` compares with a baseline measured in the same run; `target` says what must hold; `pass` whether it did.
// A row may instead say `skipped: reason` (a peer that is not installed): it is printed as one line.
// `review: reason` marks a target under review: a miss is printed and fails `npm run bench`, but not --fast (CI).
// Exit code 1 when a target is missed or a module could not run.
//   node bench/run.mjs [name…]   only the modules whose file name contains one of the names
//   node bench/run.mjs --fast    the modules that export `fast = true`, in their quick form
//                                (CODE_OPS_BENCH_FAST=1): the ratio rows CI runs (npm run bench:ci)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const fastMode = process.argv.includes('--fast');
if (fastMode) process.env.CODE_OPS_BENCH_FAST = '1';
const only = process.argv.slice(2).filter((a) => a !== '--fast');
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

// A private production build: `npm run bench` builds dist/ too, but others' test runs rebuild dist/
// (development) at any moment; every module measures this copy instead (see bench/extensionCopy.mjs).
const privateDist = mkdtempSync(join(os.tmpdir(), 'code-ops-bench-dist-'));
const build = spawnSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${privateDist}`], { cwd: join(here, '..'), encoding: 'utf8' });
if (build.status !== 0) {
  console.error(`[bench] production build failed:\n${build.stdout}${build.stderr}`);
  process.exit(1);
}
process.env.CODE_OPS_BENCH_DIST = privateDist;
process.on('exit', () => rmSync(privateDist, { recursive: true, force: true }));

const rows = [];
let failedModules = 0;
/** Per module: how long it took and the machine's load (other people's tests share it) around it. */
const modules = [];
const load = () => os.loadavg().map((l) => Number(l.toFixed(2)));
const started = performance.now();
for (const f of files) {
  process.stderr.write(`[bench] ${f}…\n`);
  const t0 = performance.now();
  const loadBefore = load();
  let produced;
  try {
    const mod = await import(pathToFileURL(join(here, f)).href);
    if (fastMode && !mod.fast) {
      process.stderr.write(`[bench] ${f}: not in the fast subset\n`);
      continue;
    }
    produced = await mod.run();
  } catch (err) {
    failedModules++;
    produced = [{ group: f, metric: 'error', value: NaN, unit: '', target: String(err?.message ?? err).split('\n')[0], pass: false }];
  }
  const info = { module: f, seconds: (performance.now() - t0) / 1000, loadBefore, loadAfter: load() };
  modules.push(info);
  process.stderr.write(`[bench] ${f} took ${info.seconds.toFixed(1)} s, load average ${info.loadBefore[0]} -> ${info.loadAfter[0]}\n`);
  // The 1-minute load average when the module started, on each of its rows.
  rows.push(...produced.map((r) => ({ ...r, load1: loadBefore[0] })));
}

const fmt = (v) => (typeof v !== 'number' || Number.isNaN(v) ? '-' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));
const skipped = rows.filter((r) => r.skipped);
const table = [['group', 'metric', 'value', 'baseline', 'ratio', 'target', 'ok', 'load']];
for (const r of rows.filter((r) => !r.skipped)) {
  table.push([
    r.group,
    r.metric,
    `${fmt(r.value)} ${r.unit ?? ''}`.trim(),
    r.baseline ? `${r.baseline.label}: ${fmt(r.baseline.value)} ${r.unit ?? ''}`.trim() : '',
    r.ratio === undefined ? '' : `${fmt(r.ratio)}x`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
    r.load1 === undefined ? '' : r.load1.toFixed(2),
  ]);
}
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
const out = [line(table[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.slice(1).map(line)].join('\n');
const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
console.log(`\nCode Ops benchmarks, ${new Date().toISOString().slice(0, 10)}, ${machine}\n`);
console.log(out);
const totalSeconds = (performance.now() - started) / 1000;
console.log(
  `\nload: the 1-minute load average (os.loadavg) when each module started, on ${os.cpus().length} CPUs; now ${load().join(' / ')} (1/5/15 min). ` +
    `Other work on the machine slows the measurements and their baselines alike; ratios are the steadier numbers.`,
);
console.log(`modules: ${modules.map((m) => `${m.module} ${m.seconds.toFixed(1)} s`).join(', ')}; total ${totalSeconds.toFixed(1)} s.`);
mkdirSync(join(here, '..', 'test-results'), { recursive: true });
writeFileSync(join(here, '..', 'test-results', 'bench.json'), JSON.stringify({ date: new Date().toISOString(), machine, modules, rows }, null, 2));
for (const r of skipped) console.log(`skipped: ${r.group}, ${r.metric}: ${r.skipped}`);
const missedAll = rows.filter((r) => r.pass === false);
for (const r of missedAll) console.log(`MISSED: ${r.group}, ${r.metric}: ${r.target}${r.review ? ` (target under review: ${r.review}${fastMode ? '; not gated in the fast subset' : ''})` : ''}`);
const missed = fastMode ? missedAll.filter((r) => !r.review) : missedAll;
console.log(
  `\n${rows.length - skipped.length} measurements${fastMode ? ' (fast subset)' : ''}, ${missed.length} target(s) missed${skipped.length ? `, ${skipped.length} skipped` : ''}` +
    `${failedModules ? `, ${failedModules} bench module(s) failed` : ''}.`,
);
process.exitCode = missed.length || failedModules ? 1 : 0;
