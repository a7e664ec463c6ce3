import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Disposable } from '../disposable';
import { PolledFollower, StepPoller } from './poller';
import { Emitter } from './events';
import type { LineChunk } from './lineChunk';

import { cutLongLines, errorCode, readStillValid, errorText, findResume, kindOf, OPEN_FLAGS, tailStart, type FileFollowerOptions, type FollowerNotice, type FollowerNoticeKind, type FollowerResume, type FollowerStatus, type FollowStart } from './followerParts';

export type { FileFollowerOptions, FollowerNotice, FollowerNoticeKind, FollowerResume, FollowerStatus, FollowStart } from './followerParts';

const NL = 0x0a;
const EMPTY = Buffer.alloc(0);

/** Bytes of already-read content remembered to find where new content resumes after a truncation. */
const FINGERPRINT_BYTES = 1024;

/**
 * Follows one file by name, like `tail -F`: it survives in-place truncation,
 * rotation by rename, deletion and re-creation, a file that does not exist
 * yet and one it may not read. Complete lines are passed on as byte chunks
 * (a partial last line is held until its newline arrives); nothing is passed
 * on twice and nothing that is still on disk when it looks is skipped.
 *
 * fs.watch on the folder makes it react at once; a slow timer backs it up
 * because network and container file systems drop events. Idle cost: one
 * stat per interval.
 */
/** Beyond the N lines cut at maxLineBytes, how far back history is looked for: lines up to 64 MiB still show whole (cut), a log of GBs without a newline is not read whole. */
const HISTORY_SCAN_SLACK = 64 * 1024 * 1024;

export class FileFollower extends PolledFollower implements Disposable {
  readonly file: string;
  private readonly options: Required<Omit<FileFollowerOptions, 'file' | 'resumeFrom'>>;
  /** Where to continue when the next file opened is this one (set by resumeFrom and after a read error). */
  private resumeAt: FollowerResume | undefined;
  private readonly chunkEmitter = new Emitter<LineChunk>();
  private readonly noticeEmitter = new Emitter<FollowerNotice>();
  readonly onChunk = this.chunkEmitter.event;
  readonly onNotice = this.noticeEmitter.event;

  private handle: fs.promises.FileHandle | undefined;
  private ino = -1;
  private dev = -1;
  /** Bytes of the open file consumed so far (complete lines passed on plus `pending`). */
  private position = 0;
  /** The partial last line, waiting for its newline. */
  private pending: Buffer = EMPTY;
  /** Bytes of an overlong line dropped so far ('cut'), while its newline has not come yet; -1 when not dropping. */
  private dropping = -1;
  /** The last bytes consumed (up to FINGERPRINT_BYTES). */
  private fingerprint: Buffer = EMPTY;
  /** Set after a truncation until the new content has been searched for the fingerprint. */
  private resumeProbe: Buffer | undefined;
  /** Content before this offset of the first opened file is history (shown at start). */
  private historyEnd = 0;
  private firstStep = true;
  private existedAtStart = false;
  private everOpened = false;
  private lastNoticeKey = '';
  private statusValue: FollowerStatus = 'starting';
  protected readonly poller: StepPoller;
  /** Bytes read from disk so far: lets tests prove that a huge file is only read at its end. */
  bytesRead = 0;

  constructor(options: FileFollowerOptions) {
    super();
    this.file = options.file;
    this.options = {
      initialLines: options.initialLines ?? 200,
      start: options.start ?? 'tail',
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      watch: options.watch ?? true,
      keepAlive: options.keepAlive ?? false,
      readChunkBytes: options.readChunkBytes ?? 1 << 20,
      maxLineBytes: options.maxLineBytes ?? 1 << 20,
      overlongLine: options.overlongLine ?? 'split',
      partialLineCounts: options.partialLineCounts ?? false,
    };
    this.resumeAt = options.resumeFrom;
    const base = path.basename(this.file);
    this.poller = new StepPoller({
      dir: path.dirname(this.file),
      matches: (name) => name === base,
      intervalMs: this.options.pollIntervalMs,
      watch: this.options.watch,
      keepAlive: this.options.keepAlive,
      step: () => this.step(),
    });
  }

  get status(): FollowerStatus {
    // a step that was under way when dispose() came may still set its own status after it
    if (this.disposed) return 'disposed';
    return this.paused ? 'paused' : this.statusValue;
  }

  /**
   * The file is finished (its rolling family moved on): read what is left and
   * pass on a partial last line as a line, since nothing will complete it.
   */
  async finish(): Promise<void> {
    await this.poll();
    await this.poller.idle();
    this.flushPending();
  }

  /**
   * Reads what is left of the open file, then stops without passing on the
   * held partial line, and says where it stopped so that a follower of the
   * same file under another name can continue there.
   */
  async detach(): Promise<FollowerResume | undefined> {
    await this.poll();
    await this.poller.idle();
    const resume = this.handle ? this.identity() : undefined;
    this.dispose();
    return resume;
  }

  private identity(): FollowerResume {
    return { dev: this.dev, ino: this.ino, position: this.position, pending: Buffer.from(this.pending), fingerprint: Buffer.from(this.fingerprint) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.statusValue = 'disposed';
    this.poller.dispose();
    void this.poller.idle().then(() => this.closeHandle());
    this.chunkEmitter.dispose();
    this.noticeEmitter.dispose();
  }

  private notice(kind: FollowerNoticeKind, message: string, repeatable = true): void {
    const key = `${kind}:${message}`;
    if (!repeatable && key === this.lastNoticeKey) return;
    this.lastNoticeKey = key;
    this.noticeEmitter.fire({ kind, file: this.file, message });
  }

  private async step(): Promise<void> {
    if (this.disposed || this.paused) return;
    try {
      await this.stepUnsafe();
    } catch (err) {
      this.statusValue = 'error';
      this.notice('error', `Reading ${this.file} failed: ${errorText(err)}. Closing it and looking again.`, false);
      // close and look again; if the same file is found again, continue where reading stopped
      if (this.handle) this.resumeAt = this.identity();
      await this.closeHandle();
    }
  }

  private async stepUnsafe(): Promise<void> {
    let st: fs.Stats | undefined;
    let statError: unknown;
    try {
      st = await fs.promises.stat(this.file);
    } catch (err) {
      statError = err;
    }
    const first = this.firstStep;
    this.firstStep = false;
    if (first) this.existedAtStart = st !== undefined || errorCode(statError) === 'EACCES';

    if (this.handle) {
      await this.readOpen();
      if (this.disposed) return;
      if (st && st.ino === this.ino && st.dev === this.dev) return;
      if (!st) {
        const own = await this.handle.stat();
        if (own.nlink > 0) {
          // renamed away: a writer may still append to it until the new file appears
          this.notice('moved', `${path.basename(this.file)} was moved away; still reading it until a new one appears.`, false);
          return;
        }
        this.notice('deleted', `${path.basename(this.file)} was deleted; waiting for it to be created again.`, false);
        await this.closeHandle();
        this.flushPending();
        this.statusValue = 'waiting';
        return;
      }
      // another file under the name: the old one is finished
      this.notice('replaced', `${path.basename(this.file)} was replaced by a new file (rotation); following the new one from its start.`);
      await this.closeHandle();
      this.flushPending();
      await this.open('beginning');
      return;
    }

    if (!st) {
      const code = errorCode(statError);
      if (code === 'EACCES' || code === 'EPERM') {
        this.denied(statError);
      } else {
        this.statusValue = 'waiting';
        this.notice('waiting', `Waiting for ${this.file} to be created.`, false);
      }
      return;
    }
    if (!st.isFile()) {
      this.notRegular(st);
      return;
    }
    const start = !this.everOpened && this.existedAtStart ? this.options.start : 'beginning';
    await this.open(start);
  }

  private denied(err: unknown): void {
    this.statusValue = 'permission-denied';
    const every = this.options.pollIntervalMs > 0 ? ` every ${this.options.pollIntervalMs} ms` : '';
    this.notice(
      'permission-denied',
      `Cannot read ${this.file}: permission denied (${errorCode(err) ?? 'EACCES'}). The log is private to the user Code runs as; run VS Code as that user or grant read access. Retrying${every}.`,
      false,
    );
  }

  private notRegular(st: fs.Stats): void {
    this.statusValue = 'error';
    this.notice('error', `${this.file} is ${kindOf(st)}, not a regular file; not read. Waiting for a regular file.`, false);
  }

  private async open(start: FollowStart): Promise<void> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(this.file, OPEN_FLAGS);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EACCES' || code === 'EPERM') this.denied(err);
      else if (code === 'ENOENT') {
        this.statusValue = 'waiting';
        this.notice('waiting', `Waiting for ${this.file} to be created.`, false);
      } else {
        this.statusValue = 'error';
        this.notice('error', `Cannot open ${this.file}: ${errorText(err)}. Retrying.`, false);
      }
      return;
    }
    if (this.disposed) {
      await handle.close();
      return;
    }
    let st: fs.Stats;
    try {
      st = await handle.stat();
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }
    if (!st.isFile()) {
      // checked on the open descriptor: a rename between a path stat and the open cannot slip a FIFO or /dev/zero in
      await handle.close().catch(() => undefined);
      this.notRegular(st);
      return;
    }
    const wasUnreadable = this.statusValue === 'permission-denied' || this.statusValue === 'error';
    this.handle = handle;
    this.ino = st.ino;
    this.dev = st.dev;
    this.position = 0;
    this.pending = EMPTY;
    this.fingerprint = EMPTY;
    this.resumeProbe = undefined;
    this.statusValue = 'following';
    if (wasUnreadable) this.notice('recovered', `${this.file} is readable now.`);
    const resume = this.resumeAt;
    this.resumeAt = undefined;
    if (resume && resume.ino === st.ino && resume.dev === st.dev) {
      // the same file as before (moved, or reopened after an error): continue where reading stopped
      this.position = resume.position;
      this.pending = resume.pending;
      this.fingerprint = resume.fingerprint;
      if (!this.everOpened) this.historyEnd = 0;
      this.everOpened = true;
      await this.readOpen();
      return;
    }
    if (start === 'tail' || start === 'end') {
      const from = start === 'end' ? st.size : await tailStart((at, n) => this.readRange(handle, at, n), st.size, this.options.initialLines, this.options.partialLineCounts, HISTORY_SCAN_SLACK + (this.options.initialLines + 1) * (this.options.maxLineBytes + 1));
      this.position = from;
      this.historyEnd = st.size;
      if (from > 0) {
        const fpStart = Math.max(0, from - FINGERPRINT_BYTES);
        this.fingerprint = await this.readRange(handle, fpStart, from - fpStart);
      }
    } else if (!this.everOpened) {
      this.historyEnd = this.existedAtStart ? st.size : 0;
    } else {
      this.historyEnd = 0;
    }
    this.everOpened = true;
    await this.readOpen();
  }

  private async readRange(handle: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buf, got, length - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.bytesRead += got;
    return buf.subarray(0, got);
  }

  /** True when the bytes before `position` are still what was read there. */
  private async fingerprintHolds(handle: fs.promises.FileHandle): Promise<boolean> {
    const m = Math.min(this.fingerprint.length, this.position);
    if (m === 0) return true;
    const onDisk = await this.readRange(handle, this.position - m, m);
    return onDisk.equals(this.fingerprint.subarray(this.fingerprint.length - m));
  }

  /** Reads what is new; passes again when a rewrite in place raced a read (a few times, then on the next poll). */
  private async readOpen(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if ((await this.readPass()) !== 'rewritten') return;
    }
    this.poller.schedule();
  }

  private async readPass(): Promise<'done' | 'rewritten'> {
    const handle = this.handle;
    if (!handle) return 'done';
    const st = await handle.stat();
    if (st.size < this.position || (st.size > this.position && !this.resumeProbe && !(await this.fingerprintHolds(handle)))) {
      const before = this.position;
      this.resumeProbe = this.fingerprint;
      this.position = 0;
      this.notice(
        'truncated',
        st.size < before
          ? `${path.basename(this.file)} was truncated in place (${before} → ${st.size} bytes); continuing after the last line already shown.`
          : `${path.basename(this.file)} was rewritten in place; continuing after the last line already shown.`,
      );
    }
    if (this.resumeProbe && st.size > 0) {
      const probe = this.resumeProbe;
      this.resumeProbe = undefined;
      const resume = await findResume((at, n) => this.readRange(handle, at, n), st.size, probe, this.options.readChunkBytes);
      if (resume.kind === 'none') {
        // none of the kept content was shown before: the partial line we held was cut off
        this.flushPending();
        this.fingerprint = EMPTY;
        this.position = 0;
        if (probe.length > 0) {
          this.notice('truncated', `Lines removed by the truncation before they were read are lost; showing the ${st.size} bytes that were kept.`);
        }
      } else {
        this.position = resume.offset;
      }
    }
    if (this.resumeProbe) return 'done'; // truncated to empty: wait for content to compare
    // One work buffer per read pass, reused for every read of it: a catch-up over
    // tens of MiB touches a few MiB of memory, not the file's size twice over.
    let work: Buffer | undefined;
    let chunks = 0;
    for (;;) {
      if (this.disposed) return 'done';
      const want = Math.min(this.options.readChunkBytes, Math.max(st.size - this.position, 64 * 1024));
      const held = this.pending.length;
      if (!work || work.length < held + want) work = Buffer.allocUnsafe(held + want + (work ? this.options.readChunkBytes : 0));
      this.pending.copy(work, 0);
      // A synchronous read of one chunk (~0.5 ms per MiB from the page cache) instead of a
      // thread-pool round trip per chunk: catching up on a big file runs ~1.7x faster. The loop
      // yields to the event loop every few chunks so a long catch-up never blocks the host.
      if (++chunks % 8 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.disposed || this.handle !== handle) return 'done';
      const readAt = this.position;
      const bytesRead = fs.readSync(handle.fd, work, held, want, readAt);
      if (bytesRead === 0) return 'done';
      if (!readStillValid(handle.fd, readAt, readAt + bytesRead, this.fingerprint)) {
        // rewritten in place while we read: drop this read and find where the content we know continues
        this.resumeProbe = this.fingerprint;
        this.position = 0;
        this.notice('truncated', `${path.basename(this.file)} was rewritten in place while being read; continuing after the last line already shown.`);
        return 'rewritten';
      }
      const offset = this.position - held;
      this.position += bytesRead;
      this.bytesRead += bytesRead;
      this.remember(work.subarray(held, held + bytesRead));
      this.split(work.subarray(0, held + bytesRead), offset);
      if (bytesRead < want && this.position >= st.size) return 'done';
    }
  }

  private remember(data: Buffer): void {
    if (data.length >= FINGERPRINT_BYTES) {
      this.fingerprint = Buffer.from(data.subarray(data.length - FINGERPRINT_BYTES));
    } else {
      const joined = Buffer.concat([this.fingerprint, data]);
      this.fingerprint = Buffer.from(joined.subarray(Math.max(0, joined.length - FINGERPRINT_BYTES)));
    }
  }

  /** Passes on the complete lines of `buf` (pending bytes first, then new ones) and holds the rest. */
  private split(buf: Buffer, bufOffset: number): void {
    if (this.dropping >= 0) {
      // the rest of a line already cut: skip up to its newline
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        this.dropping += buf.length;
        this.pending = EMPTY;
        return;
      }
      this.dropping = -1;
      buf = buf.subarray(nl + 1);
      bufOffset += nl + 1;
    }
    const lastNl = buf.lastIndexOf(NL);
    if (lastNl < 0) {
      this.pending = Buffer.from(buf);
      if (this.pending.length > this.options.maxLineBytes) {
        if (this.options.overlongLine === 'cut') {
          // one line stays one line: its head and a marker, the rest dropped up to its newline
          const head = this.pending.subarray(0, this.options.maxLineBytes);
          this.dropping = this.pending.length - head.length;
          this.pending = EMPTY;
          this.emit(Buffer.concat([head, Buffer.from(` … [line cut at ${this.options.maxLineBytes} bytes]\n`)]), bufOffset);
          return;
        }
        // an endless line: pass it on in pieces rather than hold it all
        const bytes = Buffer.concat([this.pending, Buffer.from('\n')]);
        this.pending = EMPTY;
        this.emit(bytes, bufOffset);
      }
      return;
    }
    this.pending = lastNl + 1 < buf.length ? Buffer.from(buf.subarray(lastNl + 1)) : EMPTY;
    const complete = buf.subarray(0, lastNl + 1);
    this.emit(this.options.overlongLine === 'cut' ? cutLongLines(complete, this.options.maxLineBytes) : complete, bufOffset);
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    const bytes = Buffer.concat([this.pending, Buffer.from('\n')]);
    const offset = this.position - this.pending.length;
    this.pending = EMPTY;
    this.emit(bytes, offset);
  }

  private emit(bytes: Buffer, offset: number): void {
    if (this.disposed) return;
    this.chunkEmitter.fire({ file: this.file, offset, bytes, history: offset < this.historyEnd });
  }

  private async closeHandle(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    this.ino = -1;
    this.dev = -1;
    if (h) {
      try {
        await h.close();
      } catch {
        // already closed
      }
    }
  }
}
