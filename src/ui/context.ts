import * as vscode from 'vscode';
import { codeHomePaths, type CodeHome } from '../core/codeHome';
import type { CodeOpsSettings } from '../core/settings';
import { AppServerHost } from './appServerHost';
import { configureAlerts } from './alertsLoader';
import { LazyOutputChannel } from './output';
import { SettingsStore } from './settings';
import { registerTestHook } from './testHooks';
import { TEST_HOOKS_BUILT } from './testHooksBuild';

/** Counters the log followers publish for the status bar tooltip and the readiness checks. */
export interface LogStats {
  errorsSinceActivation: number;
  panicsSinceActivation: number;
  lastPanicLine?: string;
  /** Where the last panic is (a log file and its 1-based line) and when it happened, when known. */
  lastPanicFile?: string;
  lastPanicLineNumber?: number;
  lastPanicAt?: number;
  /** Panics in the logs of the last 24 h found when following started (earlier sessions' included). */
  panicsLast24h?: number;
}

/** What the readiness feature reads from the app server (the host always provides it). */
export type SupervisorHandle = Pick<AppServerHost, 'snapshot' | 'onDidChange' | 'recentStderr' | 'transitions'>;

/**
 * One object owns what the features share: settings, CODE_HOME, the App
 * Server output, the app server itself (`server`, whose supervisor is created
 * on first use) and the shared events. It is complete when the first feature
 * is built, so features subscribe to what they need then (see extension.ts).
 */
export class CodeOpsContext implements vscode.Disposable {
  readonly subscriptions: vscode.Disposable[] = [];
  private readonly codeHomeEmitter = new vscode.EventEmitter<CodeHome>();
  readonly onDidChangeCodeHome = this.codeHomeEmitter.event;
  private readonly logStatsEmitter = new vscode.EventEmitter<LogStats>();
  readonly onDidChangeLogStats = this.logStatsEmitter.event;
  private current: CodeHome;
  private stats: LogStats = { errorsSinceActivation: 0, panicsSinceActivation: 0 };
  /** The App Server output channel (settings problems and dispatch failures go there too), created on first write. */
  readonly output = new LazyOutputChannel('App Server');
  /** The app server: snapshot and events from activation on; `server.supervisor()` creates the supervisor. */
  readonly server: AppServerHost;
  /** Every `codeOps.*` setting, typed and sanitised; problems are reported once per change. */
  readonly settings: SettingsStore;
  /** The settings as read when the context was built (the same object as `settings.current` until a change). */
  readonly activationSettings: CodeOpsSettings;
  private readonly shutdownHooks: Array<() => Promise<void>> = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.settings = new SettingsStore();
    const reading = this.settings.read();
    this.activationSettings = reading.settings;
    this.current = reading.settings.codeHome;
    this.server = new AppServerHost({
      extensionPath: extension.extensionPath,
      version: this.version,
      settings: () => this.settings.current,
      codeHome: () => this.current,
      output: this.output,
    });
    // Setting problems and failed actions go to the App Server output; it is created only when there is something to say.
    this.settings.setLog((line) => this.output.appendLine(line));
    configureAlerts(extension.extensionPath, (line) => this.output.appendLine(line));
    this.subscriptions.push(
      this.output,
      this.server,
      this.settings,
      this.codeHomeEmitter,
      this.logStatsEmitter,
      // Registered before any feature's listener, so features that react to a setting see the new CODE_HOME.
      this.settings.onDidChange(({ settings }) => {
        const next = settings.codeHome;
        if (next.path !== this.current.path) {
          this.current = next;
          this.codeHomeEmitter.fire(next);
        }
      }),
    );
    // After activation returns: a notification must not slow it down.
    const timer = setTimeout(() => this.settings.report(), 0);
    this.subscriptions.push(
      { dispose: () => clearTimeout(timer) },
      ...(TEST_HOOKS_BUILT ? [registerTestHook('codeOps.settings.testHook', () => ({ problems: this.settings.read().problems, shown: [...this.settings.shown] }))] : []),
    );
  }

  /**
   * Features that hold processes or clients add a hook; deactivate() awaits
   * them all before anything is disposed. One failing hook does not stop the others.
   */
  onShutdown(hook: () => Promise<void>): void {
    this.shutdownHooks.push(hook);
  }

  async shutdown(): Promise<void> {
    const hooks = this.shutdownHooks.splice(0);
    await Promise.allSettled(hooks.map((hook) => hook()));
  }

  /** The app server for features written against the older optional handle (always present now). */
  get supervisor(): SupervisorHandle {
    return this.server;
  }

  get version(): string {
    return String(this.extension.extension.packageJSON.version ?? '0.0.0');
  }

  get codeHome(): CodeHome {
    return this.current;
  }

  get paths() {
    return codeHomePaths(this.current.path);
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  get logStats(): LogStats {
    return this.stats;
  }

  updateLogStats(next: Partial<LogStats>): void {
    this.stats = { ...this.stats, ...next };
    this.logStatsEmitter.fire(this.stats);
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // keep disposing the rest
      }
    }
  }
}
