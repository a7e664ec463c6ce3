// [otel] diagnostic ranges rest on LineIndex (offset <-> LSP position). Checked
// here against a plain reference over every offset of texts with LF, CRLF, a
// lone CR, empty lines, no final break and characters outside the BMP, plus the
// clamping at both ends. Written to kill the mutants `npm run mutation --
// --mutate src/core/otel/toml.ts` left alive in LineIndex.
import * as assert from 'node:assert/strict';
import { LineIndex } from '../../../../src/core/otel/toml';

/** The reference: line starts after each LF, CRLF or lone CR; content ends before the break. */
function reference(text: string) {
  const starts = [0];
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') {
      ends.push(i);
      starts.push(i + 2);
      i++;
    } else if (text[i] === '\n' || text[i] === '\r') {
      ends.push(i);
      starts.push(i + 1);
    }
  }
  ends.push(text.length);
  const position = (offset: number) => {
    const o = Math.max(0, Math.min(offset, text.length));
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= o) line++;
    return { line, character: Math.min(o, ends[line]) - starts[line] };
  };
  return { starts, ends, position };
}

const TEXTS: Array<[string, string]> = [
  ['LF', '[otel]\nenvironment = "production"\n'],
  ['CRLF', '[otel]\r\nenvironment = "dev"\r\n\r\nx = 1'],
  ['lone CR', 'a = 1\rb = 2\r\rc = 3'],
  ['mixed breaks, no final break', 'a\n\r\nb\rc\r\n'],
  ['empty lines only', '\n\n\n'],
  ['empty text', ''],
  ['astral characters (two UTF-16 units each)', 'k = "😀😀"\nheaders = { "𝄞" = "v" }\n'],
  ['break at the very start', '\r\nx'],
];

describe('LineIndex: offsets and LSP positions', () => {
  for (const [name, text] of TEXTS) {
    it(`agrees with the reference at every offset (${name})`, () => {
      const idx = new LineIndex(text);
      const ref = reference(text);
      assert.equal(idx.lineCount, ref.starts.length, 'line count');
      for (let o = -2; o <= text.length + 2; o++) assert.deepEqual(idx.position(o), ref.position(o), `position(${o})`);
      for (let line = 0; line < ref.starts.length; line++) {
        assert.equal(idx.lineStart(line), ref.starts[line], `lineStart(${line})`);
        assert.equal(idx.lineEnd(line), ref.ends[line], `lineEnd(${line})`);
        for (let ch = 0; ch <= ref.ends[line] - ref.starts[line]; ch++) {
          const off = idx.offset({ line, character: ch });
          assert.equal(off, ref.starts[line] + ch, `offset(${line}:${ch})`);
          assert.deepEqual(idx.position(off), { line, character: ch }, `round trip ${line}:${ch}`);
        }
      }
    });
  }

  it('clamps lines and characters outside the text', () => {
    const idx = new LineIndex('ab\ncd\n');
    assert.equal(idx.offset({ line: -1, character: 1 }), 1);
    assert.equal(idx.offset({ line: 99, character: 0 }), 6, 'the last (empty) line');
    assert.equal(idx.offset({ line: 0, character: -5 }), 0);
    assert.equal(idx.offset({ line: 0, character: 99 }), 2, 'the end of the line content, not past its break');
    assert.equal(idx.lineStart(-3), 0);
    assert.equal(idx.lineStart(42), 6);
    assert.equal(idx.lineEnd(-1), 2);
    assert.equal(idx.lineEnd(42), 6);
  });

  it('maps an offset inside a CRLF to the end of the line content', () => {
    const idx = new LineIndex('ab\r\ncd');
    assert.deepEqual(idx.position(2), { line: 0, character: 2 });
    assert.deepEqual(idx.position(3), { line: 0, character: 2 }, 'between CR and LF');
    assert.deepEqual(idx.position(4), { line: 1, character: 0 });
  });

  it('makes a range from two offsets, never ending before it starts', () => {
    const idx = new LineIndex('[otel]\nenvironment = "dev"\n');
    assert.deepEqual(idx.range(7, 18), { start: { line: 1, character: 0 }, end: { line: 1, character: 11 } });
    assert.deepEqual(idx.range(10, 3), { start: { line: 1, character: 3 }, end: { line: 1, character: 3 } });
    assert.deepEqual(idx.range(0, 100), { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } });
  });
});
