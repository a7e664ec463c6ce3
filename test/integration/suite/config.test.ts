import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'code-ops.code-ops';

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

async function until<T>(get: () => T | undefined, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('config.toml validation in a real VS Code host', function () {
  this.timeout(90_000);
  const codeHome = process.env.CODE_OPS_TEST_CODE_HOME ?? process.env.CODE_HOME ?? '';
  const file = path.join(codeHome, 'config.toml');
  const uri = vscode.Uri.file(file);
  const broken = '[otel]\nenvironment = "production"\n\n[otel.exporter."otlp-grpc"]\nendpoint = "https://otlp.example.com:4317"\n';

  before(async function () {
    if (!codeHome) throw new Error('the runner sets CODE_OPS_TEST_CODE_HOME (or CODE_HOME) for the integration host');
    fs.mkdirSync(codeHome, { recursive: true });
    fs.writeFileSync(file, broken);
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file, { force: true });
  });

  it('shows diagnostics at the right range, applies a quick fix and sees them clear', async () => {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diag = await until(
      () => vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'otel/missing-headers'),
      'otel/missing-headers on config.toml',
    );
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    // the `"otlp-grpc"` segment of the table header on line 4
    assert.deepEqual([diag.range.start.line, diag.range.start.character, diag.range.end.line, diag.range.end.character], [3, 15, 3, 26]);
    assert.match(String((diag.code as { target?: vscode.Uri }).target), /production_checklist\.md#71-otlp-endpoint-setup/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Add headers = {}');
    assert.ok(fix?.edit, `quick fix offered (got: ${actions.map((a) => a.title).join(', ')})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.getText(), /endpoint = "https:\/\/otlp\.example\.com:4317"\nheaders = \{\}/);
    await until(() => (vscode.languages.getDiagnostics(uri).some((d) => codeOf(d).startsWith('otel/')) ? undefined : true), 'diagnostics to clear');
    await doc.save();
  });

  it('opens config.toml at a key for codeOps.config.open { key }', async () => {
    await vscode.commands.executeCommand('codeOps.config.open', { key: 'otel.environment' });
    const editor = await until(() => (vscode.window.activeTextEditor?.document.uri.fsPath === file ? vscode.window.activeTextEditor : undefined), 'config.toml editor');
    assert.equal(editor.selection.start.line, 1);
    assert.equal(editor.document.getText(editor.selection), 'environment');
  });
});
