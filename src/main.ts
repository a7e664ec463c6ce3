// The extension's entry point (package.json "main"): requires the activation bundle
// (dist/extension.js, built from src/extension.ts) through the code cache, so a new extension
// host reuses what V8 compiled in an earlier one instead of compiling it again
// (src/core/codeCache.ts says how and why).
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { loadBundle, setCodeCacheDir } from './core/codeCache';

interface Body {
  activate(context: vscode.ExtensionContext): unknown;
  deactivate(): Promise<void>;
}

let body: Body | undefined;

export function activate(context: vscode.ExtensionContext): unknown {
  // Performance marks (as VS Code's own code/extHost/… ones) let the activation benchmark split each host's activation.
  performance.mark('code-ops/willLoadActivationBundle');
  setCodeCacheDir(context.globalStorageUri.fsPath);
  body = loadBundle(path.join(__dirname, 'extension.js')) as Body;
  performance.mark('code-ops/didLoadActivationBundle');
  const api = body.activate(context);
  performance.mark('code-ops/didActivate');
  return api;
}

export async function deactivate(): Promise<void> {
  await body?.deactivate();
}
