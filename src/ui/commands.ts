import * as vscode from 'vscode';

/** A command's handler, with the arguments the caller passes. */
export type CommandHandler = (...args: never[]) => unknown;

/** Our registered commands, so deactivation can let go of them before the features stop. */
const registered = new Set<vscode.Disposable>();

/**
 * Registers one of our commands. Every feature registers its commands here, during the second step of
 * activation (src/main.ts); VS Code runs a command invoked earlier once activation has settled.
 */
export function registerCommand(id: string, handler: CommandHandler): vscode.Disposable {
  const registration = vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown);
  registered.add(registration);
  return new vscode.Disposable(() => {
    registered.delete(registration);
    registration.dispose();
  });
}

/** Lets go of every command registered here: nothing new reaches the features while they stop. */
export function releaseCommands(): void {
  for (const registration of [...registered]) registration.dispose();
  registered.clear();
}
