import type { Range } from '../diagnostics';
import type { Dialect } from './api';
import { lookup, parseToml } from './toml';
import { knownKeys, schemaAt } from './schema';
import { DIALECT_NAME } from './validate';

/**
 * What the cursor is on in a config.toml, read from the text around it rather
 * than from a full parse, so hover and completion work while the file is
 * half-typed (and does not parse).
 */
export interface CursorContext {
  /** `key`: typing a key (or a table header); `value`: right of `=`. */
  kind: 'key' | 'value' | 'header' | 'other';
  /** Key path of the table the key goes into (`key`/`header`), or of the key whose value this is (`value`). */
  path: string[];
  /** The word under or before the cursor, and its offsets within the line. */
  word: string;
  wordStart: number;
  wordEnd: number;
  /** Full key path of the word under the cursor, when it is a key. */
  keyPath?: string[];
  /** Whether an opening quote precedes the cursor in a value. */
  inString: boolean;
}

interface Segment {
  name: string;
  start: number;
  end: number;
  /** Where the name begins: after the opening quote of a quoted segment. */
  nameStart: number;
}

/** Reads dotted key segments (bare or quoted) from `line` at `i`. */
function readKey(line: string, start: number): { segments: Segment[]; next: number } {
  const segments: Segment[] = [];
  let i = start;
  for (;;) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    const c = line[i];
    if (c === '"' || c === "'") {
      const close = line.indexOf(c, i + 1);
      const end = close < 0 ? line.length : close + 1;
      segments.push({ name: line.slice(i + 1, close < 0 ? line.length : close), start: i, end, nameStart: i + 1 });
      i = end;
    } else {
      const m = /^[A-Za-z0-9_-]*/.exec(line.slice(i));
      const word = m ? m[0] : '';
      segments.push({ name: word, start: i, end: i + word.length, nameStart: i });
      i += word.length;
    }
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (line[i] !== '.') return { segments, next: i };
    i++;
  }
}

function headerPath(line: string): string[] | undefined {
  const m = /^\s*\[\[?/.exec(line);
  if (!m) return undefined;
  return readKey(line, m[0].length).segments.map((s) => s.name);
}

/** Finds the cursor's context at (line, character) of `text`. */
export function cursorContext(text: string, lineNo: number, character: number): CursorContext {
  const lines = text.split(/\r\n|\r|\n/);
  const line = lines[lineNo] ?? '';
  const col = Math.min(character, line.length);
  // the table the line belongs to: the nearest header above
  let table: string[] = [];
  for (let l = lineNo - 1; l >= 0; l--) {
    const h = headerPath(lines[l]);
    if (h) {
      table = h;
      break;
    }
  }
  const header = /^\s*\[\[?/.exec(line);
  if (header) {
    const { segments } = readKey(line, header[0].length);
    return fromSegments('header', [], segments, col);
  }
  // walk the line: keys, `=`, values, inline tables
  const stack: string[][] = [table];
  let i = 0;
  for (;;) {
    const { segments, next } = readKey(line, i);
    const base = stack[stack.length - 1];
    const hit = segments.find((s) => col >= s.start && col <= s.end);
    if (hit || next >= col || line[next] !== '=') {
      if (line.slice(i, col).includes('#')) return { kind: 'other', path: base, word: '', wordStart: col, wordEnd: col, inString: false };
      return fromSegments('key', base, segments, col);
    }
    let keyPath = [...base, ...segments.map((s) => s.name)];
    // value: scan to the cursor
    let j = next + 1;
    let arrays = 0;
    let opened = false;
    while (j < col) {
      const c = line[j];
      if (c === '"' || c === "'") {
        const close = line.indexOf(c, j + 1);
        if (close < 0 || close >= col) {
          const wordStart = j + 1;
          const rest = close < 0 ? line.length : close;
          return { kind: 'value', path: keyPath, word: line.slice(wordStart, col), wordStart, wordEnd: rest, inString: true };
        }
        j = close + 1;
        continue;
      }
      if (c === '#') return { kind: 'other', path: keyPath, word: '', wordStart: col, wordEnd: col, inString: false };
      if (c === '[') arrays++;
      if (c === ']') arrays--;
      if (c === '{') {
        stack.push(keyPath);
        i = j + 1;
        opened = true;
        break;
      }
      // an inline table closes: what follows is part of the value of the key that opened it
      if (c === '}' && stack.length > 1) keyPath = stack.pop() ?? keyPath;
      if (c === ',' && arrays <= 0 && stack.length > 1) {
        // a sibling key of the enclosing inline table follows
        i = j + 1;
        opened = true;
        break;
      }
      j++;
    }
    if (opened) continue;
    const m = /[A-Za-z0-9_.:/+-]*$/.exec(line.slice(next + 1, col));
    const word = m ? m[0] : '';
    const tail = /^[A-Za-z0-9_.:/+-]*/.exec(line.slice(col));
    return { kind: 'value', path: keyPath, word, wordStart: col - word.length, wordEnd: col + (tail ? tail[0].length : 0), inString: false };
  }
}

function fromSegments(kind: 'key' | 'header', base: string[], segments: Segment[], col: number): CursorContext {
  const idx = segments.findIndex((s) => col >= s.start && col <= s.end);
  if (idx < 0) {
    const before = segments.filter((s) => s.end <= col && s.name);
    return { kind, path: [...base, ...before.map((s) => s.name)], word: '', wordStart: col, wordEnd: col, inString: false };
  }
  const seg = segments[idx];
  return {
    kind,
    path: [...base, ...segments.slice(0, idx).map((s) => s.name)],
    word: seg.name.slice(0, Math.max(0, col - seg.nameStart)),
    wordStart: seg.start,
    wordEnd: seg.end,
    keyPath: [...base, ...segments.slice(0, idx + 1).map((s) => s.name)],
    inString: false,
  };
}

/** Markdown for hovering a key: its documentation, type and default in this dialect. */
export function hoverMarkdown(dialect: Dialect, keyPath: readonly string[]): string | undefined {
  if (keyPath[0] !== 'otel') return undefined;
  const info = schemaAt(dialect, keyPath);
  const name = keyPath[keyPath.length - 1];
  if (!info) {
    const other: Dialect = dialect === 'beacon' ? 'codex' : 'beacon';
    const there = schemaAt(other, keyPath);
    if (there) return `**${name}** — understood only by ${DIALECT_NAME[other]}; ${DIALECT_NAME[dialect]} ignores it.\n\n${there.description ?? ''}`;
    return undefined;
  }
  const n = info.node;
  const parts = [`**${name}** (${DIALECT_NAME[dialect]})`];
  if (info.description) parts.push(info.description);
  const type = Array.isArray(n.type) ? n.type.join(' | ') : n.type;
  const facts: string[] = [];
  if (type) facts.push(`Type: \`${type === 'object' ? 'table' : type}\``);
  const values = n.enum ?? n.then?.enum;
  if (values) facts.push(`Values: ${values.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`);
  if (info.default !== undefined) facts.push(`Default: \`${JSON.stringify(info.default)}\``);
  if (n.required?.length) facts.push(`Requires: ${n.required.map((r) => `\`${r}\``).join(', ')}`);
  if (facts.length) parts.push(facts.join(' · '));
  return parts.join('\n\n');
}

export interface CompletionCandidate {
  label: string;
  /** text to insert in place of the word */
  insertText: string;
  kind: 'key' | 'value' | 'table';
  detail?: string;
  documentation?: string;
}

/** Keys and values that fit at the cursor, from the dialect's schema. */
export function completions(dialect: Dialect, ctx: CursorContext): CompletionCandidate[] {
  if (ctx.kind === 'other') return [];
  if (ctx.kind === 'key' || ctx.kind === 'header') {
    if (ctx.path.length === 0) return [{ label: 'otel', insertText: 'otel', kind: 'table', documentation: schemaAt(dialect, ['otel'])?.description }];
    if (ctx.path[0] !== 'otel') return [];
    const known = knownKeys(dialect, ctx.path);
    if (!known || known.map) return [];
    return known.keys.map((key) => {
      const info = schemaAt(dialect, [...ctx.path, key]);
      const quoted = /^[A-Za-z0-9_]+$/.test(key) || ctx.kind === 'key' ? key : `"${key}"`;
      const isTable = info?.node.type === 'object' || (Array.isArray(info?.node.type) && info?.node.type.includes('object'));
      return {
        label: key,
        insertText: quoted,
        kind: isTable ? 'table' : 'key',
        detail: info?.default !== undefined ? `default ${JSON.stringify(info.default)}` : undefined,
        documentation: info?.description,
      };
    });
  }
  if (ctx.path[0] !== 'otel') return [];
  const info = schemaAt(dialect, ctx.path);
  if (!info) return [];
  const n = info.node;
  const values: unknown[] = [...(n.enum ?? n.then?.enum ?? []), ...(n.examples ?? [])];
  if (n.type === 'boolean') values.push(false, true);
  const seen = new Set<string>();
  const out: CompletionCandidate[] = [];
  for (const v of values) {
    const label = String(v);
    if (seen.has(label)) continue;
    seen.add(label);
    out.push({
      label,
      insertText: typeof v === 'string' ? (ctx.inString ? v : JSON.stringify(v)) : String(v),
      kind: 'value',
      detail: info.default !== undefined && JSON.stringify(info.default) === JSON.stringify(v) ? 'default' : undefined,
      documentation: info.description,
    });
  }
  return out;
}

/**
 * Where a dotted key such as `otel.environment` is written, for "reveal this
 * setting". When the key is absent, the closest table that is present.
 */
export function findKeyRange(text: string, dottedKey: string): Range | undefined {
  const parsed = parseToml(text);
  const path = dottedKey.split('.').filter(Boolean);
  if (!parsed.root) {
    const last = path[path.length - 1];
    if (!last) return undefined;
    const m = new RegExp(`^\\s*${last.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\s*=`, 'm').exec(text);
    return m ? parsed.lines.range(m.index, m.index + m[0].length) : undefined;
  }
  for (let n = path.length; n > 0; n--) {
    const entry = lookup(parsed.root, path.slice(0, n));
    if (entry) {
      const r = entry.keyRange ?? entry.valueRange;
      return parsed.lines.range(r[0], r[1]);
    }
  }
  return undefined;
}
