// The extension's entry point (package.json "main"). Activation happens in two steps:
//
//  1. activate(), the call VS Code times: every command package.json contributes is registered, each
//     forwarding to its handler (src/ui/commands.ts), so a command runs from this moment on.
//  2. In the next task (setImmediate): the activation bundle (dist/extension.js, built from
//     src/extension.ts) loads through the code cache (src/core/codeCache.ts) and builds the features:
//     settings, status bar, Readiness view, language-model tools, log following.
//
// activate() returns a promise of the API that settles after step 2, and VS Code counts the extension
// as activated only then: other extensions get a complete API, and an activation event that needs the
// view or a tool waits for it. A command run before step 2 (the one that activated the extension, say)
// does step 2 at once, synchronously, then runs. What step 1 buys: the extension host is not held
// for the whole setup in one piece; what else activates at start-up runs between the two steps.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadBundle, setCodeCacheDir } from './core/codeCache';
import { commandTable } from './ui/commands';

interface Body {
  activate(context: vscode.ExtensionContext): unknown;
  deactivate(): Promise<void>;
}

interface Activation {
  context: vscode.ExtensionContext;
  body?: Body;
  /** step 2's outcome, kept: every later caller gets the same API or the same error */
  outcome?: { api: unknown } | { error: unknown };
  pending?: ReturnType<typeof setImmediate>;
  /** settle the promise activate() returned (exactly once: a settled promise ignores the rest) */
  resolve?: (api: unknown) => void;
  reject?: (error: unknown) => void;
  /** the forwarding commands: deactivate() lets go of them itself (VS Code would too, later) */
  forwarders: vscode.Disposable[];
}

let current: Activation | undefined;

/**
 * Step 2, once: loads the activation bundle and builds the features. Whoever comes first (the
 * scheduled task or a command run before it) does it; the promise activate() returned settles with
 * its outcome either way, so VS Code never waits on an activation that already happened or failed.
 */
function ensureBody(a: Activation): unknown {
  if (!a.outcome) {
    if (a.pending) clearImmediate(a.pending);
    a.pending = undefined;
    try {
      performance.mark('code-ops/willLoadActivationBundle');
      a.body = loadBundle(path.join(__dirname, 'extension.js')) as Body;
      performance.mark('code-ops/didLoadActivationBundle');
      a.outcome = { api: a.body.activate(a.context) };
      performance.mark('code-ops/didActivate');
    } catch (error) {
      a.outcome = { error };
    }
    if ('api' in a.outcome) a.resolve?.(a.outcome.api);
    else a.reject?.(a.outcome.error);
  }
  if ('error' in a.outcome) throw a.outcome.error;
  return a.outcome.api;
}

function forward(a: Activation, id: string, args: unknown[]): unknown {
  ensureBody(a);
  const handler = commandTable().handlers.get(id) as ((...args: unknown[]) => unknown) | undefined;
  if (!handler) throw new Error(`Code Ops: the command ${id} is not available.`);
  return handler(...args);
}

export function activate(context: vscode.ExtensionContext): Promise<unknown> {
  performance.mark('code-ops/willActivate');
  setCodeCacheDir(context.globalStorageUri.fsPath);
  const a: Activation = { context, forwarders: [] };
  current = a;
  const table = commandTable();
  const contributed = (context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? [];
  for (const { command } of contributed) {
    table.forwarded.add(command);
    a.forwarders.push(vscode.commands.registerCommand(command, (...args: unknown[]) => forward(a, command, args)));
  }
  context.subscriptions.push(...a.forwarders);
  performance.mark('code-ops/didRegisterCommands');
  const ready = new Promise<unknown>((resolve, reject) => {
    a.resolve = resolve;
    a.reject = reject;
  });
  a.pending = setImmediate(() => {
    a.pending = undefined;
    try {
      ensureBody(a);
    } catch {
      // the promise carries the error to VS Code
    }
  });
  return ready;
}

export async function deactivate(): Promise<void> {
  const a = current;
  current = undefined;
  if (!a) return;
  // Nothing new reaches the features while they stop (stopping the server can take seconds).
  for (const d of a.forwarders.splice(0)) d.dispose();
  const table = commandTable();
  table.forwarded.clear();
  table.handlers.clear();
  if (a.pending) {
    clearImmediate(a.pending);
    a.pending = undefined;
    a.resolve?.(undefined);
  }
  await a.body?.deactivate();
}
