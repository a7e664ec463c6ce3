// Once against the real upstream peer: the settings switched to `codex app-server`
// (test/peer.ts, scripts/install-peer.mjs), started from the palette, healthy in the
// status bar, the home it reports in the hover, the config file it refused in the
// Problems panel under its own source, and stopped again. The other steps run the fake.
/* global describe, it, before, after */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codexBinary } from '../../host/sample.mjs';
import { STATUS_ITEM, isAlive, pidFromTooltip } from '../codeOps.mjs';
import { session, workbenchPage } from '../session.mjs';
import {
  calm,
  hoverStatusBar,
  outputText,
  panel,
  readNotificationToast,
  readProblems,
  runPaletteCommand,
  screenshot,
  selectedOutputChannel,
  settledBox,
  showProblems,
  statusBarItem,
  waitForStatusBar,
  waitUntil,
  waitVisibleOrDialog,
} from '../workbench.mjs';

const HEALTHY = /^Code: healthy\b/;

/** Hovers the status item until its tooltip shows `state`; returns the tooltip text. */
async function tooltip(page, state) {
  return hoverStatusBar(page, STATUS_ITEM, { pattern: new RegExp(`Code app server: ${state}`) });
}

/** Shows the App Server output channel and waits until its rendered text matches `pattern` (filtered by `term`). */
async function waitForServerOutput(page, term, pattern) {
  await runPaletteCommand(page, 'Code Ops: Show App Server Output');
  await waitVisibleOrDialog(page, panel(page));
  await waitUntil(async () => (await selectedOutputChannel(page)) === 'App Server', { what: 'the App Server channel', describe: () => selectedOutputChannel(page) });
  const filter = panel(page).locator('input[placeholder^="Filter"]').first();
  await filter.fill(term);
  try {
    return await waitUntil(async () => {
      const text = (await outputText(page)).replace(/\n/g, '');
      return pattern.test(text) ? text : undefined;
    }, { what: `${pattern} in the App Server channel`, timeoutMs: 20_000, describe: () => outputText(page) });
  } finally {
    await filter.fill('');
  }
}

describe('App server: the real codex peer', function () {
  let page;
  let codex;
  let settingsFile;
  let original;

  before(function () {
    page = workbenchPage();
    codex = codexBinary();
    // Not a skip: a missing peer is a broken set-up, and the message says how to mend it.
    if (!codex) throw new Error('the codex peer is not installed: run `node scripts/install-peer.mjs` (npm test does)');
    settingsFile = join(session.workspace, '.vscode', 'settings.json');
    original = readFileSync(settingsFile, 'utf8');
  });

  after(function () {
    if (original !== undefined) writeFileSync(settingsFile, original);
  });

  it('switching the command to `codex app-server` applies at the next start; Start turns the status bar healthy', async function () {
    this.timeout(90_000);
    // The fake server is running (the crash-loop step ended healthy): the change is noted, not applied.
    await waitForStatusBar(page, STATUS_ITEM, HEALTHY);
    const settings = JSON.parse(original);
    writeFileSync(settingsFile, `${JSON.stringify({ ...settings, 'codeOps.appServer.command': codex, 'codeOps.appServer.args': ['app-server'] }, null, 2)}\n`);
    // (With CODE_OPS_UI_APP_SERVER=real the settings already name codex: nothing changes.)
    if (session.appServer === 'fake') await waitForServerOutput(page, 'apply at the next restart', /\[settings\] changed; they apply at the next restart\./);

    await runPaletteCommand(page, 'Code Ops: Stop App Server');
    await waitForStatusBar(page, STATUS_ITEM, /^Code: stopped$/);
    await runPaletteCommand(page, 'Code Ops: Start App Server');
    // The real server takes a second or two to answer initialize.
    await waitForStatusBar(page, STATUS_ITEM, HEALTHY, { timeoutMs: 45_000 });
    const hover = await tooltip(page, 'healthy');
    assert.match(hover, /^user agent: code-ops\/\d+\.\d+\.\d+ \(/m, `the user agent codex answered with (${hover})`);
    assert.doesNotMatch(hover, /fake-app-server/);
    assert.match(hover, /^server version: \d+\.\d+\.\d+/m, 'the version from the user agent');
    // codex reports its home in the initialize answer: the CODE_HOME the extension passed it as CODEX_HOME.
    assert.ok(hover.split('\n').some((l) => l.trim() === `home the server reports: ${session.codeHome}`), `the hover shows the home the server reports (${hover})`);
    const pid = pidFromTooltip(hover);
    assert.ok(isAlive(pid), `pid ${pid} is a live process`);
    assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /codex\0app-server\0/, 'and it is codex app-server');
    await calm(page);
  });

  it('the server refuses the sample config.toml: a warning with its buttons, and its own diagnostic in the Problems panel', async function () {
    // codex 0.169 sends configWarning with the file and a range for a config.toml it could not load (missing `protocol`).
    const alert = await readNotificationToast(page, /Invalid configuration; using defaults/, 20_000);
    assert.equal(alert.severity, 'warning');
    assert.ok(alert.message.startsWith(`Code app server: Invalid configuration; using defaults. ${join(session.codeHome, 'config.toml')}:10:1: missing field \`protocol\``), alert.message);
    assert.deepEqual(alert.buttons, ['Open config.toml', 'Show Logs']);
    await settledBox(alert.toast);

    await showProblems(page);
    const fromServer = await waitUntil(
      async () => (await readProblems(page)).find((p) => p.source === 'code-app-server'),
      { what: 'the code-app-server diagnostic in the Problems panel', timeoutMs: 20_000, describe: async () => JSON.stringify(await readProblems(page)) },
    );
    assert.equal(fromServer.file, 'config.toml');
    assert.equal(fromServer.severity, 'warning');
    assert.equal(fromServer.code, 'server/config-not-applied');
    assert.deepEqual([fromServer.line, fromServer.column], [10, 1], 'where codex says it failed: the [otel.exporter.otlp-http] table');
    assert.match(fromServer.message, /missing field `protocol` The running server ignores this file until it is fixed and the server restarted\.$/);
    await screenshot(page, 'real-peer-config-warning');
  });

  it('"Code Ops: Stop App Server" stops codex: status stopped, process gone, its diagnostic withdrawn', async function () {
    const pid = pidFromTooltip(await tooltip(page, 'healthy'));
    await calm(page);
    await runPaletteCommand(page, 'Code Ops: Stop App Server');
    await waitForStatusBar(page, STATUS_ITEM, /^Code: stopped$/, { timeoutMs: 20_000 });
    await waitUntil(() => !isAlive(pid), { what: `codex (${pid}) to exit`, timeoutMs: 10_000 });
    assert.equal(await statusBarItem(page, STATUS_ITEM).locator('.codicon-error').count(), 0);
    await showProblems(page);
    await waitUntil(async () => !(await readProblems(page)).some((p) => p.source === 'code-app-server'), {
      what: 'the code-app-server diagnostic to leave the Problems panel',
      describe: async () => JSON.stringify(await readProblems(page)),
    });
  });
});
