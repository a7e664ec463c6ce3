import type { Position, Range } from '../diagnostics';
import type * as Smol from 'smol-toml' with { 'resolution-mode': 'import' };
import { scanStructure } from './scan';
import { otelPieces, readPiece, newBuilder, rootEntries } from './tomlTree';

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
  /** Statements of an oversized [otel] table that were not read (see MAX_TABLE_STATEMENTS). */
  skippedStatements?: number;
  /** The whole file's values (the tree above holds values for [otel] only; other tables by name and kind). */
  doc?: Record<string, unknown>;
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

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseSmol } = require('smol-toml') as typeof Smol;

/** Arrays and inline tables nested deeper than this are refused by the servers' TOML reader (measured on codex 0.169). */
export const MAX_SERVER_DEPTH = 80;

function syntaxFrom(err: unknown, lines: LineIndex): SyntaxProblem {
  const e = err as { message?: unknown; line?: unknown; column?: unknown };
  if (typeof e?.line === 'number' && typeof e.column === 'number' && typeof e.message === 'string') {
    const first = e.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '');
    return { message: first.charAt(0).toUpperCase() + first.slice(1), offset: lines.offset({ line: e.line - 1, character: e.column - 1 }) };
  }
  return { message: `the file could not be read (${err instanceof Error ? err.message : String(err)})`, offset: 0 };
}

/**
 * Reads a config.toml for validation. The whole file is checked by a fast,
 * compact TOML reader (smol-toml: the verdict and the error position); the
 * statements of `[otel]` are then read by toml-eslint-parser, which gives the
 * offsets of every key and value, in pieces of bounded size, so memory stays
 * small whatever the rest of the file holds. Only `[otel]` is validated: other
 * top-level keys are kept as names and kinds.
 */
export function parseToml(text: string): ParsedToml {
  const lines = new LineIndex(text);
  const structure = scanStructure(text, MAX_SERVER_DEPTH);
  const base: ParsedToml = { text, lines, maxValueDepth: structure.maxDepth, deepestOffset: structure.tooDeepOffset ?? structure.deepestOffset };
  // the servers refuse it whatever else is in the file (validation reports the depth)
  if (structure.maxDepth > MAX_SERVER_DEPTH) return base;
  let doc: Record<string, unknown>;
  try {
    doc = parseSmol(text, { maxDepth: 1000 }) as Record<string, unknown>;
  } catch (err) {
    return { ...base, syntax: syntaxFrom(err, lines) };
  }
  const b = newBuilder(text, doc);
  rootEntries(b, structure.statements);
  const { pieces, skipped } = otelPieces(text, structure.statements);
  for (const piece of pieces) {
    const syntax = readPiece(b, piece);
    if (syntax) return { ...base, syntax };
  }
  return { ...base, root: b.root, skippedStatements: skipped, doc };
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
