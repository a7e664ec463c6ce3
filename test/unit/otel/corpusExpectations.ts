// Full expectations of the config corpus: for each file and dialect, every
// diagnostic with its severity, code, whole range and message, as
//   "severity code startLine:startCol-endLine:endCol message"   (1-based, UTF-16 columns)
// kept in test/fixtures/config/expected.json. The header lines of each .toml
// (severity, code, line) are the intent written by hand; this file is the
// engine's exact output, regenerated and reviewed as a diff:
//   node --import tsx test/unit/otel/corpusExpectations.ts --write
//   node --import tsx test/unit/otel/corpusExpectations.ts --check   (exit 1 when stale)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateConfigBytes, type Dialect, type OtelDiagnostic } from '../../../src/core/otel';
import { CORPUS_DIR, loadCorpus, type CorpusCase } from './corpus';

export const EXPECTATIONS_FILE = path.join(CORPUS_DIR, 'expected.json');
export const DIALECTS: Dialect[] = ['beacon', 'codex'];

export type Expectations = Record<string, Record<Dialect, string[]>>;

/** One diagnostic as a line of the expectations file. */
export function describeDiagnostic(d: OtelDiagnostic): string {
  const { start, end } = d.range;
  return `${d.severity} ${d.code} ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${d.message}`;
}

/** The `severity code line` summary the .toml header states, from a full expectation line. */
export function summaryOf(full: string): string {
  const m = /^(\S+) (\S+) (\d+):\d+-\d+:\d+ /.exec(full);
  if (!m) throw new Error(`not an expectation line: ${full}`);
  return `${m[1]} ${m[2]} ${m[3]}`;
}

export function actualFor(c: CorpusCase, dialect: Dialect): string[] {
  const result = validateConfigBytes(c.bytes, { dialect, target: c.target });
  return result.diagnostics
    .map(describeDiagnostic)
    .sort();
}

export function computeAll(): Expectations {
  const out: Expectations = {};
  for (const c of loadCorpus()) out[c.name] = { beacon: actualFor(c, 'beacon'), codex: actualFor(c, 'codex') };
  return out;
}

export function readExpectations(): Expectations {
  return JSON.parse(fs.readFileSync(EXPECTATIONS_FILE, 'utf8')) as Expectations;
}

function main(args: string[]): number {
  const computed = computeAll();
  const text = JSON.stringify(computed, null, 2) + '\n';
  if (args.includes('--write')) {
    fs.writeFileSync(EXPECTATIONS_FILE, text);
    console.log(`wrote ${path.relative(process.cwd(), EXPECTATIONS_FILE)}: ${Object.keys(computed).length} files`);
    return 0;
  }
  if (args.includes('--check')) {
    const current = fs.existsSync(EXPECTATIONS_FILE) ? fs.readFileSync(EXPECTATIONS_FILE, 'utf8') : '';
    if (current === text) return 0;
    console.error(`${path.relative(process.cwd(), EXPECTATIONS_FILE)} is stale: run node --import tsx test/unit/otel/corpusExpectations.ts --write and review the diff`);
    return 1;
  }
  console.error('usage: node --import tsx test/unit/otel/corpusExpectations.ts --write | --check');
  return 2;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
