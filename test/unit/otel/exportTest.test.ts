import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { forgetExportResults, loadEffectiveOtel, otelExportReachable, recordExportResult, resultJson, resultText, runOtelTest, type OtelTestResult } from '../../../src/core/otel/exportTest';
import { codeHomePaths } from '../../../src/core/codeHome';
import { collectorLike, expiredCert, firstLogRecord, resourceAttributes, selfSignedCert, startGrpcReceiver, startHttpReceiver, type GrpcReceiver, type HttpReceiver } from './otlpReceiver';

// Real peers: an OTLP receiver on 127.0.0.1 decodes what the official exporters send.
// The config files follow Beacon's `code-rs/core/src/config_types.rs` ([otel] exporter tables).

const SECRET = 'k3y-Sup3rS3cret-value';

function httpConfig(endpoint: string, protocol: 'binary' | 'json', extra = ''): string {
  return `[otel]\nenvironment = "staging"\n[otel.exporter."otlp-http"]\nendpoint = "${endpoint}"\nprotocol = "${protocol}"\nheaders = { "x-api-key" = "${SECRET}"${extra} }\n`;
}

function grpcConfig(endpoint: string, extra = ''): string {
  return `[otel]\nenvironment = "production"\n[otel.exporter."otlp-grpc"]\nendpoint = "${endpoint}"\nheaders = { "x-api-key" = "${SECRET}"${extra} }\n`;
}

describe('Send Test Telemetry (core, real OTLP receivers)', function () {
  this.timeout(20_000);
  let home: string;
  let receiver: HttpReceiver | GrpcReceiver | undefined;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-oteltest-'));
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
    fs.rmSync(home, { recursive: true, force: true });
  });

  async function run(config: string, timeoutMs = 3000, dialect: 'beacon' | 'codex' = 'beacon'): Promise<OtelTestResult> {
    const configFile = path.join(home, 'config.toml');
    fs.writeFileSync(configFile, config);
    const effective = await loadEffectiveOtel({ configFile, managedFile: path.join(home, 'managed_config.toml'), dialect });
    return runOtelTest(effective, { timeoutMs });
  }

  function assertNoSecret(r: OtelTestResult): void {
    assert.ok(!JSON.stringify(r).includes(SECRET), 'the header value leaked into the result');
    assert.ok(!resultText(r).includes(SECRET), 'the header value leaked into the text');
  }

  it('otlp-http binary: accepted; the record, resource and headers arrive at the endpoint verbatim', async () => {
    const r0 = await startHttpReceiver(() => ({ status: 200, body: {} }));
    receiver = r0;
    const r = await run(httpConfig(`${r0.url}/v1/logs`, 'binary'));
    assert.equal(r.ok, true, resultText(r));
    assert.equal(r.exitCode, 0);
    assert.deepEqual(r.signals.map((s) => [s.signal, s.ok, s.status]), [['logs', true, 'HTTP 200'], ['metrics', true, 'HTTP 200']]);
    assert.deepEqual(r.headersSent, ['x-api-key']);
    // Both signals go to the endpoint as written: nothing appended, the metrics too.
    assert.deepEqual(r0.received.map((x) => x.path), ['/v1/logs', '/v1/logs']);
    const [logs, metrics] = r0.received;
    assert.equal(logs.contentType, 'application/x-protobuf');
    assert.equal(logs.headers['x-api-key'], SECRET);
    assert.deepEqual(resourceAttributes(logs.body, 'logs'), { 'service.name': 'code_cli_rs', 'service.version': '0.0.0', env: 'staging' });
    const { scope, record, attributes } = firstLogRecord(logs.body);
    assert.equal(scope, 'code_otel');
    assert.equal(attributes['code_ops.test'], true);
    assert.match(JSON.stringify(record.body), /Code Ops test record/);
    const rm = (metrics.body.resourceMetrics as Array<{ scopeMetrics: Array<{ metrics: Array<{ name: string }> }> }>)[0];
    assert.equal(rm.scopeMetrics[0].metrics[0].name, 'code_ops.test_export');
    assert.deepEqual(resourceAttributes(metrics.body, 'metrics').env, 'staging');
    assertNoSecret(r);
  });

  it('otlp-http json: sent as OTLP/JSON and accepted', async () => {
    const r0 = await startHttpReceiver(() => ({ status: 200, body: {} }));
    receiver = r0;
    const r = await run(httpConfig(`${r0.url}/v1/logs`, 'json'));
    assert.equal(r.ok, true, resultText(r));
    assert.equal(r0.received[0].contentType, 'application/json');
    assert.equal(firstLogRecord(r0.received[0].body).attributes['code_ops.test'], true);
  });

  it('a collector that routes by path: the metrics Code sends to /v1/logs are not readable there', async () => {
    const r0 = await startHttpReceiver(collectorLike);
    receiver = r0;
    const r = await run(httpConfig(`${r0.url}/v1/logs`, 'binary'));
    assert.equal(r.signals[0].ok, true);
    assert.equal(r.signals[1].ok, false);
    assert.equal(r.signals[1].status, 'HTTP 400');
    assert.equal(r.exitCode, 1);
    assert.match(r.hint ?? '', /same endpoint as logs/);
  });

  it('partial success: a rejected record is reported with the collector\'s reason', async () => {
    const r0 = await startHttpReceiver((req) => ({ status: 200, body: req.signal === 'logs' ? { partialSuccess: { rejectedLogRecords: 1, errorMessage: 'record too old' } } : {} }));
    receiver = r0;
    const r = await run(httpConfig(`${r0.url}/v1/logs`, 'binary'));
    assert.equal(r.ok, false);
    assert.deepEqual(r.signals[0].rejected, { count: 1, message: 'record too old' });
    assert.match(r.error ?? '', /rejected 1 of the log records: record too old/);
  });

  it('401: not accepted, with the header names that were sent (never the values)', async () => {
    const r0 = await startHttpReceiver(() => ({ status: 401, body: 'missing or bad api key' }));
    receiver = r0;
    const r = await run(httpConfig(`${r0.url}/v1/logs`, 'binary'));
    assert.equal(r.exitCode, 1);
    assert.equal(r.status, 'HTTP 401');
    assert.equal(r.signals[0].reached, true);
    assert.match(r.hint ?? '', /refused the credentials.*x-api-key/);
    assertNoSecret(r);
  });

  it('a password in the endpoint URL is sent (as Code would) but never printed', async () => {
    const r0 = await startHttpReceiver(() => ({ status: 200, body: {} }));
    receiver = r0;
    const r = await run(httpConfig(`http://ops:${SECRET}@127.0.0.1:${r0.port}/v1/logs`, 'json'));
    assert.equal(r.ok, true, resultText(r));
    assert.match(r0.received[0].headers.authorization ?? '', /^Basic /);
    assert.equal(r.endpoint, `http://****@127.0.0.1:${r0.port}/v1/logs`);
    assertNoSecret(r);
    assert.ok(!JSON.stringify(resultJson(r)).includes(SECRET));
  });

  it('404: an endpoint without the signal path gets a hint to add /v1/logs; a doubled path is named', async () => {
    const r0 = await startHttpReceiver((req) => (req.path === '/v1/logs' ? { status: 200, body: {} } : { status: 404, body: '404 page not found' }));
    receiver = r0;
    let r = await run(httpConfig(r0.url, 'binary'));
    assert.equal(r0.received[0].path, '/', 'nothing is appended to the endpoint');
    assert.equal(r.status, 'HTTP 404');
    assert.match(r.hint ?? '', /no signal path.*\/v1\/logs/);
    r = await run(httpConfig(`${r0.url}/v1/logs/v1/logs`, 'binary'));
    assert.match(r.hint ?? '', /appears twice/);
  });

  it('otlp-http against a gRPC port: said in words, with a hint', async () => {
    const g = await startGrpcReceiver(() => ({ code: 0, body: {} }));
    receiver = g;
    const r = await run(httpConfig(`http://127.0.0.1:${g.port}/v1/logs`, 'binary'));
    assert.equal(r.ok, false);
    assert.equal(r.signals[0].reached, false);
    assert.match(r.error ?? '', /gRPC \(HTTP\/2-only\) port/);
    assert.match(r.hint ?? '', /otlp-grpc/);
  });

  it('otlp-grpc: accepted; resource and metadata arrive; logs and metrics go to their services', async () => {
    const g = await startGrpcReceiver(() => ({ code: 0, body: {} }));
    receiver = g;
    const r = await run(grpcConfig(g.url));
    assert.equal(r.ok, true, resultText(r));
    assert.deepEqual(r.signals.map((s) => s.status), ['gRPC 0 OK', 'gRPC 0 OK']);
    assert.deepEqual(g.received.map((x) => x.path), ['/opentelemetry.proto.collector.logs.v1.LogsService/Export', '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export']);
    assert.equal(g.received[0].headers['x-api-key'], SECRET);
    assert.equal(resourceAttributes(g.received[0].body, 'logs').env, 'production');
    assert.equal(firstLogRecord(g.received[0].body).attributes['code_ops.test'], true);
    assert.deepEqual(r.headersSent, ['x-api-key']);
    assertNoSecret(r);
  });

  it('otlp-grpc: UNAUTHENTICATED is the collector\'s answer, with its message; an invalid header is dropped as Code drops it', async () => {
    const g = await startGrpcReceiver(() => ({ code: 16, details: 'invalid api key' }));
    receiver = g;
    const r = await run(grpcConfig(g.url, ', "bad header" = "x"'));
    assert.equal(r.status, 'gRPC 16 UNAUTHENTICATED');
    assert.equal(r.signals[0].reached, true);
    assert.match(r.error ?? '', /invalid api key/);
    assert.deepEqual(r.headersDropped, ['bad header (its name is not a valid header name)']);
    assert.equal(g.received[0].headers['bad header'], undefined);
    assert.match(r.hint ?? '', /x-api-key.*dropped as invalid/s);
  });

  it('otlp-grpc partial success: the rejected data points and the reason are reported', async () => {
    const g = await startGrpcReceiver((req) => ({ code: 0, body: req.signal === 'metrics' ? { partialSuccess: { rejectedDataPoints: 1, errorMessage: 'unknown metric' } } : {} }));
    receiver = g;
    const r = await run(grpcConfig(g.url));
    assert.equal(r.signals[0].ok, true);
    assert.equal(r.signals[1].ok, false);
    assert.deepEqual(r.signals[1].rejected, { count: 1, message: 'unknown metric' });
    assert.equal(r.exitCode, 1);
  });

  it('otlp-grpc partial success in words (the count, the signal, the reason or that none was given); a key gRPC refuses is dropped and said', async () => {
    const g = await startGrpcReceiver((req) => ({ code: 0, body: req.signal === 'logs' ? { partialSuccess: { rejectedLogRecords: 2, errorMessage: '' } } : { partialSuccess: { rejectedDataPoints: 1, errorMessage: 'unknown metric' } } }));
    receiver = g;
    const r = await run(grpcConfig(g.url, ', "x-key-bin" = "text"'));
    assert.deepEqual(
      r.signals.map((s) => [s.signal, s.ok, s.error]),
      [
        ['logs', false, 'The collector rejected 2 of the log records: no reason given'],
        ['metrics', false, 'The collector rejected 1 of the data points: unknown metric'],
      ],
    );
    assert.deepEqual(r.headersDropped, ['x-key-bin (not a valid gRPC metadata key)'], 'said once for both signals');
    assert.equal(g.received[0].headers['x-key-bin'], undefined);
    assert.ok(r.headersSent.includes('x-api-key'));
  });

  it('otlp-grpc against an HTTP/1.1 port: said in words, with a hint', async () => {
    const r0 = await startHttpReceiver(() => ({ status: 200, body: {} }));
    receiver = r0;
    const r = await run(grpcConfig(r0.url));
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /HTTP\/1\.1 port/, resultText(r));
    assert.match(r.hint ?? '', /otlp-http/);
  });

  it('TLS with a self-signed certificate: said in words; trusted through the codex dialect\'s ca-certificate it is accepted', async () => {
    const cert = selfSignedCert(home);
    const r0 = await startHttpReceiver(() => ({ status: 200, body: {} }), cert);
    receiver = r0;
    let r = await run(httpConfig(`https://localhost:${r0.port}/v1/logs`, 'binary'));
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /self-signed/);
    assert.match(r.hint ?? '', /Trust the collector's CA/);
    const codex = `[otel]\nenvironment = "staging"\n[otel.exporter."otlp-http"]\nendpoint = "https://localhost:${r0.port}/v1/logs"\nprotocol = "binary"\ntls = { ca-certificate = "${cert.certFile}" }\n`;
    r = await run(codex, 3000, 'codex');
    assert.equal(r.ok, true, resultText(r));
  });

  it('otlp-grpc over TLS: a self-signed certificate in words (and the warning about Code\'s TLS-less gRPC build); trusted, accepted', async () => {
    const cert = selfSignedCert(home);
    const g = await startGrpcReceiver(() => ({ code: 0, body: {} }), cert);
    receiver = g;
    let r = await run(grpcConfig(`https://localhost:${g.port}`));
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /self-signed/, resultText(r));
    assert.ok(r.warnings.some((w) => /without a TLS backend/.test(w)));
    const codex = `[otel]\nenvironment = "staging"\n[otel.exporter."otlp-grpc"]\nendpoint = "https://localhost:${g.port}"\ntls = { ca-certificate = "${cert.certFile}" }\n`;
    r = await run(codex, 3000, 'codex');
    assert.equal(r.ok, true, resultText(r));
    assert.equal(g.received.length, 2);
  });

  it('TLS to a host name the certificate does not name: wrong host name, in words', async () => {
    const cert = selfSignedCert(home, 'DNS:collector.example.test');
    const r0 = await startHttpReceiver(() => ({ status: 200, body: {} }), cert);
    receiver = r0;
    const codex = `[otel]\n[otel.exporter."otlp-http"]\nendpoint = "https://127.0.0.1:${r0.port}/v1/logs"\nprotocol = "json"\ntls = { ca-certificate = "${cert.certFile}" }\n`;
    const r = await run(codex, 3000, 'codex');
    assert.match(r.error ?? '', /another host name.*collector\.example\.test/);
  });

  it('TLS with an expired certificate (from a trusted CA): expired, in words', async () => {
    const cert = expiredCert(home);
    const r0 = await startHttpReceiver(() => ({ status: 200, body: {} }), cert);
    receiver = r0;
    const codex = `[otel]\n[otel.exporter."otlp-http"]\nendpoint = "https://localhost:${r0.port}/v1/logs"\nprotocol = "binary"\ntls = { ca-certificate = "${cert.caFile}" }\n`;
    const r = await run(codex, 3000, 'codex');
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /certificate has expired/);
    assert.equal(r0.received.length, 0);
  });

  it('scheme mix-ups: http:// to a TLS port and https:// to a plain port, each with its hint', async () => {
    const cert = selfSignedCert(home);
    const tlsPort = await startHttpReceiver(() => ({ status: 200, body: {} }), cert);
    const plain = await startHttpReceiver(() => ({ status: 200, body: {} }));
    try {
      let r = await run(httpConfig(`http://127.0.0.1:${tlsPort.port}/v1/logs`, 'binary'));
      assert.match(r.error ?? '', /closed by the other side/);
      assert.match(r.hint ?? '', /must start with https:\/\//);
      r = await run(grpcConfig(`http://127.0.0.1:${tlsPort.port}`));
      assert.match(r.hint ?? '', /must start with https:\/\//, resultText(r));
      r = await run(httpConfig(`https://localhost:${plain.port}/v1/logs`, 'binary'));
      assert.match(r.error ?? '', /does not speak TLS/);
      assert.match(r.hint ?? '', /Use http:\/\//);
    } finally {
      await tlsPort.close();
      await plain.close();
    }
  });

  it('connection refused: in words, promptly', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const started = Date.now();
    const r = await run(httpConfig(`http://127.0.0.1:${port}/v1/logs`, 'binary'), 5000);
    assert.equal(r.ok, false);
    assert.match(r.signals[0].error ?? '', /Connection refused/);
    assert.ok(r.signals[0].latencyMs < 1000, `${r.signals[0].latencyMs} ms`);
    assert.ok(Date.now() - started < 5000, 'no waiting for retries Code does not make');
    const g = await run(grpcConfig(`http://127.0.0.1:${port}`), 5000);
    assert.match(g.signals[0].error ?? '', /Connection refused/, resultText(g));
  });

  it('a server that accepts and never answers: timeout, in words', async () => {
    const r0 = await startHttpReceiver(() => 'hang');
    receiver = r0;
    const r = await run(httpConfig(`${r0.url}/v1/logs`, 'binary'), 600);
    assert.equal(r.ok, false);
    const host = new URL(r0.url).host;
    assert.deepEqual(
      [r.signals[0].ok, r.signals[0].reached, r.signals[0].status, r.signals[0].error],
      [false, false, null, `Timed out after 600 ms: ${host} accepted the connection or the packets but never answered.`],
    );
    assert.ok(r.signals[0].latencyMs >= 550 && r.signals[0].latencyMs < 3000, `${r.signals[0].latencyMs}`);
  });

  it('exporter = "none" and a config with errors are reported before anything is sent', async () => {
    let r = await run('[otel]\nexporter = "none"\n');
    assert.equal(r.exitCode, 1);
    assert.match(r.error ?? '', /exporter = "none"/);
    assert.equal(r.signals.length, 0);
    r = await run('[otel.exporter."otlp-grpc"]\nendpoint = "http://127.0.0.1:4317"\n');
    assert.equal(r.exitCode, 2);
    assert.match(r.error ?? '', /otel\/missing-headers/);
  });

  it('the managed layer wins key by key over config.toml', async () => {
    const r0 = await startHttpReceiver(() => ({ status: 200, body: {} }));
    receiver = r0;
    fs.writeFileSync(path.join(home, 'managed_config.toml'), `[otel]\nenvironment = "production"\n[otel.exporter."otlp-http"]\nendpoint = "${r0.url}/v1/logs"\n`);
    const r = await run(httpConfig('http://127.0.0.1:9/v1/logs', 'json'));
    assert.equal(r.ok, true, resultText(r));
    assert.equal(r.resource.env, 'production');
    assert.equal(r0.received[0].contentType, 'application/json');
    const json = resultJson(r);
    assert.deepEqual(Object.keys(json).slice(0, 9), ['exporter', 'endpoint', 'protocol', 'ok', 'status', 'latencyMs', 'error', 'hint', 'signals']);
  });

  it('readiness otel-export-reachable: never sends by itself; keeps the last verdict and its time until the config changes', async () => {
    forgetExportResults();
    const paths = codeHomePaths(home);
    const r0 = await startHttpReceiver(() => ({ status: 200, body: {} }));
    receiver = r0;
    let v = await otelExportReachable(paths);
    assert.equal(v.status, 'skip');
    assert.deepEqual(v.fix, { label: 'Run', action: { kind: 'sendTestTelemetry' } });
    assert.equal(r0.received.length, 0, 'a check run sends nothing');
    const r = await run(httpConfig(`${r0.url}/v1/logs`, 'binary'));
    await recordExportResult(paths, r);
    v = await otelExportReachable(paths);
    assert.equal(v.status, 'pass', v.detail);
    assert.ok(v.detail.includes(r.at), v.detail);
    assert.equal(r0.received.length, 2, 'still only the two requests of the Run');
    fs.appendFileSync(path.join(home, 'config.toml'), '# edited\n');
    v = await otelExportReachable(paths);
    assert.equal(v.status, 'skip');
    assert.match(v.detail, /config changed/);
    const failed = await run(httpConfig('http://127.0.0.1:9/v1/logs', 'binary'), 1000);
    await recordExportResult(paths, failed);
    v = await otelExportReachable(paths);
    assert.equal(v.status, 'fail');
    assert.match(v.detail, /Connection refused|Timed out/);
    assert.ok(!v.detail.includes(SECRET));
    forgetExportResults();
  });
});
