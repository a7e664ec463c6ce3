/**
 * A lexical walk over TOML text, without building values: where each top-level
 * statement (a `[header]`, `[[header]]` or `key = value`) starts, the first key
 * segment it names, and how deeply values nest. Strings (all four kinds) and
 * comments are skipped, so brackets inside them do not count. It never throws
 * and allocates a few numbers per statement, whatever the input.
 */
export interface Statement {
  start: number;
  header: boolean;
  /** The first key segment (`otel` in `[otel.exporter]` or `otel.environment = …`) and its offsets. */
  firstKey: string;
  keyStart: number;
  keyEnd: number;
  /** Where its last token ends: before the whitespace and comment that may follow it. */
  contentEnd: number;
}

export interface Structure {
  statements: Statement[];
  /** Deepest nesting of arrays and inline tables, and where it was first reached. */
  maxDepth: number;
  deepestOffset: number;
  /** Where nesting first went past `depthLimit` (the bracket that opens the level one too deep). */
  tooDeepOffset?: number;
}

const isBare = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95;
const isBreak = (c: number) => c === 10 || c === 13;

/** Reads one key segment (bare, "basic" or 'literal') at `i`: its name and end. */
export function readKeySegment(text: string, i: number): { name: string; end: number } {
  const q = text[i];
  if (q === '"' || q === "'") {
    let j = i + 1;
    let name = '';
    while (j < text.length && text[j] !== q && !isBreak(text.charCodeAt(j))) {
      if (q === '"' && text[j] === '\\' && j + 1 < text.length) {
        name += text.slice(j, j + 2);
        j += 2;
        continue;
      }
      name += text[j++];
    }
    if (q === '"' && name.includes('\\')) {
      try {
        name = JSON.parse(`"${name}"`) as string;
      } catch {
        /* keep the raw text */
      }
    }
    return { name, end: text[j] === q ? j + 1 : j };
  }
  let j = i;
  while (j < text.length && isBare(text.charCodeAt(j))) j++;
  return { name: text.slice(i, j), end: j };
}

/** End of a one-line string starting at the quote `i` (at the line break when unclosed). */
function skipString(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  for (; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (q === '"' && c === 92) j++;
    else if (text[j] === q) return j + 1;
    else if (isBreak(c)) return j;
  }
  return j;
}

/** End of a multi-line string whose opening delimiter starts at `i` (the end of the text when unclosed). */
function skipMultiline(text: string, i: number): number {
  const delim = text.slice(i, i + 3);
  let j = i + 3;
  for (; j < text.length; j++) {
    if (delim === '"""' && text.charCodeAt(j) === 92) {
      j++;
      continue;
    }
    if (text.startsWith(delim, j)) {
      j += 3;
      // up to two more quotes right before the delimiter belong to the string
      for (let extra = 0; extra < 2 && text[j] === delim[0]; extra++) j++;
      return j;
    }
  }
  return j;
}

function skipComment(text: string, i: number): number {
  let j = i;
  while (j < text.length && !isBreak(text.charCodeAt(j))) j++;
  return j;
}

/** Skips a header line's `[` … `]` (quoted segments may hold brackets). */
function skipHeader(text: string, i: number): number {
  let j = i;
  while (j < text.length && !isBreak(text.charCodeAt(j))) {
    const c = text[j];
    if (c === '"' || c === "'") j = skipString(text, j);
    else if (c === ']') {
      j++;
      if (text[j] === ']') j++;
      return j;
    } else j++;
  }
  return j;
}

function statementAt(text: string, i: number): Statement {
  const header = text[i] === '[';
  let k = i;
  if (header) {
    k++;
    if (text[k] === '[') k++;
    while (text[k] === ' ' || text[k] === '\t') k++;
  }
  const seg = readKeySegment(text, k);
  return { start: i, header, firstKey: seg.name, keyStart: k, keyEnd: seg.end, contentEnd: seg.end };
}

export function scanStructure(text: string, depthLimit = Infinity): Structure {
  const statements: Statement[] = [];
  let depth = 0;
  let maxDepth = 0;
  let deepestOffset = 0;
  let tooDeepOffset: number | undefined;
  let lineStart = true;
  /** The end of the last token read (string, header, bracket, value character). */
  let contentEnd = 0;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (isBreak(c)) {
      lineStart = true;
      i++;
      continue;
    }
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      i = skipComment(text, i);
      continue;
    }
    if (lineStart && depth === 0) {
      if (statements.length > 0) statements[statements.length - 1].contentEnd = contentEnd;
      statements.push(statementAt(text, i));
      lineStart = false;
      if (c === 91 /* [ */) {
        i = contentEnd = skipHeader(text, i);
        continue;
      }
    }
    lineStart = false;
    if (c === 34 || c === 39) {
      i = contentEnd = text.startsWith(text[i].repeat(3), i) ? skipMultiline(text, i) : skipString(text, i);
      continue;
    }
    if (c === 91 || c === 123) {
      depth++;
      if (depth > maxDepth) {
        maxDepth = depth;
        deepestOffset = i;
        if (depth > depthLimit && tooDeepOffset === undefined) tooDeepOffset = i;
      }
    } else if (c === 93 || c === 125) depth = Math.max(0, depth - 1);
    i++;
    contentEnd = i;
  }
  if (statements.length > 0) statements[statements.length - 1].contentEnd = contentEnd;
  return { statements, maxDepth, deepestOffset, tooDeepOffset };
}
