import * as path from 'node:path';
import { DisposableStore, type Disposable } from '../disposable';
import { criticalMemberDate, isCriticalFamilyName, listCriticalLogs } from './criticalFamily';
import { Emitter } from './events';
import { PolledFollower, StepPoller } from './poller';
import { FileFollower, type FileFollowerOptions, type FollowerNotice, type FollowerResume, type FollowerStatus } from './follower';
import type { LineChunk } from './lineChunk';

export type RollingFollowerOptions = Pick<
  FileFollowerOptions,
  'initialLines' | 'pollIntervalMs' | 'watch' | 'keepAlive' | 'readChunkBytes' | 'maxLineBytes' | 'overlongLine' | 'partialLineCounts'
> & {
  /** The folder holding `critical.log.YYYY-MM-DD`. */
  logsDir: string;
  /** Where to start in the newest member found at the first look. Default 'tail'. */
  start?: 'tail' | 'beginning';
  /** Continue in the first member followed where another follower of the same file stopped. */
  resumeFrom?: FollowerResume;
};

/** Orders members like listCriticalLogs does, by name (a plain critical.log sorts first). */
function memberKey(file: string): string {
  return criticalMemberDate(path.basename(file)) ?? '';
}

/**
 * Follows the newest member of the daily rolling `critical.log.*` family.
 * When a newer day's file appears it reads the rest of the current one
 * first, passes on its partial last line, then follows the new file from
 * its first byte. It never goes back to a member it has finished.
 */
export class RollingLogFollower extends PolledFollower implements Disposable {
  private readonly chunkEmitter = new Emitter<LineChunk>();
  private readonly noticeEmitter = new Emitter<FollowerNotice>();
  readonly onChunk = this.chunkEmitter.event;
  readonly onNotice = this.noticeEmitter.event;
  private current: FileFollower | undefined;
  private currentSubscriptions = new DisposableStore();
  private firstStep = true;
  private waitingNoticeShown = false;
  protected readonly poller: StepPoller;
  private finishedBytesRead = 0;

  constructor(private readonly options: RollingFollowerOptions) {
    super();
    this.poller = new StepPoller({
      dir: options.logsDir,
      matches: isCriticalFamilyName,
      intervalMs: options.pollIntervalMs ?? 1000,
      watch: options.watch !== false,
      keepAlive: options.keepAlive ?? false,
      step: () => this.step(),
    });
  }

  /** The member being followed, if any. */
  get file(): string | undefined {
    return this.current?.file;
  }

  get status(): FollowerStatus {
    if (this.disposed) return 'disposed';
    if (this.paused) return 'paused';
    return this.current?.status ?? (this.firstStep ? 'starting' : 'waiting');
  }

  get bytesRead(): number {
    return this.finishedBytesRead + (this.current?.bytesRead ?? 0);
  }

  /** Reads what is new and passes on a partial last line as a line (a `tail` without `--follow` ends here). */
  async finish(): Promise<void> {
    await this.poll();
    await this.poller.idle();
    await this.current?.finish();
  }

  /** Reads what is left, stops, and says where it stopped in the member it followed (see FileFollower.detach). */
  async detach(): Promise<FollowerResume | undefined> {
    await this.poll();
    await this.poller.idle();
    const current = this.current;
    this.current = undefined;
    const resume = await current?.detach();
    this.dispose();
    return resume;
  }


  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.poller.dispose();
    this.currentSubscriptions.dispose();
    this.current?.dispose();
    this.current = undefined;
    this.chunkEmitter.dispose();
    this.noticeEmitter.dispose();
  }

  private follow(file: string, start: 'tail' | 'beginning'): void {
    const resumeFrom = this.options.resumeFrom;
    this.options.resumeFrom = undefined;
    const follower = new FileFollower({
      file,
      start,
      resumeFrom,
      initialLines: this.options.initialLines,
      // driven from here: one timer and one watcher for the whole family
      pollIntervalMs: 0,
      watch: false,
      readChunkBytes: this.options.readChunkBytes,
      maxLineBytes: this.options.maxLineBytes,
      overlongLine: this.options.overlongLine,
      partialLineCounts: this.options.partialLineCounts,
    });
    this.currentSubscriptions = new DisposableStore();
    this.currentSubscriptions.add(follower.onChunk((c) => this.chunkEmitter.fire(c)));
    this.currentSubscriptions.add(follower.onNotice((n) => this.noticeEmitter.fire(n)));
    this.current = follower;
  }

  /** The member after the current one (members are oldest first), or undefined when it is the newest. */
  private nextMember(members: string[]): string | undefined {
    const current = this.current?.file;
    if (current === undefined) return undefined;
    const at = members.indexOf(current);
    if (at >= 0) return members[at + 1];
    // the current one was deleted or renamed: the first member after it by date
    return members.find((m) => memberKey(m) > memberKey(current));
  }

  private async step(): Promise<void> {
    if (this.disposed || this.paused) return;
    const first = this.firstStep;
    this.firstStep = false;
    const members = await listCriticalLogs(this.options.logsDir);
    if (this.disposed) return;
    const newest = members[members.length - 1];
    if (!this.current) {
      if (!newest) {
        if (!this.waitingNoticeShown) {
          this.waitingNoticeShown = true;
          this.noticeEmitter.fire({
            kind: 'waiting',
            file: path.join(this.options.logsDir, 'critical.log.*'),
            message: `Waiting for ${path.join(this.options.logsDir, 'critical.log.YYYY-MM-DD')} to be created (Code writes it at the first error).`,
          });
        }
        return;
      }
      this.follow(newest, first ? (this.options.start ?? 'tail') : 'beginning');
    } else {
      // through every member newer than the current one, in order: none is skipped
      for (let next = this.nextMember(members); next && this.current; next = this.nextMember(members)) {
        const previous = this.current;
        await previous.finish();
        this.finishedBytesRead += previous.bytesRead;
        this.currentSubscriptions.dispose();
        previous.dispose();
        if (this.disposed) return;
        this.follow(next, 'beginning');
        this.noticeEmitter.fire({
          kind: 'rolled',
          file: next,
          message: `${path.basename(previous.file)} has rolled over; following ${path.basename(next)}.`,
        });
      }
    }
    await this.current?.poll();
  }
}
