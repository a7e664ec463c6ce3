// The supervised app server from the status bar and the command palette:
// start, hover, restart, a crash loop and "Restart Anyway".
/* global describe, it, before */
import * as assert from 'node:assert/strict';
import { STATUS_ITEM, crashProcess, isAlive, pidFromTooltip } from '../codeOps.mjs';
import { session, workbenchPage } from '../session.mjs';
import {
  calm,
  clickNotificationButton,
  docScreenshot,
  hoverStatusBar,
  readNotificationToast,
  recordStatusBarTexts,
  runPaletteCommand,
  screenshot,
  settledBox,
  statusBarItem,
  statusBarText,
  waitForStatusBar,
  waitUntil,
} from '../workbench.mjs';

const HEALTHY = /^Code: healthy\b/;
/** The bottom-left corner: the status bar item and the hover above it. */
const STATUS_CLIP = { x: 0, y: 470, width: 720, height: 330 };

/** Hovers the status item until its tooltip shows `state`; returns the tooltip text. */
async function tooltip(page, state) {
  const text = await hoverStatusBar(page, STATUS_ITEM, { pattern: new RegExp(`Code app server: ${state}`) });
  return text;
}

describe('App server in the status bar', function () {
  let page;

  before(function () {
    page = workbenchPage();
  });

  it('shows the stopped server with an explaining hover', async function () {
    assert.match(await statusBarText(page, STATUS_ITEM), /^Code: stopped$/);
    const hover = await tooltip(page, 'stopped');
    assert.match(hover, /not started/);
    assert.ok(hover.includes(`CODE_HOME: ${session.codeHome}`), `the hover names CODE_HOME (${JSON.stringify(hover)})`);
    assert.match(hover, /Start App Server/, 'and offers to start it');
    await screenshot(page, 'status-stopped');
    await calm(page);
  });

  it('"Code Ops: Start App Server" turns it healthy; the hover shows pid and CODE_HOME', async function () {
    await runPaletteCommand(page, 'Code Ops: Start App Server');
    const text = await waitForStatusBar(page, STATUS_ITEM, HEALTHY);
    // The sample's critical.log holds a panic from a minute and a half ago: said at once, with the flame icon.
    assert.match(text, /^Code: healthy, 1 panic in 24 h$/, 'healthy, and the panic already in the logs');
    assert.equal(await statusBarItem(page, STATUS_ITEM).locator('.codicon-flame').count(), 1, 'with the flame icon');
    const hover = await tooltip(page, 'healthy');
    assert.match(hover, /^panics in the last 24 h: 1$/m, 'the hover counts the same panic');
    const pid = pidFromTooltip(hover);
    assert.ok(isAlive(pid), `pid ${pid} in the hover is a live process`);
    assert.ok(hover.includes(`CODE_HOME: ${session.codeHome}`), `the hover names CODE_HOME (${JSON.stringify(hover)})`);
    assert.match(hover, /^uptime: \d+s \(initialize took [\d.]+ (ms|s)\)$/m);
    assert.match(hover, session.appServer === 'fake' ? /^user agent: fake-app-server\/1\.0 \(code-ops; /m : /^user agent: \S+/m, 'the user agent the server answered with');
    assert.match(hover, /Restart App Server/);
    await docScreenshot(page, 'status-healthy-hover', { docName: 'status-healthy', clip: STATUS_CLIP });
    await calm(page);
  });

  it('"Code Ops: Restart App Server" replaces the process and ends healthy', async function () {
    const oldPid = pidFromTooltip(await tooltip(page, 'healthy'));
    await calm(page);
    const seen = await recordStatusBarTexts(page, STATUS_ITEM);
    await runPaletteCommand(page, 'Code Ops: Restart App Server');
    await waitUntil(
      async () => {
        const texts = await seen();
        return texts.length >= 3 && HEALTHY.test(texts[texts.length - 1]) && texts.slice(1, -1).some((t) => !HEALTHY.test(t)) ? texts : undefined;
      },
      { what: 'the status to leave "healthy" and come back', timeoutMs: 20_000, describe: async () => (await seen()).join(' → ') },
    );
    const texts = await seen({ stop: true });
    assert.ok(texts.some((t) => /^Code: (stopped|starting)$/.test(t)), `it went through stopped or starting (${texts.join(' → ')})`);
    const after = pidFromTooltip(await tooltip(page, 'healthy'));
    assert.notEqual(after, oldPid, 'a new process');
    await waitUntil(() => !isAlive(oldPid), { what: `the old process ${oldPid} to be gone`, timeoutMs: 10_000 });
    await screenshot(page, 'status-after-restart');
    await calm(page);
  });

  it('a server that keeps dying ends in a crash loop with an alert; "Restart Anyway" brings it back', async function () {
    this.timeout(120_000);
    // Three restarts within ten minutes are allowed (checklist: more than 3 is a crash loop); the fourth crash stops them.
    const crashed = [];
    for (let i = 1; i <= 4; i++) {
      const pid = pidFromTooltip(await tooltip(page, 'healthy'));
      await calm(page);
      crashProcess(pid);
      crashed.push(pid);
      if (i < 4) {
        await waitForStatusBar(page, STATUS_ITEM, /^Code: (crashed|restarting|starting)/, { timeoutMs: 10_000 });
        await waitForStatusBar(page, STATUS_ITEM, HEALTHY, { timeoutMs: 30_000 });
      }
    }
    await waitForStatusBar(page, STATUS_ITEM, /^Code: crash loop$/, { timeoutMs: 15_000 });
    const item = statusBarItem(page, STATUS_ITEM);
    assert.match((await item.getAttribute('class')) ?? '', /\berror-kind\b/, 'the status item has the error background');
    assert.equal(await item.locator('.codicon-error').count(), 1, 'and the error icon');

    const alert = await readNotificationToast(page, /app server is in a crash loop/);
    assert.equal(alert.severity, 'error');
    const counted = /failed again after (\d+) restarts within 10 minutes, so it is not restarted/.exec(alert.message);
    assert.ok(counted, `the alert counts the restarts (${alert.message})`);
    assert.match(alert.message, /Last failure: The app server exited \(signal SIGKILL\)/, 'the alert says how the last process ended');
    assert.match(alert.message, /Last stderr line: \S/, 'and the last line the server wrote');
    // A crash is not about config.toml: no button to open it.
    assert.deepEqual(alert.buttons, ['Show Logs', 'Restart Anyway']);
    await settledBox(alert.toast);
    await docScreenshot(page, 'status-crash-loop', { clip: { x: 0, y: 540, width: 1280, height: 260 } });

    const hover = await tooltip(page, 'crash loop');
    assert.match(hover, new RegExp(`^restarts in the last 10 minutes: ${counted[1]}$`, 'm'), 'the hover agrees with the alert');
    assert.equal(counted[1], '3');
    assert.match(hover, /Restart Anyway/);
    await calm(page);

    await clickNotificationButton(page, /app server is in a crash loop/, 'Restart Anyway');
    await waitForStatusBar(page, STATUS_ITEM, HEALTHY, { timeoutMs: 20_000 });
    const pid = pidFromTooltip(await tooltip(page, 'healthy'));
    assert.ok(!crashed.includes(pid) && isAlive(pid), `a fresh live process (${pid})`);
    assert.equal((await item.getAttribute('class'))?.includes('error-kind'), false, 'the error background is gone');
    await screenshot(page, 'status-restarted-anyway');
    await calm(page);
  });
});
