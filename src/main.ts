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
  api?: unknown;
  pending?: ReturnType<typeof setImmediate>;
  /** settles the promise activate() returned when deactivation comes before step 2 */
  cancel?: () => void;
  /** the forwarding commands: deactivate() lets go of them itself (VS Code would too, later) */
  forwarders: vscode.Disposable[];
}

let current: Activation | undefined;

/** Step 2, once: loads the activation bundle and builds the features. */
function ensureBody(a: Activation): unknown {
  if (!a.body) {
    if (a.pending) clearImmediate(a.pending);
    a.pending = undefined;
    performance.mark('code-ops/willLoadActivationBundle');
    a.body = loadBundle(path.join(__dirname, 'extension.js')) as Body;
    performance.mark('code-ops/didLoadActivationBundle');
    a.api = a.body.activate(a.context);
    performance.mark('code-ops/didActivate');
  }
  return a.api;
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
  return new Promise((resolve, reject) => {
    a.cancel = () => resolve(undefined);
    a.pending = setImmediate(() => {
      a.pending = undefined;
      try {
        resolve(ensureBody(a));
      } catch (e) {
        reject(e);
      }
    });
  });
}

export async function deactivate(): Promise<void> {
  const a = current;
  current = undefined;
  if (!a) return;
  if (a.pending) {
    clearImmediate(a.pending);
    a.cancel?.();
  }
  await a.body?.deactivate();
  for (const d of a.forwarders.splice(0)) d.dispose();
  const table = commandTable();
  table.forwarded.clear();
  table.handlers.clear();
}
