import * as fs from 'node:fs';
import type { Disposable } from '../disposable';

export interface StepPollerOptions {
  /** Folder watched with fs.watch (a file's folder survives its rotation and deletion). */
  dir: string;
  /** Which names in the folder concern us; an event without a name always counts. */
  matches(name: string): boolean;
  /** Timer backing up fs.watch (network and container file systems drop events). 0: no timer. */
  intervalMs: number;
  /** Use fs.watch at all. */
  watch: boolean;
  /** Keep the Node process alive (the CLI's --follow). */
  keepAlive: boolean;
  /** One read pass of the follower. */
  step(): Promise<void>;
}

/**
 * Decides when a follower reads: at once on a file-system event, on a slow
 * timer, or on demand. Passes never overlap; a request made while one runs
 * is answered by one more pass after it, so nothing written meanwhile waits
 * for the next tick. Idle cost: one timer tick per interval.
 */
export class StepPoller implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private watcher: fs.FSWatcher | undefined;
  private scheduled = false;
  private queued: Promise<void> | undefined;
  private tail: Promise<void> = Promise.resolve();
  private started = false;
  private disposed = false;

  constructor(private readonly options: StepPollerOptions) {}

  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    if (this.options.intervalMs > 0) {
      this.timer = setInterval(() => {
        this.ensureWatcher();
        void this.poll();
      }, this.options.intervalMs);
      if (!this.options.keepAlive) this.timer.unref();
    }
    this.ensureWatcher();
    this.schedule();
  }

  /** Runs a pass now, or joins the one already waiting to run. */
  poll(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.tail.then(() => {
      this.queued = undefined;
      return this.options.step();
    });
    this.queued = next;
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Settles when every pass asked for so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  /** A pass on the next turn of the event loop (coalesces bursts of events). */
  schedule(): void {
    if (this.scheduled || this.disposed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.disposed) void this.poll();
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watcher?.close();
    this.watcher = undefined;
  }

  private ensureWatcher(): void {
    if (!this.options.watch || this.watcher || this.disposed) return;
    try {
      const watcher = fs.watch(this.options.dir, { persistent: false }, (_event, name) => {
        if (!name || this.options.matches(name.toString())) this.schedule();
      });
      watcher.on('error', () => {
        // the folder went away or the watch limit was hit: the timer carries on and retries
        watcher.close();
        if (this.watcher === watcher) this.watcher = undefined;
      });
      this.watcher = watcher;
    } catch {
      // folder missing or no watch support: the timer alone, which retries the watch
    }
  }
}

/** What both followers share: one poller behind start, pause, resume and poll. */
export abstract class PolledFollower {
  protected paused = false;
  protected disposed = false;
  protected abstract readonly poller: StepPoller;

  /** Starts watching and polling; the first read happens on the next turn of the event loop. */
  start(): void {
    if (!this.disposed) this.poller.start();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.poller.schedule();
  }

  /**
   * Reads whatever is new now. Calls are serialised; a call made while a
   * read is running is answered by one more read after it.
   */
  poll(): Promise<void> {
    return this.poller.poll();
  }
}
