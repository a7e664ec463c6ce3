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
    // The server's own stderr fills the channel (the real codex is chatty): filter it as a person would.
    const filter = panel(page).locator('input[placeholder^="Filter"]').first();
    /** Filters the channel by `term` and waits until only matching lines show; returns their text. */
    const filtered = async (term, mustShow) => {
      await filter.fill(term);
      return waitUntil(
        async () => {
          const t = await outputText(page);
          // Lines of the server itself (fake: `recv …`, real: ` INFO …`) and the alert text prove the filter is not applied yet.
          return mustShow.test(t) && !/recv |\bINFO\b|\[alert:/.test(t) ? t : undefined;
        },
        { what: `the App Server channel filtered by "${term}"`, describe: () => outputText(page) },
      );
    };
    try {
      // The view wraps long lines: join the rows to read a wrapped line whole.
      const crashLoop = (await filtered('crash-loop', /crash-loop → stopped/)).replace(/\n/g, '');
      assert.match(crashLoop, /crashed → crash-loop: more than 3 restarts within 10 minutes; not restarting\. Last failure: The app server exited \(signal SIGKILL\)/);
      assert.match(crashLoop, /crash-loop → stopped: restarted from the editor/, '"Restart Anyway" restarted it');
      const healthy = await filtered('→ healthy', /starting → healthy/);
      // Start, Restart, three restarts after crashes, Restart Anyway.
      const count = healthy.match(/starting → healthy: initialize answered/g)?.length ?? 0;
      assert.ok(count >= 6, `every start ended healthy (${count} times): ${healthy}`);
      await screenshot(page, 'app-server-output');
    } finally {
      await filter.fill('');
    }
  });

  it('raised no error notification besides the crash loop and the panic the steps caused', async function () {
    const errors = (await errorNotifications(page, { screenshotName: 'notifications' }))
      .filter((t) => /Code Ops|codeOps/i.test(t))
      .filter((t) => !INTENTIONAL_ERRORS.some((p) => p.test(t)));
    assert.deepEqual(errors, [], 'Code Ops raised no other error notification while the steps ran');
  });
});
