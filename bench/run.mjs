// Runs every bench/*.bench.mjs and prints one table.
// A bench module exports `async function run(): Promise<Row[]>` where a Row is
//   { group, metric, value, unit, baseline?: { label, value }, ratio?, target?, pass? }
// `ratio` compares with a baseline measured in the same run; `target` says what must hold; `pass` whether it did.
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows = [];
let failedModules = 0;
for (const f of files) {
  process.stderr.write(`[bench] ${f}…\n`);
  try {
    const mod = await import(pathToFileURL(join(here, f)).href);
    rows.push(...(await mod.run()));
  } catch (err) {
    failedModules++;
    rows.push({ group: f, metric: 'error', value: NaN, unit: '', target: String(err?.message ?? err), pass: false });
  }
}

const fmt = (v) => (typeof v !== 'number' || Number.isNaN(v) ? '-' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));
const table = [['group', 'metric', 'value', 'baseline', 'ratio', 'target', 'ok']];
for (const r of rows) {
  table.push([
    r.group,
    r.metric,
    `${fmt(r.value)} ${r.unit ?? ''}`.trim(),
    r.baseline ? `${r.baseline.label}: ${fmt(r.baseline.value)} ${r.unit ?? ''}`.trim() : '',
    r.ratio === undefined ? '' : `${fmt(r.ratio)}x`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
  ]);
}
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const line = (row) => `| ${row.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
const out = [line(table[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.slice(1).map(line)].join('\n');
const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
console.log(`\nCode Ops benchmarks, ${new Date().toISOString().slice(0, 10)}, ${machine}\n`);
console.log(out);
mkdirSync(join(here, '..', 'test-results'), { recursive: true });
writeFileSync(join(here, '..', 'test-results', 'bench.json'), JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2));
const missed = rows.filter((r) => r.pass === false).length;
console.log(`\n${rows.length} measurements, ${missed} target(s) missed${failedModules ? `, ${failedModules} bench module(s) failed` : ''}.`);
process.exitCode = failedModules ? 1 : 0;
