import * as assert from 'node:assert/strict';
import { parseRequestParams } from '../../../src/core/appServer/requestParams';

describe('hardening: Send Request params as typed', () => {
  it('objects and arrays pass; empty and null send no params', () => {
    assert.deepEqual(parseRequestParams('{"a":1}'), { value: { a: 1 } });
    assert.deepEqual(parseRequestParams(' [1, 2] '), { value: [1, 2] });
    assert.deepEqual(parseRequestParams(''), { value: undefined });
    assert.deepEqual(parseRequestParams('   '), { value: undefined });
    assert.deepEqual(parseRequestParams('null'), { value: undefined });
  });

  it('invalid JSON is a message that says nothing was sent, never a throw', () => {
    for (const text of ['{', '{"a":}', "{'a':1}", 'undefined', '{"a":1}}', '\u0000']) {
      const r = parseRequestParams(text);
      assert.equal(r.value, undefined, text);
      assert.match(r.error ?? '', /^Not valid JSON: .*nothing was sent\.$/, text);
    }
  });

  it('scalars are refused with what they are', () => {
    assert.match(parseRequestParams('"text"').error ?? '', /not a string\.$/);
    assert.match(parseRequestParams('42').error ?? '', /not a number\.$/);
    assert.match(parseRequestParams('true').error ?? '', /not a boolean\.$/);
  });
});
