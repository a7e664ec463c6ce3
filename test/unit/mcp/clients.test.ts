import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requirePeer } from '../../peer';
import { CLI, connect, REPO, tempHome, textOf } from './helpers';

const TOOL_NAMES = ['readiness', 'recent_logs', 'recent_panics', 'server_status', 'validate_config'];

describe('code-ops mcp: other clients and the real peer', function () {
  this.timeout(30_000);

  it('the MCP Inspector CLI (a second, independent client) lists the tools and calls one', async () => {
    const build = path.join(REPO, 'node_modules', '@modelcontextprotocol', 'inspector-cli', 'build');
    const home = tempHome();
    // The inspector finds its own package.json relative to the working folder: run it from its build folder.
    const run = (args: string[]) =>
      new Promise<string>((resolve, reject) =>
        execFile(process.execPath, ['index.js', process.execPath, CLI, 'mcp', '--code-home', home, ...args], { cwd: build, timeout: 20_000 }, (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
        ),
      );
    const listed = JSON.parse(await run(['--method', 'tools/list'])) as { tools: Array<{ name: string }> };
    assert.deepEqual(listed.tools.map((t) => t.name).sort(), TOOL_NAMES);
    const called = JSON.parse(await run(['--method', 'tools/call', '--tool-name', 'recent_logs', '--tool-arg', 'lines=0'])) as { isError?: boolean; content: Array<{ text: string }> };
    assert.equal(called.isError, true);
    assert.match(called.content[0].text, /lines/);
  });

  it('a raw JSON-RPC client: initialize, tools/list, garbage, then stdin closes and the process exits 0', async () => {
    const home = tempHome();
    const child = spawn(process.execPath, [CLI, 'mcp', '--code-home', home], { stdio: ['pipe', 'pipe', 'pipe'] });
    const replies: Array<{ id?: number; result?: { tools?: Array<{ name: string }>; serverInfo?: { name: string } }; error?: unknown }> = [];
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += String(d);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        replies.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const send = (msg: unknown) => child.stdin.write(`${JSON.stringify(msg)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    child.stdin.write('this is not json\n');
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const deadline = Date.now() + 10_000;
    while (!replies.some((r) => r.id === 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(replies.find((r) => r.id === 1)?.result?.serverInfo?.name, 'code-ops');
    assert.deepEqual(replies.find((r) => r.id === 2)?.result?.tools?.map((t) => t.name).sort(), TOOL_NAMES);
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    assert.equal(await exited, 0, 'exits by itself when stdin closes');
    clearTimeout(timer);
  });

  it('usage errors exit 2 before serving', async () => {
    for (const [args, message] of [
      [['--command', 'x', '--socket', '/tmp/s'], /either --command or --socket/],
      [['--target', 'prod'], /--target must be one of/],
      [['--timeout', '0'], /--timeout/],
      [['--frobnicate'], /unknown option --frobnicate/],
    ] as const) {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [CLI, 'mcp', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        c.stderr.on('data', (d) => (stderr += String(d)));
        c.once('exit', (code) => resolve({ code, stderr }));
      });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });

  it('server_status against the real codex app-server: healthy, its codexHome, its configWarning', async function () {
    const bin = requirePeer(this);
    // A config the upstream server rejects with a configWarning (otlp-http without protocol) and runs on defaults.
    const home = tempHome({ 'config.toml': '[otel.exporter.otlp-http]\nendpoint = "http://localhost:4318/v1/logs"\n' });
    const conn = await connect(['--code-home', home, '--command', bin, '--arg', 'app-server', '--timeout', '10000'], { CODEX_HOME: home });
    try {
      const r = await conn.client.callTool({ name: 'server_status', arguments: {} });
      const s = (r as unknown as { structuredContent: { healthy: boolean; userAgent: string; reportedHome: string; configWarnings: string[] } }).structuredContent;
      assert.equal(s.healthy, true, textOf(r));
      // upstream builds its user agent from our clientInfo name and its own version
      assert.match(s.userAgent, /^code-ops\/\d+\.\d+/);
      assert.equal(fs.realpathSync(s.reportedHome), fs.realpathSync(home));
      assert.ok(s.configWarnings.length > 0, textOf(r));
      assert.match(textOf(r), new RegExp(`home the server reports: ${home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    } finally {
      await conn.close();
    }
  });
});
