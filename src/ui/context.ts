import * as vscode from 'vscode';
import { resolveCodeHome, codeHomePaths, type CodeHome } from '../core/codeHome';
import type { ServerSnapshot } from '../core/appServer/types';

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
  /** Set by features that hold processes; awaited by deactivate(). */
  shutdown?: () => Promise<void>;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.current = this.computeCodeHome();
    this.subscriptions.push(
      this.codeHomeEmitter,
      this.logStatsEmitter,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('codeOps.codeHome')) {
          const next = this.computeCodeHome();
          if (next.path !== this.current.path) {
            this.current = next;
            this.codeHomeEmitter.fire(next);
          }
        }
      }),
    );
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

  private computeCodeHome(): CodeHome {
    const override = vscode.workspace.getConfiguration('codeOps').get<string>('codeHome', '');
    const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return resolveCodeHome({ override, cwd });
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
