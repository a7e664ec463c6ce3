// "Code Ops: Show Server Timeline": the webview with what the steps before did to
// the server (starts, restarts, the crash loop, the real peer's config warning, the
// panics), read from the webview's own DOM, and its screenshot for the README.
/* global describe, it, before, getComputedStyle -- getComputedStyle runs in the page (evaluate callbacks) */
import * as assert from 'node:assert/strict';
import { STATUS_ITEM } from '../codeOps.mjs';
import { workbenchPage } from '../session.mjs';
import { calm, docScreenshot, oneLine, runPaletteCommand, waitForStatusBar, waitUntil } from '../workbench.mjs';

/** The document inside the webview: the workbench hosts it in an iframe that holds another (the active frame). */
function webviewDocument(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

describe('Server Timeline', function () {
  let page;

  before(function () {
    page = workbenchPage();
  });

  it('"Code Ops: Show Server Timeline" shows the latency sparkline, the lanes and the events of this run', async function () {
    this.timeout(90_000);
    // The server runs again (the fake: the real-peer step put the settings back), probing every 3 s.
    await runPaletteCommand(page, 'Code Ops: Start App Server');
    await waitForStatusBar(page, STATUS_ITEM, /^Code: healthy\b/, { timeoutMs: 30_000 });
    // The timeline gets the whole editor area, as a person would look at it.
    await runPaletteCommand(page, 'View: Hide Panel');
    await runPaletteCommand(page, 'View: Close Primary Side Bar');
    await runPaletteCommand(page, 'Code Ops: Show Server Timeline');
    const tab = page.locator('.part.editor .tab.active');
    await waitUntil(async () => /Server Timeline/.test(oneLine(await tab.innerText())), { what: 'the Server Timeline editor tab', describe: async () => oneLine(await tab.innerText()) });
    const doc = webviewDocument(page);
    await doc.locator('h1').waitFor({ state: 'visible', timeout: 20_000 });
    assert.match(oneLine(await doc.locator('h1').innerText()), /^Code app server: the last 24 h/);

    // Probes every few seconds since the first start: a line, not a dot.
    const points = await waitUntil(
      async () => {
        const p = ((await doc.locator('svg.spark polyline').getAttribute('points')) ?? '').trim().split(/\s+/).filter(Boolean);
        return p.length >= 6 ? p : undefined;
      },
      { what: 'six or more points in the latency sparkline', timeoutMs: 45_000, describe: async () => (await doc.locator('svg.spark polyline').getAttribute('points')) ?? '(no sparkline)' },
    );
    assert.ok(points.every((p) => /^[\d.]+,[\d.]+$/.test(p)), points.join(' '));
    assert.match((await doc.locator('svg.spark').getAttribute('aria-label')) ?? '', /^probe latency, peak [\d.]+ (ms|s)$/);

    // One lane per kind, each with markers for what the steps did.
    const lanes = Object.fromEntries(
      await doc.locator('.lane').evaluateAll((els) => els.map((l) => [l.querySelector('.lane-label')?.textContent ?? '', l.querySelectorAll('.marker').length])),
    );
    assert.deepEqual(Object.keys(lanes), ['State changes', 'Restarts', 'Panics', 'Config warnings', 'Approvals']);
    assert.ok(lanes['State changes'] >= 10, `starts, stops, crashes and the crash loop (${JSON.stringify(lanes)})`);
    assert.ok(lanes.Restarts >= 3, `the restarts after the crashes (${JSON.stringify(lanes)})`);
    assert.ok(lanes.Panics >= 1, `the panic appended to critical.log (${JSON.stringify(lanes)})`);
    assert.ok(lanes['Config warnings'] >= 1, `the real codex's config warning (${JSON.stringify(lanes)})`);

    const events = (await doc.locator('ol.events li').allInnerTexts()).map(oneLine);
    assert.ok(events.some((e) => /crashed → crash-loop: more than 3 restarts within 10 minutes/.test(e)), events.slice(0, 40).join('\n'));
    assert.ok(events.some((e) => /config warning: Invalid configuration; using defaults\./.test(e)), 'the config warning is listed');
    assert.ok(events.some((e) => /panic \(critical\.log\.\d{4}-\d{2}-\d{2}:\d+\): .*sandbox policy missing for session 42\b.* Open log line$/.test(e)), 'the panic with its file, line and a button to open it');
    // Theme colours: the page takes the workbench's editor background and foreground, not the browser's defaults.
    const colours = await doc.locator('body').evaluate((b) => ({ bg: getComputedStyle(b).backgroundColor, fg: getComputedStyle(b).color }));
    const editorBg = await page.locator('.part.editor .monaco-editor-background, .part.editor .editor-container').first().evaluate((e) => getComputedStyle(e).backgroundColor).catch(() => undefined);
    assert.notEqual(colours.bg, 'rgba(0, 0, 0, 0)', `the body has the theme's background (${JSON.stringify(colours)})`);
    if (editorBg && editorBg !== 'rgba(0, 0, 0, 0)') assert.equal(colours.bg, editorBg, 'the editor background of the theme');

    // The markers are buttons: Tab reaches them.
    await doc.locator('button[data-range="24"]').focus();
    await page.keyboard.press('Tab');
    const focused = await doc.locator(':focus').evaluate((e) => `${e.tagName} ${e.className}`);
    assert.match(focused, /^BUTTON/);

    await calm(page);
    const editor = await page.locator('.part.editor').boundingBox();
    await docScreenshot(page, 'server-timeline', { docName: 'timeline', clip: { x: editor.x, y: editor.y, width: editor.width, height: editor.height } });
    await runPaletteCommand(page, 'View: Toggle Primary Side Bar Visibility');
  });
});
