'use strict';
// The unit suite's reporter: mocha's spec reporter, then one last line with
// the number of skipped tests. A skip not declared platform-specific (see
// skips.cjs) counts as a failure, so the run exits non-zero.
const Mocha = require('mocha');
const { declaredReason } = require('./skips.cjs');

const { EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

class SkipCountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const declared = [];
    const undeclared = [];
    runner.on(EVENT_TEST_PENDING, (test) => {
      const reason = declaredReason(test);
      if (reason) declared.push(`${test.fullTitle()} (${reason})`);
      else {
        undeclared.push(test.fullTitle());
        // Read by mocha's run callback after this event: the exit code.
        runner.failures++;
      }
    });
    // Registered after the spec reporter's epilogue, so this is printed last.
    runner.once(EVENT_RUN_END, () => {
      const total = declared.length + undeclared.length;
      for (const t of declared) console.log(`  skipped on this platform: ${t}`);
      for (const t of undeclared) console.log(`  FAILED, skipped without a declared platform reason: ${t}`);
      console.log(`skipped: ${total} (${declared.length} platform-specific, ${undeclared.length} undeclared)`);
    });
  }
}

module.exports = SkipCountingReporter;
