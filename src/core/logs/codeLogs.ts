import * as path from 'node:path';
import type { CodeHomePaths } from '../codeHome';
import { DisposableStore, type Disposable } from '../disposable';
import { AlertScanner, defaultAlertRules, type AlertRule, type LogAlert } from './alerts';
import type { LogSource } from './api';
import { Emitter } from './events';
import { FileFollower, type FollowerNotice, type FollowerStatus } from './follower';
import { detectLogLayout, sameLayout, type LogLayout } from './layout';
import type { LineChunk } from './lineChunk';
import { StepPoller } from './poller';
import { RollingLogFollower } from './rollingFollower';

export interface SourcedChunk extends LineChunk {
  source: LogSource;
}
export interface SourcedNotice extends FollowerNotice {
  source: LogSource;
}

export interface CodeLogsOptions {
  paths: CodeHomePaths;
  initialLines?: number;
  pollIntervalMs?: number;
  watch?: boolean;
  keepAlive?: boolean;
  /** Alert rules; default: defaultAlertRules(). Empty: no scanning. */
  rules?: readonly AlertRule[];
  /** Lines of history timestamped before this neither count nor alert. Default: now. */
  sinceMs?: number;
  /** See FileFollowerOptions. */
  maxLineBytes?: number;
  overlongLine?: 'split' | 'cut';
  partialLineCounts?: boolean;
}

/** The TUI log of the layout this CODE_HOME has now (see detectLogLayout). */
export function tuiLogFile(paths: CodeHomePaths): string {
  return detectLogLayout(paths).tuiLog;
}

/** The names under CODE_HOME whose appearance or removal can change the layout. */
const LAYOUT_NAMES = new Set(['log', 'logs', 'debug_logs']);

/**
 * Both of Code's logs under one CODE_HOME: the TUI log followed by name and
 * the newest critical.log.* member, with the alert rules applied to every
 * chunk before it is passed on. The editor and the CLI both sit on this.
 *
 * Code keeps them in `log/` + `logs/` (Beacon) or in `debug_logs/` (Code
 * since 2026, which moves the old folders there on start). When the layout
 * changes while following, the followers read what is left of the files
 * they hold, and the new ones continue in a moved file where the old ones
 * stopped: nothing is lost or shown twice.
 */
export class CodeLogFollowers implements Disposable {
  private tuiFollower: FileFollower;
  private criticalFollower: RollingLogFollower;
  private current: LogLayout;
  readonly scanner: AlertScanner;
  private readonly store = new DisposableStore();
  private followerStore = new DisposableStore();
  private readonly chunkEmitter = this.store.add(new Emitter<SourcedChunk>());
  private readonly noticeEmitter = this.store.add(new Emitter<SourcedNotice>());
  private readonly alertEmitter = this.store.add(new Emitter<LogAlert>());
  private readonly countEmitter = this.store.add(new Emitter<Record<string, number>>());
  private readonly layoutEmitter = this.store.add(new Emitter<LogLayout>());
  private readonly layoutPoller: StepPoller;
  private started = false;
  private paused = false;
  private disposed = false;
  readonly onChunk = this.chunkEmitter.event;
  readonly onNotice = this.noticeEmitter.event;
  readonly onAlert = this.alertEmitter.event;
  /** Fires with the running totals of the 'count' rules when they change. */
  readonly onCounts = this.countEmitter.event;
  /** Fires when the followers moved to another layout. */
  readonly onLayout = this.layoutEmitter.event;
  readonly errorsBySource: Record<LogSource, number> = { 'code-tui': 0, critical: 0 };

  constructor(private readonly options: CodeLogsOptions) {
    this.scanner = new AlertScanner(options.rules ?? defaultAlertRules(), {
      sinceMs: options.sinceMs,
      onLateAlert: (alert) => this.alertEmitter.fire(alert),
    });
    this.store.add({ dispose: () => this.scanner.dispose() });
    this.current = detectLogLayout(options.paths);
    this.tuiFollower = new FileFollower({ file: this.current.tuiLog, ...this.common() });
    this.criticalFollower = new RollingLogFollower({ logsDir: this.current.logsDir, ...this.common() });
    this.wire();
    this.layoutPoller = new StepPoller({
      dir: options.paths.root,
      matches: (name) => LAYOUT_NAMES.has(name),
      intervalMs: options.pollIntervalMs ?? 1000,
      watch: options.watch !== false,
      keepAlive: false,
      step: () => this.checkLayout(),
    });
    this.store.add(this.layoutPoller);
  }

  get tui(): FileFollower {
    return this.tuiFollower;
  }

  get critical(): RollingLogFollower {
    return this.criticalFollower;
  }

  /** The layout being followed. */
  get layout(): LogLayout {
    return this.current;
  }

  status(source: LogSource): FollowerStatus {
    return source === 'code-tui' ? this.tuiFollower.status : this.criticalFollower.status;
  }

  start(): void {
    this.started = true;
    this.tuiFollower.start();
    this.criticalFollower.start();
    this.layoutPoller.start();
  }

  pause(): void {
    this.paused = true;
    this.tuiFollower.pause();
    this.criticalFollower.pause();
  }

  resume(): void {
    this.paused = false;
    this.tuiFollower.resume();
    this.criticalFollower.resume();
  }

  /** Reads both logs to their end and passes on partial last lines as lines (a one-shot print). */
  async finish(): Promise<void> {
    await this.layoutPoller.poll();
    await this.tuiFollower.finish();
    await this.criticalFollower.finish();
  }

  /** Reads both logs now (tests and the CLI's first print), after checking the layout. */
  async poll(): Promise<void> {
    await this.layoutPoller.poll();
    await Promise.all([this.tuiFollower.poll(), this.criticalFollower.poll()]);
  }

  dispose(): void {
    this.disposed = true;
    this.followerStore.dispose();
    this.tuiFollower.dispose();
    this.criticalFollower.dispose();
    this.store.dispose();
  }

  private common() {
    return {
      initialLines: this.options.initialLines,
      pollIntervalMs: this.options.pollIntervalMs,
      watch: this.options.watch,
      keepAlive: this.options.keepAlive,
      maxLineBytes: this.options.maxLineBytes,
      overlongLine: this.options.overlongLine,
      partialLineCounts: this.options.partialLineCounts,
    };
  }

  private wire(): void {
    this.followerStore = new DisposableStore();
    const wire = (source: LogSource, follower: FileFollower | RollingLogFollower) => {
      this.followerStore.add(follower.onChunk((chunk) => this.handle(source, chunk)));
      this.followerStore.add(follower.onNotice((notice) => this.noticeEmitter.fire({ ...notice, source })));
    };
    wire('code-tui', this.tuiFollower);
    wire('critical', this.criticalFollower);
  }

  private async checkLayout(): Promise<void> {
    if (this.disposed || this.paused) return;
    const next = detectLogLayout(this.options.paths);
    if (sameLayout(next, this.current)) return;
    const previous = this.current;
    this.current = next;
    // read what is left where we were (a moved file is still open), then continue in the new place
    const tuiResume = await this.tuiFollower.detach();
    const criticalResume = await this.criticalFollower.detach();
    this.followerStore.dispose();
    if (this.disposed) return;
    this.tuiFollower = new FileFollower({ file: next.tuiLog, ...this.common(), start: 'beginning', resumeFrom: tuiResume });
    this.criticalFollower = new RollingLogFollower({ logsDir: next.logsDir, ...this.common(), start: 'beginning', resumeFrom: criticalResume });
    this.wire();
    const rel = (p: string) => path.relative(this.options.paths.root, p) || p;
    const message = `The logs moved: now following ${rel(next.tuiLog)} and ${rel(next.logsDir)}/critical.log.* (${next.label}; was ${previous.label}).`;
    this.noticeEmitter.fire({ kind: 'moved', file: next.tuiLog, message, source: 'code-tui' });
    this.noticeEmitter.fire({ kind: 'moved', file: next.logsDir, message, source: 'critical' });
    this.layoutEmitter.fire(next);
    if (this.started) {
      this.tuiFollower.start();
      this.criticalFollower.start();
    }
    await Promise.all([this.tuiFollower.poll(), this.criticalFollower.poll()]);
  }

  private handle(source: LogSource, chunk: LineChunk): void {
    // alerts first, so a listener that shows the lines can already mark them
    const { alerts, counts } = this.scanner.scan(source, chunk);
    this.chunkEmitter.fire({ ...chunk, source });
    const errors = counts.errors ?? 0;
    if (errors > 0) {
      this.errorsBySource[source] += errors;
      this.countEmitter.fire({ ...this.scanner.totals });
    }
    for (const alert of alerts) this.alertEmitter.fire(alert);
  }
}
