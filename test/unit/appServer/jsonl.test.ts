import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Message } from 'vscode-jsonrpc/node';
import { JsonlMessageReader, JsonlMessageWriter, type InvalidLine } from '../../../src/core/appServer/jsonl';

function reader(maxLineBytes?: number) {
  const stream = new PassThrough();
  const r = new JsonlMessageReader(stream, maxLineBytes);
  const messages: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const invalid: InvalidLine[] = [];
  let closed = false;
  r.listen((m) => messages.push(m));
  r.onInvalidLine((l) => invalid.push(l));
  r.onClose(() => (closed = true));
  const feed = async (...chunks: (string | Buffer)[]) => {
    for (const c of chunks) stream.write(c);
    await new Promise((res) => setImmediate(res));
  };
  return { stream, r, messages, invalid, feed, closed: () => closed };
}

describe('JsonlMessageReader', () => {
  describe('a line over the limit is cut, reported once, and the next line is read', () => {
    const ok = '{"id":7,"result":"after"}\n';
    it('within one chunk', async () => {
      const t = reader(32);
      await t.feed(`{"id":1,"result":"${'y'.repeat(100)}"}\n${ok}`);
      assert.equal(t.invalid.length, 1);
      assert.equal(t.invalid[0].tooLong, true);
      assert.match(t.invalid[0].text, /\(120 bytes\)$/);
      assert.deepEqual(t.messages, [{ jsonrpc: '2.0', id: 7, result: 'after' }]);
    });
    it('across many chunks, the newline in the middle of the last one', async () => {
      const t = reader(32);
      await t.feed('{"id":1,"result":"', 'z'.repeat(20), 'z'.repeat(20), 'z'.repeat(20), `zz"}\n${ok}`);
      assert.equal(t.invalid.length, 1);
      assert.match(t.invalid[0].text, /^\{"id":1,"result":"z*… \(82 bytes\)$/);
      assert.match(t.invalid[0].reason, /line longer than 32 bytes: cut and skipped/);
      assert.deepEqual(t.messages, [{ jsonrpc: '2.0', id: 7, result: 'after' }]);
    });
    it('at the end of the stream without a newline', async () => {
      const t = reader(32);
      await t.feed(ok, 'w'.repeat(50));
      t.stream.end();
      await new Promise((res) => setImmediate(res));
      assert.equal(t.messages.length, 1);
      assert.equal(t.invalid.length, 1);
      assert.match(t.invalid[0].text, /\(50 bytes\)$/);
    });
    it('exactly at the limit is still parsed', async () => {
      const line = '{"id":1,"result":"' + 'a'.repeat(12) + '"}';
      const t = reader(line.length);
      await t.feed(line.slice(0, 10), `${line.slice(10)}\n`);
      assert.equal(t.invalid.length, 0);
      assert.equal(t.messages.length, 1);
    });
  });

  it('joins a message split across chunks', async () => {
    const t = reader();
    await t.feed('{"id":1,"res', 'ult":{"a"', ':1}}\n');
    assert.deepEqual(t.messages, [{ jsonrpc: '2.0', id: 1, result: { a: 1 } }]);
  });

  it('splits several messages in one chunk', async () => {
    const t = reader();
    await t.feed('{"id":1,"result":1}\n{"method":"n","params":{}}\n{"id":2,"error":{"code":-32600,"message":"Already initialized"}}\n');
    assert.equal(t.messages.length, 3);
    assert.equal((t.messages[1] as { method: string }).method, 'n');
    assert.equal((t.messages[2] as { error: { message: string } }).error.message, 'Already initialized');
  });

  it('accepts CRLF and skips blank lines', async () => {
    const t = reader();
    await t.feed('\r\n\n  \n{"id":1,"result":null}\r\n\r\n');
    assert.deepEqual(t.messages, [{ jsonrpc: '2.0', id: 1, result: null }]);
    assert.deepEqual(t.invalid, []);
  });

  it('reports non-JSON lines and JSON that is not a message, and keeps reading', async () => {
    const t = reader();
    await t.feed('hello world\n[1,2]\n{"foo":1}\n{"id":3,"result":true}\n');
    assert.deepEqual(
      t.invalid.map((i) => i.text),
      ['hello world', '[1,2]', '{"foo":1}'],
    );
    assert.match(t.invalid[0].reason, /not JSON/);
    assert.match(t.invalid[1].reason, /not a JSON-RPC message/);
    assert.equal(t.messages.length, 1);
  });

  it('reads a line of several megabytes delivered in small chunks', async () => {
    const t = reader();
    const big = 'x'.repeat(5 * 1024 * 1024);
    const line = Buffer.from(`${JSON.stringify({ id: 9, result: { big } })}\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < line.length; i += 64 * 1024) chunks.push(line.subarray(i, i + 64 * 1024));
    await t.feed(...chunks);
    assert.equal(t.messages.length, 1);
    assert.equal((t.messages[0] as { result: { big: string } }).result.big.length, big.length);
  });

  it('keeps "jsonrpc" when present and adds it when absent', async () => {
    const t = reader();
    await t.feed('{"jsonrpc":"2.0","id":1,"result":1}\n{"id":2,"result":2}\n');
    assert.deepEqual(t.messages.map((m) => m.jsonrpc), ['2.0', '2.0']);
  });

  it('decodes multi-byte UTF-8 split across chunk boundaries', async () => {
    const t = reader();
    const bytes = Buffer.from('{"id":1,"result":"héllo 🚀 日本"}\n', 'utf8');
    // Split inside the 4-byte emoji and inside a 3-byte CJK character.
    const emoji = bytes.indexOf(0xf0);
    const cjk = bytes.indexOf(Buffer.from('日'));
    await t.feed(bytes.subarray(0, emoji + 2), bytes.subarray(emoji + 2, cjk + 1), bytes.subarray(cjk + 1));
    assert.equal((t.messages[0] as { result: string }).result, 'héllo 🚀 日本');
    assert.deepEqual(t.invalid, []);
  });

  it('delivers a last line without newline at end of stream, then closes', async () => {
    const t = reader();
    await t.feed('{"id":1,"result":1}');
    assert.equal(t.messages.length, 0);
    t.stream.end();
    await new Promise((res) => setImmediate(res));
    assert.equal(t.messages.length, 1);
    assert.equal(t.closed(), true);
  });

  it('cuts a reported invalid line to a readable length', async () => {
    const t = reader();
    await t.feed(`${'z'.repeat(10_000)}\n`);
    assert.ok(t.invalid[0].text.length < 600);
    assert.match(t.invalid[0].text, /10000 chars/);
  });
});

describe('JsonlMessageWriter', () => {
  it('writes one JSON object per line', async () => {
    const stream = new PassThrough();
    const w = new JsonlMessageWriter(stream);
    await w.write({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { a: 'ü' } } as Message);
    await w.write({ jsonrpc: '2.0', method: 'initialized' } as Message);
    const text = stream.read().toString('utf8');
    assert.equal(text, '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"a":"ü"}}\n{"jsonrpc":"2.0","method":"initialized"}\n');
  });

  it('rejects and reports an error when the stream is closed', async () => {
    const stream = new PassThrough();
    const w = new JsonlMessageWriter(stream);
    const errors: Error[] = [];
    w.onError(([e]) => errors.push(e));
    stream.end();
    await assert.rejects(w.write({ jsonrpc: '2.0', method: 'x' } as Message), /closed/);
    assert.equal(errors.length, 1);
  });
});
