// Helpers that drive the real VS Code workbench (code-server in headless
// Chromium) the way a person does: click the activity bar, press F1 and type a
// command, hover the status bar, read notifications, take screenshots.
// Selectors are the workbench's own DOM (VS Code 1.139); keep them here so a
// workbench update means one file to fix.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir } from '../host/paths.mjs';

export const screenshotDir = join(resultsDir, 'screenshots');

const WORKBENCH_READY_MS = 60_000;

/** Waits until the workbench is up and `extensionStatusId` (publisher.name.itemId) shows in the status bar, if given. */
export async function waitForWorkbench(page, { statusItemId } = {}) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: WORKBENCH_READY_MS });
  if (statusItemId) await statusBarItem(page, statusItemId).waitFor({ state: 'visible', timeout: WORKBENCH_READY_MS });
}

let shotCounter = 0;
/** Saves a PNG of the whole window to test-results/screenshots/NN-name.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  shotCounter += 1;
  const file = join(screenshotDir, `${String(shotCounter).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The activity bar entry of a view container, by its title (e.g. "Code Ops"). */
export function activityBarItem(page, title) {
  return page.locator(`.part.activitybar a.action-label[aria-label^="${title}"]`);
}

/** Opens a view container from the activity bar and waits for its sidebar title. */
export async function openViewContainer(page, title) {
  const item = activityBarItem(page, title);
  await item.waitFor({ state: 'visible', timeout: WORKBENCH_READY_MS });
  const checked = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
  if (!checked) await item.click();
  await page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(title, 'i') }).waitFor({ state: 'visible' });
}

/**
 * A view (a pane in the sidebar) by its name (e.g. "Readiness"). When a
 * container holds a single view the workbench hides the pane header and shows
 * "Container: View" as the sidebar title instead, so match the header's
 * aria-label, which is there either way.
 */
export function viewPane(page, name) {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator(`.pane-header[aria-label^="${name} "]`) });
}

/** The body of a view pane (its tree, webview or welcome content). */
export function viewPaneBody(page, name) {
  return viewPane(page, name).locator('.pane-body');
}

/** Waits until a view shows something: tree rows or its welcome content (views may fill in lazily). */
export async function waitForViewContent(page, name, timeoutMs = 20_000) {
  const content = viewPaneBody(page, name).locator('.monaco-list-row, .welcome-view-content');
  await content.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return content;
}

/** Labels of the visible rows of a tree view. */
export async function treeRowLabels(page, name) {
  const rows = viewPaneBody(page, name).locator('.monaco-list-row');
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** The sidebar's title bar text, e.g. "Code Ops: Readiness". */
export async function sidebarTitle(page) {
  return (await page.locator('.part.sidebar .composite.title').innerText()).replace(/\s+/g, ' ').trim();
}

/** A status bar entry by its id (`publisher.extension.itemId`). */
export function statusBarItem(page, id) {
  return page.locator(`.part.statusbar [id="${id}"]`);
}

/** Hovers a status bar entry and returns the text of the hover that appears. */
export async function hoverStatusBar(page, id) {
  await statusBarItem(page, id).hover();
  const hover = page.locator('.monaco-hover, .workbench-hover').filter({ visible: true }).first();
  await hover.waitFor({ state: 'visible', timeout: 10_000 });
  return (await hover.innerText()).trim();
}

/** Presses F1, types a command label as shown in the palette (e.g. "Code Ops: Show Logs…") and runs it. */
export async function runPaletteCommand(page, label) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`>${label}`);
  // Pick the exact label, not whatever fuzzy match happens to be first.
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {});
}

/** The text of a modal dialog (e.g. "Command … resulted in an error"), or undefined when none is open. */
export async function readDialog(page) {
  const dialog = page.locator('.monaco-dialog-box');
  if (!(await dialog.isVisible())) return undefined;
  return (await dialog.innerText()).replace(/\s+/g, ' ').trim();
}

/** Closes an open modal dialog with its default button. */
export async function dismissDialog(page) {
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.isVisible()) {
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  }
}

/**
 * Waits until `locator` is visible; fails at once with the dialog's text when
 * the workbench shows an error dialog instead (say, a command that is not registered).
 */
export async function waitVisibleOrDialog(page, locator, timeoutMs = 15_000) {
  const dialog = page.locator('.monaco-dialog-box');
  await Promise.race([locator.waitFor({ state: 'visible', timeout: timeoutMs }), dialog.waitFor({ state: 'visible', timeout: timeoutMs })]);
  const text = await readDialog(page);
  if (text && !(await locator.isVisible())) {
    await dismissDialog(page);
    throw new Error(`the workbench showed a dialog instead: ${text}`);
  }
}

/** Texts of the notification toasts currently shown (newest last). */
export async function readNotifications(page) {
  const toasts = page.locator('.notifications-toasts .notification-toast .notification-list-item');
  const n = await toasts.count();
  const out = [];
  for (let i = 0; i < n; i++) out.push((await toasts.nth(i).innerText()).replace(/\s+/g, ' ').trim());
  return out;
}

/**
 * Error notifications, including those collapsed in the notification center
 * (toasts hide after a while): opens the center, reads its error entries
 * (screenshotting it as `screenshotName` when given), closes it.
 */
export async function errorNotifications(page, { screenshotName } = {}) {
  await runPaletteCommand(page, 'Notifications: Show Notifications');
  const center = page.locator('.notifications-center');
  await center.waitFor({ state: 'visible', timeout: 10_000 });
  const items = center.locator('.notification-list-item').filter({ has: page.locator('.codicon-error') });
  const texts = (await items.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  if (screenshotName) await screenshot(page, screenshotName);
  await page.keyboard.press('Escape');
  return texts;
}

/** Waits for a notification toast whose text matches `pattern`; returns its text. */
export async function waitForNotification(page, pattern, timeoutMs = 15_000) {
  const toast = page.locator('.notifications-toasts .notification-list-item').filter({ hasText: pattern }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs });
  return (await toast.innerText()).replace(/\s+/g, ' ').trim();
}

/** The bottom panel (Output, Problems, Terminal…). */
export function panel(page) {
  return page.locator('.part.panel');
}

/** The channel currently selected in the Output view's dropdown. */
export async function selectedOutputChannel(page) {
  const select = panel(page).locator('.monaco-select-box, select').first();
  await select.waitFor({ state: 'visible', timeout: 10_000 });
  const title = await select.getAttribute('title');
  if (title) return title;
  return (await select.evaluate((el) => (el.tagName === 'SELECT' ? el.selectedOptions[0]?.text ?? '' : el.textContent ?? ''))).trim();
}

/** Text lines visible in the Output view's editor. */
export async function outputText(page) {
  const lines = panel(page).locator('.view-lines .view-line');
  return (await lines.allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' ')).join('\n');
}
