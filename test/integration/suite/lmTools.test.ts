import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeOpsApi } from '../../../src/ui/appServer';

// The language-model tools and the MCP server definition in a real VS Code host, against the fake
// app server supervised by the extension. Log lines follow Code's panic hook (beacon code-rs/tui/src/lib.rs).

const EXTENSION_ID = 'code-ops.code-ops';
const KEYS = ['codeHome', 'appServer.command', 'appServer.args', 'appServer.env', 'appServer.probeIntervalSeconds', 'appServer.probeTimeoutMs', 'mcp.registerServer', 'readiness.target'] as const;

async function until(cond: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

function codeHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-lm-'));
  const panicAt = new Date(Date.now() - 5 * 60_000);
  const stamp = (d: Date) => d.toISOString();
  fs.mkdirSync(path.join(dir, 'log'));
  fs.mkdirSync(path.join(dir, 'logs'));
  fs.writeFileSync(
    path.join(dir, 'log', 'code-tui.log'),
    [
      `${stamp(new Date(Date.now() - 10 * 60_000))}  INFO started token=abcdefsecret123`,
      `${stamp(panicAt)} ERROR panic captured thread_name="tokio-runtime-worker" thread_id="ThreadId(3)" file="code-rs/core/src/codex.rs" line=812 column=21 panic=panicked at code-rs/core/src/codex.rs:812:21:`,
      'index out of bounds: the len is 0 but the index is 0',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'config.toml'), ['[otel]', 'environment = "staging"', '', '[otel.exporter.otlp-http]', 'endpoint = "http://localhost:4318/v1/logs"', ''].join('\n'));
  return dir;
}

describe('Language-model tools and the MCP server definition in a real VS Code host', function () {
  this.timeout(60_000);
  let api: CodeOpsApi;
  let home: string;
  const cfg = () => vscode.workspace.getConfiguration('codeOps');
  const saved = new Map<string, unknown>();
  const fixture = path.join(process.env.CODE_OPS_REPO ?? path.resolve(__dirname, '../../..'), 'test/fixtures/fakeAppServer.mjs');
  const set = (key: string, value: unknown) => cfg().update(key, value, vscode.ConfigurationTarget.Global);

  before(async () => {
    api = await vscode.extensions.getExtension<CodeOpsApi>(EXTENSION_ID)!.activate();
    for (const k of KEYS) saved.set(k, cfg().inspect(k)?.globalValue);
    home = codeHome();
    await set('codeHome', home);
    await set('appServer.command', process.execPath);
    await set('appServer.args', [fixture]);
    await set('appServer.env', { FAKE_SCENARIO: 'healthy', FAKE_CONFIG_WARNING: '1', ELECTRON_RUN_AS_NODE: '1' });
    await set('appServer.probeIntervalSeconds', 1);
    await set('appServer.probeTimeoutMs', 2000);
    await set('readiness.target', 'production');
    await vscode.commands.executeCommand('codeOps.appServer.start');
    await until(() => api.state.state === 'healthy', `healthy (now ${api.state.state}: ${api.state.reason})`);
  });

  after(async () => {
    await vscode.commands.executeCommand('codeOps.appServer.stop');
    for (const k of KEYS) await set(k, saved.get(k));
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('contributes the six tools to vscode.lm.tools', () => {
    const names = vscode.lm.tools.map((t) => t.name).filter((n) => n.startsWith('codeops_'));
    assert.deepEqual(names.sort(), ['codeops_readiness', 'codeops_recent_logs', 'codeops_recent_panics', 'codeops_restart_server', 'codeops_server_status', 'codeops_validate_config']);
  });

  it('server_status answers from the supervisor: its pid unchanged, history, config warning', async () => {
    const pid = api.state.pid;
    await until(() => api.state.lastProbeMs !== undefined, 'a first liveness probe');
    const text = await invoke('codeops_server_status', {});
    assert.match(text, /^HEALTHY: /);
    assert.match(text, /the supervisor in the editor \(live state, no new probe\)/);
    assert.match(text, /starting -> healthy/);
    assert.match(text, /Invalid configuration; using defaults/);
    assert.match(text, new RegExp(`CODE_HOME given to it: ${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(api.state.pid, pid, 'no new process');
  });

  it('readiness, validate_config, recent_logs and recent_panics return the expected content', async () => {
    assert.match(await invoke('codeops_readiness', { check: 'otel-environment' }), /FAIL otel-environment .*staging/);
    const liveness = await invoke('codeops_readiness', { check: 'app-server-liveness', probe: true });
    assert.match(liveness, /PASS app-server-liveness/);
    assert.match(await invoke('codeops_validate_config', {}), /config\.toml:4:\d+: error/);
    const logs = await invoke('codeops_recent_logs', { level: 'ERROR' });
    assert.match(logs, /\[PANIC\] log\/code-tui\.log:2: .*panicked at code-rs\/core\/src\/codex\.rs:812:21:\nindex out of bounds/);
    const all = await invoke('codeops_recent_logs', {});
    assert.match(all, /token=\*\*\*\*/);
    assert.doesNotMatch(all, /abcdefsecret123/);
    const panics = await invoke('codeops_recent_panics', { since: '1h' });
    assert.match(panics, /location: code-rs\/core\/src\/codex\.rs:812:21; thread: tokio-runtime-worker/);
    assert.match(panics, /message: index out of bounds/);
  });

  it('bad input is rejected with a clear message', async () => {
    await assert.rejects(invoke('codeops_recent_logs', { lines: 0 }), /lines/);
    await assert.rejects(invoke('codeops_recent_panics', { since: 'yesterday' }), /'yesterday' is not a time/);
    await assert.rejects(invoke('codeops_server_status', { command: '/bin/sh' }), /command/);
  });

  it('restart_server asks for confirmation, then restarts the supervised server', async () => {
    const prepared = (await vscode.commands.executeCommand('codeOps.lmTools.testHook', 'prepare', 'codeops_restart_server')) as { title: string; message: string };
    assert.equal(prepared.title, 'Restart the Code app server?');
    assert.match(prepared.message, /It is \*\*healthy\*\* now/);
    const before = api.state.pid;
    const text = await invoke('codeops_restart_server', { reason: 'integration test' });
    assert.match(text, /Restarted the Code app server \(integration test\): healthy -> healthy/);
    assert.notEqual(api.state.pid, before);
  });

  it('the MCP server definition: nothing when off or untrusted, a working `code-ops mcp` when on', async () => {
    const provide = (trusted?: boolean) => vscode.commands.executeCommand('codeOps.lmTools.testHook', 'provide', trusted) as Thenable<Array<{ label: string; command: string; args: string[]; env: Record<string, string> }>>;
    await set('mcp.registerServer', false);
    assert.deepEqual(await provide(), []);
    await set('mcp.registerServer', true);
    await until(() => vscode.workspace.getConfiguration('codeOps').get('mcp.registerServer') === true, 'the setting');
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(await provide(false), [], 'untrusted: nothing');
    const [def, ...rest] = await provide();
    assert.equal(rest.length, 0);
    assert.equal(def.label, 'Code Ops');
    assert.equal(def.command, process.execPath);
    assert.deepEqual(def.args.slice(1, 4), ['mcp', '--code-home', home]);
    assert.ok(def.args.includes('--command') && def.args.includes(fixture));

    // The definition starts a real MCP server that answers initialize.
    const child = spawn(def.command, def.args, { env: { ...process.env, ...def.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'it', version: '0' } } })}\n`);
    await until(() => out.includes('\n'), 'the initialize reply', 10_000);
    assert.equal(JSON.parse(out.split('\n')[0]).result.serverInfo.name, 'code-ops');
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.stdin.end();
    assert.equal(await exited, 0);
  });
});
