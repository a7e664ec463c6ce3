// Installs the real upstream app server (npm package @openai/codex) into the
// git-ignored test cache, once. Tests spawn its native binary as a peer.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '0.169.0';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.vscode-test', 'peer');
const bin = join(dir, 'node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex');

if (existsSync(bin)) {
  console.log(`[peer] codex ${VERSION} already installed`);
} else {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'code-ops-peer', private: true }));
  console.log(`[peer] installing @openai/codex@${VERSION}…`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '-E', `@openai/codex@${VERSION}`], { cwd: dir, stdio: 'inherit' });
  if (!existsSync(bin)) {
    console.error('[peer] the native codex binary was not installed');
    process.exit(1);
  }
}
console.log(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim());
