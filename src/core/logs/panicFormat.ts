/**
 * The three ways a Rust panic reaches Code's logs and the server's stderr,
 * recognised line by line (the line-joining lives in panicAssembler.ts):
 *
 * (a) Code's TUI panic hook, a tracing event (beacon code-rs/tui/src/lib.rs,
 *     install_unified_panic_hook): `… ERROR … panic captured thread_name="…"
 *     thread_id="…" file="…" line=N column=N panic=panicked at FILE:L:C:` and
 *     the panic message on the NEXT line, without a timestamp.
 * (b) code-app-server's hook (beacon code-rs/app-server/src/main.rs), stderr only:
 *     `Panic occurred: PanicHookInfo { …, location: Location { file: "…", line: N, col: N }, … }`
 *     (no message), then `Backtrace:` and frames when RUST_BACKTRACE is set.
 * (c) Rust's default hook, called after both: `thread 'NAME' panicked at FILE:L:C:`,
 *     the message on the next line(s), then `note: run with \`RUST_BACKTRACE=1\` …`
 *     or `stack backtrace:` and frames. Older toolchains wrote
 *     `thread 'NAME' panicked at 'MESSAGE', FILE:L:C`; newer ones add the
 *     thread id: `thread 'NAME' (1234) panicked at …`.
 */

export type PanicForm = 'tracing' | 'hook-debug' | 'default-hook';

export interface PanicLocation {
  file: string;
  line: number;
  column: number;
}

/** What the first line of a panic says. */
export interface PanicStart {
  form: PanicForm;
  location?: PanicLocation;
  thread?: string;
  /** The message when it stands on the same line (older toolchains, a hook that joins it). */
  message?: string;
  /** The line's leading timestamp (tracing lines). */
  timestampMs?: number;
}

/** Substrings that start a panic in any of the three forms; used to search raw bytes before decoding. */
export const PANIC_NEEDLES: readonly string[] = ['panic captured', 'Panic occurred', 'panicked at'];
/** What every needle contains: one pass over the bytes finds candidates, the needles confirm them. */
export const PANIC_COMMON = 'anic';

const NEEDLE_BYTES = PANIC_NEEDLES.map((n) => Buffer.from(n));
const COMMON_BYTES = Buffer.from(PANIC_COMMON);

/**
 * The offset of the next line in bytes[from, to) that holds a panic needle
 * (the needle's position), or -1: one scan for the common part, then each
 * candidate's line is checked for the needles.
 */
export function nextPanicNeedle(bytes: Buffer, from: number, to: number = bytes.length): number {
  let at = bytes.indexOf(COMMON_BYTES, from);
  while (at >= 0 && at < to) {
    const lineStart = bytes.lastIndexOf(0x0a, at) + 1;
    let lineEnd = bytes.indexOf(0x0a, at);
    if (lineEnd < 0 || lineEnd > to) lineEnd = to;
    const line = bytes.subarray(Math.max(lineStart, from), lineEnd);
    let best = -1;
    for (const n of NEEDLE_BYTES) {
      const i = line.indexOf(n);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    if (best >= 0) return Math.max(lineStart, from) + best;
    at = bytes.indexOf(COMMON_BYTES, lineEnd);
  }
  return -1;
}

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/;
/** `panicked at FILE:L:C:` (message follows on the next line) or `panicked at FILE:L:C: message`. */
const PANICKED_AT_RE = /panicked at (.+?):(\d+):(\d+)(?::\s?(.*))?$/;
/** Before Rust 1.73: `panicked at 'message', FILE:L:C`. */
const PANICKED_AT_OLD_RE = /panicked at '(.*)', (.+?):(\d+):(\d+)\s*$/;
const DEFAULT_HOOK_RE = /^thread '([^']*)'(?: \(\d+\))? panicked at /;
const HOOK_DEBUG_RE = /Panic occurred: PanicHookInfo \{/;
const DEBUG_LOCATION_RE = /Location \{ file: "((?:[^"\\]|\\.)*)", line: (\d+), col(?:umn)?: (\d+) \}/;

function field(line: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|\\s)${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|(\\S+))`);
  const m = re.exec(line);
  return m ? (m[1] ?? m[2]) : undefined;
}

function timestampOf(line: string): number | undefined {
  const m = TIMESTAMP_RE.exec(line);
  if (!m) return undefined;
  const ms = Date.parse(m[0]);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Location and inline message of a `panicked at …` tail, in either toolchain's words. */
function panickedAt(text: string): { location?: PanicLocation; message?: string } {
  const old = PANICKED_AT_OLD_RE.exec(text);
  if (old) return { location: { file: old[2], line: Number(old[3]), column: Number(old[4]) }, message: old[1] || undefined };
  const m = PANICKED_AT_RE.exec(text);
  if (!m) return {};
  const message = m[4]?.trim();
  return { location: { file: m[1], line: Number(m[2]), column: Number(m[3]) }, message: message || undefined };
}

/** The panic that starts on this line, or undefined when the line does not start one. */
export function parsePanicStart(line: string): PanicStart | undefined {
  if (line.includes('panic captured')) {
    const timestampMs = timestampOf(line);
    const panicAt = line.indexOf('panic=');
    const tail = panicAt >= 0 ? panickedAt(line.slice(panicAt + 'panic='.length)) : {};
    const file = field(line, 'file');
    const lineNo = Number(field(line, 'line'));
    const column = Number(field(line, 'column'));
    const location = tail.location ?? (file && Number.isFinite(lineNo) ? { file, line: lineNo, column: Number.isFinite(column) ? column : 0 } : undefined);
    // the critical log also writes the thread name before ThreadId(..); the field is the reliable one
    const thread = field(line, 'thread_name');
    return { form: 'tracing', location, thread, message: tail.message, timestampMs };
  }
  if (HOOK_DEBUG_RE.test(line)) {
    const m = DEBUG_LOCATION_RE.exec(line);
    const location = m ? { file: m[1].replace(/\\(.)/g, '$1'), line: Number(m[2]), column: Number(m[3]) } : undefined;
    return { form: 'hook-debug', location, timestampMs: timestampOf(line) };
  }
  // the default hook's line may follow a tracing prefix when stderr is captured into a log
  const at = line.indexOf("thread '");
  if (at >= 0) {
    const rest = line.slice(at);
    const m = DEFAULT_HOOK_RE.exec(rest);
    if (m) {
      const tail = panickedAt(rest.slice(m[0].length - 'panicked at '.length));
      return { form: 'default-hook', thread: m[1], location: tail.location, message: tail.message, timestampMs: timestampOf(line) };
    }
  }
  // a bare `Panic occurred` (hand-written or another build's hook) still counts, as the checklist asks
  if (line.includes('Panic occurred')) return { form: 'hook-debug', timestampMs: timestampOf(line), message: line.slice(line.indexOf('Panic occurred') + 14).replace(/^:\s*/, '') || undefined };
  return undefined;
}

export function isPanicStart(line: string): boolean {
  return parsePanicStart(line) !== undefined;
}

/** A line that begins a new log event (tracing's timestamp): never part of the panic above it. */
export function startsLogEvent(line: string): boolean {
  return TIMESTAMP_RE.test(line);
}

/** What a line after the start of a panic is. */
export type ContinuationKind = 'note' | 'backtrace-header' | 'frame' | 'text';

export function continuationKind(line: string): ContinuationKind {
  if (/^note: (?:run with `RUST_BACKTRACE|Some details are omitted)/.test(line)) return 'note';
  if (/^(?:stack backtrace:|Backtrace:)\s*$/.test(line) || /^Backtrace:/.test(line)) return 'backtrace-header';
  if (/^\s+(?:\d+:\s|at\s)/.test(line)) return 'frame';
  return 'text';
}

/** `file:line:col`, the part of a panic that is the same in every form. */
export function locationKey(location: PanicLocation | undefined): string {
  return location ? `${location.file}:${location.line}:${location.column}` : '';
}
