import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The real upstream `codex app-server`, installed from the npm package
 * `@openai/codex` into the git-ignored test cache (see scripts/install-peer.mjs).
 * Spawned directly (not through the JS launcher) so signals reach it.
 */
export function codexBinary(): string | undefined {
  const fromEnv = process.env.CODE_OPS_CODEX_BIN;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  const repo = path.resolve(__dirname, '..');
  const candidate = path.join(
    repo,
    '.vscode-test/peer/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex',
  );
  return fs.existsSync(candidate) ? candidate : undefined;
}

/**
 * For peer tests: returns the binary. A missing peer is a failure that says how
 * to install it, never a silent skip.
 */
export function requirePeer(_ctx?: Mocha.Context): string {
  const bin = codexBinary();
  if (bin) return bin;
  throw new Error('codex peer not installed: run `node scripts/install-peer.mjs`');
}
