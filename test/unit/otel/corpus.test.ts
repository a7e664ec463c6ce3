import * as assert from 'node:assert/strict';
import { validateConfigBytes, type Dialect } from '../../../src/core/otel';
import { loadCorpus } from './corpus';

const corpus = loadCorpus();

describe('otel corpus (test/fixtures/config)', () => {
  it('holds at least 60 configs, valid and broken', () => {
    assert.ok(corpus.length >= 60, `only ${corpus.length} fixtures`);
    assert.ok(corpus.some((c) => c.expected.beacon.length === 0));
    assert.ok(corpus.some((c) => c.expected.beacon.some((e) => e.startsWith('error'))));
  });

  for (const dialect of ['beacon', 'codex'] as Dialect[]) {
    describe(`${dialect} dialect`, () => {
      for (const c of corpus) {
        it(`${c.name}: ${c.expected[dialect].join('; ') || 'no diagnostics'}`, () => {
          const result = validateConfigBytes(c.bytes, { dialect, target: c.target });
          const actual = result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range.start.line + 1}`).sort();
          assert.deepEqual(actual, c.expected[dialect], result.diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('\n'));
        });
      }
    });
  }
});
