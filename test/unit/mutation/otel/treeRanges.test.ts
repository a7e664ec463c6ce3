// [otel] ranges of the TOML tree (src/core/otel/tomlTree.ts through
// parseToml): every key range slices to its key, every scalar's value range to
// its source, a header table's range is its header, and `appendAt` (where a
// quick fix inserts a key) is the end of the table's last line, before LF or
// CRLF. Checked over a document read whole and the same document after 40 KB
// of other tables (read in pieces, so every range is shifted by the piece's
// base). Written from the survivors of `npm run mutation -- --mutate
// src/core/otel/tomlTree.ts`.
import * as assert from 'node:assert/strict';
import { lookup, parseToml, type TomlEntry } from '../../../../src/core/otel/toml';

const DOC = [
  '[otel]\r',
  'environment = "prod"  ',
  '',
  '[otel.exporter."otlp-http"]',
  'endpoint = "https://collector:4318"',
  'headers = { "x-team" = "ops", retries = 2 }',
  'protocol = \'binary\'',
  '[[otel.items]]',
  'name = "a"',
  '[[otel.items]]',
  'name = "b"',
  'log_user_prompt = false',
  '[otel.trace_exporter]',
  'otlp-grpc.endpoint = "http://t:4317" # a comment',
  '',
].join('\n');

/** Every entry of the tree with its key path. */
function* walk(e: TomlEntry, at: string[] = []): Generator<[string[], TomlEntry]> {
  yield [at, e];
  for (const [k, c] of e.children ?? []) yield* walk(c, [...at, k]);
  for (const [i, c] of (e.items ?? []).entries()) yield* walk(c, [...at, String(i)]);
}

const unquote = (s: string) => (/^["']/.test(s) ? s.slice(1, -1) : s);

function checkRanges(text: string, root: TomlEntry, at: string[]): number {
  let checked = 0;
  for (const [p, e] of walk(root, at)) {
    if (e.keyRange && !/^\d+$/.test(p[p.length - 1] ?? '')) {
      assert.equal(unquote(text.slice(...e.keyRange)), p[p.length - 1], `key of ${p.join('.')}`);
      checked++;
    }
    const src = text.slice(...e.valueRange);
    if (e.kind === 'string' && e.style === undefined) assert.equal(unquote(src), e.value, `value of ${p.join('.')}`);
    if (e.kind === 'integer' || e.kind === 'boolean') assert.equal(src, String(e.value), `value of ${p.join('.')}`);
    if (e.style === 'header') assert.match(src, /^\[[^\]]+\]$/, `header of ${p.join('.')}`);
    if (e.style === 'array-item') assert.match(src, /^\[\[[^\]]+\]\]$/, `header of ${p.join('.')}`);
    if (e.appendAt !== undefined && (e.style === 'header' || e.style === 'array-item')) {
      assert.ok(e.appendAt === text.length || text[e.appendAt] === '\n' || text[e.appendAt] === '\r', `appendAt of ${p.join('.')} ends a line`);
      assert.notEqual(text[e.appendAt - 1], '\r');
    }
  }
  return checked;
}

describe('[otel] ranges of the TOML tree', () => {
  for (const [name, prefix] of [['read whole', ''], ['after 40 KB of other tables (read in pieces)', Array.from({ length: 1200 }, (_, i) => `[t${i}]\nk = "${'v'.repeat(20)}"\n`).join('')]] as const) {
    it(`${name}: keys, values, headers and appendAt`, () => {
      const text = prefix + DOC;
      const parsed = parseToml(text);
      assert.equal(parsed.syntax, undefined);
      const otel = lookup(parsed.root, ['otel'])!;
      assert.ok(checkRanges(text, otel, ['otel']) >= 10);
      const base = prefix.length;
      const off = (s: string, from = 0) => {
        const i = text.indexOf(s, base + from);
        assert.ok(i >= 0, s);
        return i;
      };
      assert.deepEqual(otel.valueRange, [base, base + 6]);
      assert.equal(otel.appendAt, off('"prod"  ') + 8, 'after the trailing spaces of its last line, before the line break');
      const env = otel.children!.get('environment')!;
      assert.deepEqual([env.keyRange, env.valueRange], [[off('environment'), off('environment') + 11], [off('"prod"'), off('"prod"') + 6]]);
      const http = lookup(parsed.root, ['otel', 'exporter', 'otlp-http'])!;
      assert.deepEqual(http.keyRange, [off('"otlp-http"'), off('"otlp-http"') + 11]);
      assert.deepEqual(http.valueRange, [off('[otel.exporter.'), off('"otlp-http"]') + 12]);
      assert.equal(http.appendAt, off("'binary'") + 8);
      const exporter = lookup(parsed.root, ['otel', 'exporter'])!;
      assert.equal(exporter.style, 'implicit');
      assert.deepEqual(exporter.keyRange, [off('exporter'), off('exporter') + 8]);
      const headers = http.children!.get('headers')!;
      assert.equal(headers.style, 'inline');
      assert.deepEqual(headers.keyRange, [off('headers'), off('headers') + 7]);
      const items = lookup(parsed.root, ['otel', 'items'])!;
      assert.equal(items.kind, 'array');
      assert.equal(items.items!.length, 2);
      assert.deepEqual(items.items![0].valueRange, [off('[[otel.items]]'), off('[[otel.items]]') + 14]);
      assert.deepEqual(items.items![1].valueRange, [off('[[otel.items]]\nname = "b"'), off('[[otel.items]]\nname = "b"') + 14]);
      assert.equal(items.items![0].appendAt, off('name = "a"') + 10);
      assert.equal(items.items![1].appendAt, off('log_user_prompt = false') + 23);
      const trace = lookup(parsed.root, ['otel', 'trace_exporter'])!;
      assert.equal(trace.appendAt, off('# a comment') + 11, 'the comment ends the line');
      const grpc = lookup(parsed.root, ['otel', 'trace_exporter', 'otlp-grpc'])!;
      assert.equal(grpc.style, 'dotted');
      assert.equal(grpc.dottedPrefix, 'otlp-grpc');
      assert.deepEqual(grpc.keyRange, [off('otlp-grpc.'), off('otlp-grpc.') + 9]);
      assert.deepEqual(grpc.valueRange, [off('otlp-grpc.'), off('"http://t:4317"') + 15]);
      const ep = grpc.children!.get('endpoint')!;
      assert.deepEqual(ep.valueRange, [off('"http://t:4317"'), off('"http://t:4317"') + 15]);
      assert.equal(ep.value, 'http://t:4317');
    });
  }

  it('a table longer than one piece: ranges and appendAt of its continuation', () => {
    for (const header of ['[otel]', '[[otel.items]]']) {
      const keys = Array.from({ length: 900 }, (_, i) => `k${i} = "${'v'.repeat(i % 7)}"`);
      const text = `${header}\n${keys.join('\n')}\n\n[other]\nx = 1\n`;
      const parsed = parseToml(text);
      const table = header === '[otel]' ? lookup(parsed.root, ['otel'])! : lookup(parsed.root, ['otel', 'items'])!.items![0];
      assert.equal(table.children!.size, 900);
      assert.ok(checkRanges(text, table, header === '[otel]' ? ['otel'] : ['otel', 'items', '0']) >= 900);
      assert.equal(table.appendAt, text.indexOf('k899 = ') + keys[899].length, header);
    }
  });

  it('tables under the last item of an array of tables, and an implicit table made explicit later', () => {
    const text = [
      '[[otel.items]]',
      'name = "a"',
      '[[otel.items]]',
      'name = "b"',
      '[otel.items.sub]',
      'deep = 1',
      '[[otel.items.list]]',
      'n = 2',
      '[otel.a.b]',
      'c = 3',
      '[otel.a]',
      'd = 4',
      '',
    ].join('\n');
    const parsed = parseToml(text);
    assert.equal(parsed.syntax, undefined);
    const items = lookup(parsed.root, ['otel', 'items'])!.items!;
    assert.equal(items.length, 2);
    assert.equal(items[0].children!.has('sub'), false);
    const sub = items[1].children!.get('sub')!;
    assert.deepEqual([sub.style, sub.keyRange, sub.valueRange], ['header', [text.indexOf('sub]'), text.indexOf('sub]') + 3], [text.indexOf('[otel.items.sub]'), text.indexOf('[otel.items.sub]') + 16]]);
    assert.equal(sub.appendAt, text.indexOf('deep = 1') + 8);
    const list = items[1].children!.get('list')!;
    assert.equal(list.kind, 'array');
    assert.deepEqual(list.items![0].valueRange, [text.indexOf('[[otel.items.list]]'), text.indexOf('[[otel.items.list]]') + 19]);
    assert.equal(list.items![0].appendAt, text.indexOf('n = 2') + 5);
    const a = lookup(parsed.root, ['otel', 'a'])!;
    assert.deepEqual([a.style, a.keyRange, a.valueRange], ['header', [text.indexOf('a]\nd'), text.indexOf('a]\nd') + 1], [text.indexOf('[otel.a]'), text.indexOf('[otel.a]') + 8]]);
    assert.equal(a.children!.get('b')!.style, 'header');
    assert.equal(a.appendAt, text.indexOf('d = 4') + 5);
    for (const [p, e] of [[['otel', 'items', '1'], items[1]], [['otel', 'a'], a]] as const) checkRanges(text, e, [...p]);
  });

  it('a table whose last line has no line break appends at the end of the text, and a CRLF line before its CR', () => {
    for (const [text, at] of [['[otel]\nenvironment = "x"', 24], ['[otel]\r\nenvironment = "x"\r\n', 25], ['[otel]', 6], ['[otel]\r\n', 6]] as const) {
      assert.equal(lookup(parseToml(text).root, ['otel'])!.appendAt, at, JSON.stringify(text));
    }
  });
});
