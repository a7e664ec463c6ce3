import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'code-ops.code-ops';

describe('Code Ops in a real VS Code host', () => {
  it('runs with the throwaway CODE_HOME, workspace and repository the runner prepared', () => {
    const codeHome = process.env.CODE_OPS_TEST_CODE_HOME;
    const repo = process.env.CODE_OPS_REPO;
    const workspace = process.env.CODE_OPS_TEST_WORKSPACE;
    assert.ok(codeHome && fs.statSync(codeHome).isDirectory(), `CODE_OPS_TEST_CODE_HOME is a folder (got ${codeHome})`);
    assert.equal(process.env.CODE_HOME, codeHome, 'CODE_HOME is the test CODE_HOME');
    assert.ok(repo && fs.existsSync(path.join(repo, 'test', 'fixtures')), `CODE_OPS_REPO holds test/fixtures (got ${repo})`);
    assert.equal(JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).name, 'code-ops');
    assert.ok(workspace, 'CODE_OPS_TEST_WORKSPACE is set');
    assert.equal(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, workspace, 'the opened folder is the test workspace');
  });

  it('activates and returns its API', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed in the host`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.request, 'function');
    assert.ok(api.state && typeof api.state.state === 'string');
  });

  it('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });

  it('loads the activation bundle through the code cache in its global storage, and writes the cache', async function () {
    this.timeout(20_000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    type Rec = { file: string; outcome: string; written?: string; error?: string };
    const records = (): Rec[] => (globalThis as Record<symbol, { records: Rec[] } | undefined>)[Symbol.for('code-ops.codeCache')]?.records ?? [];
    const first = records().find((r) => path.basename(r.file) === 'extension.js');
    assert.ok(first, `records: ${JSON.stringify(records())}`);
    assert.equal(first.file, path.join(ext.extensionPath, 'dist', 'extension.js'));
    assert.ok(['miss', 'hit', 'rejected'].includes(first.outcome), `outcome ${first.outcome}: the cache is on in a real host`);
    if (first.outcome === 'hit') return;
    // a miss writes the cache a few seconds after the load
    for (let i = 0; i < 150 && !first.written && !first.error; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(first.error, undefined);
    assert.ok(first.written, 'written');
    assert.ok(first.written.includes(`${path.sep}v8-cache${path.sep}extension-`), first.written);
    assert.ok(fs.statSync(first.written).size > 1000, 'holds compiled code');
  });

  it('shows the Code Ops view container with its Readiness view', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const views: Array<{ id: string }> = ext.packageJSON.contributes.views.codeOps;
    assert.ok(views.some((v) => v.id === 'codeOps.readiness'), 'the manifest contributes codeOps.readiness to the codeOps container');
    // Both commands exist only when the workbench registered the container and the view; they reject otherwise.
    await vscode.commands.executeCommand('workbench.view.extension.codeOps');
    await vscode.commands.executeCommand('codeOps.readiness.focus');
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });
});

/** A process below the extension host, read from /proc. */
interface HostChild {
  pid: number;
  state: string;
  cmdline: string;
}

/** Every live descendant of this (extension host) process; zombies are already dead and left out. */
function hostDescendants(): HostChild[] {
  const parentOf = new Map<number, { ppid: number; state: string }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: the fields we need start after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), { ppid: Number(ppid), state });
    } catch {
      // exited while we looked
    }
  }
  const found: HostChild[] = [];
  const queue = [process.pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [pid, info] of parentOf) {
      if (info.ppid !== parent) continue;
      queue.push(pid);
      if (info.state === 'Z') continue;
      let cmdline = '';
      try {
        cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {}
      found.push({ pid, state: info.state, cmdline });
    }
  }
  return found;
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const deactivation = describe('Code Ops deactivation', () => {
  const settings = ['appServer.command', 'appServer.args', 'appServer.autoStart'];

  after(async () => {
    const config = vscode.workspace.getConfiguration('codeOps');
    for (const key of settings) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('leaves no process of its own running after deactivate()', async function () {
    this.timeout(60_000);
    const repo = process.env.CODE_OPS_REPO;
    assert.ok(repo, 'CODE_OPS_REPO is set');
    const fixture = path.join(repo, 'test', 'fixtures', 'fakeAppServer.mjs');
    assert.ok(fs.existsSync(fixture), `the fake app server exists at ${fixture}`);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();

    // Ours: anything below the extension host running the extension's own bundles (the config language
    // server), a test fixture (the fake app server) or the upstream peer. Built-in extensions' servers are not.
    const ownPaths = [path.join(ext.extensionPath, 'dist'), path.join(repo, 'test', 'fixtures'), path.join(repo, '.vscode-test', 'peer')];
    const ours = () => hostDescendants().filter((p) => ownPaths.some((own) => p.cmdline.includes(own)));
    const before = ours();

    const config = vscode.workspace.getConfiguration('codeOps');
    await config.update('appServer.command', process.execPath, vscode.ConfigurationTarget.Global);
    await config.update('appServer.args', [fixture, 'healthy'], vscode.ConfigurationTarget.Global);
    await config.update('appServer.autoStart', false, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('codeOps.appServer.start');
    const server = await waitFor(() => hostDescendants().find((p) => p.cmdline.includes(fixture)), 15_000);
    assert.ok(server, `starting the app server spawned the fake server below the extension host (before: ${JSON.stringify(before)})`);

    // The same module instance the host loaded: its deactivate() is what the host calls on shutdown.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const main = require(path.join(ext.extensionPath, ext.packageJSON.main)) as { deactivate?: () => unknown };
    assert.equal(typeof main.deactivate, 'function', 'the extension exports deactivate()');
    await main.deactivate!();

    const left = ours();
    assert.deepEqual(
      left.map((p) => `${p.pid} ${p.cmdline}`),
      [],
      'no process started by the extension outlives deactivate()',
    );
  });
});

// deactivate() ends the extension for the rest of this host's life, so this
// suite must run after every other file's suites: move it to the end of the
// root suite once all files are loaded (a root hook runs before any suite).
before(function () {
  const root = deactivation.parent;
  if (!root) return;
  root.suites.splice(root.suites.indexOf(deactivation), 1);
  root.suites.push(deactivation);
});
