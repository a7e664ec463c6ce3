import type { AST } from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type * as TomlParser from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type { Position, Range } from '../diagnostics';
import { scanPlainToml } from './plainToml';

/**
 * A TOML document reduced to what validation needs: the value tree with the
 * source offsets of every key and value. The same logical table reads the same
 * here whether it was written as a `[header]`, with dotted keys or inline.
 */
export type EntryKind = 'table' | 'array' | 'string' | 'integer' | 'float' | 'boolean' | 'datetime';

/** How a table came to exist; quick fixes insert keys in the matching style. */
export type TableStyle = 'header' | 'dotted' | 'inline' | 'implicit' | 'array-item' | 'root';

export interface TomlEntry {
  kind: EntryKind;
  /** Scalars only (datetimes as their source text). */
  value?: string | number | boolean;
  children?: Map<string, TomlEntry>;
  items?: TomlEntry[];
  /** Offsets of the key segment that names this entry (absent for the root and array items). */
  keyRange?: [number, number];
  /** Offsets of the value (for tables defined by a header: the header). */
  valueRange: [number, number];
  style?: TableStyle;
  /** Tables: where a new `key = value` can go (see `insertionFor`). */
  appendAt?: number;
  /** Dotted tables: the key text up to this table, e.g. `otel.exporter.otlp-grpc`. */
  dottedPrefix?: string;
  /** Inline tables: whether the body already has entries (a comma is needed before a new one). */
  inlineHasEntries?: boolean;
}

export interface SyntaxProblem {
  message: string;
  offset: number;
}

export interface ParsedToml {
  text: string;
  root?: TomlEntry;
  /** Deepest nesting of arrays and inline tables, and where it starts (the servers' reader stops past 80). */
  maxValueDepth: number;
  deepestOffset: number;
  syntax?: SyntaxProblem;
  lines: LineIndex;
}

/** Offset <-> LSP position (0-based line, UTF-16 character). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // an offset inside a line break (CR of CRLF, or the break itself) maps to the end of the line's content
    return { line: lo, character: Math.min(o, this.lineEnd(lo)) - this.starts[lo] };
  }

  offset(pos: Position): number {
    const line = Math.max(0, Math.min(pos.line, this.starts.length - 1));
    return Math.min(this.starts[line] + Math.max(0, pos.character), this.lineEnd(line));
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset of the end of the line's content (before its line break). */
  lineEnd(line: number): number {
    const l = Math.max(0, Math.min(line, this.starts.length - 1));
    let end = l + 1 < this.starts.length ? this.starts[l + 1] : this.text.length;
    while (end > this.starts[l] && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return end;
  }
}

// The parser ships as ESM only; Node 20.19 and esbuild both load it through require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseTOML } = require('toml-eslint-parser') as typeof TomlParser;

/** Nesting beyond this is summarised, so hostile input cannot exhaust the stack of the walkers below. */
const MAX_DEPTH = 200;

export function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

/** Files above this size are parsed table by table (see parseChunked). */
const CHUNKED_ABOVE = 16 * 1024;

export function parseToml(text: string): ParsedToml {
  const lines = new LineIndex(text);
  if (text.length > CHUNKED_ABOVE) {
    const fast = parseChunked(text, lines);
    if (fast) return fast;
  }
  return parseWhole(text, lines);
}

/** The table-by-table reading whatever the size; `undefined` where parseToml would fall back to a whole parse (tests). */
export function parseTomlSplit(text: string): ParsedToml | undefined {
  return parseChunked(text, new LineIndex(text), 1);
}

/** The whole file in one parser call, never split (the reference the split reading is tested against). */
export function parseTomlWhole(text: string): ParsedToml {
  return parseWhole(text, new LineIndex(text));
}

function parseWhole(text: string, lines: LineIndex): ParsedToml {
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text, { tomlVersion: '1.0' });
  } catch (err) {
    const e = err as { message?: unknown; index?: unknown };
    const message = typeof e?.message === 'string' ? e.message : String(err);
    const offset = typeof e?.index === 'number' && Number.isFinite(e.index) ? e.index : 0;
    const tooDeep = err instanceof RangeError;
    return {
      text,
      lines,
      maxValueDepth: 0,
      deepestOffset: 0,
      syntax: { message: tooDeep ? 'nesting is too deep to read' : message, offset: tooDeep ? 0 : offset },
    };
  }
  const b = newBuilder(text);
  addProgram(b, ast, 0);
  return { text, root: b.root, lines, maxValueDepth: b.maxDepth, deepestOffset: b.deepestOffset };
}

/**
 * The parser checks every table header against all earlier ones, which grows
 * with the square of the number of tables (a 5,000-line config takes ~10x
 * longer than a 1,250-line one). Parsing each top-level table on its own is
 * linear; conflicts between tables are checked while merging. Anything that
 * fails or conflicts is parsed again as a whole, so the parser's own verdict
 * and error position always win: splitting can only make valid files faster.
 * Tables outside [otel] written in plain TOML skip the parser (see plainToml.ts).
 */
function parseChunked(text: string, lines: LineIndex, minTables = 8): ParsedToml | undefined {
  const starts = tableStarts(text);
  if (starts.length < minTables) return undefined;
  const b = newBuilder(text);
  b.strict = true;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i];
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    // Plain tables outside [otel] are read by the quick reader; the rest by the parser.
    let ast = scanPlainToml(text, start, end);
    if (!ast) {
      try {
        ast = parseTOML(text.slice(start, end), { tomlVersion: '1.0' });
      } catch {
        return undefined;
      }
    }
    addProgram(b, ast, start);
    if (b.conflict) return undefined;
  }
  return { text, root: b.root, lines, maxValueDepth: b.maxDepth, deepestOffset: b.deepestOffset };
}

/** Offsets of the lines that start a top-level `[table]` or `[[table]]`, outside strings and values. */
export function tableStarts(text: string): number[] {
  const starts = [0];
  let depth = 0;
  let multi: '"""' | "'''" | undefined;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (multi) {
      if (multi === '"""' && c === 92 /* \ */) {
        i++;
        continue;
      }
      if (text.startsWith(multi, i)) {
        const quote = multi[0];
        multi = undefined;
        i += 2;
        // a closing delimiter may be followed by one or two more quotes that belong to the string
        while (text[i + 1] === quote) i++;
      }
      continue;
    }
    if (c === 10 || c === 13) {
      lineStart = true;
      continue;
    }
    if (lineStart && (c === 32 || c === 9)) continue;
    if (lineStart && c === 91 /* [ */ && depth === 0 && i > 0) starts.push(i);
    lineStart = false;
    if (c === 35 /* # */) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) i++;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      const q = text[i];
      if (text.startsWith(q + q + q, i)) {
        multi = q === '"' ? '"""' : "'''";
        i += 2;
        continue;
      }
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (q === '"' && d === 92) i++;
        else if (text[i] === q || d === 10 || d === 13) break;
      }
      if (i < text.length && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) i--;
    } else if (c === 91 || c === 123 /* { */) depth++;
    else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
  }
  return starts;
}

interface Builder {
  text: string;
  root: TomlEntry;
  base: number;
  maxDepth: number;
  deepestOffset: number;
  /** When merging separately parsed tables: report conflicts instead of tolerating them. */
  strict: boolean;
  conflict: boolean;
}

function newBuilder(text: string): Builder {
  return {
    text,
    root: { kind: 'table', children: new Map(), valueRange: [0, text.length], style: 'root', appendAt: 0 },
    base: 0,
    maxDepth: 0,
    deepestOffset: 0,
    strict: false,
    conflict: false,
  };
}

function addProgram(b: Builder, ast: AST.TOMLProgram, base: number): void {
  b.base = base;
  for (const item of ast.body[0]?.body ?? []) {
    if (item.type === 'TOMLKeyValue') insertKeyValue(b, b.root, item, 0, keyName(item.key.keys[0]) !== 'otel');
    else insertTable(b, item);
  }
}

function at(b: Builder, r: readonly [number, number]): [number, number] {
  return [r[0] + b.base, r[1] + b.base];
}

function newTable(style: TableStyle, keyRange: [number, number], valueRange: [number, number]): TomlEntry {
  return { kind: 'table', children: new Map(), keyRange, valueRange, style };
}

function endOfLine(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

function insertTable(b: Builder, table: AST.TOMLTable): void {
  const segments = table.key.keys;
  let cur = b.root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const segRange = at(b, seg.range);
    const name = keyName(seg);
    const last = i === segments.length - 1;
    let next = cur.children?.get(name);
    if (next?.kind === 'array' && next.items && next.items.length > 0 && !(last && table.kind === 'array')) {
      // `[a.b]` after `[[a]]` extends the last element of the array of tables
      if (b.strict && next.style !== 'array-item' && next.items[0]?.style !== 'array-item') b.conflict = true;
      next = next.items[next.items.length - 1];
    }
    if (last) {
      const headerRange = at(b, [table.range[0], table.key.range[1] + (table.kind === 'array' ? 2 : 1)]);
      if (table.kind === 'array') {
        const item = newTable('array-item', segRange, headerRange);
        let arr = cur.children?.get(name);
        if (b.strict && arr && (arr.kind !== 'array' || arr.items?.[0]?.style !== 'array-item')) b.conflict = true;
        if (!arr || arr.kind !== 'array') {
          arr = { kind: 'array', items: [], keyRange: segRange, valueRange: headerRange };
          cur.children?.set(name, arr);
        }
        arr.items?.push(item);
        next = item;
      } else if (!next || next.kind !== 'table') {
        if (b.strict && next) b.conflict = true;
        next = newTable('header', segRange, headerRange);
        cur.children?.set(name, next);
      } else {
        // an implicit table made explicit later keeps its children, gains a header
        if (b.strict && next.style !== 'implicit') b.conflict = true;
        next.style = 'header';
        next.keyRange = segRange;
        next.valueRange = headerRange;
      }
      // only [otel] is validated: other tables keep their shape (for conflicts) but not their values
      const lite = keyName(segments[0]) !== 'otel';
      next.appendAt = lite ? headerRange[1] : endOfLine(b.text, headerRange[1]);
      for (const kv of table.body) {
        insertKeyValue(b, next, kv, 0, lite);
        if (!lite) next.appendAt = Math.max(next.appendAt ?? 0, endOfLine(b.text, kv.range[1] + b.base));
      }
    } else {
      if (!next || next.kind !== 'table') {
        if (b.strict && next) b.conflict = true;
        next = newTable('implicit', segRange, segRange);
        cur.children?.set(name, next);
      } else if (b.strict && next.style === 'inline') b.conflict = true;
      cur = next;
    }
  }
}

function insertKeyValue(b: Builder, table: TomlEntry, kv: AST.TOMLKeyValue, depth: number, lite = false): void {
  const segments = kv.key.keys;
  let cur = table;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i];
    const name = keyName(seg);
    let next = cur.children?.get(name);
    if (!next || next.kind !== 'table') {
      if (b.strict && next) b.conflict = true;
      next = newTable('dotted', at(b, seg.range), at(b, [seg.range[0], kv.range[1]]));
      if (!lite) next.dottedPrefix = b.text.slice(kv.key.range[0] + b.base, seg.range[1] + b.base);
      cur.children?.set(name, next);
    } else if (b.strict && next.style !== 'dotted') b.conflict = true;
    if (!lite) next.appendAt = Math.max(next.appendAt ?? 0, endOfLine(b.text, kv.range[1] + b.base));
    cur = next;
  }
  const lastSeg = segments[segments.length - 1];
  if (!lastSeg) return;
  if (b.strict && cur.children?.has(keyName(lastSeg))) b.conflict = true;
  const entry = lite ? liteValue(b, kv.value, depth + 1) : convertValue(b, kv.value, depth + 1);
  entry.keyRange = at(b, lastSeg.range);
  cur.children?.set(keyName(lastSeg), entry);
}

/** A value outside [otel]: its kind and range only; nesting depth is still measured. */
function liteValue(b: Builder, node: AST.TOMLContentNode, depth: number): TomlEntry {
  const valueRange = at(b, node.range);
  if (node.type === 'TOMLInlineTable' || node.type === 'TOMLArray') {
    measureDepth(b, node, depth);
    return node.type === 'TOMLArray' ? { kind: 'array', items: [], valueRange } : { kind: 'table', children: new Map(), valueRange, style: 'inline' };
  }
  return { kind: node.kind === 'offset-date-time' || node.kind === 'local-date-time' || node.kind === 'local-date' || node.kind === 'local-time' ? 'datetime' : node.kind, valueRange };
}

function measureDepth(b: Builder, node: AST.TOMLContentNode, depth: number): void {
  if (node.type !== 'TOMLInlineTable' && node.type !== 'TOMLArray') return;
  if (depth > b.maxDepth) {
    b.maxDepth = depth;
    b.deepestOffset = node.range[0] + b.base;
  }
  if (depth >= MAX_DEPTH) return;
  if (node.type === 'TOMLArray') for (const el of node.elements) measureDepth(b, el, depth + 1);
  else for (const kv of node.body) measureDepth(b, kv.value, depth + 1);
}

function convertValue(b: Builder, node: AST.TOMLContentNode, depth: number): TomlEntry {
  const valueRange = at(b, node.range);
  if ((node.type === 'TOMLInlineTable' || node.type === 'TOMLArray') && depth > b.maxDepth) {
    b.maxDepth = depth;
    b.deepestOffset = valueRange[0];
  }
  if (node.type === 'TOMLInlineTable') {
    const entry: TomlEntry = { kind: 'table', children: new Map(), valueRange, style: 'inline' };
    entry.appendAt = Math.max(valueRange[0] + 1, valueRange[1] - 1);
    entry.inlineHasEntries = node.body.length > 0;
    if (depth < MAX_DEPTH) for (const kv of node.body) insertKeyValue(b, entry, kv, depth);
    return entry;
  }
  if (node.type === 'TOMLArray') {
    const entry: TomlEntry = { kind: 'array', items: [], valueRange };
    if (depth < MAX_DEPTH) for (const el of node.elements) entry.items?.push(convertValue(b, el, depth + 1));
    return entry;
  }
  switch (node.kind) {
    case 'string':
      return { kind: 'string', value: node.value, valueRange };
    case 'integer':
      return { kind: 'integer', value: node.value, valueRange };
    case 'float':
      return { kind: 'float', value: node.value, valueRange };
    case 'boolean':
      return { kind: 'boolean', value: node.value, valueRange };
    default:
      return { kind: 'datetime', value: node.datetime, valueRange };
  }
}

/** Follows a key path; `undefined` when any step is missing or not a table. */
export function lookup(root: TomlEntry | undefined, path: readonly string[]): TomlEntry | undefined {
  let cur = root;
  for (const name of path) {
    if (!cur || cur.kind !== 'table') return undefined;
    cur = cur.children?.get(name);
  }
  return cur;
}

/** Human name of a TOML type, for messages. */
export function kindLabel(kind: EntryKind): string {
  switch (kind) {
    case 'table':
      return 'a table';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'float':
      return 'a float';
    case 'boolean':
      return 'a boolean';
    default:
      return 'a date-time';
  }
}

/** Quotes a key for TOML when it is not a bare key. */
export function tomlKey(name: string): string {
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
}
