// Last: what the whole click-through left behind in the workbench.
/* global describe, it, before */
import * as assert from 'node:assert/strict';
import { INTENTIONAL_ERRORS } from '../codeOps.mjs';
import { workbenchPage } from '../session.mjs';
import { errorNotifications, outputText, panel, runPaletteCommand, screenshot, selectedOutputChannel, waitUntil, waitVisibleOrDialog } from '../workbench.mjs';

describe('Code Ops in the workbench', function () {
  let page;

  before(function () {
    page = workbenchPage();
  });

  it('"Code Ops: Show App Server Output" shows the server\'s transitions and alerts', async function () {
    await runPaletteCommand(page, 'Code Ops: Show App Server Output');
    await waitVisibleOrDialog(page, panel(page));
    assert.equal(await selectedOutputChannel(page), 'App Server');
    const text = await waitUntil(
      async () => {
        const t = await outputText(page);
        return /→ healthy/.test(t) ? t : undefined;
      },
      { what: 'state transitions in the App Server channel', describe: () => outputText(page) },
    );
    assert.match(text, /→ (starting|healthy)/);
    await screenshot(page, 'app-server-output');
  });

  it('raised no error notification besides the crash loop and the panic the steps caused', async function () {
    const errors = (await errorNotifications(page, { screenshotName: 'notifications' }))
      .filter((t) => /Code Ops|codeOps/i.test(t))
      .filter((t) => !INTENTIONAL_ERRORS.some((p) => p.test(t)));
    assert.deepEqual(errors, [], 'Code Ops raised no other error notification while the steps ran');
  });
});
