// Runs the same integration suites (out/integration/index.js) in desktop VS Code
// through @vscode/test-electron, which downloads VS Code into .vscode-test/.
// Needs internet access (or CODE_OPS_VSCODE_EXECUTABLE) and, on Linux without a
// desktop, a virtual display (`xvfb-run -a npm run test:electron`). Offline,
// use `npm run test:integration` (code-server) instead.
//
// The extension host gets the same environment as with test/runCodeServer.mjs:
//   CODE_HOME, CODE_OPS_TEST_CODE_HOME  a fresh, empty temp folder
//   CODE_OPS_TEST_WORKSPACE             the temp folder opened as the workspace
//   CODE_OPS_REPO                       the repository root
//   CODE_OPS_TEST_GREP                  forwarded when set
// Knobs:
//   CODE_OPS_VSCODE_VERSION     which VS Code to download (default: stable; e.g. 1.91.0, the engine floor)
//   CODE_OPS_VSCODE_EXECUTABLE  an installed VS Code binary to use instead of downloading
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './host/paths.mjs';

const started = Date.now();
const say = (m) => console.log(`[electron-tests] ${m}`);
const testsIndex = join(repoRoot, 'out', 'integration', 'index.js');
if (!existsSync(testsIndex)) {
  console.error(`[electron-tests] ${testsIndex} is missing: build first with \`node esbuild.mjs\` (npm run test:electron does).`);
  process.exit(2);
}

const runDir = mkdtempSync(join(tmpdir(), 'code-ops-electron-'));
const codeHome = join(runDir, 'code-home');
const workspace = join(runDir, 'workspace');
for (const d of [codeHome, workspace, join(runDir, 'user-data'), join(runDir, 'extensions')]) mkdirSync(d, { recursive: true });

const extensionTestsEnv = {
  CODE_HOME: codeHome,
  CODE_OPS_TEST_CODE_HOME: codeHome,
  CODE_OPS_TEST_WORKSPACE: workspace,
  CODE_OPS_REPO: repoRoot,
  CODE_OPS_TEST_HOOKS: '1',
  ...(process.env.CODE_OPS_TEST_GREP ? { CODE_OPS_TEST_GREP: process.env.CODE_OPS_TEST_GREP } : {}),
};

/** Errors that mean VS Code could not be downloaded, rather than a failing test. */
function isDownloadFailure(error) {
  const text = `${error?.code ?? ''} ${error?.message ?? error}`;
  return /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|Failed to get JSON|Failed to download|update\.code\.visualstudio\.com/i.test(text);
}

let code;
try {
  say(`running ${testsIndex} in VS Code ${process.env.CODE_OPS_VSCODE_EXECUTABLE ?? process.env.CODE_OPS_VSCODE_VERSION ?? 'stable'}`);
  code = await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsIndex,
    extensionTestsEnv,
    ...(process.env.CODE_OPS_VSCODE_EXECUTABLE
      ? { vscodeExecutablePath: process.env.CODE_OPS_VSCODE_EXECUTABLE }
      : { version: process.env.CODE_OPS_VSCODE_VERSION ?? 'stable', cachePath: join(repoRoot, '.vscode-test') }),
    launchArgs: [
      workspace,
      '--user-data-dir',
      join(runDir, 'user-data'),
      '--extensions-dir',
      join(runDir, 'extensions'),
      '--disable-workspace-trust',
      '--disable-telemetry',
    ],
  });
} catch (e) {
  if (isDownloadFailure(e)) {
    console.error(
      `[electron-tests] could not download VS Code (${e?.code ?? ''} ${e?.message ?? e}).\n` +
        '[electron-tests] This route needs internet access to the VS Code update site, or CODE_OPS_VSCODE_EXECUTABLE pointing at an installed VS Code.\n' +
        '[electron-tests] Offline, run the same suites in code-server: npm run test:integration',
    );
  } else {
    // runTests rejects with "Test run failed with code N" when the suites fail; their output was already printed.
    console.error(`[electron-tests] ${e instanceof Error ? e.message : e}`);
  }
  code = 1;
} finally {
  rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
}
say(`exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);
