import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = path.resolve(__dirname, '../..');
let onig: Promise<void> | undefined;

/** One of our TextMate grammars, loaded through the real engine (the wasm is loaded once per process). */
export async function loadGrammar(scopeName: string, grammarPath: string): Promise<textmate.IGrammar> {
  onig ??= (async () => {
    const wasm = fs.readFileSync(path.join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  })();
  await onig;
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (name) => (name === scopeName ? textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null),
  });
  const loaded = await registry.loadGrammar(scopeName);
  assert.ok(loaded, `the grammar ${scopeName} loads`);
  return loaded;
}
