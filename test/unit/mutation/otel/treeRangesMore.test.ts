// More [otel] tree facts (src/core/otel/tomlTree.ts) the quick fixes use, read whole and after
// 40 KB of other tables (a piece with a base): a float, an empty array, the insertion point and
// emptiness of an empty and a filled inline table, a dotted key's table (prefix, style, where a key
// is appended), `[otel.items.sub]` extending the last `[[otel.items]]`, where [otel] itself is
// appended; and a statement over 64 KiB whose dotted key has tabs around every part. Written
// from the survivors of `npm run mutation -- --mutate src/core/otel/tomlTree.ts`.
import * as assert from 'node:assert/strict';
import { lookup, parseToml, type TomlEntry } from '../../../../src/core/otel/toml';

const DOC = ['[otel]', 'environment = "dev"', 'ratio = 1.5', 'empty = []', 'headers = {}', 'full = { a = 1 }', 'exporter.otlp-http.endpoint = "x"', '[[otel.items]]', 'name = "a"', '[otel.items.sub]', 'k = 1', ''].join('\n');
const PAD = Array.from({ length: 1200 }, (_, i) => `[t${i}]\nk = "${'v'.repeat(20)}"\n`).join('');

describe('[otel] tree: kinds, insertion points, tables', () => {
  for (const [name, prefix] of [['read whole', ''], ['after 40 KB of other tables', PAD]] as const) {
    it(name, () => {
      const text = prefix + DOC;
      const parsed = parseToml(text);
      assert.equal(parsed.syntax, undefined);
      const get = (...path: string[]): TomlEntry => {
        const e = lookup(parsed.root, path);
        assert.ok(e, path.join('.'));
        return e;
      };
      const off = (s: string) => text.indexOf(s, prefix.length);
      const endOf = (s: string) => off(s) + s.length;

      assert.deepEqual([get('otel', 'ratio').kind, get('otel', 'ratio').value], ['float', 1.5]);
      assert.deepEqual([get('otel', 'empty').kind, get('otel', 'empty').items], ['array', []]);

      const headers = get('otel', 'headers');
      assert.deepEqual([headers.valueRange, headers.inlineHasEntries, headers.appendAt], [[off('{}'), endOf('{}')], false, off('{}') + 1], 'an empty inline table: insert right after `{`');
      const full = get('otel', 'full');
      assert.deepEqual([full.valueRange, full.inlineHasEntries, full.appendAt], [[off('{ a = 1 }'), endOf('{ a = 1 }')], true, endOf('{ a = 1 }') - 1], 'a filled one: right before `}`');

      const exporter = get('otel', 'exporter');
      const dottedLineEnd = endOf('exporter.otlp-http.endpoint = "x"');
      assert.deepEqual([exporter.style, exporter.dottedPrefix, exporter.appendAt], ['dotted', 'exporter', dottedLineEnd]);
      assert.deepEqual([get('otel', 'exporter', 'otlp-http').dottedPrefix, get('otel', 'exporter', 'otlp-http').appendAt], ['exporter.otlp-http', dottedLineEnd]);
      assert.equal(get('otel').appendAt, dottedLineEnd, '[otel] is appended to after its last key, not after the tables that follow');

      const items = get('otel', 'items');
      assert.equal(items.items?.length, 1, '[otel.items.sub] is not a second item');
      const sub = items.items![0].children?.get('sub');
      assert.deepEqual(sub?.valueRange, [off('[otel.items.sub]'), endOf('[otel.items.sub]')]);
      assert.deepEqual(sub?.children?.get('k')?.value, 1);
      assert.equal(parsed.root?.appendAt, 0);
    });
  }

  it('`[otel.items.sub]` extends the LAST of several items; root-level dotted keys leave the root insertion point alone', () => {
    const text = '[[otel.items]]\nname = "a"\n[[otel.items]]\nname = "b"\n[otel.items.sub]\nk = 1\n';
    const items = lookup(parseToml(text).root, ['otel', 'items']);
    assert.deepEqual(
      items?.items?.map((i) => [i.children?.get('name')?.value, i.children?.has('sub')]),
      [
        ['a', false],
        ['b', true],
      ],
    );
    const dotted = parseToml('otel.environment = "dev"\notel.log_user_prompt = false\n');
    assert.equal(dotted.root?.appendAt, 0);
    assert.equal(lookup(dotted.root, ['otel'])?.appendAt, 'otel.environment = "dev"\notel.log_user_prompt = false'.length);
  });

  it('a statement over 64 KiB with tabs around the parts of its dotted key', () => {
    const long = 'x'.repeat(70 * 1024);
    const text = `[otel]\n\texporter\t.\t"otlp-http"\t.\tendpoint\t=\t"${long}"\n`;
    const parsed = parseToml(text);
    assert.equal(parsed.syntax, undefined);
    const e = lookup(parsed.root, ['otel', 'exporter', 'otlp-http', 'endpoint']);
    assert.equal(e?.value, long);
    assert.deepEqual(e?.keyRange, [text.indexOf('endpoint'), text.indexOf('endpoint') + 'endpoint'.length]);
    assert.deepEqual(e?.valueRange, [text.indexOf('"x'), text.length - 1]);
  });
});
