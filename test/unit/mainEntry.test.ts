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
const TABLE = Symbol.for('code-ops.commands');

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

/** The stand-in activation bundle: registers handlers for the contributed ids, as the features do. */
const BODY = `
const table = globalThis[Symbol.for('code-ops.commands')];
const stats = globalThis.__entryStats;
exports.activate = function (context) {
  stats.loads++;
  if (stats.fail) throw new Error('the features could not be built');
  for (const id of table.forwarded) table.handlers.set(id, (...args) => ({ ran: id, args }));
  return { api: true, context: context.name };
};
exports.deactivate = async function () {
  stats.deactivated = { commandsLeft: stats.registry.commands.size, handlersLeft: table.handlers.size };
};
`;

describe('entry point (dist/main.js): activation in two steps', () => {
  let tmp: string;
  let registry: Registry;
  let stats: { loads: number; fail?: boolean; registry: Registry; deactivated?: unknown };
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
    stats = { loads: 0, registry };
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
    delete (globalThis as Record<string | symbol, unknown>)[TABLE];
    // the entry point pointed the shared code cache at this test's storage
    const shared = (globalThis as Record<symbol, { dir?: string } | undefined>)[Symbol.for('code-ops.codeCache')];
    if (shared) shared.dir = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the call registers every contributed command and loads nothing; the API comes in the next task', async () => {
    const ready = entry.activate(context());
    assert.deepEqual([...registry.commands.keys()], contributed);
    assert.equal(stats.loads, 0, 'the activation bundle is not loaded by the call');
    assert.deepEqual(await ready, { api: true, context: 'ctx' });
    assert.equal(stats.loads, 1);
    assert.deepEqual(await registry.commands.get('codeOps.b')!('x'), { ran: 'codeOps.b', args: ['x'] });
  });

  it('a command run before the second step builds the features at once, and the promise still settles', async () => {
    const ready = entry.activate(context());
    assert.deepEqual(registry.commands.get('codeOps.a')!(1, 2), { ran: 'codeOps.a', args: [1, 2] });
    assert.equal(stats.loads, 1);
    assert.deepEqual(await ready, { api: true, context: 'ctx' });
    await new Promise((r) => setImmediate(r));
    assert.equal(stats.loads, 1, 'the scheduled step did not build them again');
  });

  it('features that fail to build reject the promise, and every command says the same error', async () => {
    stats.fail = true;
    const ready = entry.activate(context());
    assert.throws(() => registry.commands.get('codeOps.a')!(), /could not be built/);
    await assert.rejects(ready, /could not be built/);
    assert.throws(() => registry.commands.get('codeOps.b')!(), /could not be built/);
    assert.equal(stats.loads, 1, 'not retried on every command');
  });

  it('deactivate before the second step settles the promise and lets go of the commands', async () => {
    const ready = entry.activate(context());
    await entry.deactivate();
    assert.equal(await ready, undefined);
    assert.equal(registry.commands.size, 0);
    assert.equal(stats.loads, 0);
    await new Promise((r) => setImmediate(r));
    assert.equal(stats.loads, 0, 'nothing is built after deactivation');
  });

  it('deactivate lets go of the commands before the features stop, and activation can happen again', async () => {
    await entry.activate(context());
    await entry.deactivate();
    assert.deepEqual(stats.deactivated, { commandsLeft: 0, handlersLeft: 0 });
    await entry.activate(context());
    assert.deepEqual([...registry.commands.keys()], contributed);
  });
});
