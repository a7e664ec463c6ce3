import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeHomePaths } from '../codeHome';
import { maskSecrets } from '../mask';
import type { PanicHit } from './api';
import { criticalMemberDate, listCriticalLogs } from './criticalFamily';
import { PANIC_MARKER, timestampFromBytes } from './lineFormat';

const PANIC_BYTES = Buffer.from(PANIC_MARKER);
const NL = 0x0a;
const CHUNK = 1 << 20;
/** A line longer than this is cut when reported: a panic message, not a memory hazard. */
const MAX_REPORTED_LINE = 8192;

export interface FindPanicsOptions {
  /** Keep at most this many hits (the newest); a panic loop must not fill memory. Default 1000. */
  maxHits?: number;
}

/** A line without a newline for this long is shortened so memory stays bounded. */
const MAX_CARRY = 4 * CHUNK;

/**
 * Keeps the head of an overlong partial line (what a report shows) and its
 * last bytes (a marker may continue there), and remembers whether the dropped
 * middle held the marker.
 */
function shrinkOverlongLine(carry: Buffer): Buffer {
  const keepTail = PANIC_BYTES.length - 1;
  const head = carry.subarray(0, MAX_REPORTED_LINE);
  const middleHasMarker = carry.subarray(MAX_REPORTED_LINE - keepTail, carry.length).indexOf(PANIC_BYTES) >= 0;
  const tail = carry.subarray(carry.length - keepTail);
  return Buffer.concat([head, Buffer.from(middleHasMarker ? ` … ${PANIC_MARKER} … ` : ' … '), tail]);
}

function decodeLine(buf: Buffer, start: number, end: number): string {
  let stop = Math.min(end, start + MAX_REPORTED_LINE);
  if (stop > start && buf[stop - 1] === 0x0d) stop--;
  return buf.toString('utf8', start, stop);
}

/** Leading timestamp of the line at [start, end), read without decoding the rest. */
function timestampAt(buf: Buffer, start: number, end: number): number | undefined {
  return timestampFromBytes(buf, start, end);
}

/**
 * Streams one file and reports the lines that contain the panic marker and
 * whose time (their own timestamp, or the last one above them for
 * continuation lines) is at least sinceMs. Only lines that contain the
 * marker are decoded; memory stays at one chunk plus the longest line.
 */
export async function scanFileForPanics(file: string, sinceMs: number, maxHits = 1000): Promise<PanicHit[]> {
  const hits: PanicHit[] = [];
  let carry: Buffer = Buffer.alloc(0);
  let lineNumber = 0; // lines completed before the current buffer
  let lastTimestamp: number | undefined;

  const scan = (buf: Buffer, final: boolean): number => {
    // Returns how many bytes of buf were consumed (complete lines).
    const lastNl = buf.lastIndexOf(NL);
    const limit = final ? buf.length : lastNl + 1;
    let pos = 0;
    let hit = buf.indexOf(PANIC_BYTES, 0);
    while (hit >= 0 && hit < limit) {
      const lineStart = buf.lastIndexOf(NL, hit) + 1;
      let lineEnd = buf.indexOf(NL, hit);
      if (lineEnd < 0) lineEnd = buf.length;
      // count lines and track timestamps up to this line
      let p = pos;
      while (p < lineStart) {
        const nl = buf.indexOf(NL, p);
        const ts = timestampAt(buf, p, nl);
        if (ts !== undefined) lastTimestamp = ts;
        lineNumber++;
        p = nl + 1;
      }
      const ts = timestampAt(buf, lineStart, lineEnd) ?? lastTimestamp;
      if (ts !== undefined) lastTimestamp = ts;
      if (ts === undefined || ts >= sinceMs) {
        hits.push({ file, lineNumber: lineNumber + 1, line: maskSecrets(decodeLine(buf, lineStart, lineEnd)), timestampMs: ts });
        if (hits.length > maxHits) hits.shift();
      }
      pos = lineEnd < buf.length ? lineEnd + 1 : buf.length;
      if (lineEnd < buf.length) lineNumber++;
      hit = buf.indexOf(PANIC_BYTES, pos);
    }
    // the rest of the complete lines: count them and remember the last timestamp
    if (pos < limit) {
      let count = 0;
      let p = pos;
      for (;;) {
        const nl = buf.indexOf(NL, p);
        if (nl < 0 || nl >= limit) break;
        count++;
        p = nl + 1;
      }
      lineNumber += count;
      // last timestamped line of the region, found from the end
      let end = limit;
      while (end > pos) {
        const start = buf.lastIndexOf(NL, end - 2) + 1;
        const ts = start >= pos ? timestampAt(buf, start, end) : undefined;
        if (ts !== undefined) {
          lastTimestamp = ts;
          break;
        }
        if (start <= pos) break;
        end = start;
      }
    }
    return limit;
  };

  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return [];
  }
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const used = scan(buf, false);
      carry = Buffer.from(buf.subarray(used));
      if (carry.length > MAX_CARRY) carry = shrinkOverlongLine(carry);
    }
    if (carry.length) scan(carry, true);
  } finally {
    await handle.close();
  }
  return hits;
}

/**
 * Panic lines logged since sinceMs: in `code-tui.log` (or the legacy
 * `codex-tui.log` when the new name is absent) by line timestamp, and in the
 * `critical.log.*` files whose day is not before sinceMs's UTC day. Secrets
 * are masked. Files are streamed one at a time; missing files count as
 * having no panics.
 */
export async function findPanics(paths: CodeHomePaths, sinceMs: number, options: FindPanicsOptions = {}): Promise<PanicHit[]> {
  const maxHits = options.maxHits ?? 1000;
  const hits: PanicHit[] = [];
  const tui = fs.existsSync(paths.tuiLog) ? paths.tuiLog : fs.existsSync(paths.legacyTuiLog) ? paths.legacyTuiLog : undefined;
  if (tui) hits.push(...(await scanFileForPanics(tui, sinceMs, maxHits)));
  const sinceDay = Number.isFinite(sinceMs) && sinceMs > 0 ? new Date(sinceMs).toISOString().slice(0, 10) : '';
  for (const file of await listCriticalLogs(paths.logsDir)) {
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
    hits.push(...(await scanFileForPanics(file, sinceMs, maxHits)));
  }
  return hits.length > maxHits ? hits.slice(hits.length - maxHits) : hits;
}
