import * as fs from 'node:fs';

/** The types, constants and pure helpers of FileFollower (follower.ts). */

const NL = 0x0a;
/** A shorter overlap between what was read and the start of a truncated file could be chance. */
const MIN_PARTIAL_OVERLAP = 32;
const TAIL_BLOCK = 64 * 1024;

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
export type ReadRange = (position: number, length: number) => Promise<Buffer>;

/** What a follower is doing, for a status line. */
export type FollowerStatus = 'starting' | 'following' | 'waiting' | 'permission-denied' | 'error' | 'paused' | 'disposed';

export type FollowerNoticeKind =
  | 'waiting' // the file does not exist (yet)
  | 'opened'
  | 'truncated' // same file, size dropped (housekeeping)
  | 'replaced' // a new file under the same name (rotation by rename and re-creation)
  | 'moved' // renamed away; the old file is still read until a new one appears
  | 'deleted'
  | 'permission-denied'
  | 'recovered'
  | 'error'
  | 'rolled'; // the rolling family moved on to a newer member

/** Something the person following should know; printed into the channel between lines. */
export interface FollowerNotice {
  kind: FollowerNoticeKind;
  file: string;
  message: string;
}

/** Where to start in a file that already exists when following starts. */
export type FollowStart = 'tail' | 'beginning' | 'end';

export interface FileFollowerOptions {
  file: string;
  /** Lines of history shown when the file exists at start (`start: 'tail'`). Default 200. */
  initialLines?: number;
  /** Default 'tail'. A file that appears later is always read from its beginning. */
  start?: FollowStart;
  /** Polling interval backing up fs.watch. 0: no timer (someone else calls poll()). Default 1000. */
  pollIntervalMs?: number;
  /** Watch the folder with fs.watch. Default true. */
  watch?: boolean;
  /** Keep the Node process alive while following (the CLI's --follow). Default false. */
  keepAlive?: boolean;
  /** Size of each read. Default 1 MiB. */
  readChunkBytes?: number;
  /** A partial line longer than this is passed on as a line of its own. Default 1 MiB. */
  maxLineBytes?: number;
  /**
   * What happens to a line longer than maxLineBytes: 'split' passes it on in
   * pieces (default; the channel shows all of it), 'cut' passes on its head
   * with a marker and drops the rest up to its newline (one line stays one
   * line: `tail --lines N`).
   */
  overlongLine?: 'split' | 'cut';
  /**
   * With `start: 'tail'`: a last line without its newline counts as one of the
   * initialLines (a one-shot print passes it on). Default false: the last
   * initialLines complete lines, and the partial one once it completes.
   */
  partialLineCounts?: boolean;
  /**
   * Continue where another follower stopped (the same file under a new name,
   * e.g. after Code moved log/ into debug_logs/): used when the file opened
   * has this identity, ignored otherwise.
   */
  resumeFrom?: FollowerResume;
}

/** Where a follower stopped in a file: enough for another one to continue without loss or repeat. */
export interface FollowerResume {
  dev: number;
  ino: number;
  /** Bytes consumed, the held partial line included. */
  position: number;
  /** The partial last line held. */
  pending: Buffer;
  /** The last bytes consumed. */
  fingerprint: Buffer;
}

/**
 * Log files are opened without blocking (a FIFO put in a log's place would
 * block a plain open forever) and checked with fstat before any read.
 */
export const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

export { kindOf } from '../fsSafe';

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Offset where the last `lines` complete lines start, found by reading backwards in blocks.
 * At most `maxScanBytes` are looked at, so a log of gigabytes without a newline (a sparse
 * file, a runaway line) is not read whole; the start is then inside a line, which is shown cut.
 */
export async function tailStart(read: ReadRange, size: number, lines: number, partialLineCounts: boolean, maxScanBytes = Infinity): Promise<number> {
  const floor = Math.max(0, size - maxScanBytes);
  if (size === 0) return 0;
  if (lines <= 0) {
    // nothing of the history, but a partial last line still belongs to the next line written
    const probe = await read(Math.max(0, size - TAIL_BLOCK), Math.min(size, TAIL_BLOCK));
    const nl = probe.lastIndexOf(NL);
    return nl < 0 ? Math.max(0, size - probe.length) : size - probe.length + nl + 1;
  }
  // The last N complete lines start after the (N+1)th newline from the end, whether or not the
  // file ends in one; with partialLineCounts, a last line without newline is one of the N.
  const lastByte = partialLineCounts ? await read(size - 1, 1) : undefined;
  const want = lastByte && lastByte[0] !== NL ? lines : lines + 1;
  let end = size;
  let newlines = 0;
  while (end > floor) {
    const start = Math.max(floor, end - TAIL_BLOCK);
    const block = await read(start, end - start);
    let i = block.length;
    while ((i = block.lastIndexOf(NL, i - 1)) >= 0) {
      if (++newlines === want) return start + i + 1;
      if (i === 0) break;
    }
    end = start;
  }
  return floor;
}

/**
 * Where new content starts in a truncated file: right after the last
 * occurrence of what was read last, or after the part of it the file now
 * starts with; otherwise at 0 (nothing kept was seen before).
 */
export async function findResume(read: ReadRange, size: number, probe: Buffer, readChunkBytes: number): Promise<{ offset: number; kind: 'full' | 'partial' | 'none' }> {
  if (probe.length === 0) return { offset: 0, kind: 'none' };
  const block = Math.max(readChunkBytes, probe.length * 4);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - block);
    const stop = Math.min(size, end + probe.length - 1);
    const buf = await read(start, stop - start);
    const at = buf.lastIndexOf(probe);
    if (at >= 0) return { offset: start + at + probe.length, kind: 'full' };
    end = start;
  }
  const head = await read(0, Math.min(size, probe.length - 1));
  for (let j = head.length; j >= MIN_PARTIAL_OVERLAP; j--) {
    if (head.subarray(0, j).equals(probe.subarray(probe.length - j))) return { offset: j, kind: 'partial' };
  }
  return { offset: 0, kind: 'none' };
}

/** Complete lines with each one longer than `max` bytes cut, with a marker ('cut'). */
export function cutLongLines(bytes: Buffer, max: number): Buffer {
  if (bytes.length <= max) return bytes;
  // First only look for a line over the limit: the usual chunk has none, and is passed on as it is
  // without a view object per line (hundreds of thousands per catch-up of tens of MiB).
  let pos = 0;
  for (;;) {
    const nl = bytes.indexOf(NL, pos);
    const end = nl < 0 ? bytes.length : nl + 1;
    if (end - pos - 1 > max) break;
    if (end >= bytes.length) return bytes;
    pos = end;
  }
  const parts: Buffer[] = [bytes.subarray(0, pos)];
  let changed = false;
  while (pos < bytes.length) {
    const nl = bytes.indexOf(NL, pos);
    const end = nl < 0 ? bytes.length : nl + 1;
    if (end - pos - 1 > max) {
      parts.push(bytes.subarray(pos, pos + max), Buffer.from(` … [line cut at ${max} bytes]\n`));
      changed = true;
    } else parts.push(bytes.subarray(pos, end));
    pos = end;
  }
  return changed ? Buffer.concat(parts) : bytes;
}

/**
 * True when the bytes read at [from, to) were read from the file as we know
 * it: it is still at least `to` long and the bytes before `from` are still
 * what was read there. Checked after every read: a rewrite in place that
 * keeps the file's tail can land between two reads.
 */
export function readStillValid(fd: number, from: number, to: number, fingerprint: Buffer): boolean {
  if (fs.fstatSync(fd).size < to) return false;
  const m = Math.min(fingerprint.length, from);
  if (m === 0) return true;
  const onDisk = Buffer.allocUnsafe(m);
  const got = fs.readSync(fd, onDisk, 0, m, from - m);
  return got === m && onDisk.equals(fingerprint.subarray(fingerprint.length - m));
}
