import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeHomePaths } from '../codeHome';
import type { PanicHit } from './api';
import { criticalMemberDate, listCriticalLogs } from './criticalFamily';
import { detectLogLayout } from './layout';
import { PanicAssembler, panicSummary, type PanicEvent } from './panicAssembler';
import { nextPanicNeedle } from './panicFormat';
import { PanicLedger } from './panicLedger';
import { timestampFromBytes } from './lineFormat';

const NL = 0x0a;
const CHUNK = 1 << 20;
/** A line longer than this is cut when decoded: a panic message, not a memory hazard. */
const MAX_DECODED_LINE = 8192;
/** A line without a newline for this long is shortened so memory stays bounded. */
const MAX_CARRY = 4 * CHUNK;
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

export interface FindPanicsOptions {
  /** Keep at most this many hits (the newest); a panic loop must not fill memory. Default 1000. */
  maxHits?: number;
}

export function hitFromEvent(e: PanicEvent, file: string): PanicHit {
  return {
    file,
    lineNumber: e.lineNumber ?? 1,
    line: panicSummary(e),
    timestampMs: e.timestampMs,
    startLine: e.startLine,
    location: e.location,
    thread: e.thread,
    message: e.message,
    forms: e.forms,
  };
}

/** Keeps the head of an overlong partial line and its last bytes (a needle may continue there). */
function shrinkOverlongLine(carry: Buffer): Buffer {
  const keepTail = 32;
  return Buffer.concat([carry.subarray(0, MAX_DECODED_LINE), Buffer.from(' … '), carry.subarray(carry.length - keepTail)]);
}

function decodeLine(buf: Buffer, start: number, end: number): string {
  let stop = Math.min(end, start + MAX_DECODED_LINE);
  if (stop > start && buf[stop - 1] === 0x0d) stop--;
  return buf.toString('utf8', start, stop);
}

/** Line bookkeeping over the buffers of one file: feeds the lines near panics to the assembler. */
class PanicLineScanner {
  private lineNumber = 0; // lines completed so far
  private lastTimestamp: number | undefined;
  /** File offset of the current buffer's first byte. */
  fileOffset = 0;

  constructor(
    private readonly file: string,
    private readonly assembler: PanicAssembler,
  ) {}

  /** Scans buf's complete lines (all of it when final); returns how many bytes were used. */
  scan(buf: Buffer, final: boolean): number {
    const limit = final ? buf.length : buf.lastIndexOf(NL) + 1;
    let pos = 0;
    while (pos < limit) {
      if (!this.assembler.open) {
        const hit = nextPanicNeedle(buf, pos, limit);
        if (hit < 0) {
          this.skipLines(buf, pos, limit);
          break;
        }
        const lineStart = buf.lastIndexOf(NL, hit) + 1;
        if (lineStart > pos) this.skipLines(buf, pos, lineStart);
        pos = lineStart;
      }
      let end = buf.indexOf(NL, pos);
      if (end < 0 || end >= limit) end = limit;
      this.feedLine(buf, pos, end);
      pos = end + 1;
    }
    return Math.min(limit, buf.length);
  }

  private feedLine(buf: Buffer, start: number, end: number): void {
    const ts = timestampFromBytes(buf, start, end);
    this.assembler.push(decodeLine(buf, start, end), { file: this.file, lineNumber: this.lineNumber + 1, offset: this.fileOffset + start, timestampMs: this.lastTimestamp });
    if (ts !== undefined) this.lastTimestamp = ts;
    this.lineNumber++;
  }

  /** Counts the complete lines of [from, to) and remembers the last timestamp among them. */
  private skipLines(buf: Buffer, from: number, to: number): void {
    let p = from;
    let lastStart = -1;
    while (p < to) {
      const nl = buf.indexOf(NL, p);
      if (nl < 0 || nl >= to) break;
      this.lineNumber++;
      if (buf[p] >= 0x30 && buf[p] <= 0x39) lastStart = p;
      p = nl + 1;
    }
    // the last timestamped line of the region, found from the end
    while (lastStart >= from) {
      const end = buf.indexOf(NL, lastStart);
      const ts = timestampFromBytes(buf, lastStart, end < 0 ? to : end);
      if (ts !== undefined) {
        this.lastTimestamp = ts;
        break;
      }
      if (lastStart === from) break;
      lastStart = buf.lastIndexOf(NL, lastStart - 2) + 1;
    }
  }
}

/**
 * Streams one file and joins its panics (any of the three forms, with the
 * message and backtrace lines after them) into hits whose time is at least
 * sinceMs. Only lines near a panic are decoded; the rest are counted by
 * their newlines. Memory: one chunk plus the longest line.
 */
export async function scanFileForPanics(file: string, sinceMs: number, maxHits = 1000): Promise<PanicHit[]> {
  const hits: PanicHit[] = [];
  const assembler = new PanicAssembler(
    (e) => {
      if (e.timestampMs < sinceMs) return;
      hits.push(hitFromEvent(e, file));
      if (hits.length > maxHits) hits.shift();
    },
    { source: file, settleMs: 0 },
  );
  const scanner = new PanicLineScanner(file, assembler);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
  } catch {
    return [];
  }
  try {
    if (!(await handle.stat()).isFile()) return [];
    const chunk = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const used = scanner.scan(buf, false);
      scanner.fileOffset += used;
      carry = Buffer.from(buf.subarray(used));
      if (carry.length > MAX_CARRY) carry = shrinkOverlongLine(carry);
    }
    if (carry.length) scanner.scan(carry, true);
    assembler.flush();
  } finally {
    assembler.dispose();
    await handle.close();
  }
  return hits;
}

/**
 * Panics logged since sinceMs, one hit per panic: in the TUI log and the
 * `critical.log.*` files whose day is not before sinceMs's UTC day, in
 * whichever layout this CODE_HOME has (log/ + logs/, or debug_logs/). The
 * same panic written to both logs counts once (the first file's hit is
 * kept). Secrets are masked; missing files count as having no panics.
 */
export async function findPanics(paths: CodeHomePaths, sinceMs: number, options: FindPanicsOptions = {}): Promise<PanicHit[]> {
  const maxHits = options.maxHits ?? 1000;
  const layout = detectLogLayout(paths);
  const files: string[] = [];
  if (fs.existsSync(layout.tuiLog)) files.push(layout.tuiLog);
  const sinceDay = Number.isFinite(sinceMs) && sinceMs > 0 ? new Date(sinceMs).toISOString().slice(0, 10) : '';
  for (const file of await listCriticalLogs(layout.logsDir)) {
    const date = criticalMemberDate(path.basename(file));
    if (date !== undefined && date.slice(0, 10) < sinceDay) continue;
    if (date === undefined) {
      // plain critical.log: skip when untouched since then
      try {
        if (fs.statSync(file).mtimeMs < sinceMs) continue;
      } catch {
        continue;
      }
    }
    files.push(file);
  }
  const ledger = new PanicLedger({ keepMs: Number.POSITIVE_INFINITY, maxEntries: maxHits * 4 });
  const hits: PanicHit[] = [];
  for (const file of files) {
    for (const hit of await scanFileForPanics(file, sinceMs, maxHits)) {
      if (ledger.claim({ location: hit.location, message: hit.message, timestampMs: hit.timestampMs ?? Date.now() })) hits.push(hit);
    }
  }
  hits.sort((a, b) => (a.timestampMs ?? 0) - (b.timestampMs ?? 0));
  return hits.length > maxHits ? hits.slice(hits.length - maxHits) : hits;
}
