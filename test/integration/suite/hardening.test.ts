import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeOpsApi } from '../../../src/ui/appServer';
import type { ServerState } from '../../../src/core/appServer/types';
import type { SettingsProblem } from '../../../src/core/settings';

const EXTENSION_ID = 'code-ops.code-ops';
const SHOW = ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const;

interface Shown {
  kind: (typeof SHOW)[number];
  text: string;
  actions: string[];
}

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Hardening: bad settings and odd states in a real VS Code host', function () {
  this.timeout(60_000);
  let api: CodeOpsApi;
  const cfg = () => vscode.workspace.getConfiguration('codeOps');
  /** Global values before the suite, per key this suite touched. */
  const saved = new Map<string, unknown>();
  const shown: Shown[] = [];
  /** Which button the recorded notification "clicks" (none by default). */
  let answer: (m: Shown) => string | undefined = () => undefined;
  const originals = new Map<string, unknown>();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-hardening-'));
  const emptyHome = path.join(tmp, 'empty-code-home');
  fs.mkdirSync(emptyHome);

  const set = async (key: string, value: unknown) => {
    if (!saved.has(key)) saved.set(key, cfg().inspect(key)?.globalValue);
    await cfg().update(key, value, vscode.ConfigurationTarget.Global);
  };
  const restore = async () => {
    for (const [key, value] of saved) await cfg().update(key, value, vscode.ConfigurationTarget.Global);
    saved.clear();
  };
  const settingsHook = () => vscode.commands.executeCommand<{ problems: SettingsProblem[]; shown: string[] }>('codeOps.settings.testHook');
  const waitState = (state: ServerState, ms?: number) => until(() => api.state.state === state, `state ${state} (now ${api.state.state}: ${api.state.reason})`, ms);
  const messagesSince = (n: number) => shown.slice(n);
  const run = <T = unknown>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);

  before(async () => {
    api = await vscode.extensions.getExtension<CodeOpsApi>(EXTENSION_ID)!.activate();
    // The extension and this suite share one `vscode` API object: record notifications instead of showing them.
    const win = vscode.window as unknown as Record<string, unknown>;
    for (const name of SHOW) {
      originals.set(name, win[name]);
      win[name] = (text: string, ...rest: unknown[]) => {
        const m: Shown = { kind: name, text, actions: rest.filter((r): r is string => typeof r === 'string') };
        shown.push(m);
        return Promise.resolve(answer(m));
      };
    }
    assert.equal(typeof win.showWarningMessage, 'function');
    assert.notEqual(win.showWarningMessage, originals.get('showWarningMessage'), 'notifications are recorded');
  });

  afterEach(async () => {
    answer = () => undefined;
    await run('codeOps.appServer.stop');
    await restore();
  });

  after(() => {
    const win = vscode.window as unknown as Record<string, unknown>;
    for (const [name, fn] of originals) win[name] = fn;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('test hooks exist in the test host (CODE_OPS_TEST_HOOKS=1) and nowhere in the manifest', async () => {
    assert.equal(process.env.CODE_OPS_TEST_HOOKS, '1');
    const all = await vscode.commands.getCommands(true);
    for (const id of ['codeOps.settings.testHook', 'codeOps.logs.testHook', 'codeOps.readiness.testHook']) assert.ok(all.includes(id), id);
    const contributed: string[] = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(contributed.filter((c) => c.includes('testHook')), []);
  });

  it('absurd numbers: clamped, one warning with Open Settings, the problems in the App Server output', async () => {
    const before = shown.length;
    await set('appServer.probeIntervalSeconds', 0);
    await until(() => messagesSince(before).some((m) => m.text.includes('probeIntervalSeconds')), 'a settings warning');
    const m = messagesSince(before).find((x) => x.text.includes('probeIntervalSeconds'))!;
    assert.equal(m.kind, 'showWarningMessage');
    assert.equal(m.text, 'Code Ops: codeOps.appServer.probeIntervalSeconds is 0; using 1 s (allowed 1–3600).');
    assert.deepEqual(m.actions, ['Open Settings']);
    const hook = await settingsHook();
    assert.ok(hook.shown.includes(m.text));
    // Several at once: one notification, not a storm of them.
    const before2 = shown.length;
    await set('logs.initialLines', -1);
    await set('logs.pollIntervalMs', 0);
    await set('appServer.maxMissedProbes', 0);
    await sleep(300);
    const problems = (await settingsHook()).problems.map((p) => p.message);
    for (const part of ['logs.initialLines is -1; using 0 lines', 'logs.pollIntervalMs is 0; using 100 ms', 'appServer.maxMissedProbes is 0; using 1']) {
      assert.ok(problems.some((p) => p.includes(part)), `${part} in ${problems.join(' | ')}`);
    }
    assert.ok(messagesSince(before2).length <= 3, 'at most one notification per change');
    // Following the logs still works with the clamped values.
    const logs = await run<{ following: boolean }>('codeOps.logs.testHook', 'snapshot');
    assert.equal(logs?.following, true);
  });

  it('an empty command: the default is used (said so) and Start ends in not-found with Open Settings, no restart', async () => {
    await set('appServer.command', '');
    const before = shown.length;
    await run('codeOps.appServer.start');
    await waitState('not-found');
    await sleep(500);
    assert.equal(api.state.state, 'not-found');
    assert.equal(api.state.restartsInWindow, 0);
    assert.match(api.state.reason, /'code-app-server' was not found on PATH/);
    const alert = api.recentAlerts().at(-1)!;
    assert.ok(alert.actions.includes('Open Settings'));
    assert.ok(messagesSince(before).some((m) => m.kind === 'showErrorMessage' && m.text.includes('cannot be started')));
    assert.ok((await settingsHook()).problems.some((p) => p.message.includes('appServer.command is empty')));
  });

  it('a command that is a folder, then Restart while not-found: still not-found, no exception', async () => {
    await set('appServer.command', tmp);
    await run('codeOps.appServer.start');
    await waitState('not-found');
    assert.match(api.state.reason, /is a directory, not an executable/);
    await run('codeOps.appServer.restart');
    await waitState('not-found');
    assert.match(api.state.reason, /is a directory/);
  });

  it('a text file with the execute bit: not-found ("not a program"), never a crash loop', async () => {
    const file = path.join(tmp, 'notes.txt');
    fs.writeFileSync(file, 'just some notes\n', { mode: 0o755 });
    await set('appServer.command', file);
    await run('codeOps.appServer.start');
    await waitState('not-found');
    await sleep(1500);
    assert.equal(api.state.state, 'not-found');
    assert.equal(api.state.restartsInWindow, 0);
    assert.match(api.state.reason, /is not a program/);
  });

  it('CODE_HOME that does not exist: not-found before spawning, with Create Folder and Open Settings', async () => {
    const missing = path.join(tmp, 'missing-home');
    await set('codeHome', missing);
    await set('appServer.command', process.execPath);
    const before = shown.length;
    await run('codeOps.appServer.start');
    await waitState('not-found');
    assert.match(api.state.reason, /CODE_HOME .*missing-home does not exist, and Code refuses to start without it/);
    assert.deepEqual(api.state.blocker, { setting: 'codeOps.codeHome', createFolder: missing });
    const alert = messagesSince(before).find((m) => m.kind === 'showErrorMessage')!;
    assert.deepEqual(alert.actions, ['Create Folder', 'Open Settings', 'Show Logs']);
    assert.equal(fs.existsSync(missing), false, 'nothing created without asking');
    // Clicking Create Folder creates it and starts the server, which now comes up.
    await set('appServer.args', [path.join(process.env.CODE_OPS_REPO!, 'test', 'fixtures', 'fakeAppServer.mjs')]);
    await set('appServer.env', { FAKE_SCENARIO: 'healthy', ELECTRON_RUN_AS_NODE: '1' });
    answer = (m) => (m.actions.includes('Create Folder') ? 'Create Folder' : undefined);
    await run('codeOps.appServer.start');
    await waitState('healthy');
    assert.ok(fs.statSync(missing).isDirectory(), 'the folder was created');
  });

  it('a socket path that is a regular file: a clear reason, one warning, reconnects with backoff; Stop ends it', async () => {
    const file = path.join(tmp, 'app.sock');
    fs.writeFileSync(file, 'not a socket');
    await set('appServer.socket', file);
    const before = shown.length;
    await run('codeOps.appServer.start');
    await waitState('backing-off');
    assert.equal(api.state.mode, 'socket');
    assert.match(api.state.lastError ?? '', /is a regular file, not a socket/);
    await sleep(2500);
    const warnings = messagesSince(before).filter((m) => m.text.includes('cannot attach'));
    assert.equal(warnings.length, 1, 'said once, not at every reconnect');
    assert.deepEqual(warnings[0].actions, ['Open Settings', 'Show Logs']);
    assert.ok(!['crash-loop'].includes(api.state.state));
    await run('codeOps.appServer.stop');
    assert.equal(api.state.state, 'stopped');
  });

  it('healthUrl that is not an http(s) URL: ignored with a problem', async () => {
    await set('appServer.healthUrl', 'localhost:8080/health');
    await sleep(200);
    const { problems } = await settingsHook();
    assert.ok(problems.some((p) => p.key === 'codeOps.appServer.healthUrl' && /not an http:\/\/ or https:\/\/ URL/.test(p.message)));
  });

  it('Stop when stopped and Send Request when stopped: a message each (with Start), nothing thrown', async () => {
    const before = shown.length;
    await run('codeOps.appServer.stop');
    await run('codeOps.appServer.sendRequest');
    const got = messagesSince(before);
    assert.ok(got.some((m) => m.kind === 'showInformationMessage' && /not running; there is nothing to stop/.test(m.text)));
    const send = got.find((m) => /start it to send requests/.test(m.text));
    assert.ok(send, got.map((m) => m.text).join(' | '));
    assert.deepEqual(send.actions, ['Start App Server']);
    assert.equal(api.state.state, 'stopped');
  });

  it('Open Log File with no logs, Validate with no config.toml: a message with the next step', async () => {
    await set('codeHome', emptyHome);
    await sleep(300);
    const before = shown.length;
    await run('codeOps.logs.openFile');
    await run('codeOps.config.validate');
    const got = messagesSince(before);
    const noLogs = got.find((m) => /there are no logs yet under .*empty-code-home/.test(m.text));
    assert.ok(noLogs, got.map((m) => m.text).join(' | '));
    assert.deepEqual(noLogs.actions, ['Open Settings']);
    const noConfig = got.find((m) => /There is no config\.toml in .*empty-code-home/.test(m.text));
    assert.ok(noConfig);
    assert.deepEqual(noConfig.actions, ['Create config.toml']);
    assert.equal(fs.existsSync(path.join(emptyHome, 'config.toml')), false, 'nothing written without asking');
  });

  it('Pause when not following: says why, nothing paused', async () => {
    await set('logs.follow', false);
    await sleep(200);
    const before = shown.length;
    await run('codeOps.logs.pause');
    const m = messagesSince(before).find((x) => /not following the logs/.test(x.text));
    assert.ok(m);
    const snap = await run<{ paused: boolean; following: boolean }>('codeOps.logs.testHook', 'snapshot');
    assert.equal(snap?.paused, false);
    assert.equal(snap?.following, false);
  });

  it('checklistFile at a folder and at a binary file: the built-in checklist with a problem row', async () => {
    const hook = <T>(action: string) => run('codeOps.readiness.testHook', action) as Thenable<T>;
    const binary = path.join(tmp, 'list.md');
    fs.writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x2d, 0x20, 0x5b, 0x20, 0x5d]));
    for (const [value, why] of [
      [tmp, /is a folder, not a Markdown file/],
      [binary, /is not a text file/],
      [path.join(tmp, 'nowhere.md'), /nowhere\.md does not exist/],
    ] as const) {
      await set('readiness.checklistFile', value);
      await sleep(300);
      await hook('reload');
      const snap = await hook<{ roots: Array<{ type: string; label: string; children: unknown[] }> }>('snapshot');
      const problem = snap.roots.find((r) => r.type === 'problem');
      assert.ok(problem, `a problem row for ${value}`);
      assert.match(JSON.stringify(problem), why);
      assert.ok(snap.roots.filter((r) => r.type === 'section').length > 0, 'the built-in checklist is shown');
    }
  });

  it('config.files with a bad glob: dropped with a problem, validation keeps working', async () => {
    await set('config.files', ['{broken', '**/extra-config.toml']);
    await sleep(300);
    const { problems } = await settingsHook();
    assert.ok(problems.some((p) => p.key === 'codeOps.config.files' && /"\{broken", which has a \{ without \}/.test(p.message)));
    await run('codeOps.config.validate');
  });
});
