// `npm run package`: production bundles, then the .vsix (with the README of scripts/package-readme.mjs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageReadme } from './package-readme.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, ['esbuild.mjs', '--production']);

const readme = packageReadme(readFileSync(join(root, 'README.md'), 'utf8'));
const outDir = join(root, 'out', 'package');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'README.md'), readme);

run(process.execPath, [
  join(root, 'node_modules', '@vscode', 'vsce', 'vsce'),
  'package',
  '--no-dependencies',
  '--allow-missing-repository',
  '--readme-path',
  // vsce resolves it against the working folder
  'out/package/README.md',
  ...process.argv.slice(2),
]);
