import { credentials as grpcCredentials, Metadata } from '@grpc/grpc-js';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { maskSecrets } from '../../mask';
import { classify, grpcStatusName } from './explain';
import type { AgentTls } from './observe';
import type { ExportTarget, Signal, SignalResult } from './types';

interface ExportOutcome {
  code: number;
  error?: Error & { code?: number; details?: string };
}

interface Exporter {
  export(items: unknown, done: (r: ExportOutcome) => void): void;
  shutdown(): Promise<void>;
}

/** gRPC metadata from the configured headers; a name grpc-js refuses is reported, not sent. */
export function grpcMetadata(headers: Record<string, string>): { metadata: Metadata; refused: string[] } {
  const metadata = new Metadata();
  const refused: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    try {
      metadata.set(name.toLowerCase(), value);
    } catch {
      refused.push(name);
    }
  }
  return { metadata, refused };
}

/**
 * The exporter logs an OTLP partial success only through the global diag logger. It is
 * shared by every copy of @opentelemetry/api in the process, so it is borrowed only
 * while nobody else has installed one, and given back at once.
 */
function capturePartialSuccess(): { messages: string[]; release(): void } {
  const registry = (globalThis as Record<symbol, { diag?: unknown } | undefined>)[Symbol.for('opentelemetry.js.api.1')];
  const messages: string[] = [];
  if (registry?.diag) return { messages, release() {} };
  const record = (...args: unknown[]) => messages.push(args.map(String).join(' '));
  const logger: DiagLogger = { error: record, warn: record, info() {}, debug() {}, verbose() {} };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { messages, release: () => diag.disable() };
}

function rejectedFrom(messages: string[]): { count: number; message: string } | undefined {
  for (const m of messages) {
    const at = m.indexOf('Partial Success');
    if (at < 0) continue;
    try {
      const p = JSON.parse(m.slice(m.indexOf('{', at))) as { rejectedLogRecords?: number | string; rejectedDataPoints?: number | string; errorMessage?: string };
      return { count: Number(p.rejectedLogRecords ?? p.rejectedDataPoints ?? 0), message: maskSecrets(p.errorMessage ?? '') };
    } catch {
      return { count: 0, message: maskSecrets(m) };
    }
  }
  return undefined;
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host || endpoint;
  } catch {
    return endpoint;
  }
}

/** Sends one signal through the official OTLP/gRPC exporter, headers as metadata. */
export async function sendGrpcSignal(target: ExportTarget, signal: Signal, payload: ReadableLogRecord[] | ResourceMetrics, metadata: Metadata, timeoutMs: number, tls?: AgentTls): Promise<SignalResult> {
  const options: Record<string, unknown> = { url: target.endpoint, metadata, timeoutMillis: timeoutMs };
  if (tls && (tls.ca || tls.cert) && target.endpoint.startsWith('https:')) options.credentials = grpcCredentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null);
  const base = { signal, url: hostOf(target.endpoint) };
  let exporter: Exporter;
  try {
    exporter = (signal === 'logs' ? new OTLPLogExporter(options) : new OTLPMetricExporter(options)) as unknown as Exporter;
  } catch (err) {
    return { ...base, ok: false, reached: false, status: null, latencyMs: 0, error: maskSecrets(`The exporter could not be built: ${(err as Error).message}`) };
  }
  const capture = capturePartialSuccess();
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await Promise.race([
      new Promise<ExportOutcome>((resolve) => exporter.export(payload, resolve)),
      new Promise<ExportOutcome>((resolve) => (timer = setTimeout(() => resolve({ code: 1, error: Object.assign(new Error('Deadline exceeded'), { code: 4 }) }), timeoutMs + 2000))),
    ]);
    const latencyMs = Date.now() - started;
    const err = outcome.error;
    if (outcome.code === 0) {
      const rejected = rejectedFrom(capture.messages);
      const ok = !(rejected && rejected.count > 0);
      return {
        ...base,
        ok,
        reached: true,
        status: 'gRPC 0 OK',
        grpcCode: 0,
        latencyMs,
        error: ok ? null : `The collector rejected ${rejected!.count} of the ${signal === 'logs' ? 'log records' : 'data points'}: ${rejected!.message || 'no reason given'}`,
        rejected,
      };
    }
    const code = typeof err?.code === 'number' ? err.code : undefined;
    const details = err?.details ?? err?.message ?? 'unknown error';
    // UNAVAILABLE and DEADLINE_EXCEEDED come from the client itself when nothing usable answered.
    const fromServer = code !== undefined && code !== 14 && code !== 4 && !/Protocol error|Received HTTP status code/i.test(details);
    const words = fromServer ? `gRPC ${code} ${grpcStatusName(code)}: ${details}` : classify(undefined, details, base.url, timeoutMs).words;
    return {
      ...base,
      ok: false,
      reached: fromServer,
      status: code !== undefined ? `gRPC ${code} ${grpcStatusName(code)}` : null,
      grpcCode: code,
      latencyMs,
      error: maskSecrets(words),
    };
  } finally {
    clearTimeout(timer);
    capture.release();
    void exporter.shutdown().catch(() => undefined);
  }
}
