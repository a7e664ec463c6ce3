// The Readiness view as a person meets it: open the Code Ops container, read
// the checklist, sign an item off with a click on its checkbox.
/* global describe, it, before */
import * as assert from 'node:assert/strict';
import { READINESS_VIEW, SIDEBAR_WIDTH, VIEW_CONTAINER, readSignOffs } from '../codeOps.mjs';
import { session, workbenchPage } from '../session.mjs';
import {
  docScreenshot,
  oneLine,
  screenshot,
  openViewContainer,
  resizeSidebar,
  sidebarTitle,
  treeRow,
  treeRowDescription,
  viewPaneBody,
  waitUntil,
} from '../workbench.mjs';

/** "done/total" at the end of a text (the sidebar title "Code Ops: Readiness 3/20", a section's "2/3") as numbers. */
function parseProgress(text) {
  const m = /(?:^|\s)(\d+)\/(\d+)$/.exec(text);
  return m ? { done: Number(m[1]), total: Number(m[2]) } : undefined;
}

describe('Readiness view', function () {
  let page;
  let sidebarClip;

  before(async function () {
    page = workbenchPage();
    await openViewContainer(page, VIEW_CONTAINER);
    const box = await resizeSidebar(page, SIDEBAR_WIDTH);
    // Activity bar, sidebar and status bar, below the title bar (the command center would be cut in half).
    sidebarClip = { x: 0, y: box.y, width: box.x + box.width + 2, height: 800 - box.y };
  });

  it('shows the checklist sections and the sign-off progress', async function () {
    assert.match(await sidebarTitle(page), /Code Ops: Readiness/);
    const sections = viewPaneBody(page, READINESS_VIEW).locator('.monaco-list-row[aria-level="1"]');
    // The view fills in after activation and refreshes once its first checks ran: wait for the settled rows.
    const labels = await waitUntil(
      async () => {
        const texts = (await sections.locator('.label-name').allInnerTexts()).map(oneLine);
        // The tree renders only the rows in view: the first sections, through 3 (the one a step ticks in).
        return texts.length >= 3 && texts.includes('3. Rollback Procedure') ? texts : undefined;
      },
      { what: 'the checklist sections in the Readiness view', timeoutMs: 30_000, describe: async () => (await sections.allInnerTexts()).map(oneLine).join(' | ') },
    );
    assert.deepEqual(labels.slice(0, 3), ['1. Pre-Deployment Verification', '2. Deployment', '3. Rollback Procedure'], 'sections in checklist order');
    for (const label of labels.slice(0, 3)) {
      assert.match(await treeRowDescription(treeRow(page, READINESS_VIEW, label)), /^\d+\/\d+/, `section "${label}" shows its own progress`);
    }

    const signedInSample = Object.values(readSignOffs().items).filter((i) => i.checked).length;
    const progress = await waitUntil(async () => parseProgress(await sidebarTitle(page)), {
      what: 'the progress "done/total" in the sidebar title',
      describe: () => sidebarTitle(page),
    });
    assert.equal(progress.done, signedInSample, `the progress counts the ${signedInSample} sign-offs of the sample's readiness.json`);
    assert.ok(progress.total >= 10, `the built-in checklist has its sign-off items (${progress.total})`);

    const ciRow = treeRow(page, READINESS_VIEW, 'CI Pipeline');
    assert.equal(await ciRow.locator('.monaco-checkbox').getAttribute('aria-checked'), 'true', 'a signed-off item shows a ticked checkbox');
    assert.match(await treeRowDescription(ciRow), /✓ sam\.oncall/, 'and who signed it off');
    await screenshot(page, 'readiness-view');
  });

  it('signs an item off with a click on its checkbox and records it in .code-ops/readiness.json', async function () {
    const progressBefore = parseProgress(await sidebarTitle(page));
    const section = treeRow(page, READINESS_VIEW, '3. Rollback Procedure');
    const sectionBefore = parseProgress((await treeRowDescription(section)).split(' ')[0]);
    const row = treeRow(page, READINESS_VIEW, 'CLI rollback');
    const checkbox = row.locator('.monaco-checkbox');
    assert.equal(await checkbox.getAttribute('aria-checked'), 'false', '"CLI rollback" starts unticked');
    // A screen reader must hear what the box signs off, not an unnamed checkbox.
    assert.equal(await checkbox.getAttribute('aria-label'), 'Sign off CLI rollback', 'the checkbox is named for assistive technology');

    await checkbox.click();

    await waitUntil(async () => (await checkbox.getAttribute('aria-checked')) === 'true', { what: 'the checkbox of "CLI rollback" to be ticked' });
    const description = await waitUntil(
      async () => {
        const d = await treeRowDescription(row);
        return d.includes(`✓ ${session.signer}`) ? d : undefined;
      },
      { what: `"CLI rollback" to show the sign-off by ${session.signer}`, describe: () => treeRowDescription(row) },
    );
    assert.match(description, /just now/);
    const after = await waitUntil(
      async () => {
        const p = parseProgress(await sidebarTitle(page));
        return p && p.done === progressBefore.done + 1 ? p : undefined;
      },
      { what: `the progress to go from ${progressBefore.done}/${progressBefore.total} to ${progressBefore.done + 1}/${progressBefore.total}`, describe: () => sidebarTitle(page) },
    );
    assert.equal(after.total, progressBefore.total);
    assert.deepEqual(parseProgress((await treeRowDescription(section)).split(' ')[0]), { done: sectionBefore.done + 1, total: sectionBefore.total }, 'the section counts it too');

    const entry = await waitUntil(() => Object.entries(readSignOffs().items).find(([, v]) => v.title === 'CLI rollback' && v.checked), {
      what: '"CLI rollback" in .code-ops/readiness.json',
      describe: async () => JSON.stringify(readSignOffs()),
    });
    const [id, signOff] = entry;
    assert.match(id, /^3-rollback-procedure\//, `the sign-off is keyed by its section (${id})`);
    assert.equal(signOff.by, session.signer, 'the sign-off names the person (git user.name)');
    assert.ok(Math.abs(Date.now() - Date.parse(signOff.at)) < 120_000, `and when (${signOff.at})`);
    await docScreenshot(page, 'readiness-item-signed-off', { docName: 'sidebar', clip: sidebarClip });
  });
});
