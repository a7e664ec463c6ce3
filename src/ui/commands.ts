import * as vscode from 'vscode';

/** A command's handler, with the arguments the caller passes. */
export type CommandHandler = (...args: never[]) => unknown;

/**
 * Registers one of our commands. Every feature registers its commands here, during the second step of
 * activation (src/main.ts); VS Code runs a command invoked earlier once activation has settled.
 */
export function registerCommand(id: string, handler: CommandHandler): vscode.Disposable {
  return vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown);
}
