import type { AST } from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type * as TomlParser from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import { readKeySegment, type Statement } from './scan';
import type { EntryKind, SyntaxProblem, TableStyle, TomlEntry } from './toml';

/**
 * Builds the value tree of `[otel]` with source offsets from toml-eslint-parser,
 * one piece of statements at a time. The file has already been accepted as a
 * whole (see parseToml), so pieces never conflict with each other.
 */

// The parser ships as ESM only; Node 20.19 and esbuild both load it through require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseTOML } = require('toml-eslint-parser') as typeof TomlParser;

/** Nesting beyond this is summarised, so hostile input cannot exhaust the stack of the walkers below. */
const MAX_DEPTH = 200;
/** A piece the parser reads at once: its tree costs several hundred times the text, so pieces stay small. */
const PIECE_CHARS = 32 * 1024;
const PIECE_STATEMENTS = 400;
/** A single statement over this size is not given to the parser: its value comes from the whole-file reading. */
const BIG_STATEMENT = 64 * 1024;
/** Statements of one [otel] table read; past this a hostile file is only counted (validation says how many were skipped). */
export const MAX_TABLE_STATEMENTS = 5000;
/** Children kept per table or array of a value taken from the whole-file reading. */
const MAX_CHILDREN = 1000;

export interface Builder {
  text: string;
  doc: Record<string, unknown>;
  root: TomlEntry;
  base: number;
  /** The table the last header opened (the root before any), and its path in `doc` (array items by index). */
  current: TomlEntry;
  docPath: Array<string | number>;
}

export interface Piece {
  start: number;
  end: number;
  statements: Statement[];
  /** Where each statement ends (the next one's start). */
  ends: number[];
  big: boolean;
}

export function newBuilder(text: string, doc: Record<string, unknown>): Builder {
  const root: TomlEntry = { kind: 'table', children: new Map(), valueRange: [0, text.length], style: 'root', appendAt: 0 };
  return { text, doc, root, base: 0, current: root, docPath: [] };
}

export function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

function kindOf(v: unknown): EntryKind {
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'datetime';
  if (typeof v === 'string' || typeof v === 'boolean') return v === true || v === false ? 'boolean' : 'string';
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) ? 'integer' : 'float';
  return 'table';
}

/** Top-level keys other than `otel`, by name and kind (a misspelt `[otle]` is found through them). */
export function rootEntries(b: Builder, statements: readonly Statement[]): void {
  for (const s of statements) {
    if (s.firstKey === 'otel' || b.root.children?.has(s.firstKey) || !Object.prototype.hasOwnProperty.call(b.doc, s.firstKey)) continue;
    const kind = kindOf(b.doc[s.firstKey]);
    const entry: TomlEntry = { kind, keyRange: [s.keyStart, s.keyEnd], valueRange: [s.start, s.keyEnd] };
    if (kind === 'table') {
      entry.children = new Map();
      entry.style = s.header ? 'header' : 'dotted';
    }
    b.root.children?.set(s.firstKey, entry);
  }
}

/** The statements that make `[otel]` (its tables and root keys starting with `otel`), grouped into pieces of bounded size. */
export function otelPieces(text: string, statements: readonly Statement[]): { pieces: Piece[]; skipped: number } {
  const pieces: Piece[] = [];
  let skipped = 0;
  let inTable = 0;
  let inOtel = false;
  let piece: Piece | undefined;
  for (let k = 0; k < statements.length; k++) {
    const s = statements[k];
    const end = k + 1 < statements.length ? statements[k + 1].start : text.length;
    if (s.header) {
      inOtel = s.firstKey === 'otel';
      inTable = 0;
    }
    const otel = s.header || inOtel ? inOtel : s.firstKey === 'otel';
    const big = end - s.start > BIG_STATEMENT;
    if (otel && !s.header && ++inTable > MAX_TABLE_STATEMENTS) skipped++;
    if (!otel || inTable > MAX_TABLE_STATEMENTS) {
      piece = undefined;
      continue;
    }
    if (!piece || big || piece.big || end - piece.start > PIECE_CHARS || piece.statements.length >= PIECE_STATEMENTS) {
      piece = { start: s.start, end, statements: [], ends: [], big };
      pieces.push(piece);
    }
    piece.statements.push(s);
    piece.ends.push(end);
    piece.end = end;
  }
  return { pieces, skipped };
}

function problemFrom(err: unknown, base: number): SyntaxProblem {
  const e = err as { message?: unknown; index?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return { message, offset: base + (typeof e?.index === 'number' && Number.isFinite(e.index) ? e.index : 0) };
}

/** Reads one piece into the tree; a syntax problem when the parser rejects what the whole-file reading accepted. */
export function readPiece(b: Builder, piece: Piece): SyntaxProblem | undefined {
  if (!piece.big) {
    try {
      addProgram(b, parseTOML(b.text.slice(piece.start, piece.end), { tomlVersion: '1.0' }), piece.start);
      return undefined;
    } catch (err) {
      // a string too long for the parser's stack: read statement by statement below
      if (!(err instanceof RangeError)) return problemFrom(err, piece.start);
    }
  }
  for (let k = 0; k < piece.statements.length; k++) {
    const s = piece.statements[k];
    const end = piece.ends[k];
    if (end - s.start <= BIG_STATEMENT) {
      try {
        addProgram(b, parseTOML(b.text.slice(s.start, end), { tomlVersion: '1.0' }), s.start);
        continue;
      } catch (err) {
        if (!(err instanceof RangeError)) return problemFrom(err, s.start);
      }
    }
    if (!s.header) standIn(b, s, end);
  }
  return undefined;
}

/** Offset of the `=` of the key/value statement at `start`. */
function equalsOf(text: string, start: number): number {
  let i = start;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    i = readKeySegment(text, i).end;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '.') return i;
    i++;
  }
}

/**
 * A statement too big for the parser: its key is parsed with a stand-in value,
 * and the value is taken from the whole-file reading (its parts all get the
 * range of the whole value).
 */
function standIn(b: Builder, s: Statement, end: number): void {
  const start = s.start;
  const eq = equalsOf(b.text, start);
  const ast = parseTOML(`${b.text.slice(start, eq + 1)} 0`, { tomlVersion: '1.0' });
  const kv = ast.body[0]?.body[0];
  if (!kv || kv.type !== 'TOMLKeyValue') return;
  b.base = start;
  const names = kv.key.keys.map(keyName);
  let value: unknown = b.doc;
  for (const seg of [...b.docPath, ...names]) value = (value as Record<string | number, unknown> | undefined)?.[seg];
  let valueStart = eq + 1;
  while (/\s/.test(b.text[valueStart] ?? '')) valueStart++;
  // the value ends with the statement's last token: a comment after it is not part of it
  const valueEnd = Math.max(valueStart, Math.min(end, s.contentEnd));
  const [parent, name] = insertKeyValue(b, b.current, kv, 0);
  const entry = fromValue(value, [valueStart, valueEnd], 0);
  entry.keyRange = parent.children?.get(name)?.keyRange;
  parent.children?.set(name, entry);
}

function fromValue(v: unknown, range: [number, number], depth: number): TomlEntry {
  const kind = kindOf(v);
  if (kind === 'array') {
    const items = depth < MAX_DEPTH ? (v as unknown[]).slice(0, MAX_CHILDREN).map((x) => fromValue(x, range, depth + 1)) : [];
    return { kind, items, valueRange: range };
  }
  if (kind === 'table') {
    const children = new Map<string, TomlEntry>();
    if (depth < MAX_DEPTH) for (const k of Object.keys(v as object).slice(0, MAX_CHILDREN)) children.set(k, fromValue((v as Record<string, unknown>)[k], range, depth + 1));
    return { kind, children, valueRange: range, style: 'inline' };
  }
  const value = kind === 'datetime' ? String((v as Date).toISOString?.() ?? v) : kind === 'integer' || kind === 'float' ? Number(v) : (v as string | boolean);
  return { kind, value, valueRange: range };
}

function addProgram(b: Builder, ast: AST.TOMLProgram, base: number): void {
  b.base = base;
  for (const item of ast.body[0]?.body ?? []) {
    if (item.type === 'TOMLKeyValue') {
      insertKeyValue(b, b.current, item, 0);
      if (b.current.style === 'header' || b.current.style === 'array-item') b.current.appendAt = Math.max(b.current.appendAt ?? 0, endOfLine(b.text, item.range[1] + b.base));
    } else insertTable(b, item);
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
  b.docPath = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const segRange = at(b, seg.range);
    const name = keyName(seg);
    const last = i === segments.length - 1;
    b.docPath.push(name);
    let next = cur.children?.get(name);
    if (next?.kind === 'array' && next.items && next.items.length > 0 && !(last && table.kind === 'array')) {
      // `[a.b]` after `[[a]]` extends the last element of the array of tables
      b.docPath.push(next.items.length - 1);
      next = next.items[next.items.length - 1];
    }
    if (!last) {
      if (!next || next.kind !== 'table') {
        next = newTable('implicit', segRange, segRange);
        cur.children?.set(name, next);
      }
      cur = next;
      continue;
    }
    const headerRange = at(b, [table.range[0], table.key.range[1] + (table.kind === 'array' ? 2 : 1)]);
    if (table.kind === 'array') {
      const item = newTable('array-item', segRange, headerRange);
      let arr = cur.children?.get(name);
      if (!arr || arr.kind !== 'array') {
        arr = { kind: 'array', items: [], keyRange: segRange, valueRange: headerRange };
        cur.children?.set(name, arr);
      }
      arr.items?.push(item);
      b.docPath.push((arr.items?.length ?? 1) - 1);
      next = item;
    } else if (!next || next.kind !== 'table') {
      next = newTable('header', segRange, headerRange);
      cur.children?.set(name, next);
    } else {
      // an implicit table made explicit later keeps its children, gains a header
      next.style = 'header';
      next.keyRange = segRange;
      next.valueRange = headerRange;
    }
    next.appendAt = endOfLine(b.text, headerRange[1]);
    b.current = next;
    for (const kv of table.body) {
      insertKeyValue(b, next, kv, 0);
      next.appendAt = Math.max(next.appendAt ?? 0, endOfLine(b.text, kv.range[1] + b.base));
    }
  }
}

/** Inserts `key = value`; returns the table that holds the last key segment and its name. */
function insertKeyValue(b: Builder, table: TomlEntry, kv: AST.TOMLKeyValue, depth: number): [TomlEntry, string] {
  const segments = kv.key.keys;
  let cur = table;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i];
    const name = keyName(seg);
    let next = cur.children?.get(name);
    if (!next || next.kind !== 'table') {
      next = newTable('dotted', at(b, seg.range), at(b, [seg.range[0], kv.range[1]]));
      next.dottedPrefix = b.text.slice(kv.key.range[0] + b.base, seg.range[1] + b.base);
      cur.children?.set(name, next);
    }
    next.appendAt = Math.max(next.appendAt ?? 0, endOfLine(b.text, kv.range[1] + b.base));
    cur = next;
  }
  const lastSeg = segments[segments.length - 1];
  if (!lastSeg) return [cur, ''];
  const entry = convertValue(b, kv.value, depth + 1);
  entry.keyRange = at(b, lastSeg.range);
  cur.children?.set(keyName(lastSeg), entry);
  return [cur, keyName(lastSeg)];
}

function convertValue(b: Builder, node: AST.TOMLContentNode, depth: number): TomlEntry {
  const valueRange = at(b, node.range);
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
