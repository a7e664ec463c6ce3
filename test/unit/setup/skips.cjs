'use strict';
// Skips in the unit suite must say why: a test may skip only for a reason of
// the platform it runs on (no POSIX permissions on Windows, no tar), declared
// with skipOnPlatform(). The reporter counts every skipped test and fails the
// run on a skip that was not declared, so a broken build or a missing tool can
// no longer pass as "pending".

const MARK = 'codeOpsPlatformSkip';

/**
 * Skips the running test (or, from a `before` hook, its suite) for a reason of
 * the platform. `ctx` is the mocha `this` of the test or hook.
 */
function skipOnPlatform(ctx, reason) {
  const runnable = ctx.test;
  if (!runnable) throw new Error('skipOnPlatform needs the mocha context (`this`) of a test or hook');
  if (runnable.type === 'hook') runnable.parent[MARK] = reason;
  else runnable[MARK] = reason;
  ctx.skip();
}

/** The platform reason declared for a skipped test, from the test or one of its suites. */
function declaredReason(test) {
  if (test[MARK]) return test[MARK];
  for (let suite = test.parent; suite; suite = suite.parent) if (suite[MARK]) return suite[MARK];
  return undefined;
}

module.exports = { skipOnPlatform, declaredReason };
