/** Mocha's spec reporter plus the count of skipped tests; an undeclared skip fails the run. */
declare class SkipCountingReporter extends Mocha.reporters.Spec {}
export = SkipCountingReporter;
