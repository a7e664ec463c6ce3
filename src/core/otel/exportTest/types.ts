/**
 * The test export: what is sent (read from the effective [otel]) and what came back.
 * Plain data, shared by the CLI, the command, the readiness check and the tests.
 */

export type ExporterKind = 'otlp-http' | 'otlp-grpc';
export type HttpProtocol = 'binary' | 'json';
export type Signal = 'logs' | 'metrics';

/** Client TLS files of the upstream codex dialect (`tls = { ca-certificate, client-certificate, client-private-key }`). */
export interface TlsFiles {
  caCertificate?: string;
  clientCertificate?: string;
  clientPrivateKey?: string;
}

/** One exporter as the server builds it from `[otel] exporter`. */
export interface ExportTarget {
  kind: ExporterKind;
  /** As written; used verbatim for otlp-http (see README). */
  endpoint: string;
  /** otlp-http only. */
  protocol?: HttpProtocol;
  /** Header name -> value; the values are secrets and never leave this object in clear. */
  headers: Record<string, string>;
  tls?: TlsFiles;
}

/** The effective [otel] of config.toml plus the managed layer, reduced to what the test needs. */
export interface EffectiveOtel {
  /** Files that were read, in the order they apply. */
  files: string[];
  /** `environment`, default "dev". */
  environment: string;
  /** The exporter string when it is not a table: "none", "statsig", or absent (undefined). */
  exporterName?: string;
  target?: ExportTarget;
  /** Errors that make the config unusable (the server would refuse it); masked. */
  errors: string[];
  /** Warnings worth showing next to the result; masked. */
  warnings: string[];
}

/** The outcome of one signal (one OTLP export request). */
export interface SignalResult {
  signal: Signal;
  /** The collector accepted the data (2xx / gRPC OK, nothing rejected). */
  ok: boolean;
  /** A peer answered at the protocol level (any HTTP status or gRPC status from the server). */
  reached: boolean;
  /** `HTTP 200`, `gRPC 16 UNAUTHENTICATED`, … or null when nothing answered. */
  status: string | null;
  httpStatus?: number;
  grpcCode?: number;
  latencyMs: number;
  /** In words, masked; null when accepted. */
  error: string | null;
  /** What the collector said it rejected (OTLP partial success). */
  rejected?: { count: number; message: string };
  /** The URL (HTTP) or host:port (gRPC) the request went to. */
  url: string;
}

export interface OtelTestResult {
  exporter: string;
  endpoint: string | null;
  protocol: string | null;
  ok: boolean;
  /** Status of the first signal that failed, else of the last one. */
  status: string | null;
  latencyMs: number | null;
  error: string | null;
  hint: string | null;
  signals: SignalResult[];
  /** Header NAMES that were sent (never values). */
  headersSent: string[];
  /** Configured headers the server would drop (invalid name or value), by name. */
  headersDropped: string[];
  /** Resource attributes sent with both signals. */
  resource: Record<string, string>;
  warnings: string[];
  /** 0 every signal accepted, 1 one was not, 2 unusable config. */
  exitCode: 0 | 1 | 2;
  /** When the test ran (ISO). */
  at: string;
}

export interface SendOptions {
  /** Per request, in ms. */
  timeoutMs: number;
  /** `service.version` to send; the server sends its own crate version. */
  serviceVersion?: string;
}
