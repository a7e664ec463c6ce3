import * as vscode from 'vscode';
import type { ConfigWarning } from '../core/appServer/handshakeInfo';
import type { ServerSnapshot } from '../core/appServer/types';

/**
 * A `configWarning` that names a file means the server runs on defaults, not on
 * that file: it goes into the Problems panel at the place the server names
 * (codex reports 1-based line and column), beside our own [otel] diagnostics,
 * under the source "code-app-server". Warnings without a file (a missing
 * sandbox helper) stay in the status bar only.
 */
export class ServerConfigWarnings implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('code-app-server');
  private shown = '';

  update(snapshot: ServerSnapshot): void {
    const running = snapshot.state === 'healthy' || snapshot.state === 'unresponsive';
    const warnings = running ? (snapshot.configWarnings ?? []).filter((w): w is ConfigWarning & { path: string } => w.path !== null) : [];
    const key = JSON.stringify(warnings);
    if (key === this.shown) return;
    this.shown = key;
    this.collection.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const w of warnings) {
      const list = byFile.get(w.path) ?? [];
      list.push(toDiagnostic(w));
      byFile.set(w.path, list);
    }
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function toDiagnostic(w: ConfigWarning): vscode.Diagnostic {
  const start = w.range ? new vscode.Position(Math.max(0, w.range.start.line - 1), Math.max(0, w.range.start.column - 1)) : new vscode.Position(0, 0);
  let end = w.range ? new vscode.Position(Math.max(0, w.range.end.line - 1), Math.max(0, w.range.end.column - 1)) : start;
  if (end.isBefore(start)) end = start;
  if (end.isEqual(start)) end = start.translate(0, 1);
  const message = `${w.summary}${w.details ? ` ${w.details}` : ''} The running server ignores this file until it is fixed and the server restarted.`;
  const d = new vscode.Diagnostic(new vscode.Range(start, end), message, vscode.DiagnosticSeverity.Warning);
  d.source = 'code-app-server';
  d.code = 'server/config-not-applied';
  return d;
}
