// Mutation scores per folder from Stryker's JSON report (mutation-testing-report-schema).
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** { folder: { detected, undetected, score } } plus a `total` row; score is null when nothing counted. */
export function scoresByFolder(report) {
  const rows = new Map();
  const add = (key, status) => {
    const row = rows.get(key) ?? { detected: 0, undetected: 0 };
    if (DETECTED.has(status)) row.detected++;
    else if (UNDETECTED.has(status)) row.undetected++;
    rows.set(key, row);
  };
  for (const [file, { mutants }] of Object.entries(report.files ?? {})) {
    for (const m of mutants) {
      add(dirname(file), m.status);
      add(file, m.status);
      add('total', m.status);
    }
  }
  const out = {};
  for (const key of [...rows.keys()].sort((a, b) => (a === 'total') - (b === 'total') || a.localeCompare(b))) {
    const { detected, undetected } = rows.get(key);
    const counted = detected + undetected;
    out[key] = { detected, undetected, score: counted ? (100 * detected) / counted : null };
  }
  return out;
}

/** Lines of a table: folder or file, score, killed/total. */
export function formatScores(scores) {
  const width = Math.max(...Object.keys(scores).map((k) => k.length), 6);
  return Object.entries(scores).map(([key, { detected, undetected, score }]) => {
    const pct = score === null ? '    -' : `${score.toFixed(1).padStart(5)}%`;
    return `${key.padEnd(width)}  ${pct}  ${detected}/${detected + undetected} detected`;
  });
}

/** One report from several runs over disjoint files (the first report's schema and thresholds). */
export function mergeReports(reports) {
  const files = {};
  for (const r of reports) Object.assign(files, r.files ?? {});
  return { ...reports[0], files };
}

export function readReport(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
