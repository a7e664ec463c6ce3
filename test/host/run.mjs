// The life of one harness run (integration or UI): a temp folder, the
// code-server and browser it starts, and one ending that stops both, whether
// it comes from the tests, a timeout or a signal (several may arrive at once).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultsDir } from './paths.mjs';

/**
 * @param {{ say: (m: string) => void, tmpPrefix: string, keepTmp: boolean, started: number, beforeExit?: () => void }} options
 */
export function harnessRun({ say, tmpPrefix, keepTmp, started, beforeExit }) {
  const run = {
    runDir: mkdtempSync(join(tmpdir(), tmpPrefix)),
    /** set by the runner once started, so every ending stops it */
    server: undefined,
    browser: undefined,
    cleanup,
    finish,
    copyServerLog,
  };
  let cleaningUp;
  let finishing = false;

  /** Stops the browser and the server's whole process tree; safe to call twice. */
  function cleanup() {
    cleaningUp ??= (async () => {
      await run.browser?.close().catch(() => {});
      await run.server?.stop({ keepTemp: keepTmp }).catch((e) => say(`stopping code-server: ${e.message}`));
      if (keepTmp) say(`kept ${run.runDir} and ${run.server?.dirs.tmp}`);
      else rmSync(run.runDir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return cleaningUp;
  }

  /** Keeps the server's log of a failed run as test-results/NAME. */
  function copyServerLog(name) {
    if (!run.server) return;
    try {
      mkdirSync(resultsDir, { recursive: true });
      writeFileSync(join(resultsDir, name), readFileSync(run.server.logFile));
      say(`code-server log: test-results/${name}`);
    } catch {}
  }

  /** Ends the run once with `code`. */
  async function finish(code, reason) {
    if (finishing) return new Promise(() => {});
    finishing = true;
    if (reason) say(reason);
    beforeExit?.();
    await cleanup();
    say(`exit ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.exit(code);
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => void finish(130, `${signal}: stopping`));
  }
  return run;
}
