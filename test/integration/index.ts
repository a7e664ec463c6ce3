import * as path from 'node:path';
import * as fs from 'node:fs';
import Mocha from 'mocha';

/**
 * Entry point the VS Code host calls (`extensionTestsPath`). Runs every bundled
 * suite next to this file; rejects when any test fails so the host exits non-zero.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const suiteDir = path.join(__dirname, 'suite');
  const only = process.env.CODE_OPS_TEST_GREP;
  if (only) mocha.grep(only);
  for (const f of fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(suiteDir, f));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
      else resolve();
    });
  });
}
