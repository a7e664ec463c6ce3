// Failures of a test export in words (src/core/otel/exportTest/explain.ts, hints.ts), exactly:
// each Node error code and gRPC detail text to its kind and sentence, header names and values the
// server would drop, gRPC status names, and the hint for each likely mistake (credentials, paths,
// protocol, ports, TLS, DNS, timeouts, dropped headers). The messages are Node's and grpc-js's own
// texts. Written from the sampled mutation run of src/core/otel/exportTest.
import * as assert from 'node:assert/strict';
import { classify, grpcStatusName, headerProblem } from '../../../../src/core/otel/exportTest/explain';
import { hintFor } from '../../../../src/core/otel/exportTest/hints';
import type { ExportTarget, SignalResult } from '../../../../src/core/otel/exportTest/types';

const HOST = 'collector:4318';

describe('test export failures in words', () => {
  it('classify: each error to its kind and sentence', () => {
    const cases: Array<[string | undefined, string, string, string]> = [
      ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self signed certificate', 'tls-self-signed', `TLS: the server's certificate is self-signed and nothing here trusts it (${HOST}).`],
      [undefined, 'SELF_SIGNED_CERT_IN_CHAIN', 'tls-self-signed', `TLS: the server's certificate is self-signed and nothing here trusts it (${HOST}).`],
      ['CERT_HAS_EXPIRED', 'certificate has expired', 'tls-expired', `TLS: the server's certificate has expired (${HOST}).`],
      ['ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames: Host: collector. is not in the cert's list: other.example", 'tls-hostname', `TLS: the certificate is for another host name than ${HOST} (it names other.example).`],
      [undefined, "Hostname/IP does not match certificate's altnames: IP: 10.0.0.1 is not in the cert's altnames: DNS:x.example", 'tls-hostname', `TLS: the certificate is for another host name than ${HOST} (it names DNS:x.example).`],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'mismatch', 'tls-hostname', `TLS: the certificate is for another host name than ${HOST}.`],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate', 'tls-untrusted', `TLS: the server's certificate is issued by an authority this host does not trust (${HOST}).`],
      ['EPROTO', 'SSL routines:ssl3_get_record:wrong version number', 'tls-not-tls', `TLS handshake failed: ${HOST} does not speak TLS on this port (an https:// endpoint on a plain port).`],
      ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4318', 'refused', `Connection refused: nothing listens on ${HOST}.`],
      [undefined, '14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED', 'refused', `Connection refused: nothing listens on ${HOST}.`],
      ['ENOTFOUND', 'getaddrinfo ENOTFOUND collector', 'dns', `DNS: the host name of ${HOST} does not resolve.`],
      [undefined, 'Name resolution failed for target dns:collector', 'dns', `DNS: the host name of ${HOST} does not resolve.`],
      ['ETIMEDOUT', 'connect ETIMEDOUT', 'timeout', `Timed out after 1500 ms: ${HOST} accepted the connection or the packets but never answered.`],
      [undefined, '4 DEADLINE_EXCEEDED: Deadline exceeded', 'timeout', `Timed out after 1500 ms: ${HOST} accepted the connection or the packets but never answered.`],
      ['HPE_INVALID_CONSTANT', 'Parse Error: Expected HTTP/', 'not-http1', `${HOST} did not answer in HTTP/1.1: it looks like a gRPC (HTTP/2-only) port.`],
      [undefined, '13 INTERNAL: Received RST_STREAM with code 1 (Protocol error)', 'not-http2', `${HOST} did not speak gRPC (HTTP/2): it looks like an HTTP/1.1 port.`],
      [undefined, '14 UNAVAILABLE: No connection established', 'reset', `No gRPC (HTTP/2) connection could be established with ${HOST}: the connection was closed by the other side (does this port expect TLS, or not speak gRPC?).`],
      ['ECONNRESET', 'socket hang up', 'reset', `The connection to ${HOST} was closed by the other side before an answer.`],
      [undefined, 'something else', 'other', 'something else'],
      ['EWHAT', '', 'other', 'EWHAT'],
      [undefined, '', 'other', 'unknown error'],
    ];
    for (const [code, message, kind, words] of cases) assert.deepEqual(classify(code, message, HOST, 1500), { kind, words }, `${code} ${message}`);
  });

  it('header names and values the server would drop; gRPC status names', () => {
    assert.equal(headerProblem('x-api-key', 'abc 123\tok~'), undefined);
    assert.equal(headerProblem("!#$%&'*+-.^_`|~09AZaz", ''), undefined);
    for (const name of ['x api', 'x:y', '', 'ä', 'x(y)', 'x"y']) assert.equal(headerProblem(name, 'v'), 'its name is not a valid header name', name);
    for (const value of ['a\nb', 'é', '\u0000', 'a\u007f']) assert.equal(headerProblem('x', value), 'its value has characters a header value cannot hold', JSON.stringify(value));
    assert.deepEqual([0, 4, 12, 14, 16].map(grpcStatusName), ['OK', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'UNAVAILABLE', 'UNAUTHENTICATED']);
    assert.equal(grpcStatusName(42), 'STATUS_42');
  });
});

describe('hints for a failed test export', () => {
  const http = (endpoint: string, protocol = 'binary') => ({ kind: 'otlp-http', endpoint, protocol }) as unknown as ExportTarget;
  const grpc = { kind: 'otlp-grpc', endpoint: 'http://collector:4317' } as unknown as ExportTarget;
  const failed = (over: Partial<SignalResult>): SignalResult => ({ signal: 'logs', ok: false, reached: true, status: null, latencyMs: 1, error: null, url: 'u', ...over });

  it('credentials: the header names sent, and any dropped', () => {
    const tail = ' Check the header name and the value your backend expects (an API key, `authorization = "Bearer …"`).';
    assert.equal(hintFor(http('http://c/v1/logs'), failed({ httpStatus: 401 }), ['x-api-key', 'x-team'], []), `The collector refused the credentials. Headers sent (names only): x-api-key, x-team.${tail}`);
    assert.equal(hintFor(grpc, failed({ grpcCode: 16 }), [], ['bad name']), `The collector refused the credentials. No headers were sent.${tail} The header bad name was dropped as invalid, exactly as Code drops it.`);
    for (const over of [{ httpStatus: 403 }, { grpcCode: 7 }]) assert.match(hintFor(grpc, failed(over), [], ['a', 'b']) ?? '', /The headers a, b were dropped as invalid, exactly as Code drops them\.$/);
  });

  it('404: no gRPC service, no path, a doubled path, metrics on the logs path, nothing at the path', () => {
    assert.equal(hintFor(grpc, failed({ grpcCode: 12 }), [], []), "The server has no OTLP gRPC service: is this the collector's gRPC port (usually 4317)?");
    const noPath = 'The endpoint has no signal path. Code uses it verbatim (nothing is appended), so it must end with /v1/logs, e.g. http://collector:4318/v1/logs.';
    assert.equal(hintFor(http('http://c:4318'), failed({ httpStatus: 404 }), [], []), noPath);
    assert.equal(hintFor(http('http://c:4318/'), failed({ httpStatus: 404 }), [], []), noPath);
    assert.equal(hintFor(http('not a url'), failed({ httpStatus: 404 }), [], []), noPath);
    assert.equal(hintFor(http('http://c/v1/logs/v1/logs'), failed({ httpStatus: 404 }), [], []), 'The signal path appears twice in /v1/logs/v1/logs: Code uses the endpoint verbatim, so write it once (…/v1/logs).');
    assert.equal(hintFor(http('http://c/v1/metrics/v1/logs'), failed({ httpStatus: 404 }), [], []), 'The signal path appears twice in /v1/metrics/v1/logs: Code uses the endpoint verbatim, so write it once (…/v1/logs).');
    assert.equal(hintFor(http('http://c/v1/logs'), failed({ httpStatus: 404, signal: 'metrics' }), [], []), 'Metrics went to the logs path: Code sends metrics to the same endpoint as logs, verbatim. The collector answers 404 there for metrics; the logs are what matters.');
    assert.equal(hintFor(http('http://c/v1/logs'), failed({ httpStatus: 404 }), [], []), 'Nothing answers at /v1/logs: OTLP/HTTP collectors listen on /v1/logs (and /v1/metrics).');
    assert.equal(hintFor(http('http://c/otlp'), failed({ httpStatus: 404, signal: 'metrics' }), [], []), 'Nothing answers at /otlp: OTLP/HTTP collectors listen on /v1/logs (and /v1/metrics).');
  });

  it('400 and 415: the protocol, or metrics at the logs endpoint', () => {
    assert.equal(hintFor(http('http://c/v1/logs', 'json'), failed({ httpStatus: 415 }), [], []), 'The collector could not read the request: check protocol = "json" (binary is protobuf, json is OTLP/JSON) against what it accepts.');
    assert.equal(hintFor(http('http://c/v1/logs'), failed({ httpStatus: 400, signal: 'metrics' }), [], []), 'Code sends metrics to the same endpoint as logs, verbatim: a collector reached at /v1/logs cannot read a metrics request there.');
  });

  it('transport: ports, TLS, DNS, timeouts; nothing to say; only dropped headers', () => {
    const t = (error: string, target = http('http://c:4317/v1/logs')) => hintFor(target, failed({ reached: false, error }), [], []);
    assert.match(t('c did not answer in HTTP/1.1: it looks like a gRPC (HTTP/2-only) port.') ?? '', /^This looks like a gRPC port/);
    assert.match(t('c did not speak gRPC (HTTP/2): it looks like an HTTP/1.1 port.') ?? '', /^This looks like an HTTP\/1\.1 port/);
    assert.equal(t('TLS handshake failed: c does not speak TLS on this port'), 'Use http:// for this port, or the port where the collector terminates TLS.');
    assert.equal(t('The connection to c was closed by the other side before an answer.'), 'If this port expects TLS, the endpoint must start with https://.');
    assert.equal(t('The connection to c was closed by the other side before an answer.', http('https://c/v1/logs')), undefined);
    assert.match(t("TLS: the server's certificate is self-signed") ?? '', /^Trust the collector's CA/);
    assert.match(t('TLS: issued by an authority this host does not trust') ?? '', /^Trust the collector's CA/);
    assert.equal(t('TLS: the certificate is for another host name than c.'), 'Use the host name the certificate was issued for in the endpoint.');
    assert.equal(t('Connection refused: nothing listens on c.'), 'Check the host and port, and that the collector runs and listens on this interface.');
    assert.equal(t('DNS: the host name of c does not resolve.'), 'Check the host name (a typo, or a name only resolvable inside another network).');
    assert.equal(t('Timed out after 10 ms'), "A firewall may drop the packets, or a proxy holds the connection; try from the server's host.");
    assert.equal(t('something odd'), undefined);
    assert.equal(hintFor(http('http://c/v1/logs'), failed({ error: null }), [], ['x y']), 'The header x y was dropped as invalid, exactly as Code drops it.');
  });
});
