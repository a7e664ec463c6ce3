import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('hardening: test-only commands stay out of production', () => {
  it('every codeOps.*.testHook command is registered through registerTestHook (gated by CODE_OPS_TEST_HOOKS=1)', () => {
    const found: string[] = [];
    for (const file of sources(SRC)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(\w+)\(\s*'(codeOps\.[\w.]*testHook)'/g)) {
        found.push(`${path.relative(SRC, file)}: ${m[2]}`);
        assert.equal(m[1], 'registerTestHook', `${path.relative(SRC, file)} registers ${m[2]} with ${m[1]}()`);
      }
    }
    // The hooks the integration suites use: a rename must not make this test pass vacuously.
    assert.deepEqual(found.map((f) => f.split(': ')[1]).sort(), ['codeOps.lmTools.testHook', 'codeOps.logs.testHook', 'codeOps.otel.testHook', 'codeOps.readiness.testHook', 'codeOps.settings.testHook']);
  });

  it('the gate reads exactly CODE_OPS_TEST_HOOKS=1', () => {
    const text = fs.readFileSync(path.join(SRC, 'ui', 'testHooks.ts'), 'utf8');
    assert.match(text, /process\.env\.CODE_OPS_TEST_HOOKS === '1'/);
    assert.match(text, /if \(!testHooksEnabled\(\)\) return new vscode\.Disposable/);
    // and the production build leaves them out altogether (test/unit/bundle.test.ts)
    assert.match(text, /if \(!TEST_HOOKS_BUILT\) return new vscode\.Disposable/);
  });
});
