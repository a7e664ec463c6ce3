import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chunkLines, type FollowerNotice, type LineChunk } from '../../../src/core/logs';

export function tempDir(prefix = 'code-ops-logs-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Collects what a follower passes on. */
export class Collector {
  readonly lines: string[] = [];
  readonly chunks: LineChunk[] = [];
  readonly notices: FollowerNotice[] = [];
  onChunk = (c: LineChunk): void => {
    this.chunks.push(c);
    this.lines.push(...chunkLines(c));
  };
  onNotice = (n: FollowerNotice): void => {
    this.notices.push(n);
  };
  kinds(): string[] {
    return this.notices.map((n) => n.kind);
  }
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const seqLine = (n: number): string => `2025-12-24T13:51:20.${String(n % 1_000_000).padStart(6, '0')}Z  INFO run_auto_loop{goal=test}: seq=${n}`;

/** Asserts the lines are exactly seq=from..to, each once, in order. */
export function seqNumbers(lines: string[]): number[] {
  return lines.map((l) => {
    const m = /seq=(\d+)$/.exec(l);
    if (!m) throw new Error(`not a sequence line: ${JSON.stringify(l)}`);
    return Number(m[1]);
  });
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Housekeeping's in-place truncation: keep the last `keep` bytes, same inode. */
export function truncateInPlace(file: string, keep: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    const n = Math.min(keep, size);
    const tail = Buffer.alloc(n);
    fs.readSync(fd, tail, 0, n, size - n);
    fs.writeSync(fd, tail, 0, n, 0);
    fs.ftruncateSync(fd, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** `seq=from..to` lines as file text, each ending in a newline. */
export const seqText = (from: number, to: number): string => range(from, to).map((n) => seqLine(n) + '\n').join('');

interface Followable {
  onChunk(listener: (c: LineChunk) => void): unknown;
  onNotice(listener: (n: FollowerNotice) => void): unknown;
  dispose(): void;
}

/**
 * For a `describe` of followers: a fresh temp folder before each test, and
 * after it every follower `track`ed is disposed and the folder removed.
 */
export function followerSuite(): { dir(): string; track<F extends Followable>(follower: F): { follower: F; got: Collector } } {
  let dir = '';
  const followers: Followable[] = [];
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    for (const f of followers.splice(0)) f.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    track(follower) {
      const got = new Collector();
      follower.onChunk(got.onChunk);
      follower.onNotice(got.onNotice);
      followers.push(follower);
      return { follower, got };
    },
  };
}
