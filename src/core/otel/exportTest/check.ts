import { promises as fs } from 'node:fs';
import { maskSecrets } from '../../mask';
import type { LabeledAction } from '../../actions';
import type { OtelTestResult } from './types';

/**
 * The readiness check `otel-export-reachable`. It sends data, so a check run never
 * sends by itself: it shows the verdict of the last Send Test Telemetry run for this
 * CODE_HOME, kept (with its time) until config.toml or the managed layer changes, and
 * otherwise offers Run. Light on purpose: no exporter is loaded here.
 */

export interface ExportCheckPaths {
  root: string;
  configToml: string;
  managedConfigToml: string;
}

export interface ExportCheckVerdict {
  status: 'pass' | 'fail' | 'warn' | 'skip';
  detail: string;
  /** Run: send the test telemetry (the editor dispatches it; the CLI prints `code-ops otel-test`). */
  fix?: LabeledAction;
}

interface Kept {
  fingerprint: string;
  result: Pick<OtelTestResult, 'ok' | 'exitCode' | 'status' | 'error' | 'hint' | 'endpoint' | 'at' | 'signals'>;
}

/**
 * One store per process, shared by every bundle that includes this file (the command's
 * and the readiness view's are separate bundles), keyed by CODE_HOME.
 */
function store(): Map<string, Kept> {
  const key = Symbol.for('code-ops.otel-export-reachable');
  const g = globalThis as unknown as Record<symbol, Map<string, Kept> | undefined>;
  return (g[key] ??= new Map());
}

/** Changes whenever either config layer is written, created or removed. */
export async function configFingerprint(paths: ExportCheckPaths): Promise<string> {
  const parts: string[] = [];
  for (const file of [paths.configToml, paths.managedConfigToml]) {
    try {
      const st = await fs.stat(file);
      parts.push(`${st.size}:${st.mtimeMs}:${st.ino}`);
    } catch {
      parts.push('-');
    }
  }
  return parts.join('|');
}

/** Records the outcome of a test export for the check to show. */
export async function recordExportResult(paths: ExportCheckPaths, result: OtelTestResult): Promise<void> {
  const { ok, exitCode, status, error, hint, endpoint, at, signals } = result;
  store().set(paths.root, { fingerprint: await configFingerprint(paths), result: { ok, exitCode, status, error, hint, endpoint, at, signals } });
}

export function forgetExportResults(): void {
  store().clear();
}

const RUN: LabeledAction = { label: 'Run', action: { kind: 'sendTestTelemetry' } };

export async function otelExportReachable(paths: ExportCheckPaths): Promise<ExportCheckVerdict> {
  const kept = store().get(paths.root);
  if (!kept) return { status: 'skip', detail: 'Not run: it sends one test log record and metric point to the collector. Use Run (or `code-ops otel-test`).', fix: RUN };
  if (kept.fingerprint !== (await configFingerprint(paths))) {
    return { status: 'skip', detail: `The config changed since the last test export (${kept.result.at}); use Run to send again.`, fix: RUN };
  }
  const r = kept.result;
  const when = `at ${r.at}`;
  if (r.ok) {
    const latency = r.signals.map((s) => `${s.signal} ${s.latencyMs} ms`).join(', ');
    return { status: 'pass', detail: maskSecrets(`The collector accepted the test record and metric point (${r.status}; ${latency}) ${when}.`) };
  }
  const logsOk = r.signals.find((s) => s.signal === 'logs')?.ok;
  // Accepted logs with refused metrics: Code's events do arrive (see the hint for why metrics may not).
  const status = logsOk ? 'warn' : 'fail';
  return { status, detail: maskSecrets(`${r.error ?? r.status ?? 'Not accepted'}${r.hint ? ` ${r.hint}` : ''} (${when})`), fix: RUN };
}
