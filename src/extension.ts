import * as vscode from 'vscode';
import { CodeOpsContext } from './ui/context';
import { registerAppServer, type CodeOpsApi } from './ui/appServer';
import { registerLogs } from './ui/logs';
import { registerConfig } from './ui/config';
import { registerReadiness } from './ui/readiness';
import { registerLmTools } from './ui/lmTools';
import { registerOtelTest } from './ui/otelTest';
import { releaseCommands } from './ui/commands';

let current: CodeOpsContext | undefined;

/**
 * Wiring only: build the shared context, let each feature register itself,
 * hand other extensions the app-server API.
 */
export function activate(context: vscode.ExtensionContext): CodeOpsApi {
  const ctx = new CodeOpsContext(context);
  current = ctx;
  context.subscriptions.push(ctx);
  performance.mark('code-ops/activate/context');
  const api = registerAppServer(ctx);
  performance.mark('code-ops/activate/appServer');
  registerLogs(ctx);
  performance.mark('code-ops/activate/logs');
  registerConfig(ctx);
  performance.mark('code-ops/activate/config');
  registerReadiness(ctx);
  performance.mark('code-ops/activate/readiness');
  registerLmTools(ctx, api);
  performance.mark('code-ops/activate/lmTools');
  registerOtelTest(ctx);
  performance.mark('code-ops/activate/otelTest');
  return api;
}

export async function deactivate(): Promise<void> {
  const ctx = current;
  current = undefined;
  if (!ctx) return;
  // Nothing new reaches the features while they stop (stopping the server can take seconds).
  releaseCommands();
  // Stopping the server is asynchronous (stdin close, SIGTERM, SIGKILL); wait for it so no process outlives us.
  await ctx.shutdown();
  ctx.dispose();
}
