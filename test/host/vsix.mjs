// Packages the extension the way it ships (`npm run package`: production
// bundle + vsce) into a given file.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { repoRoot } from './paths.mjs';

export function packageVsix(outFile, log = () => {}) {
  const started = Date.now();
  log(`packaging the extension (npm run package) into ${outFile}`);
  const res = spawnSync('npm', ['run', '--silent', 'package', '--', '--out', outFile], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (res.status !== 0 || !existsSync(outFile)) {
    throw new Error(`npm run package failed (${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
  }
  log(`packaged in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return outFile;
}
