import { promises as fsp } from 'node:fs';

/**
 * Reads Code's logs as entries for agents: a timestamped line plus the lines
 * without a timestamp that follow it (a panic's message, a backtrace), so a
 * panic comes back with its message. Files are streamed in chunks; memory
 * stays at one chunk, a capped line and the entries kept.
 */

export type Level = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export const LEVELS: readonly Level[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** How lines are understood; the facade passes the core's functions in. */
export interface LineParser {
  level(line: string): Level | null;
  timestampMs(line: string): number | undefined;
  isPanic(text: string): boolean;
}

export interface LogEntry {
  file: string;
  /** 1-based line of the entry's first line. */
  lineNumber: number;
  /** The entry's time: its own timestamp, or the last one above it. */
  timestampMs?: number;
  level: Level | null;
  /** The line and its continuation lines, joined with newlines (not masked yet). */
  text: string;
  panic: boolean;
}

const CHUNK = 1 << 20;
/** A longer line is cut: it is shown, not parsed. */
export const MAX_LINE = 8192;
/** Continuation lines kept per entry (a backtrace can be long). */
const MAX_CONTINUATION = 40;

/** Lines of a file, each cut to MAX_LINE characters, with their 1-based numbers. */
export async function* fileLines(file: string): AsyncGenerator<{ line: string; n: number }> {
  const handle = await fsp.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    let overlong = false;
    let n = 0;
    const decode = (b: Buffer) => {
      let end = Math.min(b.length, MAX_LINE);
      if (end > 0 && b[end - 1] === 0x0d) end--;
      return b.toString('utf8', 0, end);
    };
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      let data = buf.subarray(0, bytesRead);
      let nl = data.indexOf(0x0a);
      while (nl >= 0) {
        const piece = carry.length ? Buffer.concat([carry, data.subarray(0, nl)]) : data.subarray(0, nl);
        carry = Buffer.alloc(0);
        overlong = false;
        yield { line: decode(piece), n: ++n };
        data = data.subarray(nl + 1);
        nl = data.indexOf(0x0a);
      }
      if (!overlong) {
        carry = Buffer.concat([carry, data]);
        if (carry.length > MAX_LINE) {
          carry = Buffer.from(carry.subarray(0, MAX_LINE));
          overlong = true;
        }
      }
    }
    if (carry.length) yield { line: decode(carry), n: ++n };
  } finally {
    await handle.close();
  }
}

/** Entries of a file in order; continuation lines join the entry above them. */
export async function* fileEntries(file: string, parser: LineParser): AsyncGenerator<LogEntry> {
  let current: { lineNumber: number; ts?: number; level: Level | null; lines: string[] } | undefined;
  let lastTs: number | undefined;
  const finish = (): LogEntry => {
    // Masked by the caller on the entries it keeps: masking every line of a 50 MiB log costs seconds.
    const text = current!.lines.join('\n');
    return { file, lineNumber: current!.lineNumber, timestampMs: current!.ts, level: current!.level, text, panic: parser.isPanic(text) };
  };
  for await (const { line, n } of fileLines(file)) {
    const ts = parser.timestampMs(line);
    if (ts === undefined && current && line.trim() !== '') {
      if (current.lines.length <= MAX_CONTINUATION) current.lines.push(current.lines.length === MAX_CONTINUATION ? '…' : line);
      continue;
    }
    if (current) yield finish();
    current = undefined;
    if (line.trim() === '') continue;
    if (ts !== undefined) lastTs = ts;
    current = { lineNumber: n, ts: ts ?? lastTs, level: parser.level(line), lines: [line] };
  }
  if (current) yield finish();
}

/** Keeps the newest `max` items pushed. */
export class Newest<T> {
  private readonly items: T[] = [];
  dropped = 0;
  constructor(private readonly max: number) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.max) {
      this.items.shift();
      this.dropped++;
    }
  }
  toArray(): T[] {
    return this.items.slice();
  }
}

export interface PanicDetails {
  /** `FILE:LINE:COL` in the program's sources, when the panic says where. */
  location?: string;
  thread?: string;
  /** The panic's message (the line after `panicked at …:`), when the log holds it. */
  message?: string;
}

/** Location, thread and message of a panic entry in any of the three forms Code writes. */
export function panicDetails(text: string): PanicDetails {
  const out: PanicDetails = {};
  const at = /panicked at ([^\s'"]+?):(\d+):(\d+)/.exec(text);
  const debugLocation = /Location \{ file: "([^"]+)", line: (\d+), col(?:umn)?: (\d+)/.exec(text);
  const fields = /\bfile="([^"]+)" line=(\d+) column=(\d+)/.exec(text);
  const loc = at ?? debugLocation ?? fields;
  if (loc) out.location = `${loc[1]}:${loc[2]}:${loc[3]}`;
  const thread = /thread_name="([^"]+)"/.exec(text) ?? /thread '([^']+)' panicked/.exec(text) ?? /\b(?:ERROR|WARN|INFO)\s+(\S+)\s+ThreadId\(\d+\)/.exec(text);
  if (thread) out.thread = thread[1];
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /panicked at \S+:\d+:\d+:?\s*$/.test(l));
  if (header >= 0) {
    const message = lines
      .slice(header + 1)
      .filter((l) => !/^note: run with `RUST_BACKTRACE/.test(l) && !/^stack backtrace:|^Backtrace:/.test(l))
      .slice(0, 5)
      .join('\n')
      .trim();
    if (message) out.message = message;
  } else {
    const inline = /panicked at \S+:\d+:\d+:\s*(\S.*)$/m.exec(text);
    if (inline) out.message = inline[1].trim();
  }
  return out;
}

/** `30m`, `2h`, `7d`, `90s` ago, or an ISO 8601 time; the instant in ms. Throws a sentence on anything else. */
export function parseSince(value: string, now: number): number {
  const v = value.trim();
  const rel = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i.exec(v);
  if (rel) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2].toLowerCase() as 's' | 'm' | 'h' | 'd'];
    return now - Number(rel[1]) * unit;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`'${value}' is not a time: give an ISO 8601 time such as 2026-01-31T12:00:00Z, or an age such as 30m, 2h or 7d.`);
}
