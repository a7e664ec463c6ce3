// Installs Node 24 and code-server (a real VS Code 1.139 host) into the
// git-ignored .vscode-test/ cache for the integration and UI tests. Reuses a
// complete install; prints what it does and how long it took.
//   node scripts/provision-code-server.mjs
import { provisionCodeServer } from '../test/host/provision.mjs';

const started = Date.now();
try {
  const installed = await provisionCodeServer();
  console.log(`[provision] ${installed ? 'cold install' : 'reused'}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error(`[provision] failed after ${((Date.now() - started) / 1000).toFixed(1)} s: ${e instanceof Error ? e.message : e}`);
  console.error('[provision] code-server needs a C++ toolchain, python3 and the Kerberos headers (Debian: libkrb5-dev).');
  process.exit(1);
}
