// What Send Test Telemetry prints (src/core/otel/exportTest/format.ts), whole: the report text line
// by line, the one-line summary and the --json shape, for an accepted run, a refused one with a
// partial-success rejection, a hint and a warning, one that never reached the collector, and one
// that sent nothing; secrets and URL passwords masked in all three. Written from the survivors of
// `npm run mutation -- --mutate src/core/otel/exportTest/format.ts`: the other tests read only
// `ok`, `error` and a masked header through these functions.
import * as assert from 'node:assert/strict';
import { resultJson, resultText, shownUrl, summaryLine } from '../../../../src/core/otel/exportTest/format';
import type { OtelTestResult, SignalResult } from '../../../../src/core/otel/exportTest/types';

const SECRET = 'sk-live-0123456789abcdefABCDEF';

function signal(over: Partial<SignalResult> & Pick<SignalResult, 'signal'>): SignalResult {
  return { ok: true, reached: true, status: 'HTTP 200', httpStatus: 200, latencyMs: 12, error: null, url: 'https://collector:4318/v1/logs', ...over };
}

function result(over: Partial<OtelTestResult>): OtelTestResult {
  return {
    exporter: 'otlp-http',
    endpoint: 'https://collector:4318/v1/logs',
    protocol: 'binary',
    ok: true,
    status: 'HTTP 200',
    latencyMs: 20,
    error: null,
    hint: null,
    signals: [signal({ signal: 'logs' }), signal({ signal: 'metrics', latencyMs: 8 })],
    headersSent: ['x-api-key', 'x-team'],
    headersDropped: [],
    resource: { 'service.name': 'code', env: 'production' },
    warnings: [],
    exitCode: 0,
    at: '2026-12-02T06:00:00.000Z',
    ...over,
  };
}

const refused = result({
  endpoint: `https://ops:${SECRET}@collector:4318/v1/logs`,
  ok: false,
  status: 'HTTP 401',
  error: 'Unauthorized',
  hint: 'The collector refused the credentials. Check the header name and the value your backend expects.',
  signals: [
    signal({ signal: 'logs', ok: false, status: 'HTTP 401', httpStatus: 401, latencyMs: 30, error: `Unauthorized (token ${SECRET})`, url: `https://ops:${SECRET}@collector:4318/v1/logs` }),
    signal({ signal: 'metrics', latencyMs: 7, rejected: { count: 2, message: 'bad unit' }, url: 'https://collector:4318/v1/logs' }),
  ],
  headersDropped: ['x-bad (a space in its name)'],
  warnings: ['Code sends its metrics to the same URL as its logs.'],
  exitCode: 1,
});

describe('otel-test output, whole', () => {
  it('shownUrl hides the password of user:password@ and masks secrets', () => {
    assert.equal(shownUrl(`https://ops:${SECRET}@collector:4318/v1/logs`), 'https://****@collector:4318/v1/logs');
    assert.equal(shownUrl('grpc://user@host:4317'), 'grpc://****@host:4317');
    assert.equal(shownUrl('http://collector:4318/v1/logs?x=1'), 'http://collector:4318/v1/logs?x=1');
    assert.ok(!shownUrl(`https://collector/v1/logs?api_key=${SECRET}`).includes(SECRET));
  });

  it('an accepted run: the report, the summary and the JSON', () => {
    const r = result({});
    assert.equal(
      resultText(r),
      [
        'Exporter: otlp-http (binary) -> https://collector:4318/v1/logs',
        'Resource: service.name=code, env=production',
        'Headers sent (names only): x-api-key, x-team',
        '  logs    accepted              HTTP 200                    12 ms  https://collector:4318/v1/logs',
        '  metrics accepted              HTTP 200                     8 ms  https://collector:4318/v1/logs',
        'Result: every signal was accepted.',
        '',
      ].join('\n'),
    );
    assert.equal(summaryLine(r), 'Telemetry reached https://collector:4318/v1/logs and was accepted (logs HTTP 200, 12 ms; metrics HTTP 200, 8 ms).');
    assert.deepEqual(resultJson(r), {
      exporter: 'otlp-http',
      endpoint: 'https://collector:4318/v1/logs',
      protocol: 'binary',
      ok: true,
      status: 'HTTP 200',
      latencyMs: 20,
      error: null,
      hint: null,
      signals: [
        { signal: 'logs', ok: true, status: 'HTTP 200', latencyMs: 12, error: null, url: 'https://collector:4318/v1/logs', reached: true },
        { signal: 'metrics', ok: true, status: 'HTTP 200', latencyMs: 8, error: null, url: 'https://collector:4318/v1/logs', reached: true },
      ],
      headersSent: ['x-api-key', 'x-team'],
      headersDropped: [],
      resource: { 'service.name': 'code', env: 'production' },
      warnings: [],
      at: '2026-12-02T06:00:00.000Z',
    });
  });

  it('a refused run: each signal, the rejection, the error, the hint, the warning; nothing secret', () => {
    const text = resultText(refused);
    assert.equal(
      text,
      [
        'Exporter: otlp-http (binary) -> https://****@collector:4318/v1/logs',
        'Resource: service.name=code, env=production',
        'Headers sent (names only): x-api-key, x-team',
        'Headers dropped: x-bad (a space in its name)',
        '  logs    reached, NOT accepted HTTP 401                    30 ms  https://****@collector:4318/v1/logs',
        `          ${summaryLine(refused).slice(summaryLine(refused).indexOf('Unauthorized'))}`,
        '  metrics accepted              HTTP 200                     7 ms  https://collector:4318/v1/logs',
        '          partial success: 2 rejected (bad unit)',
        'Result: NOT accepted.',
        'Hint: The collector refused the credentials. Check the header name and the value your backend expects.',
        'Warning: Code sends its metrics to the same URL as its logs.',
        '',
      ].join('\n'),
    );
    assert.ok(!text.includes(SECRET), text);
    assert.match(summaryLine(refused), /^The test log record reached the collector but was not accepted: Unauthorized \(token /);
    assert.ok(!summaryLine(refused).includes(SECRET));
    const json = resultJson(refused);
    assert.ok(!JSON.stringify(json).includes(SECRET));
    assert.deepEqual((json.signals as Array<Record<string, unknown>>).map((s) => [s.signal, s.reached, s.url, s.rejected]), [
      ['logs', true, 'https://****@collector:4318/v1/logs', undefined],
      ['metrics', true, 'https://collector:4318/v1/logs', { count: 2, message: 'bad unit' }],
    ]);
    assert.deepEqual(json.headersDropped, ['x-bad (a space in its name)']);
    assert.deepEqual(json.warnings, ['Code sends its metrics to the same URL as its logs.']);
  });

  it('a metric point that did not reach the collector; a rejection without a message; no status', () => {
    const r = result({
      ok: false,
      exporter: 'otlp-grpc',
      protocol: null,
      endpoint: 'http://collector:4317',
      resource: {},
      headersSent: [],
      signals: [
        signal({ signal: 'logs', rejected: { count: 1, message: '' }, url: 'collector:4317', status: 'gRPC 0 OK' }),
        signal({ signal: 'metrics', ok: false, reached: false, status: null, latencyMs: 1000, error: 'Timed out after 1000 ms', url: 'collector:4317' }),
      ],
    });
    assert.equal(
      resultText(r),
      [
        'Exporter: otlp-grpc -> http://collector:4317',
        'Headers sent (names only): none',
        '  logs    accepted              gRPC 0 OK                   12 ms  collector:4317',
        '          partial success: 1 rejected',
        '  metrics NOT reached           -                         1000 ms  collector:4317',
        '          Timed out after 1000 ms',
        'Result: NOT accepted.',
        '',
      ].join('\n'),
    );
    assert.equal(summaryLine(r), 'The test metric point did not reach the collector: Timed out after 1000 ms');
    // a failed signal without an error text falls back to its status
    const noError = result({ ok: false, signals: [signal({ signal: 'logs', ok: false, status: 'HTTP 503', error: null })] });
    assert.equal(summaryLine(noError), 'The test log record reached the collector but was not accepted: HTTP 503');
  });

  it('nothing sent: the reason, without signal lines or headers', () => {
    const r = result({ exporter: 'none', protocol: null, endpoint: null, ok: false, signals: [], headersSent: [], resource: {}, error: `exporter is "none" (key ${SECRET})`, exitCode: 2 });
    const text = resultText(r);
    assert.ok(text.startsWith('Exporter: none\nResult: nothing sent: exporter is "none" (key '), text);
    assert.equal(text.split('\n').length, 3);
    assert.ok(!text.includes(SECRET));
    assert.ok(summaryLine(r).startsWith('exporter is "none" (key '));
    assert.ok(!summaryLine(r).includes(SECRET));
    assert.equal(summaryLine(result({ signals: [], error: null })), 'Nothing was sent.');
    // a header dropped with nothing sent is still listed, with the names line
    const dropped = resultText(result({ signals: [], ok: false, headersSent: [], headersDropped: ['bad name'], resource: {} }));
    assert.equal(dropped, 'Exporter: otlp-http (binary) -> https://collector:4318/v1/logs\nHeaders sent (names only): none\nHeaders dropped: bad name\nResult: nothing sent.\n');
  });
});
