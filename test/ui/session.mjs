// What the UI runner (test/ui/run.mjs) shares with the suites: the page of the
// workbench it opened and the folders behind it. Filled in before mocha runs.
export const session = {
  /** @type {import('playwright-core').Page | undefined} */
  page: undefined,
  /** Base URL of the code-server instance. */
  url: '',
  /** pid of code-server: every process the extension starts descends from it. */
  codeServerPid: 0,
  /** The CODE_HOME the extension host sees (a sample, see test/host/sample.mjs). */
  codeHome: '',
  /** The folder opened as the workspace. */
  workspace: '',
  /** `git config user.name` inside the host: who a sign-off is recorded for. */
  signer: '',
  /** Which app server the settings point at: the fake fixture (default) or the real codex. */
  appServer: /** @type {'fake' | 'real'} */ ('fake'),
};

/** The page, or a clear error when a suite runs outside test/ui/run.mjs. */
export function workbenchPage() {
  if (!session.page) throw new Error('no workbench page: run UI suites through `npm run test:ui` (test/ui/run.mjs)');
  return session.page;
}
