// `npm run package`: production bundles, then the .vsix.
// The README inside the .vsix is the repository's README without what only
// works next to the sources (screenshots and links to files of the repo):
// an extension package has no repository URL to resolve them against.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, ['esbuild.mjs', '--production']);

const isRelative = (url) => !/^[a-z][a-z0-9+.-]*:|^#/i.test(url);
const readme = readFileSync(join(root, 'README.md'), 'utf8')
  // sections marked for the repository only (the screenshots)
  .replace(/<!-- repo-only:start -->[\s\S]*?<!-- repo-only:end -->\n?/g, '')
  // keep the text of links to repository files
  .replace(/(!?)\[([^\]]*)\]\(([^)]+)\)/g, (all, bang, text, url) => {
    if (!isRelative(url)) return all;
    return bang ? '' : `${text} (in the source repository)`;
  });
const outDir = join(root, 'out', 'package');
mkdirSync(outDir, { recursive: true });
const packageReadme = join(outDir, 'README.md');
writeFileSync(packageReadme, readme);

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
