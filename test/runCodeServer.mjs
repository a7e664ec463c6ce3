// Runs the integration suites (out/integration/index.js, bundled by esbuild.mjs)
// inside a real VS Code host: code-server 1.139 with its Node extension host,
// whose workbench headless Chromium opens with the development payload.
//   npm run test:integration            build, then run every suite
//   CODE_OPS_TEST_GREP="<title>" npm run test:integration
//
// Environment the extension host (and so every suite) receives:
//   CODE_HOME                 a fresh, empty temp folder for this run
//   CODE_OPS_TEST_CODE_HOME   the same folder (explicit name for tests)
//   CODE_OPS_TEST_WORKSPACE   the fresh temp folder opened as the workspace
//   CODE_OPS_REPO             the repository root (fixtures: $CODE_OPS_REPO/test/fixtures)
//   CODE_OPS_TEST_GREP        forwarded when set: mocha runs only matching tests
//   CODE_OPS_TEST_OUTPUT_MARKER  (internal) how test/integration/index.ts marks the
//                             test run's console lines so this runner can pick them out
// They are set on the code-server process; the extension host is its child and
// inherits them (the first test in suite/activation.test.ts checks they arrive).
// Knobs of this runner:
//   CODE_OPS_TEST_TIMEOUT_MS  whole-run limit (default 600000); on expiry a
//                             screenshot is saved to test-results/ and the run fails
//   CODE_OPS_TEST_VERBOSE=1   also print the workbench's own console lines
//   CODE_OPS_KEEP_TMP=1       keep the temp folders (server log, CODE_HOME) after the run
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, resultsDir } from './host/paths.mjs';
import { isProvisioned, provisionCodeServer } from './host/provision.mjs';
import { launchChromium, remoteUri, startCodeServer, workbenchUrl } from './host/codeServer.mjs';
import { harnessRun } from './host/run.mjs';
import { TEST_OUTPUT_MARKER, formatConsoleArgs, isWorkbenchNoise, testOutput } from './host/console.mjs';

const started = Date.now();
const timeoutMs = Number(process.env.CODE_OPS_TEST_TIMEOUT_MS ?? 600_000);
const verbose = process.env.CODE_OPS_TEST_VERBOSE === '1';
const keepTmp = process.env.CODE_OPS_KEEP_TMP === '1';
const testsIndex = join(repoRoot, 'out', 'integration', 'index.js');
const say = (m) => console.log(`[code-server-tests] ${m}`);

if (!existsSync(testsIndex)) {
  console.error(`[code-server-tests] ${testsIndex} is missing: build first with \`node esbuild.mjs\` (npm run test:integration does).`);
  process.exit(2);
}

if (!isProvisioned()) {
  try {
    await provisionCodeServer();
  } catch (e) {
    console.error(`[code-server-tests] could not provision code-server: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}

const run = harnessRun({
  say,
  tmpPrefix: 'code-ops-it-',
  keepTmp,
  started,
  beforeExit: () => {
    if (counts.seen) console.log(`integration: ${counts.passing} passed, ${counts.failing} failed${counts.pending ? `, ${counts.pending} skipped` : ''}`);
  },
});
const { runDir, finish } = run;
const codeHome = join(runDir, 'code-home');
const workspace = join(runDir, 'workspace');
mkdirSync(codeHome);
mkdirSync(workspace);
const hostEnv = {
  CODE_HOME: codeHome,
  CODE_OPS_TEST_CODE_HOME: codeHome,
  CODE_OPS_TEST_WORKSPACE: workspace,
  CODE_OPS_REPO: repoRoot,
  CODE_OPS_TEST_OUTPUT_MARKER: TEST_OUTPUT_MARKER,
  CODE_OPS_TEST_HOOKS: '1',
  ...(process.env.CODE_OPS_TEST_GREP ? { CODE_OPS_TEST_GREP: process.env.CODE_OPS_TEST_GREP } : {}),
};

let consoleQueue = Promise.resolve();
/** Errors outside the test output (say, a suite that fails to load); shown when the run fails. */
const workbenchErrors = [];

async function printConsoleMessage(msg) {
  let values;
  try {
    values = await Promise.all(msg.args().map((a) => a.jsonValue()));
  } catch {
    values = [msg.text()];
  }
  const { level, text } = formatConsoleArgs(values);
  const output = testOutput(text);
  if (output !== undefined) {
    console.log(output);
    countResults(output);
  } else if (verbose) {
    console.log(`[workbench${level ? ` ${level}` : ''}] ${text}`);
  } else if ((level === 'ERR' || msg.type() === 'error') && text.trim() && !isWorkbenchNoise(text) && !/integration test\(s\) failed/.test(text) && !workbenchErrors.includes(text)) {
    workbenchErrors.push(text);
  }
}

/** Mocha's closing counts, repeated as one plain `N passed, N failed` line at the end. */
const counts = { passing: 0, failing: 0, pending: 0, seen: false };
function countResults(output) {
  const m = /^\s*(\d+) (passing|failing|pending)\b/.exec(output);
  if (m) {
    counts[m[2]] = Number(m[1]);
    counts.seen = true;
  }
}

// The whole run (server start, workbench, tests) races this limit.
let page;
let watchdog;
const timedOut = new Promise((resolve) => {
  watchdog = setTimeout(() => resolve('timeout'), timeoutMs);
});

async function runTests() {
  const server = (run.server = await startCodeServer({ env: hostEnv, log: say, tmpPrefix: 'code-ops-it-server-' }));
  const browser = (run.browser = await launchChromium());
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const exitCode = new Promise((resolve) => {
    // The workbench calls this (smoke-test driver) once the tests' run() settles.
    void page.exposeFunction('codeAutomationExit', (code, logs) => {
      if (Array.isArray(logs) && code !== 0) saveHostLogs(logs);
      resolve(Number(code));
    });
  });
  page.on('console', (msg) => {
    // Argument values arrive asynchronously: chain them so lines keep their order.
    consoleQueue = consoleQueue.then(() => printConsoleMessage(msg));
  });
  page.on('pageerror', (err) => {
    if (verbose) console.log(`[page error] ${err.message}`);
  });
  const url = workbenchUrl(server, {
    folder: workspace,
    payload: [
      ['extensionDevelopmentPath', remoteUri(server, repoRoot)],
      ['extensionTestsPath', remoteUri(server, testsIndex)],
    ],
  });
  await page.goto(url);
  say(`workbench opened; running tests${hostEnv.CODE_OPS_TEST_GREP ? ` matching "${hostEnv.CODE_OPS_TEST_GREP}"` : ''}`);
  return exitCode;
}

try {
  const outcome = await Promise.race([runTests(), timedOut]);
  clearTimeout(watchdog);
  await Promise.race([consoleQueue, new Promise((r) => setTimeout(r, 2000))]);
  if (outcome !== 0 && workbenchErrors.length) {
    say('errors the workbench logged during the run:');
    for (const e of workbenchErrors.slice(-20)) console.log(`  ${e.split('\n').slice(0, 6).join('\n  ')}`);
  }
  if (outcome === 'timeout') {
    mkdirSync(resultsDir, { recursive: true });
    const shot = join(resultsDir, `integration-timeout-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
    if (page) await page.screenshot({ path: shot }).catch((e) => say(`screenshot failed: ${e.message}`));
    run.copyServerLog('integration-code-server.log');
    await finish(1, `no result within ${timeoutMs} ms${page ? `; screenshot: ${shot}` : ''}`);
  } else {
    if (outcome !== 0) run.copyServerLog('integration-code-server.log');
    await finish(outcome, outcome === 0 ? 'tests passed' : `tests failed (exit ${outcome})`);
  }
} catch (e) {
  clearTimeout(watchdog);
  run.copyServerLog('integration-code-server.log');
  await finish(1, `harness error: ${e instanceof Error ? e.stack : e}`);
}


/** The workbench hands over its log files ({ relativePath, contents }) with a failing exit. */
function saveHostLogs(logs) {
  try {
    const dir = join(resultsDir, 'integration-logs');
    for (const { relativePath, contents } of logs) {
      if (typeof relativePath !== 'string' || relativePath.includes('..')) continue;
      const file = join(dir, relativePath);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, contents);
    }
  } catch {}
}
