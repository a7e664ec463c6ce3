// Mutation testing of src/core (run it with `npm run mutation`; see README,
// "Mutation testing"). The mocha runner runs the unit tests in-process and
// records which tests cover each mutant, so a mutant runs only those tests.
//
// Which tests run: scripts/mutation.mjs passes CODE_OPS_MUTATION_SPEC, the
// unit tests of the folders being mutated (src/core/logs/** → test/unit/logs/**,
// src/core/mask.ts → test/unit/mask.test.ts, plus test/unit/mutation/ for
// both), or every unit test when the whole of src/core is mutated.
const spec = process.env.CODE_OPS_MUTATION_SPEC ? process.env.CODE_OPS_MUTATION_SPEC.split(',') : ['test/unit/**/*.test.ts'];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  plugins: ['@stryker-mutator/mocha-runner'],
  mutate: ['src/core/**/*.ts', '!src/core/otel/generated/**'],
  coverageAnalysis: 'perTest',
  // Left out of mutation runs (they all run in `npm test`):
  // - bundle.test.ts measures bundle sizes, which the instrumented sources in the
  //   sandbox inflate; it tests the build, not src/core;
  // - the engine's fuzzing (otel/fuzz.test.ts: 4,000 mutated configs, a 10 MB file)
  //   and the cross-check with the real codex (otel/codexCrossCheck.test.ts) reach
  //   every mutant of the engine and take seconds each, yet assert robustness and
  //   valid/invalid agreement, not exact output: with them a surviving engine mutant
  //   costs ~8 s instead of ~0.3 s, and the corpus and range tests decide the kill.
  mochaOptions: { config: '.mocharc.json', spec, ignore: ['test/unit/bundle.test.ts', 'test/unit/otel/fuzz.test.ts', 'test/unit/otel/codexCrossCheck.test.ts'] },
  // The incremental file lets a re-run after a small change test only the
  // mutants whose code or covering tests changed (`--force` tests them all).
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportScoreTable: true },
  concurrency: 2,
  timeoutMS: 10_000,
  timeoutFactor: 2,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['.vscode-test', 'test-results', 'reports', '.code-ops-demo', '*.vsix', 'test/ui', 'test/integration'],
  // The tests load TypeScript through tsx, which does not type-check: no @ts-nocheck needed.
  disableTypeChecks: false,
};
