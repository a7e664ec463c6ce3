import * as vscode from 'vscode';
import type { CodeOpsContext } from './context';
import type { ServerSnapshot, StateChange } from '../core/appServer/types';
import type { AppServerSupervisor } from '../core/appServer/supervisor';
import { AlertSink, type AppServerAlert } from './alerts';
import { alertsModule, dispatch } from './alertsLoader';
import { AppServerStatusBar } from './statusBar';
import { registerTimeline } from './timeline';
import { registerCommand } from './commands';

export type { AppServerAlert } from './alerts';

/** What `activate()` returns to other extensions. */
export interface CodeOpsApi {
  readonly state: ServerSnapshot;
  readonly onDidChangeState: vscode.Event<ServerSnapshot>;
  request<R = unknown>(method: string, params?: unknown, options?: { timeoutMs?: number }): Promise<R>;
  onNotification(method: string, handler: (params: unknown) => void): vscode.Disposable;
  /** The status bar item's text, e.g. `$(pulse) Code: healthy, probe 0.4 ms`. */
  readonly statusText: string;
  /** Alerts raised since activation (newest last, bounded), e.g. a crash loop or a panic. */
  recentAlerts(): readonly AppServerAlert[];
}

type NotificationHandlers = Map<string, Set<(params: unknown) => void>>;

/** Transitions and panics become alerts (src/core/alertPolicy.ts); an attach failure is said once per start. */
class ServerAlerts {
  private socketFailureShown = false;

  constructor(
    private readonly ctx: CodeOpsContext,
    private readonly sink: AlertSink,
  ) {
    const server = ctx.server;
    ctx.subscriptions.push(
      server.onDidTransition((change) => this.onTransition(change)),
      server.onPanic((panic) => sink.raise(alertsModule().panicAlert(panic.line))),
    );
  }

  /** A Start or Restart from the editor: an attach failure may be said again. */
  started(): void {
    this.socketFailureShown = false;
  }

  private onTransition(change: StateChange): void {
    this.ctx.output.appendLine(`[${new Date(change.at).toISOString()}] ${change.from} → ${change.to}: ${change.reason}`);
    if (change.to === 'healthy') this.socketFailureShown = false;
    const snap = this.ctx.server.snapshot();
    const alert = alertsModule().transitionAlert(change, snap, { lastStderr: this.ctx.server.lastMeaningfulStderr(), socketFailureShown: this.socketFailureShown });
    if (!alert) return;
    if (change.to === 'crashed') this.socketFailureShown = true;
    this.sink.raise(alert);
  }
}

/** The supervisor's other events: its lines into the output, notifications to the API's handlers. */
function hookSupervisor(ctx: CodeOpsContext, s: AppServerSupervisor, sink: AlertSink, handlers: NotificationHandlers): void {
  const out = ctx.output;
  ctx.subscriptions.push(
    s.onStderrLine((line) => out.appendLine(line)),
    s.onInvalidLine((l) => out.appendLine(`[stdout, not JSON-RPC: ${l.reason}] ${l.text}`)),
    s.onUnknownRequest(({ method }) => out.appendLine(`[request] answered unknown server request '${method}' with MethodNotFound`)),
    s.onApproval((o) => {
      if (o.auto === 'timeout') sink.raise(alertsModule().approvalTimeoutAlert(o.request.title));
    }),
    s.onNotification((n) => {
      for (const h of handlers.get(n.method) ?? []) {
        try {
          h(n.params);
        } catch (err) {
          out.appendLine(`[api] a notification handler for ${n.method} failed: ${(err as Error).message}`);
        }
      }
      if (n.method === 'configWarning') sink.raise(alertsModule().configWarningAlert(n.params));
    }),
  );
}

/** In an untrusted workspace the server's command, arguments and environment could come from the workspace. */
function refuseUntrusted(ctx: CodeOpsContext): boolean {
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
}

function registerCommands(ctx: CodeOpsContext, statusBar: AppServerStatusBar, alerts: ServerAlerts): { start(): Promise<void> } {
  const server = ctx.server;
  const start = async () => {
    if (refuseUntrusted(ctx)) return;
    alerts.started();
    await server.supervisor().start('started from the editor');
  };
  const stop = async () => {
    const s = server.existing;
    if (!s || server.snapshot().state === 'stopped') {
      void vscode.window.showInformationMessage('The Code app server is not running; there is nothing to stop.');
      return;
    }
    // not-found, crash-loop and config-error hold no process, but stopping still clears them to "stopped".
    await s.stop('stopped from the editor');
  };
  const restart = async () => {
    if (refuseUntrusted(ctx)) return;
    alerts.started();
    await server.supervisor().restart('restarted from the editor');
  };
  const showActions = async () => {
    const snap = server.snapshot();
    const items = (statusBar.current?.actions ?? []).map((a) => ({ label: a.label, description: a.description, action: a.action }));
    const pick = await vscode.window.showQuickPick(items, { title: `Code app server: ${snap.state}`, placeHolder: snap.reason });
    if (pick) await dispatch(pick.action);
  };
  ctx.subscriptions.push(
    registerCommand('codeOps.appServer.start', start),
    registerCommand('codeOps.appServer.stop', stop),
    registerCommand('codeOps.appServer.restart', restart),
    registerCommand('codeOps.appServer.showOutput', () => ctx.output.show(true)),
    registerCommand('codeOps.appServer.sendRequest', () =>
      server.loadCore().sendRequestInteractive(server.existing, ctx.extension.globalState, Math.max(30_000, ctx.settings.current.appServer.probeTimeoutMs), ctx.subscriptions),
    ),
    registerCommand('codeOps.appServer.showActions', showActions),
  );
  return { start };
}

function api(ctx: CodeOpsContext, statusBar: AppServerStatusBar, sink: AlertSink, handlers: NotificationHandlers): CodeOpsApi {
  const server = ctx.server;
  return {
    get state() {
      return server.snapshot();
    },
    onDidChangeState: server.onDidChange,
    request<R = unknown>(method: string, params?: unknown, options?: { timeoutMs?: number }): Promise<R> {
      const s = server.existing;
      if (!s) return Promise.reject(new Error('The app server is not running. Start it first.'));
      return s.request<R>(method, params, options);
    },
    onNotification(method: string, handler: (params: unknown) => void): vscode.Disposable {
      let set = handlers.get(method);
      if (!set) handlers.set(method, (set = new Set()));
      set.add(handler);
      return new vscode.Disposable(() => set!.delete(handler));
    },
    get statusText() {
      return statusBar.text;
    },
    recentAlerts: () => sink.recent(),
  };
}

/**
 * The app-server feature: status bar, commands, alerts, approvals, the API.
 * Activation only creates the status bar item and registers commands; the
 * supervisor (its own bundle, dist/appServerCore.js) and process come with the
 * first Start (`ctx.server.supervisor()`). Until then the status bar renders
 * the stopped snapshot (src/core/appServer/status.ts stays in the main bundle).
 */
export function registerAppServer(ctx: CodeOpsContext): CodeOpsApi {
  const server = ctx.server;
  const statusBar = new AppServerStatusBar(ctx);
  const sink = new AlertSink(ctx.output);
  const handlers: NotificationHandlers = new Map();
  const alerts = new ServerAlerts(ctx, sink);
  ctx.subscriptions.push(
    statusBar,
    server.onDidChange((snap) => statusBar.render(snap)),
    server.onDidCreate((s) => hookSupervisor(ctx, s, sink, handlers)),
    ctx.onDidChangeLogStats(() => statusBar.render(server.snapshot())),
    ctx.onDidChangeCodeHome(() => statusBar.render(server.snapshot())),
    ctx.settings.onDidChange((e) => {
      if (e.affects('serverRestart')) server.reconfigure();
    }),
  );
  registerTimeline(ctx, statusBar);
  statusBar.render(server.snapshot());
  const { start } = registerCommands(ctx, statusBar, alerts);
  ctx.onShutdown(() => server.shutdown());
  if (ctx.activationSettings.appServer.autoStart && ctx.trusted) {
    // After activation returns, so activation stays cheap.
    setTimeout(() => void start(), 0);
  }
  return api(ctx, statusBar, sink, handlers);
}
