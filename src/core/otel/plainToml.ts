import type { AST } from 'toml-eslint-parser' with { 'resolution-mode': 'import' };

/**
 * A strict reader for the plain TOML most of a big config.toml is made of
 * (profiles, MCP servers: bare keys, one-line strings, decimal numbers,
 * booleans, arrays, one-line inline tables), used for the tables outside
 * `[otel]`, whose values validation never reads.
 *
 * It builds only the few AST fields the tree builder reads (kinds, key names,
 * ranges), in a fraction of the full parser's time. Anything outside that
 * subset, or anything it is not sure about (escapes beyond the simple ones,
 * multi-line strings, dates, hex numbers, `[[arrays]]`, non-ASCII beyond
 * strings and comments, `otel` itself), makes it give up and return
 * `undefined`, and the caller parses that table with toml-eslint-parser. It
 * must never accept text the parser rejects: a differential test checks that.
 * Duplicate keys and table conflicts are left to the builder's strict merge.
 */

const enum C {
  TAB = 9,
  LF = 10,
  CR = 13,
  SPACE = 32,
  QUOTE = 34,
  HASH = 35,
  APOS = 39,
  PLUS = 43,
  COMMA = 44,
  MINUS = 45,
  DOT = 46,
  ZERO = 48,
  NINE = 57,
  EQUALS = 61,
  OPEN_BRACKET = 91,
  BACKSLASH = 92,
  CLOSE_BRACKET = 93,
  UNDERSCORE = 95,
  OPEN_BRACE = 123,
  CLOSE_BRACE = 125,
  DEL = 127,
}

/** Arrays and inline tables nested deeper than this are left to the parser (and its depth handling). */
const MAX_NESTING = 32;
/** Longer numbers are left to the parser (64-bit range checks). */
const MAX_DIGITS = 15;

type Range = [number, number];
interface KeyPart {
  type: 'TOMLBare' | 'TOMLQuoted';
  name?: string;
  value?: string;
  range: Range;
}
interface Key {
  keys: KeyPart[];
  range: Range;
}
interface Value {
  type: 'TOMLValue' | 'TOMLArray' | 'TOMLInlineTable';
  kind?: 'string' | 'integer' | 'float' | 'boolean';
  elements?: Value[];
  body?: KeyValue[];
  range: Range;
}
interface KeyValue {
  type: 'TOMLKeyValue';
  key: Key;
  value: Value;
  range: Range;
}
interface Table {
  type: 'TOMLTable';
  kind: 'standard';
  key: Key;
  body: KeyValue[];
  range: Range;
}

/** Thrown inside the reader to give up; never escapes `scanPlainToml`. */
class GiveUp {}
const GIVE_UP = new GiveUp();

function isBareKeyChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= C.ZERO && c <= C.NINE) || c === C.MINUS || c === C.UNDERSCORE;
}

/** Characters a one-line string or a comment may hold: no control characters but tab, no lone or paired surrogates (left to the parser). */
function isPlainChar(c: number): boolean {
  return (c >= C.SPACE || c === C.TAB) && c !== C.DEL && (c < 0xd800 || c > 0xdfff);
}

function isDigit(c: number): boolean {
  return c >= C.ZERO && c <= C.NINE;
}

class Reader {
  private i: number;
  /** Inside an inline table: TOML 1.0 allows no line break there, not even inside an array value (left to the parser). */
  private inline = 0;

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.i = start;
  }

  private code(at = this.i): number {
    return at < this.end ? this.text.charCodeAt(at) : -1;
  }

  private rel(at: number): number {
    return at - this.start;
  }

  private skipSpaces(): void {
    let c = this.code();
    while (c === C.SPACE || c === C.TAB) c = this.code(++this.i);
  }

  /** Optional comment, then a line break or the end. */
  private endOfLine(): void {
    this.skipSpaces();
    let c = this.code();
    if (c === C.HASH) {
      c = this.code(++this.i);
      while (c !== -1 && c !== C.LF && c !== C.CR) {
        if (!isPlainChar(c)) throw GIVE_UP;
        c = this.code(++this.i);
      }
    }
    this.lineBreak(true);
  }

  private lineBreak(orEnd: boolean): void {
    const c = this.code();
    if (c === C.LF) this.i++;
    else if (c === C.CR && this.code(this.i + 1) === C.LF) this.i += 2;
    else if (!(orEnd && c === -1)) throw GIVE_UP;
  }

  /** Whitespace, comments and line breaks (inside arrays). */
  private skipBlank(): void {
    for (;;) {
      const c = this.code();
      if (c === C.SPACE || c === C.TAB) this.i++;
      else if (this.inline > 0 && (c === C.LF || c === C.CR || c === C.HASH)) throw GIVE_UP;
      else if (c === C.LF || c === C.CR) this.lineBreak(false);
      else if (c === C.HASH) {
        let d = this.code(++this.i);
        while (d !== -1 && d !== C.LF && d !== C.CR) {
          if (!isPlainChar(d)) throw GIVE_UP;
          d = this.code(++this.i);
        }
      } else return;
    }
  }

  run(): AST.TOMLProgram {
    const items: Array<KeyValue | Table> = [];
    let table: Table | undefined;
    while (this.i < this.end) {
      this.skipSpaces();
      const c = this.code();
      if (c === -1) break;
      if (c === C.LF || c === C.CR || c === C.HASH) {
        this.endOfLine();
        continue;
      }
      if (c === C.OPEN_BRACKET) {
        const open = this.i;
        if (this.code(++this.i) === C.OPEN_BRACKET) throw GIVE_UP;
        this.skipSpaces();
        const key = this.key();
        if (keyName(key.keys[0]) === 'otel') throw GIVE_UP;
        this.skipSpaces();
        if (this.code() !== C.CLOSE_BRACKET) throw GIVE_UP;
        this.i++;
        table = { type: 'TOMLTable', kind: 'standard', key, body: [], range: [this.rel(open), this.rel(this.i)] };
        items.push(table);
        this.endOfLine();
        continue;
      }
      const kv = this.keyValue();
      if (!table && keyName(kv.key.keys[0]) === 'otel') throw GIVE_UP;
      if (table) {
        table.body.push(kv);
        table.range[1] = kv.range[1];
      } else items.push(kv);
      this.endOfLine();
    }
    return { type: 'Program', body: [{ type: 'TOMLTopLevelTable', body: items }] } as unknown as AST.TOMLProgram;
  }

  private key(): Key {
    const keys: KeyPart[] = [this.simpleKey()];
    for (;;) {
      const save = this.i;
      this.skipSpaces();
      if (this.code() !== C.DOT) {
        this.i = save;
        break;
      }
      this.i++;
      this.skipSpaces();
      keys.push(this.simpleKey());
    }
    return { keys, range: [keys[0].range[0], keys[keys.length - 1].range[1]] };
  }

  private simpleKey(): KeyPart {
    const from = this.i;
    const c = this.code();
    if (c === C.QUOTE || c === C.APOS) {
      // one-line quoted key without escapes
      let d = this.code(++this.i);
      while (d !== c) {
        if (d === -1 || d === C.BACKSLASH || !isPlainChar(d)) throw GIVE_UP;
        d = this.code(++this.i);
      }
      this.i++;
      if (this.code() === c) throw GIVE_UP; // `""` followed by a quote: a multi-line delimiter
      return { type: 'TOMLQuoted', value: this.text.slice(from + 1, this.i - 1), range: [this.rel(from), this.rel(this.i)] };
    }
    while (isBareKeyChar(this.code())) this.i++;
    if (this.i === from) throw GIVE_UP;
    return { type: 'TOMLBare', name: this.text.slice(from, this.i), range: [this.rel(from), this.rel(this.i)] };
  }

  private keyValue(depth = 0): KeyValue {
    const key = this.key();
    this.skipSpaces();
    if (this.code() !== C.EQUALS) throw GIVE_UP;
    this.i++;
    this.skipSpaces();
    const value = this.value(depth);
    return { type: 'TOMLKeyValue', key, value, range: [key.range[0], value.range[1]] };
  }

  private value(depth: number): Value {
    const from = this.i;
    const c = this.code();
    if (c === C.QUOTE || c === C.APOS) return this.string(c, from);
    if (c === C.OPEN_BRACKET) return this.array(from, depth + 1);
    if (c === C.OPEN_BRACE) return this.inlineTable(from, depth + 1);
    if (c === 116 /* t */ && this.text.startsWith('true', from)) return this.word(from, 4);
    if (c === 102 /* f */ && this.text.startsWith('false', from)) return this.word(from, 5);
    return this.number(from);
  }

  private word(from: number, length: number): Value {
    this.i = from + length;
    this.delimiter();
    return { type: 'TOMLValue', kind: 'boolean', range: [this.rel(from), this.rel(this.i)] };
  }

  /** What may follow a scalar: anything else (`1979-05-27`, `trueish`) is left to the parser. */
  private delimiter(): void {
    const c = this.code();
    if (!(c === -1 || c === C.SPACE || c === C.TAB || c === C.LF || c === C.CR || c === C.COMMA || c === C.CLOSE_BRACKET || c === C.CLOSE_BRACE || c === C.HASH)) throw GIVE_UP;
  }

  private string(quote: number, from: number): Value {
    if (this.code(from + 1) === quote && this.code(from + 2) === quote) throw GIVE_UP; // multi-line
    this.i = from + 1;
    let c = this.code();
    while (c !== quote) {
      if (c === -1 || !isPlainChar(c)) throw GIVE_UP;
      if (c === C.BACKSLASH && quote === C.QUOTE) {
        const e = this.code(this.i + 1);
        // \uXXXX and \UXXXXXXXX are left to the parser (scalar-value rules)
        if (!(e === C.QUOTE || e === C.BACKSLASH || e === 98 || e === 116 || e === 110 || e === 102 || e === 114)) throw GIVE_UP;
        this.i++;
      }
      c = this.code(++this.i);
    }
    this.i++;
    return { type: 'TOMLValue', kind: 'string', range: [this.rel(from), this.rel(this.i)] };
  }

  /** Decimal digits with single underscores between them; returns how many digits. */
  private digits(): number {
    let n = 0;
    if (!isDigit(this.code())) throw GIVE_UP;
    for (;;) {
      while (isDigit(this.code())) {
        this.i++;
        n++;
      }
      if (this.code() === C.UNDERSCORE && isDigit(this.code(this.i + 1))) this.i++;
      else return n;
    }
  }

  private number(from: number): Value {
    this.i = from;
    const sign = this.code();
    if (sign === C.PLUS || sign === C.MINUS) this.i++;
    const intStart = this.i;
    let count = this.digits();
    // no leading zeros (`0` alone is fine)
    if (this.code(intStart) === C.ZERO && this.i - intStart > 1) throw GIVE_UP;
    let kind: 'integer' | 'float' = 'integer';
    if (this.code() === C.DOT) {
      this.i++;
      count += this.digits();
      kind = 'float';
    }
    const e = this.code();
    if (e === 101 || e === 69 /* e E */) {
      this.i++;
      const s = this.code();
      if (s === C.PLUS || s === C.MINUS) this.i++;
      count += this.digits();
      kind = 'float';
    }
    if (count > MAX_DIGITS) throw GIVE_UP;
    this.delimiter();
    return { type: 'TOMLValue', kind, range: [this.rel(from), this.rel(this.i)] };
  }

  private array(from: number, depth: number): Value {
    if (depth > MAX_NESTING) throw GIVE_UP;
    this.i = from + 1;
    const elements: Value[] = [];
    this.skipBlank();
    while (this.code() !== C.CLOSE_BRACKET) {
      elements.push(this.value(depth));
      this.skipBlank();
      const c = this.code();
      if (c === C.COMMA) {
        this.i++;
        this.skipBlank();
      } else if (c !== C.CLOSE_BRACKET) throw GIVE_UP;
    }
    this.i++;
    return { type: 'TOMLArray', elements, range: [this.rel(from), this.rel(this.i)] };
  }

  /** One line, no trailing comma (TOML 1.0); single-segment keys, each once. */
  private inlineTable(from: number, depth: number): Value {
    if (depth > MAX_NESTING) throw GIVE_UP;
    this.i = from + 1;
    this.inline++;
    const body: KeyValue[] = [];
    const names = new Set<string>();
    this.skipSpaces();
    if (this.code() !== C.CLOSE_BRACE) {
      for (;;) {
        const kv = this.keyValue(depth);
        if (kv.key.keys.length !== 1) throw GIVE_UP;
        const name = keyName(kv.key.keys[0]);
        if (names.has(name)) throw GIVE_UP;
        names.add(name);
        body.push(kv);
        this.skipSpaces();
        const c = this.code();
        if (c === C.CLOSE_BRACE) break;
        if (c !== C.COMMA) throw GIVE_UP;
        this.i++;
        this.skipSpaces();
      }
    }
    this.i++;
    this.inline--;
    return { type: 'TOMLInlineTable', body, range: [this.rel(from), this.rel(this.i)] };
  }
}

function keyName(k: KeyPart): string {
  return (k.type === 'TOMLBare' ? k.name : k.value) ?? '';
}

/**
 * Reads `text[start, end)` as plain TOML; ranges in the result are relative to
 * `start`, as if the slice had been parsed on its own. `undefined`: not plain,
 * parse it with toml-eslint-parser.
 */
export function scanPlainToml(text: string, start = 0, end = text.length): AST.TOMLProgram | undefined {
  try {
    return new Reader(text, start, end).run();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}
