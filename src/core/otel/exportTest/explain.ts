/**
 * Network and TLS failures in words an operator can act on, from Node error
 * codes (HTTP) or gRPC status details (which carry the same codes as text).
 */

export type FailureKind = 'refused' | 'dns' | 'timeout' | 'reset' | 'tls-self-signed' | 'tls-expired' | 'tls-hostname' | 'tls-untrusted' | 'tls-not-tls' | 'not-http1' | 'not-http2' | 'other';

export interface Failure {
  kind: FailureKind;
  words: string;
}

const TLS_SELF_SIGNED = /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|self[- ]signed certificate/i;
const TLS_EXPIRED = /CERT_HAS_EXPIRED|certificate has expired/i;
const TLS_HOSTNAME = /ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match|altnames/i;
const TLS_UNTRUSTED = /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|unable to verify the first certificate|unable to get local issuer/i;
const TLS_NOT_TLS = /wrong version number|packet length too long|WRONG_VERSION_NUMBER|http request|unknown protocol/i;

/** Classifies an error code plus message (Node error, or gRPC details text). */
export function classify(code: string | undefined, message: string, host: string, timeoutMs: number): Failure {
  const text = `${code ?? ''} ${message}`;
  if (TLS_SELF_SIGNED.test(text)) return { kind: 'tls-self-signed', words: `TLS: the server's certificate is self-signed and nothing here trusts it (${host}).` };
  if (TLS_EXPIRED.test(text)) return { kind: 'tls-expired', words: `TLS: the server's certificate has expired (${host}).` };
  if (TLS_HOSTNAME.test(text)) {
    const names = /cert's altnames: (.*)$/m.exec(message)?.[1] ?? /not in the cert's list: (.*)$/m.exec(message)?.[1];
    return { kind: 'tls-hostname', words: `TLS: the certificate is for another host name than ${host}${names ? ` (it names ${names.trim()})` : ''}.` };
  }
  if (TLS_UNTRUSTED.test(text)) return { kind: 'tls-untrusted', words: `TLS: the server's certificate is issued by an authority this host does not trust (${host}).` };
  if (/EPROTO|SSL routines|ERR_SSL/i.test(text) && TLS_NOT_TLS.test(text)) {
    return { kind: 'tls-not-tls', words: `TLS handshake failed: ${host} does not speak TLS on this port (an https:// endpoint on a plain port).` };
  }
  if (/ECONNREFUSED|Connection refused/i.test(text)) return { kind: 'refused', words: `Connection refused: nothing listens on ${host}.` };
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo|Name resolution failed|DNS resolution failed/i.test(text)) {
    return { kind: 'dns', words: `DNS: the host name of ${host} does not resolve.` };
  }
  if (/ETIMEDOUT|timed out|DEADLINE_EXCEEDED|Deadline exceeded/i.test(text)) {
    return { kind: 'timeout', words: `Timed out after ${timeoutMs} ms: ${host} accepted the connection or the packets but never answered.` };
  }
  if (/HPE_|Parse Error|Expected HTTP/i.test(text)) {
    return { kind: 'not-http1', words: `${host} did not answer in HTTP/1.1: it looks like a gRPC (HTTP/2-only) port.` };
  }
  if (/Protocol error|HTTP\/1|http2|h2|PROTOCOL_ERROR|Received HTTP status code|ERR_HTTP2/i.test(text)) {
    return { kind: 'not-http2', words: `${host} did not speak gRPC (HTTP/2): it looks like an HTTP/1.1 port.` };
  }
  if (/No connection established|Failed to connect/i.test(text)) {
    return { kind: 'reset', words: `No gRPC (HTTP/2) connection could be established with ${host}: the connection was closed by the other side (does this port expect TLS, or not speak gRPC?).` };
  }
  if (/ECONNRESET|socket hang up|EPIPE|Connection dropped|ended by the other party/i.test(text)) {
    return { kind: 'reset', words: `The connection to ${host} was closed by the other side before an answer.` };
  }
  return { kind: 'other', words: message || code || 'unknown error' };
}

/**
 * Whether a header survives the server's checks. Code builds `HeaderName::from_bytes` and
 * `HeaderValue::from_str` (Rust `http` crate) and drops the header otherwise: a name is an
 * RFC 9110 token, a value is visible ASCII, space or tab. Names are sent lower-cased.
 */
export function headerProblem(name: string, value: string): string | undefined {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return 'its name is not a valid header name';
  if (!/^[\t\x20-\x7e]*$/.test(value)) return 'its value has characters a header value cannot hold';
  return undefined;
}

/** gRPC status names (grpc/doc/statuscodes.md). */
export const GRPC_STATUS = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export function grpcStatusName(code: number): string {
  return GRPC_STATUS[code] ?? `STATUS_${code}`;
}
