// What Send Test Telemetry reads from config.toml and the managed layer
// (src/core/otel/exportTest/config.ts), exactly: the exporter built from the merged [otel] (kinds,
// endpoint, protocol, headers, TLS files resolved from config.toml's folder), each sentence for an
// exporter that cannot be tested, the merge of the layers, keys a layer may leave to the other but
// the merge must have, and what a missing or unreadable file says. Real files. Written from the
// sampled mutation run of src/core/otel/exportTest.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exporterOf, loadEffectiveOtel, mergeLayers } from '../../../../src/core/otel/exportTest/config';

describe('the test export reads the effective [otel]', () => {
  it('exporterOf: the target, or why there is none', () => {
    assert.deepEqual(exporterOf({}, '/h'), {});
    assert.deepEqual(exporterOf({ exporter: 'none' }, '/h'), { name: 'none' });
    assert.deepEqual(exporterOf({ exporter: 3 }, '/h'), { error: '[otel] exporter is neither a string nor a table.' });
    assert.deepEqual(exporterOf({ exporter: {} }, '/h'), { error: '[otel] exporter names 0 exporter kinds (none) once the layers are merged; exactly one is allowed.' });
    assert.deepEqual(exporterOf({ exporter: { 'otlp-http': {}, 'otlp-grpc': {} } }, '/h'), { error: '[otel] exporter names 2 exporter kinds (otlp-http, otlp-grpc) once the layers are merged; exactly one is allowed.' });
    assert.deepEqual(exporterOf({ exporter: { statsig: {} } }, '/h'), { error: '[otel] exporter kind `statsig` is not an OTLP exporter; only otlp-http and otlp-grpc can be tested.' });
    assert.deepEqual(exporterOf({ exporter: { 'otlp-grpc': 'x' } }, '/h'), { error: '[otel.exporter."otlp-grpc"] is not a table.' });
    assert.deepEqual(exporterOf({ exporter: { 'otlp-grpc': { endpoint: '' } } }, '/h'), { error: '[otel.exporter."otlp-grpc"] has no endpoint.' });
    assert.deepEqual(exporterOf({ exporter: { 'otlp-http': { endpoint: 'http://c/v1/logs', protocol: 'grpc' } } }, '/h'), { error: '[otel.exporter."otlp-http"] protocol must be "binary" or "json".' });
    assert.deepEqual(exporterOf({ exporter: { 'otlp-http': { endpoint: 'http://c/v1/logs', protocol: 'json', headers: { a: 'x', n: 3 }, tls: { 'ca-certificate': 'ca.pem' } } } }, '/h'), {
      target: { kind: 'otlp-http', endpoint: 'http://c/v1/logs', protocol: 'json', headers: { a: 'x' }, tls: { caCertificate: '/h/ca.pem', clientCertificate: undefined, clientPrivateKey: undefined } },
    });
    assert.deepEqual(exporterOf({ exporter: { 'otlp-grpc': { endpoint: 'http://c:4317', headers: 'x', tls: { other: 1 } } } }, '/h'), { target: { kind: 'otlp-grpc', endpoint: 'http://c:4317', headers: {}, tls: undefined } });
    const tls = exporterOf({ exporter: { 'otlp-grpc': { endpoint: 'https://c', tls: { 'client-certificate': '/abs/c.pem', 'client-private-key': 'k.pem' } } } }, '/h').target?.tls;
    assert.deepEqual(tls, { caCertificate: undefined, clientCertificate: '/abs/c.pem', clientPrivateKey: '/h/k.pem' });
  });

  it('mergeLayers: the second layer wins key by key, tables merged deeply', () => {
    assert.deepEqual(mergeLayers({ otel: { environment: 'dev', exporter: { 'otlp-http': { endpoint: 'a', headers: { x: '1' } } } } }, { otel: { environment: 'prod', exporter: { 'otlp-http': { headers: { y: '2' } } } } }), {
      otel: { environment: 'prod', exporter: { 'otlp-http': { endpoint: 'a', headers: { x: '1', y: '2' } } } },
    });
    assert.deepEqual(mergeLayers({ a: { b: 1 } }, { a: 'flat' }), { a: 'flat' });
  });

  describe('loadEffectiveOtel with real files', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-export-config-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };

    it('config.toml alone: environment, target, no errors', async () => {
      const config = write('config.toml', '[otel]\nenvironment = "production"\n[otel.exporter."otlp-grpc"]\nendpoint = "http://c:4317"\nheaders = { "x-api-key" = "k" }\n');
      const e = await loadEffectiveOtel({ configFile: config, dialect: 'beacon' });
      assert.deepEqual(
        { files: e.files, environment: e.environment, errors: e.errors, target: e.target, name: e.exporterName },
        { files: [config], environment: 'production', errors: [], target: { kind: 'otlp-grpc', endpoint: 'http://c:4317', headers: { 'x-api-key': 'k' }, tls: undefined }, name: undefined },
      );
    });

    it('the managed layer completes a table config.toml leaves partial; a key missing from both is an error of the merge', async () => {
      const config = write('config.toml', '[otel.exporter."otlp-http"]\nendpoint = "http://c/v1/logs"\n');
      const managed = write('managed_config.toml', '[otel]\nenvironment = "staging"\n[otel.exporter."otlp-http"]\nprotocol = "binary"\nheaders = {}\n');
      const ok = await loadEffectiveOtel({ configFile: config, managedFile: managed, dialect: 'beacon' });
      assert.deepEqual([ok.files, ok.environment, ok.errors, ok.target?.protocol], [[config, managed], 'staging', [], 'binary']);
      fs.writeFileSync(managed, '[otel]\nenvironment = "staging"\n[otel.exporter."otlp-http"]\nheaders = {}\n');
      const missing = await loadEffectiveOtel({ configFile: config, managedFile: managed, dialect: 'beacon' });
      assert.equal(missing.errors.length, 2);
      assert.match(missing.errors[0], /^merged \[otel\] of config\.toml and the managed layer: .*protocol.* \[otel\/missing-protocol\]$/);
      assert.equal(missing.errors[1], '[otel.exporter."otlp-http"] protocol must be "binary" or "json".');
    });

    it('a missing config.toml is a warning; an unreadable one an error; a layer with errors says where', async () => {
      const none = await loadEffectiveOtel({ configFile: path.join(dir, 'config.toml'), managedFile: path.join(dir, 'managed_config.toml') });
      assert.deepEqual([none.files, none.environment, none.errors, none.warnings], [[], 'dev', [], [`${path.join(dir, 'config.toml')} does not exist: the server runs with defaults and exports nothing.`]]);
      fs.mkdirSync(path.join(dir, 'config.toml'));
      const folder = await loadEffectiveOtel({ configFile: path.join(dir, 'config.toml') });
      assert.deepEqual(folder.errors, [`${path.join(dir, 'config.toml')} is a folder, not a file.`]);
      fs.rmdirSync(path.join(dir, 'config.toml'));
      const bad = write('config.toml', '[otel]\nexporter = { otlp-http = { endpoint = "http://c/v1/logs" } }\n');
      const e = await loadEffectiveOtel({ configFile: bad, dialect: 'beacon' });
      assert.match(e.errors[0], /^config\.toml:2:\d+: .* \[otel\/missing-protocol\]$/);
      // one layer: its own errors and the exporter's, no validation of a merge
      assert.equal(e.errors.length, 3);
      assert.match(e.errors[1], /^config\.toml:2:\d+: .* \[otel\/missing-headers\]$/);
      assert.equal(e.errors[2], '[otel.exporter."otlp-http"] protocol must be "binary" or "json".');
      assert.ok(!e.errors.some((x) => x.startsWith('merged')));
    });
  });
});
