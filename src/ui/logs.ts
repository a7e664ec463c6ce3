import * as path from 'node:path';
import type { CodeOpsContext } from './context';
// Types only: the followers, alert rules and channels live in dist/logs.js.
import type { LogsFeature } from './logsFeature';
import { registerTestHook } from './testHooks';
import { TEST_HOOKS_BUILT } from './testHooksBuild';
import { loadBundle } from '../core/codeCache';
import { registerCommand } from './commands';

type LogsModule = typeof import('./logsFeature');

/**
 * The logs feature at activation: its commands and listeners. The feature
 * itself (dist/logs.js: followers, alerts, the two channels) is required after
 * activation returns when codeOps.logs.follow is on, else on first use.
 */
export function registerLogs(ctx: CodeOpsContext): void {
  const activatedAt = Date.now();
  let feature: LogsFeature | undefined;
  /** Set when the first start found following off and skipped loading the feature. */
  let startSkipped = false;
  const loadFeature = (): LogsFeature => {
    if (!feature) {
      // A runtime path keeps the followers out of dist/extension.js.
      const mod = loadBundle(path.join(ctx.extension.extensionPath, 'dist', 'logs.js')) as LogsModule;
      feature = new mod.LogsFeature(ctx, activatedAt, startSkipped);
      ctx.subscriptions.push(feature);
    }
    return feature;
  };
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => ctx.subscriptions.push(registerCommand(id, fn));
  reg('codeOps.logs.show', async (source?: unknown) => {
    const f = loadFeature();
    const picked = source === 'code-tui' || source === 'critical' ? source : await f.pickSource('Show Logs');
    if (picked) f.channels.show(picked, false);
  });
  reg('codeOps.logs.openFile', () => loadFeature().openFile());
  reg('codeOps.logs.pause', () => loadFeature().pause());
  reg('codeOps.logs.resume', () => loadFeature().resume());
  reg('codeOps.logs.clear', () => loadFeature().channels.clear());
  // Not in the palette, and only under CODE_OPS_TEST_HOOKS=1: lets the integration tests see what reached the channels.
  if (TEST_HOOKS_BUILT) ctx.subscriptions.push(
    registerTestHook('codeOps.logs.testHook', (action: unknown) => {
      if (action === 'snapshot') return loadFeature().snapshot();
      throw new Error(`unknown test hook ${String(action)}`);
    }),
  );
  /** With following off and nothing loaded yet, a (re)start would only stop nothing: it needs no feature. */
  const start = (reason?: string) => {
    if (!feature && !ctx.settings.current.logs.follow) startSkipped = true;
    else loadFeature().start(reason);
  };
  ctx.subscriptions.push(
    ctx.onDidChangeCodeHome((home) => start(`CODE_HOME is now ${home.path}; following its logs.`)),
    ctx.settings.onDidChange((e) => {
      if (e.affects('logFollowers')) start('Log settings changed; following restarted.');
    }),
  );
  // Activation stays cheap: the feature loads and the first reads happen after it returns.
  const timer = setImmediate(() => start());
  ctx.subscriptions.push({ dispose: () => clearImmediate(timer) });
}
