// The loader's configValue (src/core/otel/load.ts): values from the whole-file reading, where the
// key is, and what is undefined. managed-baseline reads the managed layer through it (see
// test/unit/mutation/readiness/managedBaseline.test.ts, where its fault was found).
import * as assert from 'node:assert/strict';
import { configValue, type LoadedConfig } from '../../../../src/core/otel/load';

describe('configValue', () => {
  const file = (text: string): LoadedConfig => ({ file: '/x/config.toml', name: 'config.toml', text, result: { syntaxError: undefined } }) as unknown as LoadedConfig;
  const doc = file('top = "a"\nwhen = 1979-05-27T07:32:00Z\nlist = [1, "two"]\n[otel]\nenvironment = "dev"\n[t]\nsub = { k = 2 }\nn = 3\n');

  it('values of top-level keys, of other tables and of [otel], with where they are', () => {
    assert.deepEqual(configValue(doc, ['top']), { value: 'a', line: 0, character: 0 });
    assert.deepEqual(configValue(doc, ['when']), { value: '1979-05-27T07:32:00.000Z', line: 1, character: 0 });
    assert.deepEqual(configValue(doc, ['list']), { value: [1, 'two'], line: 2, character: 0 });
    assert.deepEqual(configValue(doc, ['otel', 'environment']), { value: 'dev', line: 4, character: 0 });
    // a key inside another table: where that table is named
    assert.deepEqual(configValue(doc, ['t', 'n']), { value: 3, line: 5, character: 1 });
    assert.deepEqual(configValue(doc, ['t', 'sub']), { value: {}, line: 5, character: 1 });
    assert.deepEqual(configValue(doc, ['t', 'sub', 'k']), { value: 2, line: 5, character: 1 });
  });

  it('absent keys, paths through values, and files that do not parse are undefined', () => {
    assert.equal(configValue(doc, ['missing']), undefined);
    assert.equal(configValue(doc, ['top', 'x']), undefined);
    assert.equal(configValue(doc, ['t', 'missing']), undefined);
    assert.equal(configValue(doc, ['toString']), undefined, 'no inherited property is a key');
    assert.equal(configValue({ ...doc, result: { syntaxError: 'x' } } as unknown as LoadedConfig, ['top']), undefined);
  });
});
