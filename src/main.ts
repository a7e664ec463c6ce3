// The extension's entry point (package.json "main"). Activation happens in two steps:
//
//  1. activate(), the call VS Code times: it names the code cache's folder and schedules step 2.
//  2. In the next task (setImmediate): the activation bundle (dist/extension.js, built from
//     src/extension.ts) loads through the code cache (src/core/codeCache.ts) and builds the features:
//     commands, settings, status bar, Readiness view, language-model tools, log following.
//
// activate() returns a promise of the API that settles after step 2, and VS Code counts the extension
// as activated only then: other extensions get a complete API, and VS Code runs a command of ours (one
// that activated the extension, say) once that promise has settled and the command is registered.
// What step 1 buys: the extension host is not held for the whole setup in one piece; what else
// activates at start-up runs between the two steps. If step 2 fails, what it built is stopped, the
// promise rejects, and every command we contribute reports that error instead of "command not found".
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadBundle, setCodeCacheDir } from './core/codeCache';

interface Body {
  activate(context: vscode.ExtensionContext): unknown;
  deactivate(): Promise<void>;
}

interface Activation {
  context: vscode.ExtensionContext;
  body?: Body;
  pending?: ReturnType<typeof setImmediate>;
  /** settle the promise activate() returned (exactly once: a settled promise ignores the rest) */
  resolve?: (api: unknown) => void;
  reject?: (error: unknown) => void;
  /** after a failed step 2: commands that report the error (deactivate() lets go of them) */
  failed: vscode.Disposable[];
}

let current: Activation | undefined;

/** Step 2, once: loads the activation bundle and builds the features, then settles the promise activate() returned. */
function buildBody(a: Activation): void {
  a.pending = undefined;
  try {
    performance.mark('code-ops/willLoadActivationBundle');
    a.body = loadBundle(path.join(__dirname, 'extension.js')) as Body;
    performance.mark('code-ops/didLoadActivationBundle');
    const api = a.body.activate(a.context);
    performance.mark('code-ops/didActivate');
    a.resolve?.(api);
  } catch (error) {
    void fail(a, error);
  }
}

/**
 * The features failed to build. VS Code never deactivates an extension whose activation failed, so
 * what was built before the failure is stopped here (no half-built feature keeps running: a
 * scheduled server start, log followers); then each contributed command says why it cannot run,
 * and the promise rejects.
 */
async function fail(a: Activation, error: unknown): Promise<void> {
  const body = a.body;
  a.body = undefined;
  try {
    await body?.deactivate();
  } catch {
    // the original error is the one to report
  }
  if (current === a) {
    const contributed = (a.context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } }).contributes?.commands ?? [];
    for (const { command } of contributed) {
      try {
        a.failed.push(
          vscode.commands.registerCommand(command, () => {
            throw error;
          }),
        );
      } catch {
        // still registered by something that did not let go: its handler stays
      }
    }
  }
  a.reject?.(error);
}

export function activate(context: vscode.ExtensionContext): Promise<unknown> {
  performance.mark('code-ops/willActivate');
  setCodeCacheDir(context.globalStorageUri.fsPath);
  const a: Activation = { context, failed: [] };
  current = a;
  const ready = new Promise<unknown>((resolve, reject) => {
    a.resolve = resolve;
    a.reject = reject;
  });
  a.pending = setImmediate(() => buildBody(a));
  performance.mark('code-ops/didScheduleActivation');
  return ready;
}

export async function deactivate(): Promise<void> {
  const a = current;
  current = undefined;
  if (!a) return;
  for (const d of a.failed.splice(0)) d.dispose();
  if (a.pending) {
    clearImmediate(a.pending);
    a.pending = undefined;
    a.resolve?.(undefined);
  }
  await a.body?.deactivate();
}
