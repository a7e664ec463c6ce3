import type { ConfigReport, LogsReport, PanicOut, ReadinessReport, ServerStatus } from './facade';
import { plural } from '../core/plural';

/** Plain text a model reads well: facts first, one per line, what to do next at the end. */

const ms = (v: number | null) => (v === null ? 'n/a' : `${v} ms`);

export function renderStatus(s: ServerStatus): string {
  const lines = [
    `${s.healthy ? 'HEALTHY' : `NOT HEALTHY (${s.state})`}: ${s.target}`,
    `how known: ${s.source === 'probe' ? 'a fresh probe (started or attached, handshook, probed once, stopped)' : 'the supervisor in the editor (live state, no new probe)'}`,
    `reason: ${s.reason}`,
    `initialize: ${ms(s.initializeMs)}; liveness probe: ${ms(s.probeMs)}`,
    `user agent: ${s.userAgent ?? 'unknown'}`,
    `home the server reports: ${s.reportedHome ?? 'not reported (Code reports only userAgent; upstream codex reports codexHome)'}`,
    `CODE_HOME given to it: ${s.codeHome}`,
  ];
  if (s.exitCode !== null) lines.push(`exit code: ${s.exitCode}`);
  if (s.restartsInWindow !== undefined) lines.push(`restarts in the last 10 minutes: ${s.restartsInWindow}`);
  lines.push(s.configWarnings.length ? `config warnings (${s.configWarnings.length}):` : 'config warnings: none');
  for (const w of s.configWarnings) lines.push(`  - ${w}`);
  if (s.panics?.length) {
    lines.push(`panics seen on stderr (${s.panics.length}):`);
    for (const p of s.panics.slice(-5)) lines.push(`  ${p.at} ${p.line}`);
  }
  if (s.history?.length) {
    lines.push(`state changes (newest last, ${s.history.length}):`);
    for (const h of s.history) lines.push(`  ${h.at} ${h.from} -> ${h.to}: ${h.reason}`);
  }
  if (s.stderrTail.length) {
    lines.push(`last ${plural(Math.min(s.stderrTail.length, 10), 'stderr line')}:`);
    for (const l of s.stderrTail.slice(-10)) lines.push(`  ${l}`);
  }
  return lines.join('\n');
}

export function renderReadiness(r: ReadinessReport): string {
  const c = r.counts;
  const lines = [`Readiness for ${r.target} (CODE_HOME ${r.codeHome}): ${plural(r.checks.length, 'check')}: ${c.fail} fail, ${c.warn} warn, ${c.pass} pass, ${c.skip} skip.`];
  for (const x of r.checks) lines.push(`${x.status.toUpperCase().padEnd(4)} ${x.id} (${x.title}${x.section ? `; section ${x.section}` : ''}): ${x.detail}`);
  if (r.checks.length === 0) lines.push('No automatic check belongs to that selection.');
  return lines.join('\n');
}

export function renderConfig(r: ConfigReport): string {
  const lines = [`[otel] validation for ${r.target} (CODE_HOME ${r.codeHome}): ${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')}.`];
  for (const l of r.layers) {
    if (!l.present) {
      lines.push(`${l.layer}: ${l.file} is absent.`);
      continue;
    }
    if (l.readError) {
      lines.push(`${l.layer}: ${l.readError}`);
      continue;
    }
    lines.push(`${l.layer}: ${l.file} (${l.dialect} rules): ${l.diagnostics.length ? plural(l.diagnostics.length, 'problem') : 'no problems'}`);
    for (const d of l.diagnostics) lines.push(`  ${l.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]`);
  }
  const e = r.effective;
  lines.push(
    'effective [otel]:',
    `  environment = ${e.environment ? `"${e.environment.value}" (from ${e.environment.from})` : '"dev" (default)'}`,
    `  exporter = ${e.exporter ? `${e.exporter.value} (from ${e.exporter.from})` : 'none (default)'}`,
    `  log_user_prompt = ${e.logUserPrompt ? `${e.logUserPrompt.value} (from ${e.logUserPrompt.from})` : 'false (default)'}`,
  );
  return lines.join('\n');
}

export function renderLogs(r: LogsReport, filter: string): string {
  if (r.missing) return `No ${r.log === 'tui' ? 'code-tui.log' : 'critical.log.*'} file exists yet under this CODE_HOME.`;
  const head = `${r.entries.length} entr${r.entries.length === 1 ? 'y' : 'ies'} of ${r.log === 'tui' ? 'the TUI log' : 'the critical log'}${filter}${r.omitted ? ` (${r.omitted} older matching entries not shown)` : ''}; files: ${r.files.join(', ')}`;
  const lines = [head];
  for (const e of r.entries) lines.push(`${e.panic ? '[PANIC] ' : ''}${shortFile(e.file)}:${e.line}: ${e.text}`);
  return lines.join('\n');
}

export function renderPanics(p: { panics: PanicOut[]; omitted: number; files: string[] }, window: string): string {
  if (p.panics.length === 0) return `No panics ${window} in ${p.files.length ? p.files.join(', ') : 'any log (none exists yet)'}.`;
  const lines = [`${plural(p.panics.length, 'panic')} ${window}${p.omitted ? ` (${p.omitted} older not shown)` : ''}:`];
  for (const x of p.panics) {
    lines.push(`- ${x.time ?? 'time unknown'} in ${x.file}:${x.line}`);
    lines.push(`  location: ${x.location ?? 'unknown'}; thread: ${x.thread ?? 'unknown'}`);
    lines.push(`  message: ${x.message ?? 'not in the log'}`);
  }
  return lines.join('\n');
}

function shortFile(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts.slice(-2).join('/');
}
