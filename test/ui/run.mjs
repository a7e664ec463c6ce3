// Click-through UI tests: packages the extension, installs the .vsix into a
// throwaway code-server, opens the real workbench in headless Chromium and
// runs the mocha suites in test/ui/suite/*.ui.mjs against it, as a person
// would use it. Screenshots of every step land in test-results/screenshots/.
//   npm run test:ui
//   CODE_OPS_UI_GREP="<title>" npm run test:ui      only matching tests
// Knobs:
//   CODE_OPS_UI_VSIX=<file>        install this .vsix instead of packaging
//   CODE_OPS_UI_TIMEOUT_MS         whole-run limit (default 600000)
//   CODE_OPS_KEEP_TMP=1            keep the temp folders after the run
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Mocha from 'mocha';
import { repoRoot, resultsDir } from '../host/paths.mjs';
import { isProvisioned, provisionCodeServer } from '../host/provision.mjs';
import { launchChromium, startCodeServer, workbenchUrl } from '../host/codeServer.mjs';
import { packageVsix } from '../host/vsix.mjs';
import { CALM_WORKBENCH_SETTINGS, appServerSettings, writeSampleCodeHome, writeSampleWorkspace } from '../host/sample.mjs';
import { screenshotDir } from './workbench.mjs';
import { session } from './session.mjs';

const started = Date.now();
const timeoutMs = Number(process.env.CODE_OPS_UI_TIMEOUT_MS ?? 600_000);
const keepTmp = process.env.CODE_OPS_KEEP_TMP === '1';
const say = (m) => console.log(`[ui-tests] ${m}`);
const suiteDir = join(repoRoot, 'test', 'ui', 'suite');

let server;
let browser;
let page;
let cleaningUp;
const runDir = mkdtempSync(join(tmpdir(), 'code-ops-ui-'));

function cleanup() {
  cleaningUp ??= (async () => {
    await browser?.close().catch(() => {});
    await server?.stop({ keepTemp: keepTmp }).catch((e) => say(`stopping code-server: ${e.message}`));
    if (keepTmp) say(`kept ${runDir} and ${server?.dirs.tmp}`);
    else rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
  })();
  return cleaningUp;
}

let finishing = false;
/** Ends the run once: a signal and a failing step may both get here. */
async function finish(code, reason) {
  if (finishing) return new Promise(() => {});
  finishing = true;
  if (reason) say(reason);
  await cleanup();
  say(`exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(code);
}

function copyServerLog() {
  if (!server) return;
  try {
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'ui-code-server.log'), readFileSync(server.logFile));
    say('code-server log: test-results/ui-code-server.log');
  } catch {}
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => void finish(130, `${signal}: stopping`));
}

const watchdog = setTimeout(async () => {
  mkdirSync(resultsDir, { recursive: true });
  const shot = join(resultsDir, `ui-timeout-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
  if (page) await page.screenshot({ path: shot }).catch(() => {});
  copyServerLog();
  await finish(1, `no result within ${timeoutMs} ms${page ? `; screenshot: ${shot}` : ''}`);
}, timeoutMs);

try {
  if (!isProvisioned()) await provisionCodeServer();
  const vsix = process.env.CODE_OPS_UI_VSIX ?? packageVsix(join(runDir, 'code-ops.vsix'), say);

  const codeHome = join(runDir, 'code-home');
  const workspace = join(runDir, 'workspace');
  writeSampleCodeHome(codeHome);
  // The fake server keeps the click-through deterministic; autoStart stays off so each step decides.
  writeSampleWorkspace(workspace, { settings: { ...appServerSettings({ preferReal: false }), 'codeOps.appServer.autoStart': false } });

  rmSync(screenshotDir, { recursive: true, force: true });
  server = await startCodeServer({
    env: { CODE_HOME: codeHome },
    vsix,
    userSettings: CALM_WORKBENCH_SETTINGS,
    smokeTestDriver: false,
    log: say,
    tmpPrefix: 'code-ops-ui-server-',
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  Object.assign(session, { page, url: server.url, codeHome, workspace });
  await page.goto(workbenchUrl(server, { folder: workspace }));
  say(`workbench opened at ${server.url}`);

  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: 'spec', bail: false });
  Mocha.reporters.Base.useColors = Boolean(process.stdout.isTTY);
  if (process.env.CODE_OPS_UI_GREP) mocha.grep(process.env.CODE_OPS_UI_GREP);
  for (const f of readdirSync(suiteDir).filter((f) => f.endsWith('.ui.mjs')).sort()) mocha.addFile(join(suiteDir, f));
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  clearTimeout(watchdog);
  say(`screenshots: ${screenshotDir}`);
  console.log(`ui: ${stats.passes} passed, ${stats.failures} failed${stats.pending ? `, ${stats.pending} skipped` : ''}`);
  if (stats.failures) copyServerLog();
  await finish(stats.failures ? 1 : 0);
} catch (e) {
  clearTimeout(watchdog);
  copyServerLog();
  await finish(1, `harness error: ${e instanceof Error ? e.stack : e}`);
}
