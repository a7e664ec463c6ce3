import * as fs from 'node:fs';
import type { CodeHomePaths } from '../codeHome';
import { DisposableStore, type Disposable } from '../disposable';
import { AlertScanner, defaultAlertRules, type AlertRule, type LogAlert } from './alerts';
import type { LogSource } from './api';
import { Emitter } from './events';
import { FileFollower, type FollowerNotice, type FollowerStatus } from './follower';
import type { LineChunk } from './lineChunk';
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
}

/** code-tui.log, or the legacy codex-tui.log when only that one exists. */
export function tuiLogFile(paths: CodeHomePaths): string {
  if (!fs.existsSync(paths.tuiLog) && fs.existsSync(paths.legacyTuiLog)) return paths.legacyTuiLog;
  return paths.tuiLog;
}

/**
 * Both of Code's logs under one CODE_HOME: code-tui.log followed by name and
 * the newest critical.log.* member, with the alert rules applied to every
 * chunk before it is passed on. The editor and the CLI both sit on this.
 */
export class CodeLogFollowers implements Disposable {
  readonly tui: FileFollower;
  readonly critical: RollingLogFollower;
  readonly scanner: AlertScanner;
  private readonly store = new DisposableStore();
  private readonly chunkEmitter = this.store.add(new Emitter<SourcedChunk>());
  private readonly noticeEmitter = this.store.add(new Emitter<SourcedNotice>());
  private readonly alertEmitter = this.store.add(new Emitter<LogAlert>());
  private readonly countEmitter = this.store.add(new Emitter<Record<string, number>>());
  readonly onChunk = this.chunkEmitter.event;
  readonly onNotice = this.noticeEmitter.event;
  readonly onAlert = this.alertEmitter.event;
  /** Fires with the running totals of the 'count' rules when they change. */
  readonly onCounts = this.countEmitter.event;
  readonly errorsBySource: Record<LogSource, number> = { 'code-tui': 0, critical: 0 };

  constructor(options: CodeLogsOptions) {
    const common = {
      initialLines: options.initialLines,
      pollIntervalMs: options.pollIntervalMs,
      watch: options.watch,
      keepAlive: options.keepAlive,
    };
    this.scanner = new AlertScanner(options.rules ?? defaultAlertRules(), { sinceMs: options.sinceMs });
    this.tui = this.store.add(new FileFollower({ file: tuiLogFile(options.paths), ...common }));
    this.critical = this.store.add(new RollingLogFollower({ logsDir: options.paths.logsDir, ...common }));
    const wire = (source: LogSource, follower: FileFollower | RollingLogFollower) => {
      this.store.add(follower.onChunk((chunk) => this.handle(source, chunk)));
      this.store.add(follower.onNotice((notice) => this.noticeEmitter.fire({ ...notice, source })));
    };
    wire('code-tui', this.tui);
    wire('critical', this.critical);
  }

  status(source: LogSource): FollowerStatus {
    return source === 'code-tui' ? this.tui.status : this.critical.status;
  }

  start(): void {
    this.tui.start();
    this.critical.start();
  }

  pause(): void {
    this.tui.pause();
    this.critical.pause();
  }

  resume(): void {
    this.tui.resume();
    this.critical.resume();
  }

  /** Reads both logs now (tests and the CLI's first print). */
  async poll(): Promise<void> {
    await Promise.all([this.tui.poll(), this.critical.poll()]);
  }

  dispose(): void {
    this.store.dispose();
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
