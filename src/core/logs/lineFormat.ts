import type { LogLevel } from './api';

/** The marker Code writes when a thread panics; the checklist makes any such line a critical alert. */
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

export function isPanicLine(line: string): boolean {
  return line.includes(PANIC_MARKER);
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
