import * as vscode from 'vscode';

/** The integration runner sets this; a production host never does. */
export function testHooksEnabled(): boolean {
  return process.env.CODE_OPS_TEST_HOOKS === '1';
}

/**
 * Registers a command the integration tests use to look inside a feature.
 * Only when CODE_OPS_TEST_HOOKS=1: such commands must not exist in production.
 */
export function registerTestHook(id: string, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  if (!testHooksEnabled()) return new vscode.Disposable(() => undefined);
  return vscode.commands.registerCommand(id, handler);
}
