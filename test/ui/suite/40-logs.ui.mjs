// Code's logs in the editor: a panic written to critical.log raises an alert;
// its "Show Log" opens the coloured output channel.
/* global describe, it, before */
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { session, workbenchPage } from '../session.mjs';
import {
  calm,
  clickNotificationButton,
  docScreenshot,
  oneLine,
  outputText,
  outputTokens,
  panel,
  readNotificationToast,
  runPaletteCommand,
  selectedOutputChannel,
  settledBox,
  waitUntil,
} from '../workbench.mjs';

/** Code's timestamp format: RFC 3339 with microseconds. */
function codeTimestamp(date = new Date()) {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The colour of the first token of `line` whose text is exactly `text`. */
function colorOf(line, text) {
  return line.tokens.find((t) => t.text.trim() === text)?.color;
}

/**
 * The Output view wraps long lines; a log line starts with its timestamp (or
 * is a `──` note of Code Ops), so rows that do not are joined to the one before.
 */
async function logLines(page) {
  const out = [];
  for (const row of await outputTokens(page)) {
    const last = out[out.length - 1];
    if (last && !/^(\d{4}-\d{2}-\d{2}T|── )/.test(row.text)) {
      last.text += row.text;
      last.tokens.push(...row.tokens);
    } else {
      out.push({ text: row.text, tokens: [...row.tokens] });
    }
  }
  return out;
}

/**
 * Waits until the Output view shows `channel` with log lines matching each of
 * `patterns`, tokenized (the grammar colours them a moment after the text
 * shows: a tokenized log line has several colours); returns those lines.
 */
async function waitForColouredLines(page, channel, patterns) {
  let last = [];
  return waitUntil(
    async () => {
      if ((await selectedOutputChannel(page)) !== channel) return undefined;
      const lines = await logLines(page);
      last = patterns.map((p) => lines.find((l) => p.test(l.text)));
      return last.every((l) => l && new Set(l.tokens.map((t) => t.color)).size >= 3) ? last : undefined;
    },
    {
      what: `lines matching ${patterns.join(', ')} in the "${channel}" output channel, coloured`,
      describe: async () =>
        last.some(Boolean) ? `tokens: ${JSON.stringify(last)}` : `${await selectedOutputChannel(page).catch(() => '?')}: ${(await outputText(page)).slice(-600)}`,
    },
  );
}

/**
 * Clicks below the last line of the Output view: the cursor goes there, so no
 * word of the log is highlighted as "the word at the cursor" in a screenshot.
 */
async function moveCursorBelowLog(page) {
  const lines = panel(page).locator('.monaco-editor .view-lines').first();
  const box = await lines.boundingBox();
  await lines.click({ position: { x: 200, y: Math.max(10, box.height - 10) } });
  await calm(page);
}

/** The bottom panel's rectangle (with a 2-pixel margin) for a cropped screenshot. */
async function panelClip(page) {
  const box = await panel(page).boundingBox();
  return { x: box.x - 2, y: box.y - 2, width: box.width + 4, height: box.height + 4 };
}

describe('Code logs in the editor', function () {
  let page;
  // Each run has a fresh CODE_HOME, so a fixed text is unique there.
  const marker = 'sandbox policy missing for session 42';

  before(function () {
    page = workbenchPage();
  });

  it('a panic appended to critical.log raises an alert with "Show Log" and "Copy Incident Post"', async function () {
    // Today's file of the rolling log, as Code names it (UTC date).
    const file = join(session.codeHome, 'logs', `critical.log.${new Date().toISOString().slice(0, 10)}`);
    assert.ok(existsSync(file), `the sample CODE_HOME has today's ${file}`);
    appendFileSync(file, `${codeTimestamp()} ERROR main ThreadId(07) Panic occurred: panicked at core/src/exec.rs:88:5: ${marker}\n`);

    const alert = await readNotificationToast(page, new RegExp(`Panic occurred.*${marker}`), 20_000);
    assert.equal(alert.severity, 'error');
    assert.match(alert.message, /^Code panicked \(critical\.log\.\d{4}-\d{2}-\d{2}:\d+, \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\): Panic occurred: /, 'the alert names the file, line and time, then the panic');
    assert.deepEqual(alert.buttons, ['Show Log', 'Copy Incident Post']);
    // The toast with a margin, down to the status bar.
    const box = await settledBox(alert.toast.locator('xpath=ancestor::div[contains(@class, "notification-toast")][1]'));
    const viewport = page.viewportSize();
    await docScreenshot(page, 'panic-notification', { clip: { x: box.x - 24, y: box.y - 24, width: viewport.width - box.x + 24, height: viewport.height - box.y + 24 } });
  });

  it('"Show Log" opens the Code: critical.log channel with the panic, coloured by level', async function () {
    await clickNotificationButton(page, new RegExp(`Panic occurred.*${marker}`), 'Show Log');
    // The sample's earlier ERROR line, and the panic just appended.
    const [error, panic] = await waitForColouredLines(page, 'Code: critical.log', [/failed to record rollout items/, new RegExp(marker)]);
    const plain = error.tokens.find((t) => t.text.includes('failed to record'))?.color;
    const timestamp = (line) => line.tokens.find((t) => /^\d{4}-\d{2}-\d{2}T/.test(t.text.trim()))?.color;
    const panicText = panic.tokens.find((t) => /panicked at/.test(t.text))?.color;
    assert.ok(plain && panicText && colorOf(error, 'ERROR') && timestamp(error), `the lines are split into tokens (${JSON.stringify([error, panic])})`);
    assert.notEqual(colorOf(error, 'ERROR'), plain, 'ERROR has its own colour');
    assert.notEqual(timestamp(error), plain, 'so has the timestamp');
    assert.notEqual(panicText, plain, 'a panic line stands out as a whole');
    await moveCursorBelowLog(page);
    await docScreenshot(page, 'log-critical-channel', { docName: 'log-critical', clip: await panelClip(page) });
  });

  it('"Code Ops: Show Logs…" offers both logs; code-tui.log shows INFO, WARN and ERROR in their own colours', async function () {
    await runPaletteCommand(page, 'Code Ops: Show Logs…');
    const items = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const labels = await waitUntil(
      async () => {
        const texts = (await items.allInnerTexts()).map(oneLine);
        return texts.length >= 2 ? texts : undefined;
      },
      { what: 'the log channels in the quick pick', describe: async () => (await items.allInnerTexts()).map(oneLine).join(' | ') },
    );
    assert.ok(labels.some((l) => /^Code: code-tui\.log\s*following$/.test(l)), `code-tui.log is offered and followed (${labels.join(' | ')})`);
    assert.ok(labels.some((l) => /^Code: critical\.log\s*following$/.test(l)), `critical.log too (${labels.join(' | ')})`);
    await items.filter({ hasText: 'Code: code-tui.log' }).click();

    await waitForColouredLines(page, 'Code: code-tui.log', [/No space left on device/, /failed to queue rollout items/]);
    const lines = await logLines(page);
    const colour = (level) => lines.map((l) => colorOf(l, level)).find(Boolean);
    const levels = { INFO: colour('INFO'), WARN: colour('WARN'), ERROR: colour('ERROR') };
    const plain = lines.find((l) => /No space left on device/.test(l.text))?.tokens.find((t) => /No space left/.test(t.text))?.color;
    assert.ok(levels.INFO && levels.WARN && levels.ERROR, `each level word is a token of its own (${JSON.stringify(levels)})`);
    assert.equal(new Set([...Object.values(levels), plain]).size, 4, `INFO, WARN, ERROR and plain text differ in colour (${JSON.stringify({ ...levels, plain })})`);

    // A bigger panel shows more of the log, as a person would make it.
    await runPaletteCommand(page, 'View: Toggle Maximized Panel');
    await waitUntil(async () => ((await panel(page).boundingBox())?.height ?? 0) > 500, { what: 'the maximized panel' });
    await moveCursorBelowLog(page);
    await docScreenshot(page, 'log-channel-code-tui', { docName: 'log-channel', clip: { ...(await panelClip(page)), height: 440 } });
    await runPaletteCommand(page, 'View: Toggle Maximized Panel');
  });
});
