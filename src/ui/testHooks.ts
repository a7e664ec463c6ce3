import * as vscode from 'vscode';
import { TEST_HOOKS_BUILT } from './testHooksBuild';

/** The integration runner sets this; a production host never does. */
export function testHooksEnabled(): boolean {
  return TEST_HOOKS_BUILT && process.env.CODE_OPS_TEST_HOOKS === '1';
}

/**
 * Registers a command the integration tests use to look inside a feature.
 * Only when CODE_OPS_TEST_HOOKS=1: such commands must not exist in production.
 * Call sites guard the call with `TEST_HOOKS_BUILT` so the production bundle holds no handler.
 */
export function registerTestHook(id: string, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  if (!TEST_HOOKS_BUILT) return new vscode.Disposable(() => undefined);
  if (!testHooksEnabled()) return new vscode.Disposable(() => undefined);
  return vscode.commands.registerCommand(id, handler);
}
