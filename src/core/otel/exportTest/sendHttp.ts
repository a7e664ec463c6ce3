import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { JsonLogsSerializer, JsonMetricsSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { maskSecrets } from '../../mask';
import { classify } from './explain';
import { shownUrl } from './format';
import { AttemptObserver, type AgentTls, type Attempt } from './observe';
import type { ExportTarget, Signal, SignalResult } from './types';

/** What the export callback reports (ExportResult of @opentelemetry/core). */
interface ExportOutcome {
  code: number;
  error?: Error;
}

interface Exporter<T> {
  export(items: T, done: (r: ExportOutcome) => void): void;
  shutdown(): Promise<void>;
}

function exporterFor(target: ExportTarget, signal: Signal, options: object): Exporter<unknown> {
  const json = target.protocol === 'json';
  if (signal === 'logs') return (json ? new JsonLogExporter(options) : new ProtoLogExporter(options)) as Exporter<unknown>;
  return (json ? new JsonMetricExporter(options) : new ProtoMetricExporter(options)) as Exporter<unknown>;
}

/** The collector's partial-success answer, decoded by the official deserializers. */
function rejectedIn(target: ExportTarget, signal: Signal, body: Buffer | undefined): { count: number; message: string } | undefined {
  if (!body?.length) return undefined;
  try {
    const json = target.protocol === 'json';
    const serializer = signal === 'logs' ? (json ? JsonLogsSerializer : ProtobufLogsSerializer) : json ? JsonMetricsSerializer : ProtobufMetricsSerializer;
    const response = serializer.deserializeResponse(new Uint8Array(body)) as { partialSuccess?: { rejectedLogRecords?: number; rejectedDataPoints?: number; errorMessage?: string } };
    const p = response?.partialSuccess;
    if (!p) return undefined;
    const count = Number(p.rejectedLogRecords ?? p.rejectedDataPoints ?? 0);
    const message = p.errorMessage ?? '';
    return count > 0 || message ? { count, message: maskSecrets(message) } : undefined;
  } catch {
    return undefined;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function fromAttempt(target: ExportTarget, signal: Signal, a: Attempt, timeoutMs: number): SignalResult {
  const base = { signal, url: shownUrl(target.endpoint), latencyMs: a.endedAt - a.startedAt };
  if (a.status !== undefined) {
    const ok2xx = a.status >= 200 && a.status < 300;
    const rejected = ok2xx ? rejectedIn(target, signal, a.body) : undefined;
    const ok = ok2xx && !(rejected && rejected.count > 0);
    const bodyText = !ok2xx && a.body?.length ? ` ${maskSecrets(a.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200))}` : '';
    return {
      ...base,
      ok,
      reached: true,
      status: `HTTP ${a.status}`,
      httpStatus: a.status,
      error: ok ? null : rejected ? `The collector rejected ${rejected.count} of the ${signal === 'logs' ? 'log records' : 'data points'}: ${rejected.message || 'no reason given'}` : `HTTP ${a.status} ${a.statusMessage ?? ''}.${bodyText}`.replace(/ \./, '.'),
      rejected,
    };
  }
  const host = hostOf(target.endpoint);
  if (a.timedOut) return { ...base, ok: false, reached: false, status: null, error: classify('ETIMEDOUT', 'timed out', host, timeoutMs).words };
  const err = a.error as (NodeJS.ErrnoException & { cert?: { subjectaltname?: string } }) | undefined;
  const names = err?.cert?.subjectaltname ? ` cert's altnames: ${err.cert.subjectaltname}` : '';
  return { ...base, ok: false, reached: false, status: null, error: maskSecrets(classify(err?.code, `${err?.message ?? 'the connection closed without an answer'}${names}`, host, timeoutMs).words) };
}

/**
 * Sends one signal through the official OTLP/HTTP exporter (protobuf or JSON), to the
 * endpoint exactly as written: Code's `with_endpoint` uses it verbatim for both signals.
 */
export async function sendHttpSignal(target: ExportTarget, signal: Signal, payload: ReadableLogRecord[] | ResourceMetrics, headers: Record<string, string>, timeoutMs: number, tls?: AgentTls): Promise<SignalResult & { headerNames: string[] }> {
  const observer = new AttemptObserver(timeoutMs, tls);
  const started = Date.now();
  let exporter: Exporter<unknown>;
  try {
    exporter = exporterFor(target, signal, { url: target.endpoint, headers, timeoutMillis: timeoutMs, httpAgentOptions: observer.agentFactory, keepAlive: false });
  } catch (err) {
    observer.dispose();
    return { signal, url: shownUrl(target.endpoint), ok: false, reached: false, status: null, latencyMs: 0, error: maskSecrets(`The exporter could not be built: ${(err as Error).message}`), headerNames: [] };
  }
  const callback = new Promise<ExportOutcome>((resolve) => exporter.export(payload, resolve));
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<'guard'>((resolve) => (timer = setTimeout(() => resolve('guard'), timeoutMs + 2000)));
  try {
    const first = await Promise.race<Attempt | ExportOutcome | 'guard'>([observer.first, callback.then<Attempt | ExportOutcome>((r) => (observer.requested ? observer.first : r)), guard]);
    if (first === 'guard') {
      return { signal, url: shownUrl(target.endpoint), ok: false, reached: false, status: null, latencyMs: Date.now() - started, error: `No outcome after ${timeoutMs} ms.`, headerNames: [] };
    }
    if ('startedAt' in first) return { ...fromAttempt(target, signal, first, timeoutMs), headerNames: first.headerNames };
    // The exporter failed before any request left (a URL it cannot use, nothing to send).
    const message = first.error?.message ?? 'the exporter reported a failure before sending';
    return { signal, url: shownUrl(target.endpoint), ok: false, reached: false, status: null, latencyMs: Date.now() - started, error: maskSecrets(message), headerNames: [] };
  } finally {
    clearTimeout(timer);
    observer.dispose();
    // Later retries now fail at once (see observe.ts); shutting down waits for nothing of ours.
    void exporter.shutdown().catch(() => undefined);
  }
}
