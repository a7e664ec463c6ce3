import { maskSecrets } from '../../mask';
import type { OtelTestResult } from './types';

/** An endpoint for people: masked secrets, and no password of a `user:password@` part. */
export function shownUrl(url: string): string {
  return maskSecrets(url.replace(/^([a-z][\w+.-]*:\/\/)[^/@\s]*@/i, '$1****@'));
}

/** The documented `--json` shape (plus the header names and warnings); every string masked. */
export function resultJson(r: OtelTestResult): Record<string, unknown> {
  return JSON.parse(
    maskSecrets(
      JSON.stringify({
        exporter: r.exporter,
        endpoint: r.endpoint,
        protocol: r.protocol,
        ok: r.ok,
        status: r.status,
        latencyMs: r.latencyMs,
        error: r.error,
        hint: r.hint,
        signals: r.signals.map((s) => ({ signal: s.signal, ok: s.ok, status: s.status, latencyMs: s.latencyMs, error: s.error, url: shownUrl(s.url), reached: s.reached, ...(s.rejected ? { rejected: s.rejected } : {}) })),
        headersSent: r.headersSent,
        headersDropped: r.headersDropped,
        resource: r.resource,
        warnings: r.warnings,
        at: r.at,
      }),
    ),
  ) as Record<string, unknown>;
}

/** One line: the verdict, for a notification or a tree item. */
export function summaryLine(r: OtelTestResult): string {
  if (!r.signals.length) return maskSecrets(r.error ?? 'Nothing was sent.');
  if (r.ok) return `Telemetry reached ${r.endpoint} and was accepted (${r.signals.map((s) => `${s.signal} ${s.status}, ${s.latencyMs} ms`).join('; ')}).`;
  const failed = r.signals.find((s) => !s.ok)!;
  return maskSecrets(`${failed.signal === 'logs' ? 'The test log record' : 'The test metric point'} ${failed.reached ? 'reached the collector but was not accepted' : 'did not reach the collector'}: ${failed.error ?? failed.status}`);
}

/** The full report, for a terminal or an output channel. */
export function resultText(r: OtelTestResult): string {
  const lines: string[] = [];
  lines.push(`Exporter: ${r.exporter}${r.protocol ? ` (${r.protocol})` : ''}${r.endpoint ? ` -> ${shownUrl(r.endpoint)}` : ''}`);
  if (Object.keys(r.resource).length) lines.push(`Resource: ${Object.entries(r.resource).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (r.signals.length || r.headersDropped.length) {
    lines.push(`Headers sent (names only): ${r.headersSent.length ? r.headersSent.join(', ') : 'none'}`);
  }
  if (r.headersDropped.length) lines.push(`Headers dropped: ${r.headersDropped.join('; ')}`);
  for (const s of r.signals) {
    const verdict = s.ok ? 'accepted' : s.reached ? 'reached, NOT accepted' : 'NOT reached';
    lines.push(`  ${s.signal.padEnd(7)} ${verdict.padEnd(21)} ${(s.status ?? '-').padEnd(24)} ${String(s.latencyMs).padStart(5)} ms  ${shownUrl(s.url)}`);
    if (s.rejected) lines.push(`          partial success: ${s.rejected.count} rejected${s.rejected.message ? ` (${s.rejected.message})` : ''}`);
    if (s.error && !s.ok) lines.push(`          ${s.error}`);
  }
  lines.push(r.ok ? 'Result: every signal was accepted.' : `Result: ${r.signals.length ? 'NOT accepted' : 'nothing sent'}${r.error && !r.signals.length ? `: ${r.error}` : '.'}`);
  if (r.hint) lines.push(`Hint: ${r.hint}`);
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  return maskSecrets(`${lines.join('\n')}\n`);
}
