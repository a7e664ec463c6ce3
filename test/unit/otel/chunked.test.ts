import * as assert from 'node:assert/strict';
import { validateConfigBytes, validateConfigText } from '../../../src/core/otel';
import { parseToml } from '../../../src/core/otel/toml';
import { scanStructure } from '../../../src/core/otel/scan';
import { loadCorpus } from './corpus';

/** Big files are parsed table by table; they must read exactly as one whole parse would. */
function filler(tables: number): string {
  let out = '';
  for (let i = 0; i < tables; i++) out += `\n[profiles.p${i}]\nmodel = "o${i % 5}"\ntags = [\n  ["a", "b"],\n  [${i}],\n]\nnote = """\n[not.a.table]\n"""\nenv = { N = "${i}" } # [comment]\n`;
  return out;
}

const key = (ds: { severity: string; code: string; range: { start: { line: number } } }[]) => ds.map((d) => `${d.severity} ${d.code} ${d.range.start.line}`).sort();

describe('otel engine on big files (table-by-table parse)', function () {
  this.timeout(60_000);
  const tail = filler(400);

  it('reads a big valid file: [otel] in full, other tables by name and kind', () => {
    const text = '[otel]\nenvironment = "production"\n' + tail;
    const parsed = parseToml(text);
    assert.equal(parsed.syntax, undefined);
    assert.equal(parsed.root?.children?.get('otel')?.children?.get('environment')?.value, 'production');
    assert.equal(parsed.root?.children?.get('profiles')?.kind, 'table');
    // the `[not.a.table]` line inside a multi-line string and the `[...]` lines of an array are not tables
    assert.equal(parsed.root?.children?.has('not'), false);
    const headers = scanStructure(text).statements.filter((s) => s.header);
    assert.equal(headers.length, 401);
    assert.deepEqual([...new Set(headers.map((s) => s.firstKey))], ['otel', 'profiles']);
  });

  it('gives every corpus file the same diagnostics with 400 more tables after it', () => {
    for (const c of loadCorpus()) {
      if (c.name.startsWith('syntax-') || c.name.includes('utf8')) continue;
      const small = validateConfigBytes(c.bytes, { dialect: 'beacon', target: c.target });
      const big = validateConfigText(c.bytes.toString('utf8') + tail, { dialect: 'beacon', target: c.target });
      assert.deepEqual(key(big.diagnostics), key(small.diagnostics), c.name);
    }
  });

  for (const [title, extra, line] of [
    ['a table defined twice, far apart', '\n[profiles.p3]\nmodel = "x"\n', '[profiles.p3]'],
    ['a header over a dotted-key table', '\n[other]\nsub.x = 1\n[other.sub]\ny = 2\n', '[other.sub]'],
    ['a key that redefines a table of another header', '\n[profiles]\np9 = 1\n', 'p9 = 1'],
    ['an array of tables over a plain table', '\n[[profiles.p5]]\nx = 1\n', '[[profiles.p5]]'],
  ] as const) {
    it(`reports ${title} where the whole parse does`, () => {
      const text = '[otel]\nenvironment = "production"\n' + tail + extra;
      const r = validateConfigText(text, { dialect: 'codex' });
      assert.equal(r.syntaxError, true);
      assert.equal(r.diagnostics[0].code, 'toml/syntax');
      assert.equal(r.diagnostics[0].range.start.line, text.split('\n').lastIndexOf(line));
    });
  }
});
