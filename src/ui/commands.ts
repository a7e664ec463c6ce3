import * as vscode from 'vscode';

/**
 * The commands package.json contributes are registered by the entry point (src/main.ts) when
 * activation starts, each forwarding to the handler the features register here once the activation
 * bundle has loaded. Both bundles carry this module; they share one table through a registered symbol.
 */
export type CommandHandler = (...args: never[]) => unknown;

interface CommandTable {
  /** ids the entry point registered with VS Code (their handlers go into `handlers`) */
  forwarded: Set<string>;
  handlers: Map<string, CommandHandler>;
}

const KEY = Symbol.for('code-ops.commands');

export function commandTable(): CommandTable {
  const g = globalThis as Record<symbol, CommandTable | undefined>;
  return (g[KEY] ??= { forwarded: new Set(), handlers: new Map() });
}

/** vscode.commands.registerCommand, or the handler of a command the entry point already registered. */
export function registerCommand(id: string, handler: CommandHandler): vscode.Disposable {
  const table = commandTable();
  if (!table.forwarded.has(id)) return vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown);
  if (table.handlers.has(id)) throw new Error(`command '${id}' already exists`);
  table.handlers.set(id, handler);
  return new vscode.Disposable(() => {
    if (table.handlers.get(id) === handler) table.handlers.delete(id);
  });
}
