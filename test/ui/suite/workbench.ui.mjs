// The extension as a person meets it in the workbench: status bar, sidebar,
// command palette. Each step leaves a screenshot in test-results/screenshots/.
/* global describe, it, before, afterEach -- mocha's BDD globals (test/ui/run.mjs loads this file) */
import * as assert from 'node:assert/strict';
import {
  errorNotifications,
  hoverStatusBar,
  openViewContainer,
  panel,
  runPaletteCommand,
  screenshot,
  selectedOutputChannel,
  sidebarTitle,
  statusBarItem,
  viewPaneBody,
  waitForViewContent,
  waitForWorkbench,
  waitVisibleOrDialog,
} from '../workbench.mjs';
import { workbenchPage } from '../session.mjs';

/** Status bar entries are keyed `<publisher>.<name>.<item id>`. */
const STATUS_ITEM = 'code-ops.code-ops.codeOps.status';

describe('Code Ops in the workbench', function () {
  let page;

  before(async function () {
    page = workbenchPage();
    await waitForWorkbench(page, { statusItemId: STATUS_ITEM });
    await screenshot(page, 'workbench-ready');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `FAILED-${this.currentTest.title}`).catch(() => {});
  });

  it('shows the server state in the status bar with an explaining hover', async function () {
    const item = statusBarItem(page, STATUS_ITEM);
    const text = (await item.innerText()).trim();
    assert.match(text, /Code:/, `status bar item text (${JSON.stringify(text)})`);
    const hover = await hoverStatusBar(page, STATUS_ITEM);
    assert.ok(hover.length > 0, 'hovering the item shows a tooltip');
    assert.match(hover, /app server/i, `the tooltip talks about the app server (${JSON.stringify(hover)})`);
    await screenshot(page, 'status-bar-hover');
    await page.keyboard.press('Escape');
  });

  it('opens the Code Ops view container with its Readiness view', async function () {
    await openViewContainer(page, 'Code Ops');
    await viewPaneBody(page, 'Readiness').waitFor({ state: 'visible', timeout: 15_000 });
    assert.match(await sidebarTitle(page), /Code Ops/i);
    const content = await waitForViewContent(page, 'Readiness');
    assert.ok((await content.count()) > 0, 'the Readiness view shows its checklist or its welcome content');
    await screenshot(page, 'code-ops-view');
  });

  it('runs "Code Ops: Show App Server Output" from the command palette and shows its output', async function () {
    await runPaletteCommand(page, 'Code Ops: Show App Server Output');
    await waitVisibleOrDialog(page, panel(page));
    const channel = await selectedOutputChannel(page);
    assert.match(channel, /Code Ops|App Server/i, `the Output view shows the extension's channel (got ${JSON.stringify(channel)})`);
    await screenshot(page, 'app-server-output');
  });

  it('has shown no error notification of its own', async function () {
    const errors = (await errorNotifications(page, { screenshotName: 'notifications' })).filter((t) => /Code Ops|codeOps/i.test(t));
    assert.deepEqual(errors, [], 'Code Ops raised no error notification while the steps ran');
  });
});
