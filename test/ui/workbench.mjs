// Helpers that drive the real VS Code workbench (code-server in headless
// Chromium) the way a person does: click the activity bar, press F1 and type a
// command, hover the status bar, read notifications, take screenshots.
// Selectors are the workbench's own DOM (VS Code 1.139); keep them here so a
// workbench update means one file to fix.
/* global window, document, MutationObserver, getComputedStyle -- used inside page.evaluate callbacks, which run in the page */
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

/** Curated, cropped screenshots for the README (the runner copies them to docs/screenshots/ on request). */
export const docShotDir = join(screenshotDir, 'docs');

let shotCounter = 0;
/** Saves a PNG of the whole window to test-results/screenshots/NN-name.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  shotCounter += 1;
  const file = join(screenshotDir, `${String(shotCounter).padStart(2, '0')}-${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * A step's screenshot: the whole window as usual, and a crop of `clip`
 * (page pixels; clamped to the viewport) as docs/<docName>.png for the README.
 */
export async function docScreenshot(page, name, { docName = name, clip } = {}) {
  const file = await screenshot(page, name);
  mkdirSync(docShotDir, { recursive: true });
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const region = clip ?? { x: 0, y: 0, width: viewport.width, height: viewport.height };
  const x = Math.max(0, Math.floor(region.x));
  const y = Math.max(0, Math.floor(region.y));
  const clamped = { x, y, width: Math.min(viewport.width - x, Math.ceil(region.width)), height: Math.min(viewport.height - y, Math.ceil(region.height)) };
  await page.screenshot({ path: join(docShotDir, `${docName}.png`), clip: clamped });
  return file;
}

/** The bounding box of `locator` once it stopped moving (toasts and hovers slide in). */
export async function settledBox(locator, timeoutMs = 5000) {
  let previous;
  return waitUntil(
    async () => {
      const box = await locator.boundingBox();
      const same = box && previous && ['x', 'y', 'width', 'height'].every((k) => Math.abs(box[k] - previous[k]) < 0.5);
      previous = box ?? undefined;
      return same ? box : undefined;
    },
    { what: 'an element to stop moving', timeoutMs, intervalMs: 100 },
  );
}

/** Collapses whitespace (innerText keeps line breaks and non-breaking spaces). */
export function oneLine(text) {
  return String(text ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Polls `probe` (an async function returning a value, or undefined while not
 * there yet) until it returns something; fails with `what` and the last value
 * `describe` gives, so a timeout says what was on screen instead.
 */
export async function waitUntil(probe, { what, timeoutMs = 15_000, intervalMs = 100, describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  let seen = '';
  if (describe) seen = await describe().catch((e) => `(could not read: ${e instanceof Error ? e.message : e})`);
  const cause = lastError ? `; last error: ${lastError instanceof Error ? lastError.message.split('\n')[0] : lastError}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what ?? 'a condition'}${seen ? `; on screen: ${JSON.stringify(seen)}` : ''}${cause}`);
}

/** Waits until `locator`'s text matches `pattern`; returns the text. The error names `what` and the text last seen. */
export async function waitForText(locator, pattern, { what = String(pattern), timeoutMs = 15_000 } = {}) {
  const read = async () => oneLine((await locator.count()) ? await locator.first().innerText({ timeout: 1000 }) : '(not on screen)');
  return waitUntil(
    async () => {
      const text = await read();
      return pattern.test(text) ? text : undefined;
    },
    { what, timeoutMs, describe: read },
  );
}

/** An empty stretch of the activity bar: nothing there shows a hover. */
const QUIET_SPOT = { x: 24, y: 560 };

/** Moves the mouse to a quiet spot and waits for hovers to close (toasts stay), so the next step starts clean. */
export async function calm(page) {
  await page.mouse.move(QUIET_SPOT.x, QUIET_SPOT.y);
  const hovers = page.locator('.monaco-hover, .workbench-hover').filter({ visible: true });
  await waitUntil(async () => (await hovers.count()) === 0, { what: 'hovers to close', timeoutMs: 5000 }).catch(async () => {
    await page.keyboard.press('Escape');
  });
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

/** Drags the sash between the sidebar and the editor so the sidebar is `width` pixels wide (a person's drag). */
export async function resizeSidebar(page, width) {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('the sidebar is not visible');
  const sash = page.locator('.monaco-sash.vertical.primary-sidebar-sash');
  const sashBox = await sash.boundingBox();
  const startX = sashBox ? sashBox.x + sashBox.width / 2 : box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(startX, y);
  await page.mouse.down();
  await page.mouse.move(startX + (box.x + width - startX) / 2, y, { steps: 4 });
  await page.mouse.move(box.x + width, y, { steps: 4 });
  await page.mouse.up();
  await page.mouse.move(QUIET_SPOT.x, QUIET_SPOT.y);
  return waitUntil(
    async () => {
      const now = await sidebar.boundingBox();
      return now && Math.abs(now.width - width) <= 4 ? now : undefined;
    },
    { what: `the sidebar to be ${width} px wide`, timeoutMs: 5000, describe: async () => `width ${(await sidebar.boundingBox())?.width}` },
  );
}

/** `text` as a literal inside a regular expression. */
export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A row of a tree view by its exact label (the description may follow it in the row). */
export function treeRow(page, viewName, label) {
  const exact = new RegExp(`^${escapeRegExp(label)}$`);
  return viewPaneBody(page, viewName)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) });
}

/** The description text of a tree row (e.g. a section's `2/3`). */
export async function treeRowDescription(row) {
  const d = row.locator('.label-description');
  return (await d.count()) ? oneLine(await d.first().innerText()) : '';
}

/**
 * The description a view shows next to its name (e.g. Readiness `2/20`). The
 * workbench renders it in the pane header; when the view is alone in its
 * container that header is hidden and the title bar shows only the name.
 */
export async function viewDescription(page, name) {
  const d = viewPane(page, name).locator('.pane-header .description');
  return (await d.count()) ? oneLine(await d.first().textContent()) : '';
}

/** A status bar entry by its id (`publisher.extension.itemId`). */
export function statusBarItem(page, id) {
  return page.locator(`.part.statusbar [id="${id}"]`);
}

/** The text of a status bar entry without its icon, e.g. `Code: healthy 0.4 ms`. */
export async function statusBarText(page, id) {
  const item = statusBarItem(page, id);
  return (await item.count()) ? oneLine(await item.innerText()) : '(no such status bar item)';
}

/** Waits until a status bar entry's text matches `pattern`; the error says what it showed instead. */
export async function waitForStatusBar(page, id, pattern, { timeoutMs = 20_000 } = {}) {
  return waitUntil(
    async () => {
      const text = await statusBarText(page, id);
      return pattern.test(text) ? text : undefined;
    },
    { what: `the status bar item ${id} to show ${pattern}`, timeoutMs, describe: () => statusBarText(page, id) },
  );
}

/**
 * Records every text a status bar entry shows from now on (a MutationObserver
 * in the page, so short-lived states are caught too). Returns a function that
 * reads the recorded sequence.
 */
export async function recordStatusBarTexts(page, id) {
  const key = `__codeOpsSeen_${id.replace(/\W/g, '_')}`;
  await page.evaluate(
    ({ id, key }) => {
      const w = /** @type {any} */ (window);
      w[key]?.observer?.disconnect();
      const seen = [];
      const record = () => {
        const el = document.getElementById(id);
        const text = (el?.innerText ?? '(gone)').replace(/\s+/g, ' ').trim();
        if (seen[seen.length - 1] !== text) seen.push(text);
      };
      record();
      // The whole status bar: the workbench may re-create the entry's element.
      const observer = new MutationObserver(record);
      observer.observe(document.querySelector('.part.statusbar'), { subtree: true, childList: true, characterData: true, attributes: true });
      w[key] = { seen, observer };
    },
    { id, key },
  );
  return async ({ stop = false } = {}) =>
    page.evaluate(
      ({ key, stop }) => {
        const w = /** @type {any} */ (window);
        if (stop) w[key]?.observer?.disconnect();
        return [...(w[key]?.seen ?? [])];
      },
      { key, stop },
    );
}

/** Hovers a status bar entry and returns the text of the hover that appears (matching `pattern` when given). */
export async function hoverStatusBar(page, id, { pattern } = {}) {
  await page.mouse.move(QUIET_SPOT.x, QUIET_SPOT.y);
  await statusBarItem(page, id).hover();
  let hover = page.locator('.monaco-hover, .workbench-hover').filter({ visible: true });
  if (pattern) hover = hover.filter({ hasText: pattern });
  await hover.first().waitFor({ state: 'visible', timeout: 10_000 });
  return (await hover.first().innerText()).trim();
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
  // The palette closes, or the command opens a quick pick of its own in the same widget.
  const widget = page.locator('.quick-input-widget');
  await waitUntil(async () => !(await widget.isVisible()) || !(await input.inputValue()).startsWith('>'), { what: 'the command palette to close', timeoutMs: 10_000 }).catch(() => {});
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
  return (await visibleLines(panel(page))).join('\n');
}

/** A notification toast (message, source and buttons) whose text matches `pattern`. */
export function notificationToast(page, pattern) {
  return page.locator('.notifications-toasts .notification-list-item').filter({ hasText: pattern });
}

/** Waits for a toast matching `pattern`; returns its message and the labels of its buttons. */
export async function readNotificationToast(page, pattern, timeoutMs = 15_000) {
  const toast = notificationToast(page, pattern).first();
  await waitUntil(() => toast.isVisible(), {
    what: `a notification matching ${pattern}`,
    timeoutMs,
    describe: async () => (await readNotifications(page)).join(' | ') || '(no notification toasts)',
  });
  const message = oneLine(await toast.locator('.notification-list-item-message').innerText());
  const buttons = (await toast.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts()).map(oneLine);
  const icon = (await toast.locator('.notification-list-item-icon').getAttribute('class')) ?? '';
  const severity = /codicon-error/.test(icon) ? 'error' : /codicon-warning/.test(icon) ? 'warning' : 'info';
  return { toast, message, buttons, severity };
}

/** Clicks a button of the toast matching `pattern` (a person's click) and waits for the toast to close. */
export async function clickNotificationButton(page, pattern, label) {
  const toast = notificationToast(page, pattern).first();
  await toast.locator('.monaco-button').filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) }).click();
  await toast.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The first editor of the editor area (the active one when a single group is open). */
export function activeEditor(page) {
  return page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
}

/** An editor line whose text matches `pattern` (Monaco renders only visible lines). */
export function editorLine(page, pattern) {
  return activeEditor(page).locator('.view-line').filter({ hasText: pattern });
}

/** Text of the visible lines of the active editor. */
export async function editorText(page) {
  return (await visibleLines(activeEditor(page))).join('\n');
}

/** Texts of the rendered lines under `root`, top to bottom (Monaco reuses line elements, so DOM order may differ). */
async function visibleLines(root) {
  return root.locator('.view-lines .view-line').evaluateAll((lines) =>
    lines
      .map((l) => ({ top: parseFloat(l.style.top) || 0, text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
}

/** Error and warning counts of the status bar's problems entry (what the Problems panel holds). */
export async function problemCounts(page) {
  const label = (await page.locator('.part.statusbar [id="status.problems"]').getAttribute('aria-label')) ?? '';
  const m = /Errors: (\d+), Warnings: (\d+)/.exec(label);
  if (!m) throw new Error(`unexpected problems status text ${JSON.stringify(label)}`);
  return { errors: Number(m[1]), warnings: Number(m[2]), label };
}

/** Rows of the Problems panel (file headers and markers). */
export function problemRows(page) {
  return panel(page).locator('.markers-panel .monaco-list-row');
}

/**
 * The visible lines of the Output view with the colour of each token, so a
 * test can tell that a grammar coloured them: `[{ text, tokens: [{ text, color }] }]`.
 */
export async function outputTokens(page) {
  return panel(page)
    .locator('.view-lines .view-line')
    .evaluateAll((lines) =>
      lines
        .sort((a, b) => (parseFloat(a.style.top) || 0) - (parseFloat(b.style.top) || 0))
        .map((line) => {
          const tokens = [...line.querySelectorAll(':scope > span > span')].map((s) => ({ text: (s.textContent ?? '').replace(/\u00a0/g, ' '), color: getComputedStyle(s).color }));
          return { text: tokens.map((t) => t.text).join(''), tokens };
        }),
    );
}

/**
 * The Problems panel as it is rendered: one entry per marker row, with the
 * file row above it, the severity of its icon and the parts the workbench
 * draws (message, source, code, `[Ln L, Col C]`). Rows outside the visible
 * part of the list are not rendered: keep the panel tall enough.
 */
export async function readProblems(page) {
  const rows = await panel(page)
    .locator('.markers-panel .monaco-list-row')
    .evaluateAll((els) =>
      els
        .sort((a, b) => (parseFloat(a.style.top) || 0) - (parseFloat(b.style.top) || 0))
        .map((row) => {
          const text = (sel) => [...row.querySelectorAll(sel)].map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()).join(' ').trim();
          const icon = row.querySelector('.marker-icon .codicon')?.className ?? '';
          return {
            isMarker: Boolean(row.querySelector('.marker-message')),
            // a marker's related information (`file[Ln, Col]: message`) is a row of its own, under the marker
            isRelated: Boolean(row.querySelector('.related-info-resource')),
            file: text('.monaco-icon-label .label-name'),
            severity: /codicon-error/.test(icon) ? 'error' : /codicon-warning/.test(icon) ? 'warning' : /codicon-info/.test(icon) ? 'info' : '',
            message: text('.marker-message'),
            source: text('.marker-source'),
            code: text('.marker-code'),
            position: text('.marker-message-details-container .marker-line'),
          };
        }),
    );
  const out = [];
  let file = '';
  for (const r of rows) {
    if (r.isRelated) continue;
    if (!r.isMarker) {
      file = r.file;
      continue;
    }
    const m = /^\[Ln (\d+), Col (\d+)\]$/.exec(r.position);
    out.push({ file, severity: r.severity, message: r.message, source: r.source, code: r.code, line: m ? Number(m[1]) : undefined, column: m ? Number(m[2]) : undefined });
  }
  return out;
}

/** Opens the Problems panel the way a person does: a click on the problems counter of the status bar. */
export async function showProblems(page) {
  if (!(await panel(page).locator('.markers-panel').isVisible())) await page.locator('.part.statusbar [id="status.problems"]').click();
  await panel(page).locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
}
