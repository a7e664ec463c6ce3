import type { ExportTarget, SignalResult } from './types';

/** One sentence for the most likely mistake behind a failed signal, or undefined. */
export function hintFor(target: ExportTarget, failed: SignalResult, headersSent: string[], dropped: string[]): string | undefined {
  const droppedNote = dropped.length ? ` The header${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} ${dropped.length > 1 ? 'were' : 'was'} dropped as invalid, exactly as Code drops ${dropped.length > 1 ? 'them' : 'it'}.` : '';
  if (failed.httpStatus === 401 || failed.httpStatus === 403 || failed.grpcCode === 16 || failed.grpcCode === 7) {
    const names = headersSent.length ? `Headers sent (names only): ${headersSent.join(', ')}.` : 'No headers were sent.';
    return `The collector refused the credentials. ${names} Check the header name and the value your backend expects (an API key, \`authorization = "Bearer …"\`).${droppedNote}`;
  }
  if (failed.httpStatus === 404 || failed.grpcCode === 12) {
    if (target.kind === 'otlp-grpc') return 'The server has no OTLP gRPC service: is this the collector\'s gRPC port (usually 4317)?';
    let pathname = '/';
    try {
      pathname = new URL(target.endpoint).pathname;
    } catch {
      // shown as is
    }
    if (pathname === '' || pathname === '/') {
      return 'The endpoint has no signal path. Code uses it verbatim (nothing is appended), so it must end with /v1/logs, e.g. http://collector:4318/v1/logs.';
    }
    if (/(\/v1\/(logs|metrics|traces)).*\1/.test(pathname) || /\/v1\/\w+\/v1\//.test(pathname)) {
      return `The signal path appears twice in ${pathname}: Code uses the endpoint verbatim, so write it once (…/v1/logs).`;
    }
    if (failed.signal === 'metrics' && /\/v1\/logs\/?$/.test(pathname)) {
      return 'Metrics went to the logs path: Code sends metrics to the same endpoint as logs, verbatim. The collector answers 404 there for metrics; the logs are what matters.';
    }
    return `Nothing answers at ${pathname}: OTLP/HTTP collectors listen on /v1/logs (and /v1/metrics).`;
  }
  if (failed.httpStatus === 415 || failed.httpStatus === 400) {
    if (failed.signal === 'metrics') return 'Code sends metrics to the same endpoint as logs, verbatim: a collector reached at /v1/logs cannot read a metrics request there.';
    return `The collector could not read the request: check protocol = "${target.protocol}" (binary is protobuf, json is OTLP/JSON) against what it accepts.`;
  }
  const error = failed.error ?? '';
  if (/HTTP\/2-only|gRPC \(HTTP\/2-only\)/.test(error)) return 'This looks like a gRPC port: use [otel.exporter."otlp-grpc"] with this endpoint, or the collector\'s HTTP port (usually 4318) with /v1/logs.';
  if (/HTTP\/1\.1 port/.test(error)) return 'This looks like an HTTP/1.1 port: use [otel.exporter."otlp-http"] with …/v1/logs, or the collector\'s gRPC port (usually 4317).';
  if (/does not speak TLS/.test(error)) return 'Use http:// for this port, or the port where the collector terminates TLS.';
  if (/closed by the other side/.test(error) && target.endpoint.startsWith('http:')) return 'If this port expects TLS, the endpoint must start with https://.';
  if (/self-signed|authority this host does not trust/.test(error)) return 'Trust the collector\'s CA on this host (NODE_EXTRA_CA_CERTS for this test), or give the collector a certificate from a public CA.';
  if (/another host name/.test(error)) return 'Use the host name the certificate was issued for in the endpoint.';
  if (/Connection refused/.test(error)) return 'Check the host and port, and that the collector runs and listens on this interface.';
  if (/does not resolve/.test(error)) return 'Check the host name (a typo, or a name only resolvable inside another network).';
  if (/Timed out/.test(error)) return 'A firewall may drop the packets, or a proxy holds the connection; try from the server\'s host.';
  return dropped.length ? droppedNote.trim() : undefined;
}
