import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerSnapshot, StateChange } from '../core/appServer/types';
// Types only: the supervisor and vscode-jsonrpc live in dist/appServerCore.js, loaded on first use.
import type { AppServerSupervisor, SupervisorConfig } from '../core/appServer/supervisor';
import type { PanicRecord } from '../core/appServer/types';
import { buildServerEnv } from '../core/appServer/env';
import { codeOpsClientInfo } from '../core/appServer/clientInfo';
import { lastMeaningfulStderrLine } from '../core/appServer/lastStderr';
import type { CodeOpsSettings } from '../core/settings';
import type { CodeHome } from '../core/codeHome';
import type { LazyOutputChannel } from './output';
import { loadBundle } from '../core/codeCache';

export type AppServerCore = typeof import('./appServerCore');

const STOPPED: ServerSnapshot = { state: 'stopped', reason: 'not started', mode: 'spawn', restartsInWindow: 0, panics: [] };

/** What the host needs from the context (kept narrow so the host can be built before any feature). */
export interface HostDeps {
  extensionPath: string;
  version: string;
  settings: () => CodeOpsSettings;
  codeHome: () => CodeHome;
  output: LazyOutputChannel;
}

/** The settings (typed and sanitised, see src/core/settings.ts) as a supervisor configuration (applied at the next start). */
export function supervisorConfig(deps: HostDeps): SupervisorConfig {
  const { appServer: s } = deps.settings();
  const home = deps.codeHome().path;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return {
    command: s.command,
    args: s.args,
    cwd: s.cwd ?? folder ?? home,
    env: buildServerEnv({ base: process.env, overrides: s.env, codeHome: home }),
    socket: s.socket,
    healthUrl: s.healthUrl,
    codeHome: home,
    clientInfo: codeOpsClientInfo(deps.version),
    timings: {
      initializeTimeoutMs: s.initializeTimeoutMs,
      probeIntervalMs: s.probeIntervalSeconds * 1000,
      probeTimeoutMs: s.probeTimeoutMs,
      maxMissedProbes: s.maxMissedProbes,
      approvalTimeoutMs: s.approvals.timeoutSeconds * 1000,
    },
  };
}

/**
 * The app server as the features see it, from activation on: its snapshot and
 * events exist before the supervisor does (a stopped snapshot, no events), and
 * `supervisor()` is the one lazy getter that loads dist/appServerCore.js and
 * creates it. Features subscribe here when they are built; none polls.
 */
export class AppServerHost implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<ServerSnapshot>();
  private readonly transitionEmitter = new vscode.EventEmitter<StateChange>();
  private readonly panicEmitter = new vscode.EventEmitter<PanicRecord>();
  private readonly createdEmitter = new vscode.EventEmitter<AppServerSupervisor>();
  readonly onDidChange = this.changeEmitter.event;
  readonly onDidTransition = this.transitionEmitter.event;
  readonly onPanic = this.panicEmitter.event;
  /** Fires once, when the supervisor is created (features that hook its other events). */
  readonly onDidCreate = this.createdEmitter.event;
  private current?: AppServerSupervisor;
  private core?: AppServerCore;
  private readonly disposables: vscode.Disposable[] = [this.changeEmitter, this.transitionEmitter, this.panicEmitter, this.createdEmitter];

  constructor(private readonly deps: HostDeps) {}

  /** Requires dist/appServerCore.js once; a runtime path keeps it out of dist/extension.js. */
  loadCore(): AppServerCore {
    if (!this.core) {
      this.core = loadBundle(path.join(this.deps.extensionPath, 'dist', 'appServerCore.js')) as AppServerCore;
    }
    return this.core;
  }

  /** The supervisor if it was created; undefined before the first Start (nothing is loaded for a peek). */
  get existing(): AppServerSupervisor | undefined {
    return this.current;
  }

  /** The supervisor, created (with the current settings) on first use; later calls apply the current settings. */
  supervisor(): AppServerSupervisor {
    if (this.current) {
      this.current.configure(supervisorConfig(this.deps));
      return this.current;
    }
    const { AppServerSupervisor: Supervisor, createApprovalPrompt } = this.loadCore();
    const declineWhenUnfocused = () => this.deps.settings().appServer.approvals.declineWhenUnfocused;
    const approvals = createApprovalPrompt(declineWhenUnfocused, (l) => this.deps.output.appendLine(l));
    const s = new Supervisor(supervisorConfig(this.deps), { approvals });
    this.current = s;
    this.disposables.push(
      s,
      s.onDidChange((snap) => this.changeEmitter.fire(snap)),
      s.onDidTransition((change) => this.transitionEmitter.fire(change)),
      s.onPanic((panic) => this.panicEmitter.fire(panic)),
    );
    this.createdEmitter.fire(s);
    return s;
  }

  snapshot(): ServerSnapshot {
    return this.current?.snapshot() ?? { ...STOPPED, mode: this.deps.settings().appServer.socket ? 'socket' : 'spawn' };
  }

  /** stderr lines seen so far (bounded), secrets masked. */
  recentStderr(): readonly string[] {
    return this.current?.recentStderr() ?? [];
  }

  /** State transitions with their reasons (bounded, oldest first); empty before the first start. */
  transitions(): readonly StateChange[] {
    return this.current?.transitions ?? [];
  }

  /** The stderr line that best says why the server failed (for alerts). */
  lastMeaningfulStderr(): string | undefined {
    return lastMeaningfulStderrLine(this.recentStderr());
  }

  /** New settings apply at the next start; says so when the server runs. */
  reconfigure(): void {
    if (!this.current) return;
    this.current.configure(supervisorConfig(this.deps));
    if (this.current.isRunning) this.deps.output.appendLine('[settings] changed; they apply at the next restart.');
  }

  async shutdown(): Promise<void> {
    await this.current?.shutdown();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
