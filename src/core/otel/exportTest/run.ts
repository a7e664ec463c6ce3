import { randomUUID } from 'node:crypto';
import { FILE_CAPS, readRegularFile } from '../../fsSafe';
import { maskSecrets } from '../../mask';
import { headerProblem } from './explain';
import { shownUrl } from './format';
import { hintFor } from './hints';
import type { AgentTls } from './observe';
import { testLogRecord, testMetricPoint, testResource } from './records';
import { grpcMetadata, sendGrpcSignal } from './sendGrpc';
import { sendHttpSignal } from './sendHttp';
import type { EffectiveOtel, ExportTarget, OtelTestResult, SendOptions, Signal, SignalResult } from './types';
import { plural } from '../../plural';

/** Beacon's workspace version (code-rs/Cargo.toml); the server sends its own crate version. */
const DEFAULT_SERVICE_VERSION = '0.0.0';

function blank(effective: EffectiveOtel, at: string): OtelTestResult {
  const t = effective.target;
  return {
    exporter: t?.kind ?? effective.exporterName ?? 'none',
    endpoint: t ? shownUrl(t.endpoint) : null,
    protocol: t ? (t.kind === 'otlp-grpc' ? 'grpc' : (t.protocol ?? null)) : null,
    ok: false,
    status: null,
    latencyMs: null,
    error: null,
    hint: null,
    signals: [],
    headersSent: [],
    headersDropped: [],
    resource: {},
    warnings: [...effective.warnings],
    exitCode: 1,
    at,
  };
}

/** The result when nothing can be sent: unusable config (exit 2) or no OTLP exporter (exit 1). */
function notSent(effective: EffectiveOtel, at: string): OtelTestResult | undefined {
  const result = blank(effective, at);
  if (effective.errors.length) {
    result.exitCode = 2;
    result.error = `The config has ${plural(effective.errors.length, 'error')}; Code would not start with it: ${effective.errors[0]}`;
    result.warnings.push(...effective.errors.slice(1));
    result.hint = 'Fix the config first (code-ops validate shows every error).';
    return result;
  }
  if (effective.target) return undefined;
  const name = effective.exporterName;
  result.error = name === 'none' ? 'exporter = "none": Code exports nothing.' : name ? `exporter = "${name}" is not OTLP: nothing to test.` : 'No [otel] exporter is configured: Code exports nothing.';
  result.hint = 'Configure [otel.exporter."otlp-http"] (endpoint ending in /v1/logs, protocol, headers) or [otel.exporter."otlp-grpc"] (endpoint, headers).';
  return result;
}

async function loadTls(target: ExportTarget): Promise<AgentTls | undefined> {
  const t = target.tls;
  if (!t) return undefined;
  const read = async (f?: string) => (f ? readRegularFile(f, FILE_CAPS.config) : undefined);
  return { ca: await read(t.caCertificate), cert: await read(t.clientCertificate), key: await read(t.clientPrivateKey) };
}

/** Splits the configured headers into what Code sends and what it drops. */
function validHeaders(target: ExportTarget): { headers: Record<string, string>; dropped: string[] } {
  const headers: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(target.headers)) {
    if (headerProblem(name, value)) dropped.push(`${name} (${headerProblem(name, value)})`);
    else headers[target.kind === 'otlp-grpc' ? name.toLowerCase() : name] = value;
  }
  return { headers, dropped };
}

/**
 * Sends one log record, then one metric point, through the exporter the effective [otel]
 * describes, and says what happened. Never throws for network or collector problems.
 */
export async function runOtelTest(effective: EffectiveOtel, options: SendOptions): Promise<OtelTestResult> {
  const at = new Date().toISOString();
  const early = notSent(effective, at);
  if (early) return early;
  const target = effective.target!;
  const result = blank(effective, at);
  const { resource, attributes } = testResource(effective.environment, options.serviceVersion ?? DEFAULT_SERVICE_VERSION);
  result.resource = attributes;
  const { headers, dropped } = validHeaders(target);
  result.headersDropped = dropped;
  if (target.kind === 'otlp-grpc' && target.endpoint.startsWith('https:')) {
    result.warnings.push(
      "Beacon's Cargo.lock builds tonic (Code's gRPC client) without a TLS backend: the server may not reach an https:// gRPC endpoint even when this test does.",
    );
  }
  let tls: AgentTls | undefined;
  try {
    tls = await loadTls(target);
  } catch (err) {
    result.exitCode = 2;
    result.error = maskSecrets(`A TLS file of the exporter cannot be read: ${(err as Error).message}`);
    return result;
  }
  const runId = randomUUID();
  const payloads: Record<Signal, () => Promise<unknown>> = { logs: () => testLogRecord(resource, runId), metrics: () => testMetricPoint(resource, runId) };
  const sent = new Set<string>();
  for (const signal of ['logs', 'metrics'] as const) {
    const payload = (await payloads[signal]()) as Parameters<typeof sendHttpSignal>[2];
    let r: SignalResult;
    if (target.kind === 'otlp-http') {
      const out = await sendHttpSignal(target, signal, payload, headers, options.timeoutMs, tls);
      for (const name of out.headerNames) if (Object.keys(headers).some((h) => h.toLowerCase() === name)) sent.add(name);
      const { headerNames: _names, ...rest } = out;
      r = rest;
    } else {
      const { metadata, refused } = grpcMetadata(headers);
      for (const name of refused) if (!result.headersDropped.some((d) => d.startsWith(`${name} `))) result.headersDropped.push(`${name} (not a valid gRPC metadata key)`);
      for (const name of Object.keys(metadata.getMap())) sent.add(name);
      r = await sendGrpcSignal(target, signal, payload, metadata, options.timeoutMs, tls);
    }
    result.signals.push(r);
  }
  result.headersSent = [...sent].sort();
  const failed = result.signals.find((s) => !s.ok);
  const shown = failed ?? result.signals[result.signals.length - 1];
  result.ok = !failed;
  result.exitCode = failed ? 1 : 0;
  result.status = shown.status;
  result.latencyMs = shown.latencyMs;
  result.error = failed ? failed.error : null;
  result.hint = failed ? (hintFor(target, failed, result.headersSent, result.headersDropped) ?? null) : null;
  return result;
}
