import * as vscode from 'vscode';
import { codeHomePaths, type CodeHome } from '../core/codeHome';
import type { ServerSnapshot, StateChange } from '../core/appServer/types';
import type { CodeOpsSettings } from '../core/settings';
import { SettingsStore } from './settings';
import { registerTestHook } from './testHooks';

/** Counters the log followers publish for the status bar tooltip and the readiness checks. */
export interface LogStats {
  errorsSinceActivation: number;
  panicsSinceActivation: number;
  lastPanicLine?: string;
}

/** What other features need from the supervisor (the app-server feature fills this in). */
export interface SupervisorHandle {
  snapshot(): ServerSnapshot;
  readonly onDidChange: vscode.Event<ServerSnapshot>;
  /** stderr lines seen so far (bounded), secrets masked */
  recentStderr(): readonly string[];
  /** State transitions with their reasons (bounded, oldest first). */
  transitions?(): readonly StateChange[];
}

/**
 * One object owns what the features share: settings, CODE_HOME, the shared
 * events. Features register themselves against it (see extension.ts).
 */
export class CodeOpsContext implements vscode.Disposable {
  readonly subscriptions: vscode.Disposable[] = [];
  private readonly codeHomeEmitter = new vscode.EventEmitter<CodeHome>();
  readonly onDidChangeCodeHome = this.codeHomeEmitter.event;
  private readonly logStatsEmitter = new vscode.EventEmitter<LogStats>();
  readonly onDidChangeLogStats = this.logStatsEmitter.event;
  private current: CodeHome;
  private stats: LogStats = { errorsSinceActivation: 0, panicsSinceActivation: 0 };
  supervisor?: SupervisorHandle;
  /** Every `codeOps.*` setting, typed and sanitised; problems are reported once per change. */
  readonly settings: SettingsStore;
  /**
   * The settings as read when the context was built, for what activate() decides (the first status
   * bar, autoStart): every fresh read inspects each setting, 1-8 ms in a new extension host. Code that
   * runs later reads `settings.current`.
   */
  readonly activationSettings: CodeOpsSettings;
  private readonly shutdownHooks: Array<() => Promise<void>> = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.settings = new SettingsStore();
    const reading = this.settings.read();
    this.activationSettings = reading.settings;
    this.current = reading.settings.codeHome;
    this.subscriptions.push(
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
      registerTestHook('codeOps.settings.testHook', () => ({ problems: this.settings.read().problems, shown: [...this.settings.shown] })),
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

  config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('codeOps');
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
