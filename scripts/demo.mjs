// Try Code Ops in a real VS Code (code-server) with a sample CODE_HOME:
//   npm run demo                 package, start, print the URL; Ctrl-C stops everything
//   npm run demo -- --screenshot also save test-results/demo.png from headless Chromium, then stop
//   CODE_OPS_DEMO_PORT=8080 npm run demo
// The sample (rewritten on every start, under the git-ignored .code-ops-demo/):
//   code-home/config.toml          [otel] with a typo (`enviroment`) and otlp-http without protocol
//   code-home/log/code-tui.log     a few TUI log lines
//   code-home/logs/critical.log.<today, UTC>  with a `Panic occurred` line
//   workspace/.code-ops/readiness.json      two sign-offs
//   workspace/.vscode/settings.json         the app server: the real `codex app-server` when
//                                           scripts/install-peer.mjs installed it, else the fake
//                                           server fixture under Node; autoStart on
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, resultsDir } from '../test/host/paths.mjs';
import { isProvisioned, provisionCodeServer } from '../test/host/provision.mjs';
import { freePort, launchChromium, startCodeServer, workbenchUrl } from '../test/host/codeServer.mjs';
import { packageVsix } from '../test/host/vsix.mjs';
import { onOrphaned } from '../test/host/orphan.mjs';
import { CALM_WORKBENCH_SETTINGS, appServerSettings, writeSampleCodeHome, writeSampleWorkspace } from '../test/host/sample.mjs';

const { values: options } = parseArgs({ options: { screenshot: { type: 'boolean', default: false } } });
const say = (m) => console.log(`[demo] ${m}`);
const demoDir = join(repoRoot, '.code-ops-demo');
const codeHome = join(demoDir, 'code-home');
const workspace = join(demoDir, 'workspace');

let host;
let starting = false;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  say('stopping code-server and everything it started…');
  if (!host && starting) return; // stopped as soon as it is up, below
  await host?.stop();
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(0));
// `npm run demo` killed with SIGTERM takes its shell along but never signals us.
onOrphaned(() => {
  say('the npm process that started the demo is gone');
  void stop(0);
});

if (!isProvisioned()) await provisionCodeServer();
mkdirSync(demoDir, { recursive: true });
const vsix = packageVsix(join(demoDir, 'code-ops.vsix'), say);

rmSync(codeHome, { recursive: true, force: true });
rmSync(workspace, { recursive: true, force: true });
writeSampleCodeHome(codeHome);
const server = appServerSettings({ preferReal: true });
writeSampleWorkspace(workspace, { settings: { ...server, 'codeOps.appServer.autoStart': true } });
say(`CODE_HOME ${codeHome}`);
say(`app server: ${server['codeOps.appServer.command']} ${server['codeOps.appServer.args'].join(' ')}`);

const requestedPort = process.env.CODE_OPS_DEMO_PORT ? Number(process.env.CODE_OPS_DEMO_PORT) : undefined;
if (requestedPort !== undefined && !(requestedPort > 0 && requestedPort < 65536)) {
  console.error(`[demo] CODE_OPS_DEMO_PORT must be a port number (got ${process.env.CODE_OPS_DEMO_PORT})`);
  process.exit(2);
}
starting = true;
host = await startCodeServer({
  env: { CODE_HOME: codeHome },
  vsix,
  port: requestedPort ?? (await freePort()),
  userSettings: CALM_WORKBENCH_SETTINGS,
  smokeTestDriver: false,
  log: say,
  tmpPrefix: 'code-ops-demo-server-',
});

if (stopping) {
  // asked to stop while code-server was starting
  await host.stop();
  process.exit(0);
}
host.child.on('exit', (code, signal) => {
  if (stopping) return;
  let tail = '';
  try {
    tail = readFileSync(host.logFile, 'utf8').split('\n').slice(-20).join('\n');
  } catch {}
  console.error(`[demo] code-server exited (${signal ?? `exit ${code}`}):\n${tail}`);
  void stop(1);
});

const url = workbenchUrl(host, { folder: workspace });
console.log(`\n  Code Ops demo: ${url}\n  (loopback only; Ctrl-C stops it)\n`);

if (options.screenshot) {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.locator('.part.statusbar [id="code-ops.code-ops.codeOps.status"]').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForTimeout(5000); // let autoStart and the log followers settle
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path: join(resultsDir, 'demo.png') });
    say(`screenshot: ${join(resultsDir, 'demo.png')}`);
  } finally {
    await browser.close();
  }
  await stop(0);
}
