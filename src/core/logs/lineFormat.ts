import { isPanicStart } from './panicFormat';
import type { LogLevel } from './api';

/** The marker code-app-server's panic hook writes; the checklist makes any such line critical. Code's TUI and Rust's default hook write others: see panicFormat.ts. */
export const PANIC_MARKER = 'Panic occurred';

const LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** `2025-12-24T13:51:20.921578Z` — tracing's RFC 3339 UTC timestamp at the start of a line. */
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/;

/** Milliseconds of the line's leading timestamp, or undefined for lines without one (continuations, foreign text). */
export function lineTimestampMs(line: string): number | undefined {
  const m = TIMESTAMP_RE.exec(line);
  if (!m) return undefined;
  const ms = Date.parse(m[0]);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Level of a tracing fmt line: the first word after the timestamp (padded to
 * five columns, so ` INFO` and ` WARN` carry an extra space). Checked by
 * character position rather than a regular expression because it runs on
 * every line while catching up.
 */
export function lineLevel(line: string): LogLevel | null {
  // Shortest valid prefix: `2025-12-24T13:51:20Z INFO`
  if (line.length < 21 || line.charCodeAt(4) !== 45 /* - */ || line.charCodeAt(10) !== 84 /* T */) return null;
  const z = line.indexOf('Z', 19);
  if (z < 0 || z > 40) return null;
  let i = z + 1;
  while (line.charCodeAt(i) === 32) i++;
  for (const level of LEVELS) {
    if (line.startsWith(level, i)) {
      const after = line.charCodeAt(i + level.length);
      if (Number.isNaN(after) || after === 32 || after === 58 /* : */) return level;
    }
  }
  return null;
}

/** True when the line starts a panic in any of the three forms (see panicFormat.ts). */
export function isPanicLine(line: string): boolean {
  return isPanicStart(line);
}

/**
 * The part of a line that identifies the event regardless of which log it was
 * written to: the message without timestamp, level and the critical log's
 * thread name and id. The same panic lands in both logs; this lets the alerts
 * tell them apart from two distinct panics.
 */
export function eventKey(line: string): string {
  const level = lineLevel(line);
  if (!level) return line.trim();
  let rest = line.slice(line.indexOf(level) + level.length).trimStart();
  // critical.log: `<thread name> ThreadId(01) message`
  const thread = /^(?:\S+\s+)?ThreadId\(\d+\)\s*/.exec(rest);
  if (thread) rest = rest.slice(thread[0].length);
  return rest.trim();
}

function digits(buf: Uint8Array, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The leading timestamp of the line at [start, end) of raw bytes, parsed
 * without decoding: the alert scanner needs it for every ERROR line.
 */
export function timestampFromBytes(buf: Uint8Array, start: number, end: number): number | undefined {
  if (end - start < 20 || buf[start + 4] !== 0x2d || buf[start + 7] !== 0x2d || buf[start + 10] !== 0x54 || buf[start + 13] !== 0x3a || buf[start + 16] !== 0x3a) return undefined;
  const y = digits(buf, start, 4);
  const mo = digits(buf, start + 5, 2);
  const d = digits(buf, start + 8, 2);
  const h = digits(buf, start + 11, 2);
  const mi = digits(buf, start + 14, 2);
  const s = digits(buf, start + 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60) return undefined;
  let i = start + 19;
  let ms = 0;
  if (buf[i] === 0x2e) {
    i++;
    let scale = 100;
    while (i < end && buf[i] >= 48 && buf[i] <= 57) {
      ms += (buf[i] - 48) * scale;
      scale /= 10;
      i++;
    }
  }
  if (buf[i] !== 0x5a) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi, s) + Math.floor(ms);
}
