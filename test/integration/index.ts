import * as path from 'node:path';
import * as fs from 'node:fs';
import { format } from 'node:util';
import Mocha from 'mocha';
import SkipCountingReporter from '../unit/setup/reporter.cjs';

/**
 * Entry point the VS Code host calls (`extensionTestsPath`), in code-server
 * (test/runCodeServer.mjs) and in desktop VS Code (test/runElectron.mjs).
 * Runs every bundled suite next to this file; rejects when any test fails so
 * the host exits non-zero. `CODE_OPS_TEST_GREP` narrows the run to matching
 * titles.
 */
export function run(): Promise<void> {
  // The spec reporter, ending with the number of skipped tests; a skip not declared platform-specific fails the run.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: SkipCountingReporter });
  const suiteDir = path.join(__dirname, 'suite');
  const only = process.env.CODE_OPS_TEST_GREP;
  if (only) mocha.grep(only);
  for (const f of fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(suiteDir, f));
  }
  const restoreConsole = markConsoleOutput(process.env.CODE_OPS_TEST_OUTPUT_MARKER);
  return new Promise<void>((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else resolve();
      });
    } catch (e) {
      // A suite that throws while loading (a bad import, a syntax error) must fail the run, not hang it.
      reject(e);
    }
  }).finally(restoreConsole);
}

/**
 * In code-server the host's console reaches the runner only through the
 * browser page, mixed with the workbench's own logs: prefix every line of the
 * test run (mocha's reporter and the tests' own console calls) with the
 * runner's marker so it can print exactly those. No marker: unchanged.
 */
function markConsoleOutput(marker: string | undefined): () => void {
  if (!marker) return () => {};
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const savedReporter = base.consoleLog;
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  // The host installs console methods as accessors that forward to the window; a plain assignment
  // goes to its setter and is ignored, so redefine them and put the original descriptors back afterwards.
  const saved = methods.map((name) => [name, Object.getOwnPropertyDescriptor(console, name)] as const);
  const marked =
    (write: (...args: unknown[]) => void) =>
    (...args: unknown[]) =>
      write.call(console, marker + format(...args));
  for (const name of methods) {
    Object.defineProperty(console, name, { value: marked(console[name]), configurable: true, writable: true });
  }
  base.consoleLog = marked(savedReporter);
  return () => {
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(console, name, descriptor);
    }
    base.consoleLog = savedReporter;
  };
}
