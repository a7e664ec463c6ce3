// config.toml validation in the editor: open it from the palette, see the
// [otel] mistakes as squiggles, hovers and Problems, apply a quick fix.
/* global describe, it, before */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { session, workbenchPage } from '../session.mjs';
import {
  activeEditor,
  calm,
  docScreenshot,
  editorLine,
  editorText,
  oneLine,
  problemCounts,
  problemRows,
  readProblems,
  runPaletteCommand,
  screenshot,
  showProblems,
  waitUntil,
} from '../workbench.mjs';

const UNKNOWN_KEY = /Unknown key `enviroment` in \[otel\]: did you mean `environment`\?/;
const MISSING_PROTOCOL = /has no `protocol`/;

describe('config.toml in the editor', function () {
  let page;
  let editorClip;
  let initial;

  before(function () {
    page = workbenchPage();
  });

  it('"Code Ops: Open config.toml" opens it with the [otel] mistakes marked', async function () {
    await runPaletteCommand(page, 'Code Ops: Open config.toml');
    const tab = page.locator('.part.editor .tab.active');
    const tabLabel = async () => ((await tab.count()) ? (await tab.first().innerText()).replace(/\s+/g, '') : '(no editor open)');
    await waitUntil(async () => /^config\.toml/.test(await tabLabel()), { what: 'the config.toml editor tab', describe: tabLabel });
    assert.match(await editorText(page), /^enviroment = "production"$/m, 'the sample with its misspelt key');

    // The language server validates on open; the squiggles and the status bar counts come from its diagnostics.
    const squiggles = activeEditor(page).locator('.squiggly-error, .squiggly-warning');
    await waitUntil(async () => (await squiggles.count()) >= 2, { what: 'squiggles in config.toml', describe: async () => `${await squiggles.count()} squiggles` });
    assert.ok((await activeEditor(page).locator('.squiggly-error').count()) >= 1, 'the missing protocol is an error');
    initial = await waitUntil(
      async () => {
        const c = await problemCounts(page);
        return c.errors >= 1 && c.warnings >= 1 ? c : undefined;
      },
      { what: 'errors and warnings in the status bar', describe: async () => (await problemCounts(page)).label },
    );

    // A person clicks the problems counter to see the list.
    await showProblems(page);
    const ours = await waitUntil(
      async () => {
        const all = (await readProblems(page)).filter((p) => p.file === 'config.toml' && p.source === 'code-ops');
        // All three: the language server may publish them in more than one round.
        return all.some((p) => UNKNOWN_KEY.test(p.message)) && all.some((p) => MISSING_PROTOCOL.test(p.message)) && all.some((p) => p.code === 'otel/literal-secret') ? all : undefined;
      },
      { what: 'the [otel] problems in the Problems panel', describe: async () => JSON.stringify(await readProblems(page)) },
    );
    // What the panel draws for each: severity icon, message, source, code and position (1-based, as shown).
    const shown = ours.map((p) => `${p.severity} ${p.code} Ln ${p.line}, Col ${p.column}`).sort();
    assert.deepEqual(shown, ['error otel/missing-protocol Ln 10, Col 16', 'warning otel/literal-secret Ln 14, Col 13', 'warning otel/unknown-key Ln 6, Col 1'], JSON.stringify(ours));
    assert.match(ours.find((p) => p.code === 'otel/unknown-key').message, /Code \(Beacon\) silently ignores it/);
    assert.match(ours.find((p) => p.code === 'otel/literal-secret').message, /^Header `x-api-key` holds what looks like a literal secret/);
    assert.ok(!ours.some((p) => p.message.includes('demo-secret-value')), 'no problem repeats the secret');

    const editorBox = await page.locator('.part.editor').boundingBox();
    // The editor, the Problems panel and the status bar's counts, below the title bar.
    editorClip = { x: editorBox.x - 2, y: editorBox.y - 2, width: 1280 - editorBox.x + 2, height: 800 - editorBox.y + 2 };
    await calm(page);
    await docScreenshot(page, 'config-diagnostics', { docName: 'diagnostics', clip: editorClip });

    // Hovering the squiggle explains it.
    await editorLine(page, /^enviroment\s/).hover({ position: { x: 30, y: 8 } });
    const hover = page.locator('.monaco-hover').filter({ visible: true }).filter({ hasText: UNKNOWN_KEY });
    await hover.first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(oneLine(await hover.first().innerText()), /otel\/unknown-key/);
    await screenshot(page, 'config-diagnostic-hover');
    await calm(page);
  });

  it('applies the quick fix for the misspelt key from Ctrl+. and the problem goes away', async function () {
    const menu = page.locator('.action-widget').filter({ visible: true });
    const fix = menu.locator('.monaco-list-row.action').filter({ hasText: /^Rename to environment$/ });
    // Under load the language server's code actions may not be back when Ctrl+. is pressed, and an
    // open menu does not update: close it and ask again until the fix is listed.
    await waitUntil(
      async () => {
        if (await menu.count()) await page.keyboard.press('Escape');
        await editorLine(page, /^enviroment\s/).click({ position: { x: 30, y: 8 } });
        await page.keyboard.press('Control+.');
        return fix.waitFor({ state: 'visible', timeout: 3000 }).then(
          () => true,
          () => false,
        );
      },
      { what: 'the "Rename to environment" quick fix in the Ctrl+. menu', timeoutMs: 45_000, intervalMs: 250, describe: async () => oneLine(await menu.innerText().catch(() => '(no menu)')) },
    );
    await docScreenshot(page, 'config-quick-fix', { docName: 'quick-fix', clip: editorClip });
    await fix.click();

    await editorLine(page, /^environment\s=\s"production"/).waitFor({ state: 'visible', timeout: 30_000 });
    assert.doesNotMatch(await editorText(page), /^enviroment/m, 'the key is renamed in place');
    const after = await waitUntil(
      async () => {
        const c = await problemCounts(page);
        return c.errors + c.warnings < initial.errors + initial.warnings ? c : undefined;
      },
      { what: `fewer problems than ${initial.label}`, timeoutMs: 30_000, describe: async () => (await problemCounts(page)).label },
    );
    // The typo also hid `environment`, so the two warnings that followed from it go with it.
    assert.ok(after.warnings < initial.warnings, `warnings went down (${initial.label} → ${after.label})`);
    assert.equal(after.errors, initial.errors, 'the missing protocol is still an error');
    const rows = problemRows(page);
    await waitUntil(async () => !(await rows.allInnerTexts()).some((t) => UNKNOWN_KEY.test(oneLine(t))), {
      what: 'the unknown-key problem to leave the Problems panel',
      timeoutMs: 30_000,
      describe: async () => (await rows.allInnerTexts()).map(oneLine).join(' | '),
    });

    await page.keyboard.press('Control+s');
    const file = join(session.codeHome, 'config.toml');
    await waitUntil(() => /^environment = "production"$/m.test(readFileSync(file, 'utf8')), {
      what: 'the saved config.toml to hold the fix',
      describe: async () => readFileSync(file, 'utf8'),
    });
    await docScreenshot(page, 'config-quick-fix-applied', { docName: 'quick-fix-applied', clip: editorClip });
  });
});
