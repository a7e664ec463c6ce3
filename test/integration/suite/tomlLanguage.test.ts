import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

// A stock host has no TOML language: Code Ops contributes one (syntaxes/toml.tmLanguage.json),
// so config.toml opens as TOML, not Plain Text, and still gets the config.toml diagnostics.
describe('TOML language in a real VS Code host', function () {
  this.timeout(90_000);
  const codeHome = process.env.CODE_OPS_TEST_CODE_HOME ?? process.env.CODE_HOME ?? '';
  const workspace = process.env.CODE_OPS_TEST_WORKSPACE ?? '';
  const file = path.join(codeHome, 'config.toml');

  before(async function () {
    if (!codeHome || !workspace) this.skip();
    fs.mkdirSync(codeHome, { recursive: true });
    fs.writeFileSync(file, '[otel]\nenvironment = "production"\nexporter = "bogus"\n');
    await vscode.extensions.getExtension('code-ops.code-ops')!.activate();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file, { force: true });
  });

  it('opens config.toml, managed_config.toml and other .toml files as TOML', async () => {
    assert.ok((await vscode.languages.getLanguages()).includes('toml'));
    const managed = path.join(workspace, 'managed_config.toml');
    const other = path.join(workspace, 'other.toml');
    fs.writeFileSync(managed, 'model = "gpt-5"\n');
    fs.writeFileSync(other, 'a = 1\n');
    try {
      for (const f of [file, managed, other]) {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(f));
        assert.equal(doc.languageId, 'toml', path.basename(f));
      }
    } finally {
      fs.rmSync(managed, { force: true });
      fs.rmSync(other, { force: true });
    }
  });

  it('still validates config.toml once it is TOML', async () => {
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const end = Date.now() + 30_000;
    while (!vscode.languages.getDiagnostics(uri).length) {
      if (Date.now() > end) throw new Error('no diagnostics on config.toml');
      await new Promise((r) => setTimeout(r, 100));
    }
    const codes = vscode.languages.getDiagnostics(uri).map((d) => (typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code)));
    assert.ok(codes.some((c) => c.startsWith('otel/')), codes.join(', '));
  });
});
