import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { detectDialect, validateConfigText, type Dialect, type OtelDiagnostic } from '../../../src/core/otel';
import { LineIndex } from '../../../src/core/otel/toml';
import { suggest } from '../../../src/core/otel/suggest';

const shape = (ds: OtelDiagnostic[]) => ds.map((d) => `${d.severity} ${d.code}`).sort();

/** Applies LSP edits (0-based positions) to a text, last first. */
export function applyEdits(text: string, edits: { range: OtelDiagnostic['range']; newText: string }[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offset(b.range.start) - lines.offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, lines.offset(e.range.start)) + e.newText + out.slice(lines.offset(e.range.end));
  return out;
}

describe('otel engine', () => {
  describe('the same [otel] written as headers, dotted keys or inline tables', () => {
    const styles: Record<string, string[]> = {
      'otlp-http missing protocol and headers': [
        '[otel]\nenvironment = "dev"\n[otel.exporter."otlp-http"]\nendpoint = "http://c:4318"\n',
        'otel.environment = "dev"\notel.exporter.otlp-http.endpoint = "http://c:4318"\n',
        'otel = { environment = "dev", exporter = { otlp-http = { endpoint = "http://c:4318" } } }\n',
        '[otel]\nenvironment = "dev"\nexporter.otlp-http = { endpoint = "http://c:4318" }\n',
      ],
      'grpc with a secret, a typo and an endpoint without a scheme': [
        '[otel]\nenviroment = "x"\n[otel.exporter.otlp-grpc]\nendpoint = "grpc.example:4317"\n[otel.exporter.otlp-grpc.headers]\nauthorization = "Bearer 0123456789abcdef"\n',
        'otel.enviroment = "x"\notel.exporter.otlp-grpc.endpoint = "grpc.example:4317"\notel.exporter.otlp-grpc.headers.authorization = "Bearer 0123456789abcdef"\n',
        '[otel]\nenviroment = "x"\nexporter = { otlp-grpc = { endpoint = "grpc.example:4317", headers = { authorization = "Bearer 0123456789abcdef" } } }\n',
      ],
    };
    for (const [title, variants] of Object.entries(styles)) {
      for (const dialect of ['beacon', 'codex'] as Dialect[]) {
        it(`${title} (${dialect})`, () => {
          const results = variants.map((v) => shape(validateConfigText(v, { dialect }).diagnostics));
          assert.ok(results[0].length > 0);
          for (const r of results.slice(1)) assert.deepEqual(r, results[0]);
        });
      }
    }
  });

  it('puts each diagnostic on the key or value it is about', () => {
    const text = '[otel]\nenvironment = "production"\n[otel.exporter."otlp-http"]\nendpoint = "https://c:4318/v1/logs"\nprotocol = "http/json"\nheaders = {}\n';
    const [d] = validateConfigText(text, { dialect: 'beacon' }).diagnostics;
    assert.equal(d.code, 'otel/invalid-protocol');
    assert.deepEqual(d.range, { start: { line: 4, character: 11 }, end: { line: 4, character: 22 } });
    const missing = validateConfigText('[otel]\nenvironment = "production"\n[otel.exporter."otlp-grpc"]\nendpoint = "https://c:4317"\n', { dialect: 'beacon' }).diagnostics[0];
    assert.equal(missing.code, 'otel/missing-headers');
    assert.deepEqual(missing.range, { start: { line: 2, character: 15 }, end: { line: 2, character: 26 } });
  });

  it('counts positions in UTF-16 code units, as LSP does', () => {
    const text = '[otel]\nenvironment = "😀"; \n';
    const r = validateConfigText('[otel]\nenvironment = "😀staging"\n', { dialect: 'beacon' });
    assert.deepEqual(r.diagnostics[0].range, { start: { line: 1, character: 14 }, end: { line: 1, character: 25 } });
    assert.ok(validateConfigText(text, { dialect: 'beacon' }).syntaxError);
  });

  it('names the dialect in messages whose rule differs between dialects', () => {
    const text = '[otel]\nenvironment = "production"\nexporter = { otlp-grpc = { endpoint = "https://c:4317", tls = {} } }\n';
    const beacon = validateConfigText(text, { dialect: 'beacon' }).diagnostics;
    assert.match(beacon.find((d) => d.code === 'otel/missing-headers')!.message, /Code \(Beacon\) requires it/);
    assert.match(beacon.find((d) => d.code === 'otel/other-dialect-key')!.message, /only by upstream codex/);
    assert.deepEqual(shape(validateConfigText(text, { dialect: 'codex' }).diagnostics), []);
  });

  it('never echoes a header value in a message and reports only key names in the summary', () => {
    const secret = 'Bearer s3cr3t-VALUE-0123456789';
    const r = validateConfigText(`[otel]\nenvironment = "production"\n[otel.exporter.otlp-grpc]\nendpoint = "https://c:4317"\nheaders = { authorization = "${secret}" }\n`, { dialect: 'beacon' });
    assert.ok(r.diagnostics.some((d) => d.code === 'otel/literal-secret'));
    for (const d of r.diagnostics) assert.ok(!d.message.includes('s3cr3t'), d.message);
    assert.deepEqual(r.otel.literalSecretHeaders.map((h) => h.key), ['authorization']);
    assert.ok(!JSON.stringify(r.otel).includes('s3cr3t'));
  });

  it('fills the [otel] summary the readiness checks read', () => {
    const r = validateConfigText('[otel]\nenvironment = "staging"\nlog_user_prompt = true\nexporter = "none"\n', { dialect: 'codex', target: 'staging' });
    assert.equal(r.otel.present, true);
    assert.equal(r.otel.environment, 'staging');
    assert.equal(r.otel.logUserPrompt, true);
    assert.equal(r.otel.exporterKind, 'none');
    assert.equal(r.otel.environmentRange?.start.line, 1);
    assert.equal(validateConfigText('model = "x"\n', { dialect: 'codex' }).otel.present, false);
  });

  describe('quick fixes repair what they claim to', () => {
    const cases: Array<[string, string, string]> = [
      ['missing headers (header table)', 'otel/missing-headers', '[otel]\nenvironment = "production"\n[otel.exporter."otlp-grpc"]\nendpoint = "https://c:4317"\n'],
      ['missing headers (dotted)', 'otel/missing-headers', 'otel.environment = "production"\notel.exporter.otlp-grpc.endpoint = "https://c:4317"\n'],
      ['missing protocol (inline)', 'otel/missing-protocol', '[otel]\nenvironment = "production"\nexporter = { otlp-http = { endpoint = "https://c:4318/v1/logs", headers = {} } }\n'],
      ['missing protocol (empty inline)', 'otel/missing-protocol', '[otel]\nenvironment = "production"\nexporter = { otlp-http = {} }\n'],
      ['invalid protocol', 'otel/invalid-protocol', '[otel]\nenvironment = "production"\nexporter = { otlp-http = { endpoint = "https://c:4318/v1/logs", protocol = "http/json", headers = {} } }\n'],
      ['misspelled key', 'otel/unknown-key', '[otel]\nenviroment = "production"\n'],
      ['bare exporter string', 'otel/bare-exporter-string', '[otel]\nenvironment = "production"\nexporter = "otlp-grpc"\n'],
      ['environment not production', 'otel/environment-not-production', '[otel]\nlog_user_prompt = false\n'],
      ['missing signal path', 'otel/endpoint-missing-signal-path', '[otel]\nenvironment = "production"\nexporter = { otlp-http = { endpoint = "https://c:4318", protocol = "json", headers = {} } }\n'],
    ];
    for (const [title, code, text] of cases) {
      it(title, () => {
        const before = validateConfigText(text, { dialect: 'beacon' }).diagnostics.filter((d) => d.code === code);
        assert.equal(before.length, 1, `expected one ${code}`);
        const fix = before[0].fixes?.find((f) => f.preferred) ?? before[0].fixes?.[0];
        assert.ok(fix, `${code} offers a fix`);
        const after = applyEdits(text, fix.edits);
        const result = validateConfigText(after, { dialect: 'beacon' });
        assert.equal(result.syntaxError, false, after);
        assert.equal(result.diagnostics.filter((d) => d.code === code).length, 0, after);
      });
    }
  });

  it('suggests the key a typo meant, and nothing for unrelated words', () => {
    assert.equal(suggest('enviroment', ['environment', 'exporter']), 'environment');
    assert.equal(suggest('log-user-prompt', ['log_user_prompt']), 'log_user_prompt');
    assert.equal(suggest('otlp_grpc', ['otlp-http', 'otlp-grpc']), 'otlp-grpc');
    assert.equal(suggest('sampling_ratio', ['environment', 'exporter', 'log_user_prompt']), undefined);
  });

  describe('detectDialect', () => {
    const env = { CODE_HOME: '/srv/code', CODEX_HOME: '/srv/codex' };
    it('honours an explicit setting', () => {
      assert.equal(detectDialect({ setting: 'codex', serverCommand: 'code-app-server' }), 'codex');
      assert.equal(detectDialect({ setting: 'beacon', filePath: '/srv/codex/config.toml', env }), 'beacon');
    });
    it('follows the configured server first with auto', () => {
      assert.equal(detectDialect({ setting: 'auto', serverCommand: '/usr/local/bin/codex', filePath: '/srv/code/config.toml', env }), 'codex');
      assert.equal(detectDialect({ setting: 'auto', serverCommand: 'code-app-server' }), 'beacon');
    });
    it('then where the file lives', () => {
      assert.equal(detectDialect({ filePath: path.join('/srv/codex', 'config.toml'), env }), 'codex');
      assert.equal(detectDialect({ filePath: path.join('/srv/code', 'managed_config.toml'), env }), 'beacon');
      assert.equal(detectDialect({ filePath: '/home/a/.codex/config.toml', env: {} }), 'codex');
      assert.equal(detectDialect({ filePath: '/elsewhere/config.toml', env: {} }), 'beacon');
    });
  });
});
