// The bundles the benchmarks measure, and the extension as it ships, built
// from them. bench/run.mjs builds a private production copy of dist/ first
// (CODE_OPS_BENCH_DIST) so another engineer's rebuild of dist/ during a run
// cannot swap a development build in; run on their own, modules use dist/.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageReadme } from '../scripts/package-readme.mjs';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The folder holding extension.js, server.js, … for this run. */
export function benchDist() {
  return process.env.CODE_OPS_BENCH_DIST || join(repoRoot, 'dist');
}

/** What the .vsix carries besides dist/ and its README (see .vscodeignore, scripts/package.mjs). */
const SHIPPED = ['package.json', '.vscodeignore', 'CHANGELOG.md', 'LICENSE', 'media', 'syntaxes', 'schemas'];

/** Copies the extension as it ships into `dest`, with `dist/` from benchDist(); returns `dest`. */
export function copyExtension(dest) {
  mkdirSync(dest, { recursive: true });
  for (const name of SHIPPED) {
    const from = join(repoRoot, name);
    if (existsSync(from)) cpSync(from, join(dest, name), { recursive: true });
  }
  writeFileSync(join(dest, 'README.md'), packageReadme(readFileSync(join(repoRoot, 'README.md'), 'utf8')));
  cpSync(benchDist(), join(dest, 'dist'), { recursive: true });
  return dest;
}
