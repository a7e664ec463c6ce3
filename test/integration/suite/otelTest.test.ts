import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'code-ops.code-ops';

type Snapshot = { results: Record<string, { status: string; detail: string; fix?: string }> };

/** The readiness check otel-export-reachable, re-run (it reads the last test export; it never sends). */
async function readinessVerdict(): Promise<{ status: string; detail: string; fix?: string }> {
  await vscode.commands.executeCommand('codeOps.readiness.rerunCheck', 'otel-export-reachable');
  const snap = await vscode.commands.executeCommand<Snapshot>('codeOps.readiness.testHook', 'snapshot');
  return snap.results['otel-export-reachable'];
}

interface Shown {
  message: string;
  severity: 'info' | 'warning' | 'error';
  report: string;
}

/** An OTLP/HTTP JSON receiver on 127.0.0.1 that accepts everything and keeps what arrived. */
async function receiver(): Promise<{ url: string; received: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }>; close(): Promise<void> }> {
  const received: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

// Config written in Beacon's [otel] form (code-rs/core/src/config_types.rs): otlp-http needs endpoint, protocol and headers.
function config(endpoint: string): string {
  return `[otel]\nenvironment = "staging"\n[otel.exporter."otlp-http"]\nendpoint = "${endpoint}"\nprotocol = "json"\nheaders = { "x-api-key" = "integration-s3cret-value" }\n`;
}

describe('Send Test Telemetry in a real VS Code host', function () {
  this.timeout(60_000);
  const codeHome = process.env.CODE_OPS_TEST_CODE_HOME ?? process.env.CODE_HOME ?? '';
  const file = path.join(codeHome, 'config.toml');
  let before_: string | undefined;

  before(async function () {
    if (!codeHome) this.skip();
    fs.mkdirSync(codeHome, { recursive: true });
    before_ = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  after(() => {
    if (!codeHome) return;
    if (before_ === undefined) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, before_);
  });

  it('shows an accepted result, and the record arrives with the test attribute and the header', async () => {
    const r = await receiver();
    try {
      fs.writeFileSync(file, config(`${r.url}/v1/logs`));
      const result = await vscode.commands.executeCommand<{ ok: boolean; status: string; signals: Array<{ signal: string; ok: boolean }> }>('codeOps.otel.sendTestTelemetry');
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.status, 'HTTP 200');
      assert.equal(r.received[0].path, '/v1/logs');
      assert.equal(r.received[0].headers['x-api-key'], 'integration-s3cret-value');
      assert.match(r.received[0].body, /"code_ops\.test"/);
      const shown = await vscode.commands.executeCommand<Shown>('codeOps.otel.testHook');
      assert.equal(shown.severity, 'info');
      assert.match(shown.message, /was accepted/);
      assert.match(shown.report, /Headers sent \(names only\): x-api-key/);
      assert.ok(!shown.report.includes('integration-s3cret-value'));
      // The readiness view (another bundle) shows the verdict of this run, and sends nothing itself.
      const verdict = await readinessVerdict();
      assert.equal(verdict.status, 'pass', verdict.detail);
      assert.equal(r.received.length, 2);
    } finally {
      await r.close();
    }
  });

  it('shows a refused connection in words', async () => {
    const port = await freePort();
    fs.writeFileSync(file, config(`http://127.0.0.1:${port}/v1/logs`));
    const result = await vscode.commands.executeCommand<{ ok: boolean; error: string }>('codeOps.otel.sendTestTelemetry');
    assert.equal(result.ok, false);
    assert.match(result.error, /Connection refused/);
    const shown = await vscode.commands.executeCommand<Shown>('codeOps.otel.testHook');
    assert.equal(shown.severity, 'warning');
    assert.match(shown.message, /did not reach the collector: Connection refused/);
    const verdict = await readinessVerdict();
    assert.equal(verdict.status, 'fail', verdict.detail);
    assert.equal(verdict.fix, 'Run');
  });
});
