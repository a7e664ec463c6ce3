import * as vscode from 'vscode';
import type { CodeOpsContext } from './context';
import type { ServerSnapshot } from '../core/appServer/types';

/** What `activate()` returns to other extensions. */
export interface CodeOpsApi {
  readonly state: ServerSnapshot;
  readonly onDidChangeState: vscode.Event<ServerSnapshot>;
  request<R = unknown>(method: string, params?: unknown, options?: { timeoutMs?: number }): Promise<R>;
  onNotification(method: string, handler: (params: unknown) => void): vscode.Disposable;
}

// Skeleton: the supervisor arrives with the app-server work. The status bar item is present from activation.
export function registerAppServer(ctx: CodeOpsContext): CodeOpsApi {
  const item = vscode.window.createStatusBarItem('codeOps.status', vscode.StatusBarAlignment.Left, 100);
  item.name = 'Code Ops';
  item.text = '$(circle-outline) Code: stopped';
  item.tooltip = 'Code Ops: the app server is not running.';
  item.command = 'codeOps.appServer.showActions';
  item.show();
  ctx.subscriptions.push(item);
  const emitter = new vscode.EventEmitter<ServerSnapshot>();
  ctx.subscriptions.push(emitter);
  const snapshot: ServerSnapshot = { state: 'stopped', reason: 'not started', mode: 'spawn', restartsInWindow: 0, panics: [] };
  return {
    get state() {
      return snapshot;
    },
    onDidChangeState: emitter.event,
    request: () => Promise.reject(new Error('The app server is not running.')),
    onNotification: () => new vscode.Disposable(() => undefined),
  };
}
