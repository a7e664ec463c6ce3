// The JSONL reader's edges (src/core/appServer/jsonl.ts), exactly: brackets and escaped quotes
// inside strings do not count as nesting, a line nested deeper than 512 is skipped unparsed and
// the next one read, the byte count of a skipped over-long line that ends in a later chunk, and
// the stream's close. Written from the sampled mutation run of src/core/appServer.
import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { JsonlMessageReader, MAX_JSON_DEPTH, type InvalidLine } from '../../../../src/core/appServer/jsonl';

function reader(maxLineBytes?: number) {
  const stream = new PassThrough();
  const r = new JsonlMessageReader(stream, maxLineBytes);
  const messages: unknown[] = [];
  const invalid: InvalidLine[] = [];
  let closed = false;
  r.listen((m) => messages.push(m));
  r.onInvalidLine((l) => invalid.push(l));
  r.onClose(() => (closed = true));
  const feed = async (...chunks: string[]) => {
    for (const c of chunks) stream.write(c);
    await new Promise((res) => setImmediate(res));
  };
  return { stream, r, messages, invalid, feed, closed: () => closed };
}

describe('JSONL reader edges, exactly', () => {
  it('brackets inside strings (with escaped quotes) are not nesting; real nesting over the limit is skipped, the next line read', async () => {
    const t = reader();
    const brackets = '['.repeat(MAX_JSON_DEPTH + 10);
    await t.feed(`{"id":1,"result":"\\"${brackets}"}\n`);
    assert.deepEqual(t.messages, [{ jsonrpc: '2.0', id: 1, result: `"${brackets}` }]);
    assert.equal(t.invalid.length, 0);
    const deep = `{"id":2,"result":${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}}`;
    await t.feed(`${deep}\n{"id":3,"result":"next"}\n`);
    assert.equal(t.invalid.length, 1);
    assert.match(t.invalid[0].reason, /nest/);
    assert.deepEqual(t.messages.slice(1), [{ jsonrpc: '2.0', id: 3, result: 'next' }]);
    const atLimit = `{"id":4,"result":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
    await t.feed(`${atLimit}\n`);
    assert.equal(t.messages.length, 3, 'exactly the limit is read');
  });

  it('a skipped line that ends in a later chunk is counted to its last byte', async () => {
    const t = reader(24);
    await t.feed(`{"id":1,"result":"${'a'.repeat(30)}`, `${'b'.repeat(7)}"}\n{"id":5,"result":1}\n`);
    assert.equal(t.invalid.length, 1);
    assert.match(t.invalid[0].text, /\(57 bytes\)$/);
    assert.deepEqual(t.messages, [{ jsonrpc: '2.0', id: 5, result: 1 }]);
  });

  it('closing the stream closes the reader', async () => {
    const t = reader();
    t.stream.destroy();
    await new Promise((res) => setImmediate(res));
    assert.equal(t.closed(), true);
  });
});
