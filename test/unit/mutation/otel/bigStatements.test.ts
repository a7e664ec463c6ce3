// [otel] ranges of statements too big for the parser (over 64 KiB, src/core/otel/tomlTree.ts
// `standIn` and `fromValue`): the key is parsed with a stand-in value and the value comes from
// the whole-file reading, so the key range is exact, the value range spans the whole value (and
// stops before a comment after it), every part of the value gets that range with its own kind,
// wide or deep values are capped, and the statements after it keep exact ranges. Written from the
// survivors of `npm run mutation -- --mutate 'src/core/otel/tomlTree.ts'` (no test reached this
// path: 152 mutants without coverage).
import * as assert from 'node:assert/strict';
import { lookup, parseToml, type TomlEntry } from '../../../../src/core/otel/toml';

const LONG = 'x'.repeat(70 * 1024);

function entry(root: TomlEntry | undefined, path: string[]): TomlEntry {
  assert.ok(root, "the file parsed");
  const e = lookup(root, path);
  assert.ok(e, `${path.join('.')} is in the tree`);
  return e;
}

/** The exact offsets of `needle` (the first after `from`). */
function at(text: string, needle: string, from = 0): [number, number] {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, needle);
  return [i, i + needle.length];
}

describe('[otel] statements over 64 KiB', () => {
  it('a big string: exact key, the whole quoted value, not the comment after it; the next statement stays exact', () => {
    const value = `"${LONG}"`;
    const text = `[otel]\nbig   =   ${value}   # a note\r\nenvironment = "dev"\n`;
    const parsed = parseToml(text);
    assert.equal(parsed.syntax, undefined);
    const big = entry(parsed.root, ['otel', 'big']);
    assert.equal(big.kind, 'string');
    assert.equal(big.value, LONG);
    assert.deepEqual(big.keyRange, at(text, 'big'));
    assert.deepEqual(big.valueRange, at(text, value));
    const env = entry(parsed.root, ['otel', 'environment']);
    assert.deepEqual([env.keyRange, env.valueRange], [at(text, 'environment'), at(text, '"dev"')]);
  });

  it('a dotted key with spaces around its dots: the last segment is the entry, its range exact', () => {
    const value = `'${LONG}'`;
    const text = `[otel]\n exporter . "otlp-http" . endpoint = ${value}\n`;
    const parsed = parseToml(text);
    assert.equal(parsed.syntax, undefined);
    const endpoint = entry(parsed.root, ['otel', 'exporter', 'otlp-http', 'endpoint']);
    assert.equal(endpoint.value, LONG);
    assert.deepEqual(endpoint.keyRange, at(text, 'endpoint'));
    assert.deepEqual(endpoint.valueRange, at(text, value));
    // the tables the dotted key opens keep their own key ranges
    assert.deepEqual(entry(parsed.root, ['otel', 'exporter', 'otlp-http']).keyRange, at(text, '"otlp-http"'));
  });

  it('a big inline table inside a header table: each part has its kind and value, all with the whole range', () => {
    const value = `{ "x-key" = "${LONG}", n = 3, f = 1.5, on = true, off = false, when = 1979-05-27T07:32:00Z, list = [1, "two", [3]], sub = { deep = "y" } }`;
    const text = `[otel]\nenvironment = "production"\n[otel.exporter."otlp-http"]\nheaders = ${value}\nendpoint = "https://c:4318"\n`;
    const parsed = parseToml(text);
    assert.equal(parsed.syntax, undefined);
    const headers = entry(parsed.root, ['otel', 'exporter', 'otlp-http', 'headers']);
    const whole = at(text, value);
    assert.equal(headers.kind, 'table');
    assert.equal(headers.style, 'inline');
    assert.deepEqual(headers.keyRange, at(text, 'headers'));
    assert.deepEqual(headers.valueRange, whole);
    assert.deepEqual([...headers.children!.keys()], ['x-key', 'n', 'f', 'on', 'off', 'when', 'list', 'sub']);
    const part = (name: string) => headers.children!.get(name)!;
    assert.deepEqual(
      ['x-key', 'n', 'f', 'on', 'off', 'when'].map((k) => [k, part(k).kind, part(k).value]),
      [
        ['x-key', 'string', LONG],
        ['n', 'integer', 3],
        ['f', 'float', 1.5],
        ['on', 'boolean', true],
        ['off', 'boolean', false],
        ['when', 'datetime', '1979-05-27T07:32:00.000Z'],
      ],
    );
    for (const k of headers.children!.keys()) {
      assert.deepEqual(part(k).valueRange, whole, `range of ${k}`);
      assert.equal(part(k).keyRange, undefined, `${k} has no key range of its own`);
    }
    const list = part('list');
    assert.equal(list.kind, 'array');
    assert.deepEqual(
      list.items!.map((i) => [i.kind, i.value, i.valueRange]),
      [
        ['integer', 1, whole],
        ['string', 'two', whole],
        ['array', undefined, whole],
      ],
    );
    assert.deepEqual(list.items![2].items!.map((i) => i.value), [3]);
    assert.equal(part('sub').style, 'inline');
    assert.equal(part('sub').children!.get('deep')!.value, 'y');
    // after it, exact again; and the header table's own range is its header
    const endpoint = entry(parsed.root, ['otel', 'exporter', 'otlp-http', 'endpoint']);
    assert.deepEqual(endpoint.valueRange, at(text, '"https://c:4318"'));
    assert.deepEqual(entry(parsed.root, ['otel', 'exporter', 'otlp-http']).valueRange, at(text, '[otel.exporter."otlp-http"]'));
  });

  // (The 200-level cap of fromValue is not reachable from a file: nesting over 80 levels is refused
  // before any tree is built, as the servers refuse it; see MAX_SERVER_DEPTH in toml.ts.)
  it('wide values keep their first 1000 parts', () => {
    const keys = Array.from({ length: 1100 }, (_, i) => `k${i} = ${i}`).join(', ');
    const items = Array.from({ length: 1100 }, (_, i) => i).join(', ');
    const text = `[otel]\nwide = { ${keys}, s = "${LONG}" }\nlist = [${items}, "${LONG}"]\n`;
    const parsed = parseToml(text);
    assert.equal(parsed.syntax, undefined);
    const wide = entry(parsed.root, ['otel', 'wide']);
    assert.equal(wide.children!.size, 1000);
    assert.equal(wide.children!.get('k999')!.value, 999);
    assert.equal(wide.children!.has('k1000'), false);
    const list = entry(parsed.root, ['otel', 'list']);
    assert.equal(list.items!.length, 1000);
    assert.equal(list.items![999].value, 999);
  });

  it('a big statement in an array-of-tables item lands in that item', () => {
    const text = `[[otel.items]]\nname = "a"\n[[otel.items]]\nname = "${LONG}"\n`;
    const parsed = parseToml(text);
    assert.equal(parsed.syntax, undefined);
    const items = entry(parsed.root, ['otel', 'items']);
    assert.equal(items.items!.length, 2);
    assert.equal(items.items![0].children!.get('name')!.value, 'a');
    const second = items.items![1].children!.get('name')!;
    assert.equal(second.value, LONG);
    assert.deepEqual(second.keyRange, at(text, 'name', text.indexOf('[[otel.items]]', 1)));
  });
});
