import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Module from 'node:module';

// dist/main.js, the entry point, activates in two steps (src/main.ts). Here it runs as built, from a
// copy of dist/ whose activation bundle (extension.js) is a stand-in that counts what happens, with a
// `vscode` module reduced to what the entry point calls (commands.registerCommand, Disposable).
// The real extension host runs the same file in the integration and UI suites.

const DIST = path.resolve(__dirname, '../../dist');

interface Registry {
  commands: Map<string, (...args: unknown[]) => unknown>;
}

function fakeVscode(registry: Registry) {
  class Disposable {
    constructor(private readonly fn: () => void) {}
    dispose(): void {
      this.fn();
    }
  }
  return {
    Disposable,
    commands: {
      registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
        if (registry.commands.has(id)) throw new Error(`command '${id}' already exists`);
        registry.commands.set(id, fn);
        return new Disposable(() => registry.commands.delete(id));
      },
    },
  };
}

/** The stand-in activation bundle: registers the contributed commands, as the features do. */
const BODY = `
const vscode = require('vscode');
const stats = globalThis.__entryStats;
let registered = [];
exports.activate = function (context) {
  stats.loads++;
  registered = stats.contributed.slice(0, stats.registerBeforeFailing ?? stats.contributed.length).map((id) =>
    vscode.commands.registerCommand(id, (...args) => ({ ran: id, args })),
  );
  if (stats.fail) throw new Error('the features could not be built');
  return { api: true, context: context.name };
};
exports.deactivate = async function () {
  for (const d of registered.splice(0)) d.dispose();
  stats.deactivated = (stats.deactivated ?? 0) + 1;
};
`;

describe('entry point (dist/main.js): activation in two steps', () => {
  let tmp: string;
  let registry: Registry;
  let stats: { loads: number; fail?: boolean; registerBeforeFailing?: number; registry: Registry; contributed: string[]; deactivated?: number };
  let originalLoad: (request: string, parent: unknown, isMain: boolean) => unknown;
  let entry: { activate(context: unknown): Promise<unknown>; deactivate(): Promise<void> };
  const contributed = ['codeOps.a', 'codeOps.b'];
  const context = () => ({
    name: 'ctx',
    subscriptions: [] as Array<{ dispose(): void }>,
    globalStorageUri: { fsPath: path.join(tmp, 'storage') },
    extension: { packageJSON: { contributes: { commands: contributed.map((command) => ({ command })) } } },
  });

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-entry-'));
    fs.copyFileSync(path.join(DIST, 'main.js'), path.join(tmp, 'main.js'));
    fs.writeFileSync(path.join(tmp, 'extension.js'), BODY);
    registry = { commands: new Map() };
    stats = { loads: 0, registry, contributed };
    (globalThis as Record<string, unknown>).__entryStats = stats;
    const mod = Module as unknown as { _load: typeof originalLoad };
    originalLoad = mod._load;
    const vscode = fakeVscode(registry);
    mod._load = function (request: string, parent: unknown, isMain: boolean) {
      if (request === 'vscode') return vscode;
      return originalLoad.call(this, request, parent, isMain);
    };
    entry = Module.createRequire(__filename)(path.join(tmp, 'main.js')) as typeof entry;
  });

  afterEach(async () => {
    await entry.deactivate();
    (Module as unknown as { _load: typeof originalLoad })._load = originalLoad;
    for (const key of Object.keys(require.cache)) if (key.startsWith(tmp)) delete require.cache[key];
    // the entry point pointed the shared code cache at this test's storage
    const shared = (globalThis as Record<symbol, { dir?: string } | undefined>)[Symbol.for('code-ops.codeCache')];
    if (shared) shared.dir = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the call registers nothing and loads nothing; the features, their commands and the API come in the next task', async () => {
    const ready = entry.activate(context());
    assert.equal(registry.commands.size, 0, 'no command registered by the call');
    assert.equal(stats.loads, 0, 'the activation bundle is not loaded by the call');
    assert.deepEqual(await ready, { api: true, context: 'ctx' });
    assert.equal(stats.loads, 1);
    assert.deepEqual([...registry.commands.keys()], contributed);
    assert.deepEqual(await registry.commands.get('codeOps.b')!('x'), { ran: 'codeOps.b', args: ['x'] });
  });

  it('features that fail to build are stopped, the promise rejects, and each contributed command reports the error', async () => {
    stats.fail = true;
    stats.registerBeforeFailing = 1;
    await assert.rejects(entry.activate(context()), /could not be built/);
    // VS Code never deactivates a failed extension: what was built (codeOps.a's handler) was stopped here
    assert.equal(stats.deactivated, 1);
    assert.throws(() => registry.commands.get('codeOps.a')!(1), /could not be built/);
    assert.throws(() => registry.commands.get('codeOps.b')!(), /could not be built/);
    assert.equal(stats.loads, 1, 'built once, not retried per command');
  });

  it('deactivate before the second step settles the promise and builds nothing', async () => {
    const ready = entry.activate(context());
    await entry.deactivate();
    assert.equal(await ready, undefined);
    await new Promise((r) => setImmediate(r));
    assert.equal(stats.loads, 0, 'nothing is built after deactivation');
    assert.equal(registry.commands.size, 0);
  });

  it('the features\' commands (src/ui/commands.ts) can all be let go of before the features stop', () => {
    const file = require.resolve('../../src/ui/commands');
    try {
      // loaded with this test's `vscode`
      const commands = Module.createRequire(__filename)(file) as typeof import('../../src/ui/commands');
      const a = commands.registerCommand('codeOps.a', () => 'a');
      commands.registerCommand('codeOps.b', () => 'b');
      a.dispose();
      assert.deepEqual([...registry.commands.keys()], ['codeOps.b']);
      commands.releaseCommands();
      assert.equal(registry.commands.size, 0);
      commands.releaseCommands();
      commands.registerCommand('codeOps.a', () => 'again');
      assert.equal(registry.commands.get('codeOps.a')!(), 'again');
    } finally {
      delete require.cache[file];
    }
  });

  it('deactivate lets go of the error commands; activation can happen again', async () => {
    stats.fail = true;
    stats.registerBeforeFailing = 0;
    await assert.rejects(entry.activate(context()));
    assert.equal(registry.commands.size, contributed.length);
    await entry.deactivate();
    assert.equal(registry.commands.size, 0);
    assert.equal(stats.deactivated, 1, 'the features were stopped once, when they failed');
    stats.fail = false;
    stats.registerBeforeFailing = undefined;
    assert.deepEqual(await entry.activate(context()), { api: true, context: 'ctx' });
    assert.deepEqual([...registry.commands.keys()], contributed);
  });
});
