// Root hooks of the click-through (files run in name order): wait for the
// workbench once, and keep a screenshot of every failing step.
/* global before, afterEach -- mocha's BDD globals (test/ui/run.mjs loads this file) */
import { STATUS_ITEM } from '../codeOps.mjs';
import { workbenchPage } from '../session.mjs';
import { screenshot, waitForWorkbench } from '../workbench.mjs';

before(async function () {
  this.timeout(90_000);
  const page = workbenchPage();
  await waitForWorkbench(page, { statusItemId: STATUS_ITEM });
  await screenshot(page, 'workbench-ready');
});

afterEach(async function () {
  if (this.currentTest?.state !== 'failed') return;
  const file = await screenshot(workbenchPage(), `FAILED-${this.currentTest.title}`).catch(() => undefined);
  if (file) console.log(`      screenshot of the failure: ${file}`);
});
