import * as os from 'node:os';
import * as fs from 'node:fs';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeOpsApi } from '../../../src/ui/appServer';
import type { ServerState } from '../../../src/core/appServer/types';

const EXTENSION_ID = 'code-ops.code-ops';
const KEYS = ['appServer.command', 'appServer.args', 'appServer.env', 'appServer.probeIntervalSeconds', 'appServer.probeTimeoutMs'] as const;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('App server supervisor in a real VS Code host', function () {
  this.timeout(60_000);
  let api: CodeOpsApi;
  const cfg = () => vscode.workspace.getConfiguration('codeOps');
  const saved = new Map<string, unknown>();
  const fixture = path.join(process.env.CODE_OPS_REPO ?? path.resolve(__dirname, '../../..'), 'test/fixtures/fakeAppServer.mjs');
  const useScenario = (scenario: string) =>
    // ELECTRON_RUN_AS_NODE lets a desktop host's executable run the fixture as plain Node.
    cfg().update('appServer.env', { FAKE_SCENARIO: scenario, ELECTRON_RUN_AS_NODE: '1' }, vscode.ConfigurationTarget.Global);
  const waitState = (state: ServerState, ms?: number) => until(() => api.state.state === state, `state ${state} (now ${api.state.state}: ${api.state.reason})`, ms);

  before(async () => {
    const ext = vscode.extensions.getExtension<CodeOpsApi>(EXTENSION_ID)!;
    api = await ext.activate();
    for (const k of KEYS) saved.set(k, cfg().inspect(k)?.globalValue);
    await cfg().update('appServer.command', process.execPath, vscode.ConfigurationTarget.Global);
    await cfg().update('appServer.args', [fixture], vscode.ConfigurationTarget.Global);
    await cfg().update('appServer.probeIntervalSeconds', 1, vscode.ConfigurationTarget.Global);
    await cfg().update('appServer.probeTimeoutMs', 2000, vscode.ConfigurationTarget.Global);
    await useScenario('healthy');
  });

  after(async () => {
    await vscode.commands.executeCommand('codeOps.appServer.stop');
    for (const k of KEYS) await cfg().update(k, saved.get(k), vscode.ConfigurationTarget.Global);
  });

  it('before any start, request() rejects clearly and a notification handler registered early is kept', async () => {
    assert.equal(api.state.state, 'stopped');
    await assert.rejects(api.request('echo', {}), /not running\. Start it first/);
    const got: unknown[] = [];
    const sub = api.onNotification('configWarning', (params) => got.push(params));
    const warned = path.join(os.tmpdir(), `code-ops-warned-${process.pid}.toml`);
    fs.writeFileSync(warned, 'model = "x"\n[otel]\nexporter = { otlp-http = { endpoint = 1 } }\n');
    await cfg().update('appServer.env', { FAKE_SCENARIO: 'healthy', FAKE_CONFIG_WARNING: '1', FAKE_CONFIG_WARNING_PATH: warned, ELECTRON_RUN_AS_NODE: '1' }, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('codeOps.appServer.start');
    await waitState('healthy');
    await until(() => got.length > 0, 'the configWarning notification at the early handler');
    sub.dispose();
    assert.match(JSON.stringify(got[0]), /Invalid configuration; using defaults/);
    // The warning names a file: it is a diagnostic there, at the place the server names (1-based 3:39).
    const uri = vscode.Uri.file(warned);
    await until(() => vscode.languages.getDiagnostics(uri).some((d) => d.source === 'code-app-server'), 'the server warning in the Problems panel');
    const d = vscode.languages.getDiagnostics(uri).find((x) => x.source === 'code-app-server')!;
    assert.deepEqual([d.range.start.line, d.range.start.character, d.severity], [2, 38, vscode.DiagnosticSeverity.Warning]);
    assert.match(d.message, /using defaults.*ignores this file/);
    assert.match(api.statusText, /config not applied/);
    await vscode.commands.executeCommand('codeOps.appServer.stop');
    await waitState('stopped');
    await useScenario('healthy');
  });

  it('starts the fake server through the command; the status bar turns healthy; requests work', async () => {
    assert.equal(vscode.workspace.isTrusted, true, 'the test workspace is trusted');
    assert.equal(api.state.state, 'stopped');
    assert.match(api.statusText, /Code: stopped/);
    const seen: ServerState[] = [];
    const sub = api.onDidChangeState((s) => seen.push(s.state));
    await vscode.commands.executeCommand('codeOps.appServer.start');
    await waitState('healthy');
    sub.dispose();
    // from stopped (a settings change may re-announce it) through starting to healthy
    assert.deepEqual([...new Set(seen.filter((s) => s !== 'stopped'))].slice(0, 2), ['starting', 'healthy']);
    // the number, when there is one, is the latest probe's round trip, labelled
    assert.match(api.statusText, /^\$\(pulse\) Code: healthy(?:, probe \d|$)/);
    assert.match(api.state.userAgent ?? '', /^fake-app-server\/1\.0 \(code-ops; /);
    assert.deepEqual(await api.request('echo', { ping: 1 }), { ping: 1 });
    await until(() => api.state.lastProbeMs !== undefined, 'a liveness probe');
    await until(() => /^\$\(pulse\) Code: healthy, probe \d/.test(api.statusText), `the probe in the status text (${api.statusText})`);
  });

  it('Show Server Timeline opens its webview (loaded on demand)', async () => {
    await vscode.commands.executeCommand('codeOps.appServer.showTimeline');
    // the tab model follows the workbench a moment later
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    await until(() => tabs().some((t) => t.label === 'Code: Server Timeline'), `a timeline tab (tabs: ${tabs().map((t) => t.label).join(', ')})`);
    const tab = tabs().find((t) => t.label === 'Code: Server Timeline')!;
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    await vscode.window.tabGroups.close(tab);
  });

  it('Restart replaces the process', async () => {
    const before = api.state.pid!;
    assert.ok(isAlive(before));
    await vscode.commands.executeCommand('codeOps.appServer.restart');
    await waitState('healthy');
    assert.notEqual(api.state.pid, before);
    await until(() => !isAlive(before), `old pid ${before} to exit`, 5000);
  });

  it('a server that keeps dying ends in a crash loop with a critical alert', async () => {
    await useScenario('exit-at-start');
    const alertsBefore = api.recentAlerts().length;
    await vscode.commands.executeCommand('codeOps.appServer.restart');
    // Backoff 1 s, 2 s, 4 s (±20 %) before the fourth failure trips the loop.
    await waitState('crash-loop', 20_000);
    assert.equal(api.statusText, '$(error) Code: crash loop');
    assert.equal(api.state.restartsInWindow, 3);
    const alert = api.recentAlerts().slice(alertsBefore).find((a) => a.severity === 'critical');
    assert.ok(alert, 'a critical alert was raised');
    assert.match(alert.message, /crash loop: it failed again after 3 restarts within 10 minutes/);
    // the cause from stderr, and no Open config.toml for a cause that is not the config
    assert.match(alert.message, /could not bind the session store/);
    assert.deepEqual(alert.actions, ['Show Logs', 'Restart Anyway']);
  });

  it('Stop leaves no process behind', async () => {
    await useScenario('healthy');
    await vscode.commands.executeCommand('codeOps.appServer.start');
    await waitState('healthy');
    const pid = api.state.pid!;
    await vscode.commands.executeCommand('codeOps.appServer.stop');
    assert.equal(api.state.state, 'stopped');
    assert.match(api.statusText, /Code: stopped/);
    await until(() => !isAlive(pid), `pid ${pid} to exit`, 5000);
  });
});
