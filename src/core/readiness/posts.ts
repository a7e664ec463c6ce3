import type { ServerSnapshot } from '../appServer/types';
import { maskSecrets } from '../mask';
import type { MessageTemplate } from './model';
import { plural } from '../plural';

/**
 * Fills the checklist's on-call templates with what the extension knows (time,
 * server state, restarts, last panic) and leaves the human parts (impact,
 * owner, root cause, links) as the template's own placeholders.
 */

export interface IncidentFacts {
  now: Date;
  server?: ServerSnapshot;
  lastPanicLine?: string;
  /** When the last panic happened (its log line's or stderr's time), for the post's Time. */
  panicAt?: Date;
  /** When the trouble started, if known (first panic, start of the crash loop). */
  since?: Date;
  codeHome?: string;
}

export const FALLBACK_INCIDENT_TEMPLATE = `INCIDENT: [CRITICAL/WARNING] - [Brief Description]
- Time: [HH:MM UTC]
- Impact: [% users affected / services down]
- Status: Investigating
- Owner: @engineer-name
- Dashboard: [link]`;

export const FALLBACK_RESOLUTION_TEMPLATE = `RESOLVED: [Brief Description]
- Duration: [X minutes]
- Root Cause: [1-2 sentences]
- Resolution: [Action taken]
- Follow-up: [Ticket link for post-mortem]`;

/** `2026-12-01 10:05 UTC`: the date matters when a post is written the morning after. */
function dateTimeUtc(d: Date): string {
  return `${d.toISOString().slice(0, 10)} ${hhmmUtc(d)} UTC`;
}

function hhmmUtc(d: Date): string {
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function serverLine(s: ServerSnapshot | undefined): string | undefined {
  if (!s) return undefined;
  const parts = [`${s.state}`];
  if (s.pid) parts.push(`pid ${s.pid}`);
  parts.push(plural(s.restartsInWindow, 'restart') + ' in 10 min');
  return `${parts.join(', ')} — ${s.reason}`;
}

function critical(facts: IncidentFacts): boolean {
  return !!facts.lastPanicLine || facts.server?.state === 'crash-loop' || (facts.server?.restartsInWindow ?? 0) > 3;
}

function pickTemplate(templates: readonly MessageTemplate[], kind: 'incident' | 'resolution', fallback: string): string {
  return templates.find((t) => t.kind === kind)?.text ?? fallback;
}

function appendContext(text: string, facts: IncidentFacts): string {
  const extra: string[] = [];
  const server = serverLine(facts.server);
  if (server) extra.push(`- App server: ${server}`);
  // masked before it is put between backticks: a secret's pattern must not take the closing one
  if (facts.lastPanicLine) extra.push(`- Last panic${facts.panicAt ? ` (${dateTimeUtc(facts.panicAt)})` : ''}: \`${maskSecrets(facts.lastPanicLine.replace(/[`\r\n]/g, (c) => (c === '`' ? "'" : ' ')))}\``);
  if (facts.codeHome) extra.push(`- CODE_HOME: ${facts.codeHome}`);
  return extra.length ? `${text.trimEnd()}\n${extra.join('\n')}` : text;
}

export function incidentPost(templates: readonly MessageTemplate[], facts: IncidentFacts): string {
  let text = pickTemplate(templates, 'incident', FALLBACK_INCIDENT_TEMPLATE);
  // The time of the incident is the panic's when there is one, not the time of copying.
  text = text.replace(/\[HH:MM UTC\]/g, dateTimeUtc(facts.panicAt ?? facts.now));
  if (critical(facts)) text = text.replace(/\[CRITICAL\/WARNING\]/g, 'CRITICAL');
  return maskSecrets(appendContext(text, facts));
}

export function resolutionPost(templates: readonly MessageTemplate[], facts: IncidentFacts): string {
  let text = pickTemplate(templates, 'resolution', FALLBACK_RESOLUTION_TEMPLATE);
  if (facts.since && facts.since.getTime() <= facts.now.getTime()) {
    const minutes = Math.max(1, Math.round((facts.now.getTime() - facts.since.getTime()) / 60_000));
    text = text.replace(/\[X minutes\]/g, `${minutes} minute${minutes === 1 ? '' : 's'} (since ${hhmmUtc(facts.since)} UTC)`);
  }
  return maskSecrets(appendContext(text, facts));
}
