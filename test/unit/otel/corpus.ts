import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dialect, ReadinessTarget } from '../../../src/core/otel';

/** The fixture corpus: each file states, in its first comment lines, what each dialect must report. */
export const CORPUS_DIR = path.resolve(__dirname, '../../fixtures/config');

export interface CorpusCase {
  name: string;
  file: string;
  bytes: Buffer;
  target: ReadinessTarget;
  /** `severity code line` (1-based line), sorted */
  expected: Record<Dialect, string[]>;
}

function parseExpectation(line: string | undefined, label: string, file: string): string[] {
  const m = line ? new RegExp(`^# ${label}: (.*)$`).exec(line.trimEnd()) : null;
  if (!m) throw new Error(`${file}: missing '# ${label}:' header line`);
  const body = m[1].trim();
  if (body === 'none') return [];
  return body
    .split(',')
    .map((s) => s.trim())
    .sort();
}

export function loadCorpus(): CorpusCase[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.toml'))
    .sort()
    .map((f) => {
      const file = path.join(CORPUS_DIR, f);
      const bytes = fs.readFileSync(file);
      const head = bytes.toString('latin1').split(/\r?\n/, 3);
      const targetLine = /^# target: (\w+)/.exec(head[2] ?? '');
      return {
        name: f.replace(/\.toml$/, ''),
        file,
        bytes,
        target: (targetLine?.[1] as ReadinessTarget | undefined) ?? 'production',
        expected: { beacon: parseExpectation(head[0], 'beacon', f), codex: parseExpectation(head[1], 'codex', f) },
      };
    });
}
