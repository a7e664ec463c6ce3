import * as assert from 'node:assert/strict';
import { loadCorpus } from './corpus';
import { DIALECTS, actualFor, readExpectations, summaryOf } from './corpusExpectations';

const corpus = loadCorpus();
const expected = readExpectations();

describe('otel corpus, full expectations (test/fixtures/config/expected.json)', () => {
  it('has an entry for every corpus file and none for a file that is gone', () => {
    assert.deepEqual(Object.keys(expected).sort(), corpus.map((c) => c.name).sort());
  });

  for (const dialect of DIALECTS) {
    describe(`${dialect} dialect: severity, code, whole range and message`, () => {
      for (const c of corpus) {
        it(c.name, () => {
          const want = expected[c.name]?.[dialect] ?? [];
          // The snapshot must say what the hand-written header of the .toml says.
          assert.deepEqual(want.map(summaryOf).sort(), c.expected[dialect], 'expected.json disagrees with the header of the .toml');
          assert.deepEqual(actualFor(c, dialect), want);
        });
      }
    });
  }
});
