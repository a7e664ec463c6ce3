import type { AST } from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type * as TomlParser from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type { Position, Range } from '../diagnostics';

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

export function parseToml(text: string): ParsedToml {
  const lines = new LineIndex(text);
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
  const root: TomlEntry = { kind: 'table', children: new Map(), valueRange: [0, text.length], style: 'root', appendAt: 0 };
  const depth = { max: 0, offset: 0 };
  const top = ast.body[0];
  for (const item of top?.body ?? []) {
    if (item.type === 'TOMLKeyValue') {
      insertKeyValue(root, item, text, 0, depth);
    } else {
      insertTable(root, item, text, depth);
    }
  }
  return { text, root, lines, maxValueDepth: depth.max, deepestOffset: depth.offset };
}

interface DepthTracker {
  max: number;
  offset: number;
}

function newTable(style: TableStyle, keyRange: [number, number], valueRange: [number, number]): TomlEntry {
  return { kind: 'table', children: new Map(), keyRange, valueRange, style };
}

function endOfLine(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

function insertTable(root: TomlEntry, table: AST.TOMLTable, text: string, tracker: DepthTracker): void {
  const segments = table.key.keys;
  let cur = root;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const name = keyName(seg);
    const last = i === segments.length - 1;
    let next = cur.children?.get(name);
    if (next?.kind === 'array' && next.items && next.items.length > 0) {
      // `[a.b]` after `[[a]]` extends the last element of the array of tables
      next = next.items[next.items.length - 1];
    }
    if (last) {
      const headerRange: [number, number] = [table.range[0], table.key.range[1] + (table.kind === 'array' ? 2 : 1)];
      if (table.kind === 'array') {
        const item = newTable('array-item', [seg.range[0], seg.range[1]], headerRange);
        let arr = cur.children?.get(name);
        if (!arr || arr.kind !== 'array') {
          arr = { kind: 'array', items: [], keyRange: [seg.range[0], seg.range[1]], valueRange: headerRange };
          cur.children?.set(name, arr);
        }
        arr.items?.push(item);
        next = item;
      } else if (!next || next.kind !== 'table') {
        next = newTable('header', [seg.range[0], seg.range[1]], headerRange);
        cur.children?.set(name, next);
      } else {
        // an implicit table made explicit later keeps its children, gains a header
        next.style = 'header';
        next.keyRange = [seg.range[0], seg.range[1]];
        next.valueRange = headerRange;
      }
      next.appendAt = endOfLine(text, headerRange[1]);
      for (const kv of table.body) {
        insertKeyValue(next, kv, text, 0, tracker);
        next.appendAt = Math.max(next.appendAt ?? 0, endOfLine(text, kv.range[1]));
      }
    } else {
      if (!next || next.kind !== 'table') {
        next = newTable('implicit', [seg.range[0], seg.range[1]], [seg.range[0], seg.range[1]]);
        cur.children?.set(name, next);
      }
      cur = next;
    }
  }
}

function insertKeyValue(table: TomlEntry, kv: AST.TOMLKeyValue, text: string, depth: number, tracker: DepthTracker): void {
  const segments = kv.key.keys;
  let cur = table;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i];
    const name = keyName(seg);
    let next = cur.children?.get(name);
    if (!next || next.kind !== 'table') {
      next = newTable('dotted', [seg.range[0], seg.range[1]], [seg.range[0], kv.range[1]]);
      next.dottedPrefix = text.slice(kv.key.range[0], seg.range[1]);
      cur.children?.set(name, next);
    }
    next.appendAt = Math.max(next.appendAt ?? 0, endOfLine(text, kv.range[1]));
    cur = next;
  }
  const lastSeg = segments[segments.length - 1];
  if (!lastSeg) return;
  const entry = convertValue(kv.value, text, depth + 1, tracker);
  entry.keyRange = [lastSeg.range[0], lastSeg.range[1]];
  cur.children?.set(keyName(lastSeg), entry);
}

function convertValue(node: AST.TOMLContentNode, text: string, depth: number, tracker: DepthTracker): TomlEntry {
  const valueRange: [number, number] = [node.range[0], node.range[1]];
  if ((node.type === 'TOMLInlineTable' || node.type === 'TOMLArray') && depth > tracker.max) {
    tracker.max = depth;
    tracker.offset = node.range[0];
  }
  if (node.type === 'TOMLInlineTable') {
    const entry: TomlEntry = { kind: 'table', children: new Map(), valueRange, style: 'inline' };
    entry.appendAt = Math.max(node.range[0] + 1, node.range[1] - 1);
    entry.inlineHasEntries = node.body.length > 0;
    if (depth < MAX_DEPTH) for (const kv of node.body) insertKeyValue(entry, kv, text, depth, tracker);
    return entry;
  }
  if (node.type === 'TOMLArray') {
    const entry: TomlEntry = { kind: 'array', items: [], valueRange };
    if (depth < MAX_DEPTH) for (const el of node.elements) entry.items?.push(convertValue(el, text, depth + 1, tracker));
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
