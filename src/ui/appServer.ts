import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeOpsContext, SupervisorHandle } from './context';
import type { ServerSnapshot, StateChange } from '../core/appServer/types';
// Types only: the supervisor and vscode-jsonrpc live in dist/appServerCore.js, loaded on first use.
import type { AppServerSupervisor, SupervisorConfig } from '../core/appServer/supervisor';
import { buildServerEnv } from '../core/appServer/env';
import { codeOpsClientInfo } from '../core/appServer/clientInfo';
import { AppServerStatusBar } from './statusBar';
import { sharedPanicLedger } from '../core/logs/panicLedger';
import { CHANNEL_TEXT_METHODS, maskingProxy, maskSecrets } from '../core/mask';

type AppServerCore = typeof import('./appServerCore');

/** What `activate()` returns to other extensions. */
export interface CodeOpsApi {
  readonly state: ServerSnapshot;
  readonly onDidChangeState: vscode.Event<ServerSnapshot>;
  request<R = unknown>(method: string, params?: unknown, options?: { timeoutMs?: number }): Promise<R>;
  onNotification(method: string, handler: (params: unknown) => void): vscode.Disposable;
  /** The status bar item's text, e.g. `$(pulse) Code: healthy 0.4 ms`. */
  readonly statusText: string;
  /** Alerts raised since activation (newest last, bounded), e.g. a crash loop or a panic. */
  recentAlerts(): readonly AppServerAlert[];
}

export interface AppServerAlert {
  at: number;
  severity: 'critical' | 'error' | 'warning';
  message: string;
  actions: string[];
}

const STOPPED: ServerSnapshot = { state: 'stopped', reason: 'not started', mode: 'spawn', restartsInWindow: 0, panics: [] };
const MAX_ALERTS = 50;

/** Reads the settings (typed and sanitised, see src/core/settings.ts) into a supervisor configuration (applied at the next start). */
function readConfig(ctx: CodeOpsContext): SupervisorConfig {
  const { appServer: s } = ctx.settings.current;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return {
    command: s.command,
    args: s.args,
    cwd: s.cwd ?? folder ?? ctx.codeHome.path,
    env: buildServerEnv({ base: process.env, overrides: s.env, codeHome: ctx.codeHome.path }),
    socket: s.socket,
    healthUrl: s.healthUrl,
    codeHome: ctx.codeHome.path,
    clientInfo: codeOpsClientInfo(ctx.version),
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
 * The app-server feature: status bar, commands, alerts, approvals, the API.
 * Activation only creates the status bar item and registers commands; the
 * supervisor (its own bundle, dist/appServerCore.js), output channel and
 * process come with the first Start. Until then the status bar renders the
 * stopped snapshot (src/core/appServer/status.ts stays in the main bundle).
 */
export function registerAppServer(ctx: CodeOpsContext): CodeOpsApi {
  const statusBar = new AppServerStatusBar(() => ({ codeHome: ctx.codeHome.path, logErrorsSinceActivation: ctx.logStats.errorsSinceActivation }));
  ctx.subscriptions.push(statusBar);
  const changeEmitter = new vscode.EventEmitter<ServerSnapshot>();
  ctx.subscriptions.push(changeEmitter);
  const notificationHandlers = new Map<string, Set<(params: unknown) => void>>();
  const alerts: AppServerAlert[] = [];

  let supervisor: AppServerSupervisor | undefined;
  let core: AppServerCore | undefined;
  /** Requires dist/appServerCore.js once; a runtime path keeps it out of dist/extension.js. */
  const loadCore = (): AppServerCore => {
    if (!core) {
      const load = require;
      core = load(path.join(ctx.extension.extensionPath, 'dist', 'appServerCore.js')) as AppServerCore;
    }
    return core;
  };
  let output: vscode.OutputChannel | undefined;
  const getOutput = (): vscode.OutputChannel => {
    if (!output) {
      output = maskingProxy(vscode.window.createOutputChannel('App Server'), CHANNEL_TEXT_METHODS);
      ctx.subscriptions.push(output);
    }
    return output;
  };
  const stopped = (socket: string | undefined): ServerSnapshot => ({ ...STOPPED, mode: socket ? 'socket' : 'spawn' });
  const snapshot = (): ServerSnapshot => supervisor?.snapshot() ?? stopped(ctx.settings.current.appServer.socket);
  // From the reading activation already took: a fresh one costs 1-8 ms in a new extension host.
  const atActivation = ctx.activationSettings.appServer;
  statusBar.render(stopped(atActivation.socket));
  // Setting problems go to this channel too; it is created only when there is something to say.
  ctx.settings.setLog((line) => getOutput().appendLine(line));

  const raise = async (severity: AppServerAlert['severity'], message: string, actions: string[]): Promise<string | undefined> => {
    message = maskSecrets(message);
    alerts.push({ at: Date.now(), severity, message, actions });
    if (alerts.length > MAX_ALERTS) alerts.shift();
    getOutput().appendLine(`[alert:${severity}] ${message}`);
    const show = severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    return show(message, ...actions);
  };

  const openConfigToml = async () => {
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes('codeOps.config.open')) {
      await vscode.commands.executeCommand('codeOps.config.open');
      return;
    }
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(ctx.paths.configToml));
    } catch {
      void vscode.window.showWarningMessage(`${ctx.paths.configToml} does not exist yet.`);
    }
  };

  const handleAction = async (pick: string | undefined, setting = 'codeOps.appServer', folder?: string) => {
    switch (pick) {
      case 'Create Folder':
        if (!folder) break;
        try {
          await fsp.mkdir(folder, { recursive: true, mode: 0o700 });
          getOutput().appendLine(`[settings] created ${folder}`);
          await vscode.commands.executeCommand('codeOps.appServer.start');
        } catch (err) {
          void raise('error', `Code Ops could not create ${folder}: ${(err as Error).message}`, []);
        }
        break;
      case 'Show Logs':
        await vscode.commands.executeCommand('codeOps.appServer.showOutput');
        break;
      case 'Restart Anyway':
      case 'Start Again':
        await vscode.commands.executeCommand('codeOps.appServer.restart');
        break;
      case 'Open config.toml':
        await openConfigToml();
        break;
      case 'Open Settings':
        await vscode.commands.executeCommand('workbench.action.openSettings', setting);
        break;
    }
  };

  /** An attach that keeps failing is said once per start, not at every reconnect. */
  let socketFailureShown = false;

  const onTransition = (change: StateChange) => {
    getOutput().appendLine(`[${new Date(change.at).toISOString()}] ${change.from} → ${change.to}: ${change.reason}`);
    const snap = supervisor?.snapshot();
    switch (change.to) {
      case 'crash-loop':
        void raise('critical', `Code app server is in a crash loop and will not be restarted: ${change.reason}`, ['Show Logs', 'Restart Anyway', 'Open config.toml']).then(handleAction);
        break;
      case 'config-error':
        void raise('critical', `Code app server could not load config.toml and exited: ${snap?.lastError ?? change.reason}`, ['Open config.toml', 'Show Logs', 'Start Again']).then(handleAction);
        break;
      case 'not-found': {
        const blocker = snap?.blocker;
        const actions = [...(blocker?.createFolder ? ['Create Folder'] : []), 'Open Settings', 'Show Logs'];
        void raise('error', `Code app server cannot be started: ${change.reason}`, actions).then((pick) => handleAction(pick, blocker?.setting, blocker?.createFolder));
        break;
      }
      case 'healthy':
        socketFailureShown = false;
        break;
      case 'crashed':
        if (snap?.mode === 'socket' && change.from === 'starting' && !socketFailureShown) {
          socketFailureShown = true;
          void raise('warning', `Code Ops cannot attach to the app server: ${change.reason} It retries with backoff (up to every 30 s).`, ['Open Settings', 'Show Logs']).then((pick) =>
            handleAction(pick, 'codeOps.appServer.socket'),
          );
        }
        break;
    }
  };

  const ensureSupervisor = (): AppServerSupervisor => {
    if (supervisor) {
      supervisor.configure(readConfig(ctx));
      return supervisor;
    }
    const { AppServerSupervisor: Supervisor, createApprovalPrompt } = loadCore();
    const declineWhenUnfocused = () => ctx.settings.current.appServer.approvals.declineWhenUnfocused;
    const s = new Supervisor(readConfig(ctx), { approvals: createApprovalPrompt(declineWhenUnfocused, (l) => getOutput().appendLine(l)) });
    supervisor = s;
    ctx.subscriptions.push(s);
    const out = getOutput();
    s.onDidChange((snap) => {
      statusBar.render(snap);
      changeEmitter.fire(snap);
    });
    s.onDidTransition(onTransition);
    s.onStderrLine((line) => out.appendLine(line));
    s.onInvalidLine((l) => out.appendLine(`[stdout, not JSON-RPC: ${l.reason}] ${l.text}`));
    s.onPanic((panic) => {
      // one alert per panic: the logs feature may have shown it already (critical.log, code-tui.log)
      if (!sharedPanicLedger().claim({ ...panic.detail, timestampMs: panic.at })) return;
      void raise('critical', `Code app server panicked: ${panic.line.slice(0, 300)}`, ['Show Logs']).then(handleAction);
    });
    s.onUnknownRequest(({ method }) => out.appendLine(`[request] answered unknown server request '${method}' with MethodNotFound`));
    s.onApproval((o) => {
      if (o.auto === 'timeout') void raise('warning', `Declined '${o.request.title}': no answer within the approval timeout.`, []);
    });
    s.onNotification((n) => {
      for (const h of notificationHandlers.get(n.method) ?? []) {
        try {
          h(n.params);
        } catch (err) {
          out.appendLine(`[api] a notification handler for ${n.method} failed: ${(err as Error).message}`);
        }
      }
      if (n.method === 'configWarning') {
        const p = (n.params ?? {}) as { summary?: string; details?: string };
        const text = [p.summary, p.details].filter(Boolean).join(' ') || 'The server reported a configuration warning.';
        void raise('warning', `Code app server: ${text}`, ['Open config.toml', 'Show Logs']).then(handleAction);
      }
    });
    return s;
  };

  const refuseUntrusted = (): boolean => {
    if (ctx.trusted) return false;
    void vscode.window
      .showWarningMessage(
        'Code Ops does not start or attach to an app server in an untrusted workspace: its command, arguments and environment could come from the workspace. Trust the workspace to start it.',
        'Manage Workspace Trust',
      )
      .then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    return true;
  };

  const start = async () => {
    if (refuseUntrusted()) return;
    socketFailureShown = false;
    await ensureSupervisor().start('started from the editor');
  };
  const stop = async () => {
    const state = snapshot().state;
    if (!supervisor || state === 'stopped') {
      void vscode.window.showInformationMessage('The Code app server is not running; there is nothing to stop.');
      return;
    }
    // not-found, crash-loop and config-error hold no process, but stopping still clears them to "stopped".
    await supervisor.stop('stopped from the editor');
  };
  const restart = async () => {
    if (refuseUntrusted()) return;
    socketFailureShown = false;
    const s = ensureSupervisor();
    await s.restart('restarted from the editor');
  };

  const showActions = async () => {
    const view = statusBar.current;
    const snap = snapshot();
    const blocker = snap.state === 'not-found' ? snap.blocker : undefined;
    const items = (view?.actions ?? []).map((a) =>
      // The setting to fix may be CODE_HOME or the working folder, not the command.
      a.command === 'workbench.action.openSettings' && blocker ? { label: '$(settings-gear) Open Settings', description: blocker.setting, command: a.command } : { label: a.label, description: a.description, command: a.command },
    );
    if (blocker?.createFolder) items.unshift({ label: '$(new-folder) Create Folder', description: blocker.createFolder, command: 'createFolder' });
    const pick = await vscode.window.showQuickPick(items, { title: `Code app server: ${snap.state}`, placeHolder: snap.reason });
    if (!pick) return;
    if (pick.command === 'createFolder') await handleAction('Create Folder', blocker?.setting, blocker?.createFolder);
    else if (pick.command === 'codeOps.config.open') await openConfigToml();
    else if (pick.command === 'workbench.action.openSettings') await vscode.commands.executeCommand(pick.command, blocker?.setting ?? 'codeOps.appServer');
    else await vscode.commands.executeCommand(pick.command);
  };

  ctx.subscriptions.push(
    vscode.commands.registerCommand('codeOps.appServer.start', start),
    vscode.commands.registerCommand('codeOps.appServer.stop', stop),
    vscode.commands.registerCommand('codeOps.appServer.restart', restart),
    vscode.commands.registerCommand('codeOps.appServer.showOutput', () => getOutput().show(true)),
    vscode.commands.registerCommand('codeOps.appServer.sendRequest', () =>
      loadCore().sendRequestInteractive(supervisor, ctx.extension.globalState, Math.max(30_000, ctx.settings.current.appServer.probeTimeoutMs), ctx.subscriptions),
    ),
    vscode.commands.registerCommand('codeOps.appServer.showActions', showActions),
    ctx.onDidChangeLogStats(() => statusBar.render(snapshot())),
    ctx.onDidChangeCodeHome(() => statusBar.render(snapshot())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!supervisor || !e.affectsConfiguration('codeOps.appServer') && !e.affectsConfiguration('codeOps.codeHome')) return;
      supervisor.configure(readConfig(ctx));
      if (supervisor.isRunning) getOutput().appendLine('[settings] changed; they apply at the next restart.');
    }),
  );

  const handle: SupervisorHandle = {
    snapshot,
    onDidChange: changeEmitter.event,
    recentStderr: () => supervisor?.recentStderr() ?? [],
  };
  ctx.supervisor = handle;
  ctx.onShutdown(async () => {
    await supervisor?.shutdown();
  });

  if (atActivation.autoStart && ctx.trusted) {
    // After activation returns, so activation stays cheap.
    setTimeout(() => void start(), 0);
  }

  return {
    get state() {
      return snapshot();
    },
    onDidChangeState: changeEmitter.event,
    request<R = unknown>(method: string, params?: unknown, options?: { timeoutMs?: number }): Promise<R> {
      if (!supervisor) return Promise.reject(new Error('The app server is not running. Start it first.'));
      return supervisor.request<R>(method, params, options);
    },
    onNotification(method: string, handler: (params: unknown) => void): vscode.Disposable {
      let set = notificationHandlers.get(method);
      if (!set) notificationHandlers.set(method, (set = new Set()));
      set.add(handler);
      return new vscode.Disposable(() => set!.delete(handler));
    },
    get statusText() {
      return statusBar.text;
    },
    recentAlerts: () => alerts.slice(),
  };
}
