import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startGrpcReceiver, startHttpReceiver, type GrpcReceiver, type HttpReceiver } from './otlpReceiver';

/** `code-ops otel-test` as a real process, from the bundles `node esbuild.mjs` writes (dist/cli.js loads dist/otelTest.js). */
const DIST = path.resolve(__dirname, '../../../dist');
const CLI = path.join(DIST, 'cli.js');
const SECRET = 'Sup3r-s3cret-api-key-42';

/** Async, so the receiver in this process can answer while the CLI waits. */
function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'otel-test', ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - started }));
  });
}

describe('code-ops otel-test (CLI, real process)', function () {
  this.timeout(30_000);
  let home: string;
  let receiver: HttpReceiver | GrpcReceiver | undefined;
  before(function () {
    if (!fs.existsSync(CLI) || !fs.existsSync(path.join(DIST, 'otelTest.js'))) this.skip();
  });
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-oteltest-cli-'));
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('--json: the documented shape, exit 0 when both signals are accepted, no header value printed', async () => {
    const g = await startGrpcReceiver(() => ({ code: 0, body: {} }));
    receiver = g;
    fs.writeFileSync(path.join(home, 'config.toml'), `[otel]\nenvironment = "production"\n[otel.exporter."otlp-grpc"]\nendpoint = "${g.url}"\nheaders = { "x-api-key" = "${SECRET}" }\n`);
    const r = await run(['--code-home', home, '--json']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const json = JSON.parse(r.stdout) as Record<string, unknown> & { signals: Array<Record<string, unknown>> };
    for (const key of ['exporter', 'endpoint', 'protocol', 'ok', 'status', 'latencyMs', 'error', 'hint', 'signals']) assert.ok(key in json, key);
    assert.equal(json.exporter, 'otlp-grpc');
    assert.equal(json.ok, true);
    assert.deepEqual(json.signals.map((s) => [s.signal, s.ok, s.status]), [['logs', true, 'gRPC 0 OK'], ['metrics', true, 'gRPC 0 OK']]);
    for (const s of json.signals) for (const key of ['signal', 'ok', 'status', 'latencyMs', 'error']) assert.ok(key in s, key);
    assert.deepEqual(json.headersSent, ['x-api-key']);
    assert.equal(g.received.length, 2);
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET));
  });

  it('exit 1 with a hint when the collector refuses; --config reads another file', async () => {
    const h = await startHttpReceiver(() => ({ status: 403, body: 'forbidden' }));
    receiver = h;
    const file = path.join(home, 'other.toml');
    fs.writeFileSync(file, `[otel]\n[otel.exporter."otlp-http"]\nendpoint = "${h.url}/v1/logs"\nprotocol = "json"\nheaders = { authorization = "Bearer ${SECRET}" }\n`);
    const r = await run(['--code-home', home, '--config', file]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /logs\s+reached, NOT accepted\s+HTTP 403/);
    assert.match(r.stdout, /Hint: The collector refused the credentials\. Headers sent \(names only\): authorization/);
    assert.equal(h.received[0].headers.authorization, `Bearer ${SECRET}`);
    assert.ok(!r.stdout.includes(SECRET));
  });

  it('exit 2 on a config Code refuses and on usage errors; exit 1 with exporter = "none"', async () => {
    fs.writeFileSync(path.join(home, 'config.toml'), '[otel]\nexporter = "otlp-http"\n');
    let r = await run(['--code-home', home]);
    assert.equal(r.status, 2, r.stdout);
    assert.match(r.stdout, /Code would not start with it/);
    r = await run(['--code-home', home, '--timeout', 'soon']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--timeout takes a whole number/);
    r = await run(['--code-home', home, '--config', path.join(home, 'missing.toml')]);
    assert.equal(r.status, 2);
    fs.writeFileSync(path.join(home, 'config.toml'), '[otel]\nexporter = "none"\n');
    r = await run(['--code-home', home, '--json']);
    assert.equal(r.status, 1);
    assert.match((JSON.parse(r.stdout) as { error: string }).error, /exporter = "none"/);
  });

  it('the CLI bundle itself holds no exporter: dist/cli.js loads dist/otelTest.js for this command only', () => {
    const cli = fs.readFileSync(CLI, 'utf8');
    assert.ok(!cli.includes('OTLPLogExporter') && !cli.includes('@grpc/grpc-js'), 'an exporter was bundled into dist/cli.js');
    assert.ok(fs.readFileSync(path.join(DIST, 'otelTest.js'), 'utf8').includes('OTLPLogExporter'));
  });

  it('a timeout ends the run promptly and says so', async () => {
    const h = await startHttpReceiver(() => 'hang');
    receiver = h;
    fs.writeFileSync(path.join(home, 'config.toml'), `[otel]\n[otel.exporter."otlp-http"]\nendpoint = "${h.url}/v1/logs"\nprotocol = "binary"\nheaders = {}\n`);
    const r = await run(['--code-home', home, '--timeout', '500', '--json']);
    assert.equal(r.status, 1);
    const json = JSON.parse(r.stdout) as { signals: Array<{ error: string }> };
    assert.match(json.signals[0].error, /Timed out after 500 ms/);
    assert.ok(r.ms < 8000, `${r.ms} ms`);
  });
});
