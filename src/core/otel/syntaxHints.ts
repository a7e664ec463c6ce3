import { readKeySegment } from './scan';

/**
 * Finds the common TOML mistakes where they are made. A parser stops where the
 * text stops making sense, which is often a line later (`[otel` is reported on
 * the next key, an unclosed array on the key after it, an unclosed multi-line
 * string at the end of the file). This reader follows the statements line by
 * line and names the first mistake it recognises, with the place that has to
 * change. It runs only on text the parser has rejected; what it does not
 * recognise is left to the parser's own message.
 */
export interface SyntaxHint {
  message: string;
  start: number;
  end: number;
  /** Where the earlier definition is, for a duplicate. */
  related?: { message: string; start: number; end: number };
}

const isBreak = (c: string | undefined) => c === '\n' || c === '\r';
const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
const KEY_START = /[A-Za-z0-9_\-"']/;
/** A bare word where a value belongs: text someone forgot to quote. */
const BARE_WORD = /^[A-Za-z][A-Za-z0-9_.:/@-]*/;
const WORD_VALUES = new Set(['true', 'false', 'inf', 'nan']);

class Fault {
  constructor(readonly hint: SyntaxHint) {}
}

interface Definition {
  start: number;
  end: number;
  header: boolean;
}

class HintReader {
  private i = 0;
  private table: string[] = [];
  private readonly defined = new Map<string, Definition>();
  /** Tables made by dotted keys (`otel.environment = …` makes `otel`): a later header may not define them again. */
  private readonly dotted = new Map<string, Definition>();

  constructor(private readonly text: string) {}

  private fault(message: string, start: number, end: number, related?: SyntaxHint['related']): never {
    throw new Fault({ message, start, end: Math.max(end, start + 1), related });
  }

  private lineOf(offset: number): number {
    let n = 1;
    for (let k = 0; k < offset; k++) if (this.text[k] === '\n') n++;
    return n;
  }

  /** End of the line's content before an optional comment, trailing blanks removed. */
  private contentEnd(from: number): number {
    let j = from;
    let end = from;
    while (j < this.text.length && !isBreak(this.text[j]) && this.text[j] !== '#') {
      if (!isSpace(this.text[j])) end = j + 1;
      j++;
    }
    return end;
  }

  private skipSpaces(): void {
    while (isSpace(this.text[this.i])) this.i++;
  }

  private atLineEnd(): boolean {
    const c = this.text[this.i];
    return c === undefined || isBreak(c) || c === '#';
  }

  private nextLine(): void {
    while (this.i < this.text.length && !isBreak(this.text[this.i])) this.i++;
    while (isBreak(this.text[this.i])) this.i++;
  }

  run(): SyntaxHint | undefined {
    try {
      while (this.i < this.text.length) {
        this.skipSpaces();
        if (this.atLineEnd()) {
          this.nextLine();
          continue;
        }
        if (this.text[this.i] === '[') this.header();
        else if (KEY_START.test(this.text[this.i])) this.keyValue();
        else return undefined;
        this.skipSpaces();
        if (!this.atLineEnd()) {
          const from = this.i;
          this.fault('Unexpected text after the end of the statement: write one `key = value` or `[table]` per line.', from, this.contentEnd(from));
        }
        this.nextLine();
      }
    } catch (e) {
      if (e instanceof Fault) return e.hint;
      throw e;
    }
    return undefined;
  }

  private readKey(): { path: string[]; start: number; end: number } {
    const start = this.i;
    const path: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = this.text[this.i];
      const from = this.i;
      const seg = readKeySegment(this.text, this.i);
      if ((c === '"' || c === "'") && this.text[seg.end - 1] !== c) {
        this.fault(`This quoted key is not closed: add \`${c}\` at its end.`, from, this.contentEnd(from));
      }
      if (seg.end === from) return { path, start, end: this.i };
      path.push(seg.name);
      this.i = seg.end;
      const save = this.i;
      this.skipSpaces();
      if (this.text[this.i] !== '.') {
        this.i = save;
        return { path, start, end: this.i };
      }
      this.i++;
    }
  }

  private header(): void {
    const open = this.i;
    const array = this.text[this.i + 1] === '[';
    this.i += array ? 2 : 1;
    const key = this.readKey();
    this.skipSpaces();
    const close = array ? ']]' : ']';
    if (key.path.length === 0) return this.fault(`This table header has no name: write it as \`[name]\`.`, open, this.contentEnd(open));
    if (!this.text.startsWith(close, this.i)) {
      const shown = this.text.slice(open, key.end);
      if (this.atLineEnd()) this.fault(`The table header \`${shown}\` is missing its closing \`${close}\`.`, open, key.end);
      return; // something else is wrong inside the brackets: the parser says what
    }
    this.i += close.length;
    const id = JSON.stringify(key.path);
    const before = this.defined.get(id) ?? this.dotted.get(id);
    if (!array && before) {
      const name = this.text.slice(open, this.i);
      const line = this.lineOf(before.start);
      const what = before.header ? `on line ${line}` : `by the key on line ${line}`;
      this.fault(`Table ${name} is already defined ${what}: a table can be defined only once; merge the two.`, open, this.i, {
        message: `${name} first defined here`,
        start: before.start,
        end: before.end,
      });
    }
    if (array) for (const k of [...this.defined.keys()]) if (k.startsWith(id.slice(0, -1))) this.defined.delete(k);
    if (!array) this.defined.set(id, { start: open, end: this.i, header: true });
    this.table = key.path;
  }

  private keyValue(): void {
    const key = this.readKey();
    const keyText = this.text.slice(key.start, key.end);
    this.skipSpaces();
    if (this.text[this.i] !== '=') {
      if (this.atLineEnd()) this.fault(`\`${keyText}\` is missing \`=\` and a value: write \`${keyText} = value\` on one line.`, key.start, key.end);
      this.fault(`\`${keyText}\` must be followed by \`=\` before its value.`, key.start, key.end);
    }
    const eq = this.i;
    this.i++;
    this.skipSpaces();
    if (this.atLineEnd()) this.fault(`\`${keyText} =\` has no value: write it on the same line (text in quotes, e.g. \`${keyText} = "value"\`).`, key.start, eq + 1);
    this.checkDuplicate(key, keyText);
    this.value();
  }

  private checkDuplicate(key: { path: string[]; start: number; end: number }, keyText: string): void {
    const full = [...this.table, ...key.path];
    for (let n = this.table.length + 1; n <= full.length; n++) {
      const before = this.defined.get(JSON.stringify(full.slice(0, n)));
      if (!before || (n < full.length && before.header)) continue;
      const where = this.table.length ? ` in [${this.table.join('.')}]` : '';
      this.fault(`\`${keyText}\` is already set on line ${this.lineOf(before.start)}${where}: a key can be set only once.`, key.start, key.end, {
        message: `\`${full.slice(0, n).join('.')}\` first set here`,
        start: before.start,
        end: before.end,
      });
    }
    const def = { start: key.start, end: key.end, header: false };
    this.defined.set(JSON.stringify(full), def);
    for (let n = this.table.length + 1; n < full.length; n++) {
      const id = JSON.stringify(full.slice(0, n));
      if (!this.dotted.has(id)) this.dotted.set(id, def);
    }
  }

  private value(): void {
    const c = this.text[this.i];
    const from = this.i;
    if (c === '"' || c === "'") return this.string(c);
    if (c === '[') return this.array(from);
    if (c === '{') return this.inlineTable(from);
    const word = BARE_WORD.exec(this.text.slice(from, from + 200));
    if (word && !WORD_VALUES.has(word[0])) {
      this.fault(`\`${word[0]}\` is not a TOML value: put text in quotes, e.g. \`"${word[0]}"\`.`, from, from + word[0].length);
    }
    // numbers, dates, booleans: up to the next delimiter (their details are the parser's)
    while (this.i < this.text.length && !/[\s,\]}#]/.test(this.text[this.i])) this.i++;
    // a date and a time may be separated by a space
    if (/^\d{4}-\d{2}-\d{2} \d{2}:/.test(this.text.slice(from, this.i + 4))) {
      this.i++;
      while (this.i < this.text.length && !/[\s,\]}#]/.test(this.text[this.i])) this.i++;
    }
  }

  private string(q: string): void {
    const from = this.i;
    if (this.text.startsWith(q.repeat(3), from)) {
      let j = from + 3;
      for (; j < this.text.length; j++) {
        if (q === '"' && this.text[j] === '\\') j++;
        else if (this.text.startsWith(q.repeat(3), j)) break;
      }
      if (j >= this.text.length) {
        this.fault(`This multi-line string is never closed: add \`${q.repeat(3)}\` where it ends (the rest of the file was read as part of it).`, from, from + 3);
      }
      this.i = j + 3;
      while (this.text[this.i] === q) this.i++;
      return;
    }
    let j = from + 1;
    for (; j < this.text.length && !isBreak(this.text[j]); j++) {
      if (q === '"' && this.text[j] === '\\') j++;
      else if (this.text[j] === q) break;
    }
    if (this.text[j] !== q) {
      const kind = q === '"' ? 'string' : 'literal string';
      this.fault(`This ${kind} is not closed: add \`${q}\` at its end (it must end on the line it starts; use \`${q.repeat(3)}\` for text over several lines).`, from, this.contentEnd(from));
    }
    this.i = j + 1;
  }

  /** Blank, comments and line breaks between array elements; returns whether a line break was crossed. */
  private skipBlank(): boolean {
    let crossed = false;
    for (;;) {
      const c = this.text[this.i];
      if (isSpace(c)) this.i++;
      else if (isBreak(c)) {
        this.i++;
        crossed = true;
      } else if (c === '#') while (this.i < this.text.length && !isBreak(this.text[this.i])) this.i++;
      else return crossed;
    }
  }

  /** A new line that reads as a statement (`key =` or `[table]`) where an array element was expected. */
  private looksLikeStatement(): boolean {
    const rest = this.text.slice(this.i, this.i + 300);
    return /^(\[\[?\s*[A-Za-z0-9_"'-][^\]\n]*\]\]?\s*(#.*)?$|[A-Za-z0-9_"'-][A-Za-z0-9_."' -]*=)/m.test(rest.split(/\r?\n/)[0] ?? '');
  }

  private array(open: number): void {
    this.i++;
    let lastContent = open + 1;
    for (;;) {
      const crossed = this.skipBlank();
      const c = this.text[this.i];
      if (c === undefined || (crossed && this.looksLikeStatement())) {
        this.fault('This array is not closed: add `]` after its last value.', open, lastContent);
      }
      if (c === ']') {
        this.i++;
        return;
      }
      if (c === ',') {
        this.i++;
        lastContent = this.i;
        continue;
      }
      const before = this.i;
      this.value();
      if (this.i === before) return; // not a value: the parser says what
      lastContent = this.i;
    }
  }

  private inlineTable(open: number): void {
    this.i++;
    for (;;) {
      this.skipSpaces();
      const c = this.text[this.i];
      if (c === undefined || isBreak(c) || c === '#') {
        this.fault('This inline table is not closed on its line: add `}` (an inline table must fit on one line).', open, this.contentEnd(open));
      }
      if (c === '}') {
        this.i++;
        return;
      }
      if (c === ',') {
        this.i++;
        continue;
      }
      if (!KEY_START.test(c)) return;
      const key = this.readKey();
      this.skipSpaces();
      if (this.text[this.i] !== '=') return;
      this.i++;
      this.skipSpaces();
      if (this.atLineEnd() || this.text[this.i] === '}' || this.text[this.i] === ',') {
        this.fault(`\`${this.text.slice(key.start, key.end)} =\` has no value.`, key.start, this.i);
      }
      this.value();
    }
  }
}

export function diagnoseSyntax(text: string): SyntaxHint | undefined {
  return new HintReader(text).run();
}
