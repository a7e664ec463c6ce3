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
//   CODE_OPS_UI_APP_SERVER=real    supervise the real codex app-server (when installed)
//                                  instead of the fake one the steps are written against
//   CODE_OPS_UI_UPDATE_DOCS=1      after a run without failures, copy the curated
//                                  screenshots (test-results/screenshots/docs/) to docs/screenshots/
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import SkipCountingReporter from '../unit/setup/reporter.cjs';
import { repoRoot, resultsDir } from '../host/paths.mjs';
import { isProvisioned, provisionCodeServer } from '../host/provision.mjs';
import { launchChromium, startCodeServer, workbenchUrl } from '../host/codeServer.mjs';
import { packageVsix } from '../host/vsix.mjs';
import { harnessRun } from '../host/run.mjs';
import { CALM_WORKBENCH_SETTINGS, SAMPLE_SIGNER, appServerSettings, codexBinary, writeGitIdentity, writeSampleCodeHome, writeSampleWorkspace } from '../host/sample.mjs';
import { docShotDir, screenshotDir } from './workbench.mjs';
import { session } from './session.mjs';

const started = Date.now();
const timeoutMs = Number(process.env.CODE_OPS_UI_TIMEOUT_MS ?? 600_000);
const keepTmp = process.env.CODE_OPS_KEEP_TMP === '1';
const say = (m) => console.log(`[ui-tests] ${m}`);
const suiteDir = join(repoRoot, 'test', 'ui', 'suite');

let page;
const run = harnessRun({ say, tmpPrefix: 'code-ops-ui-', keepTmp, started });
const { runDir, finish } = run;


/** Copies the curated screenshots into docs/screenshots/, only after a run where every step passed. */
function updateDocScreenshots(stats) {
  if (stats.failures || process.env.CODE_OPS_UI_GREP) {
    say('docs/screenshots/ left as it was: update it from a complete run without failures');
    return;
  }
  const target = join(repoRoot, 'docs', 'screenshots');
  mkdirSync(target, { recursive: true });
  const shots = existsSync(docShotDir) ? readdirSync(docShotDir).filter((f) => f.endsWith('.png')) : [];
  for (const f of shots) copyFileSync(join(docShotDir, f), join(target, f));
  say(`copied ${shots.length} screenshots to docs/screenshots/`);
}


const watchdog = setTimeout(async () => {
  mkdirSync(resultsDir, { recursive: true });
  const shot = join(resultsDir, `ui-timeout-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
  if (page) await page.screenshot({ path: shot }).catch(() => {});
  run.copyServerLog('ui-code-server.log');
  await finish(1, `no result within ${timeoutMs} ms${page ? `; screenshot: ${shot}` : ''}`);
}, timeoutMs);

try {
  if (!isProvisioned()) await provisionCodeServer();
  const vsix = process.env.CODE_OPS_UI_VSIX ?? packageVsix(join(runDir, 'code-ops.vsix'), say);

  const codeHome = join(runDir, 'code-home');
  const workspace = join(runDir, 'workspace');
  writeSampleCodeHome(codeHome);
  // The fake server keeps the click-through deterministic; autoStart stays off so each step decides.
  const real = process.env.CODE_OPS_UI_APP_SERVER === 'real';
  if (real && !codexBinary()) say('CODE_OPS_UI_APP_SERVER=real, but the codex binary is not installed (scripts/install-peer.mjs): using the fake server');
  const serverSettings = appServerSettings({ preferReal: real });
  // Probes every 3 s instead of 15 s: the Server Timeline's latency sparkline gets points within the run.
  writeSampleWorkspace(workspace, { settings: { ...serverSettings, 'codeOps.appServer.autoStart': false, 'codeOps.appServer.probeIntervalSeconds': 3 } });
  // Sign-offs record `git config user.name`: give the host a known one instead of this machine's.
  const gitConfig = writeGitIdentity(join(runDir, 'gitconfig'));

  rmSync(screenshotDir, { recursive: true, force: true });
  const server = (run.server = await startCodeServer({
    env: { CODE_HOME: codeHome, GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: '1' },
    vsix,
    userSettings: CALM_WORKBENCH_SETTINGS,
    smokeTestDriver: false,
    log: say,
    tmpPrefix: 'code-ops-ui-server-',
  }));
  const browser = (run.browser = await launchChromium());
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  Object.assign(session, {
    page,
    url: server.url,
    codeServerPid: server.pid,
    codeHome,
    workspace,
    signer: SAMPLE_SIGNER,
    appServer: serverSettings['codeOps.appServer.command'] === 'node' ? 'fake' : 'real',
  });
  await page.goto(workbenchUrl(server, { folder: workspace }));
  say(`workbench opened at ${server.url}`);

  // The spec reporter, ending with the number of skipped tests; a skip not declared platform-specific fails the run.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: SkipCountingReporter, bail: false });
  Mocha.reporters.Base.useColors = Boolean(process.stdout.isTTY);
  if (process.env.CODE_OPS_UI_GREP) mocha.grep(process.env.CODE_OPS_UI_GREP);
  for (const f of readdirSync(suiteDir).filter((f) => f.endsWith('.ui.mjs')).sort()) mocha.addFile(join(suiteDir, f));
  await mocha.loadFilesAsync();
  const { stats, failures } = await new Promise((resolve) => {
    const runner = mocha.run((failures) => resolve({ stats: runner.stats, failures }));
  });
  clearTimeout(watchdog);
  say(`screenshots: ${screenshotDir}`);
  console.log(`ui: ${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped${failures > stats.failures ? ' (not declared platform-specific: a failure)' : ''}`);
  if (failures) run.copyServerLog('ui-code-server.log');
  if (process.env.CODE_OPS_UI_UPDATE_DOCS === '1') updateDocScreenshots(stats);
  await finish(failures ? 1 : 0);
} catch (e) {
  clearTimeout(watchdog);
  run.copyServerLog('ui-code-server.log');
  await finish(1, `harness error: ${e instanceof Error ? e.stack : e}`);
}
