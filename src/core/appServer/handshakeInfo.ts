import * as path from 'node:path';
import { maskSecrets } from '../mask';
import type { InitializeResult } from './connection';

/**
 * What the server tells about itself during the handshake, read the same way
 * by the supervisor and `code-ops probe`:
 * - the `initialize` result: `userAgent` (both servers) and `codexHome`
 *   (upstream codex only; Beacon's result is `{userAgent}`);
 * - `configWarning` notifications (upstream, and Code since 2026-02):
 *   `{summary, details, path, range}`. One with a `path` means a config file
 *   was not applied (the server runs on defaults); others (bubblewrap missing
 *   from PATH) are about the machine.
 */

/** A position as the server sends it: 1-based line and column. */
export interface ConfigWarningPosition {
  line: number;
  column: number;
}

export interface ConfigWarning {
  summary: string;
  details: string | null;
  /** The config file it concerns; null when it is not about a file. */
  path: string | null;
  range?: { start: ConfigWarningPosition; end: ConfigWarningPosition };
}

export const CONFIG_WARNING_METHOD = 'configWarning';
/** Bounded: a server repeating warnings must not grow the snapshot. */
export const MAX_CONFIG_WARNINGS = 20;
const MAX_TEXT = 2000;

function text(v: unknown): string | null {
  if (typeof v !== 'string' || !v.trim()) return null;
  const masked = maskSecrets(v);
  return masked.length > MAX_TEXT ? `${masked.slice(0, MAX_TEXT)}… (cut)` : masked;
}

function position(v: unknown): ConfigWarningPosition | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { line, column } = v as Record<string, unknown>;
  if (!Number.isInteger(line) || !Number.isInteger(column) || (line as number) < 0 || (column as number) < 0) return undefined;
  return { line: line as number, column: column as number };
}

/** The params of a `configWarning` notification, or undefined when they are not one. */
export function parseConfigWarning(params: unknown): ConfigWarning | undefined {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return undefined;
  const p = params as Record<string, unknown>;
  const summary = text(p.summary);
  if (!summary) return undefined;
  const warning: ConfigWarning = { summary, details: text(p.details), path: text(p.path) };
  const r = p.range as Record<string, unknown> | undefined;
  const start = position(r?.start);
  const end = position(r?.end);
  if (start && end) warning.range = { start, end };
  return warning;
}

/** True when the warning says a config file was not applied as written. */
export function concernsConfigFile(w: ConfigWarning): boolean {
  return w.path !== null;
}

/** Adds a warning unless the same one is already there; keeps at most MAX_CONFIG_WARNINGS. */
export function addWarning(list: readonly ConfigWarning[], w: ConfigWarning): ConfigWarning[] {
  const same = (a: ConfigWarning) => a.summary === w.summary && a.details === w.details && a.path === w.path;
  if (list.some(same)) return list.slice();
  return [...list, w].slice(-MAX_CONFIG_WARNINGS);
}

export function userAgentOf(result: InitializeResult): string | undefined {
  return typeof result.userAgent === 'string' ? maskSecrets(result.userAgent) : undefined;
}

/** The home the server reports it uses (`codexHome`, upstream only). */
export function serverHomeOf(result: InitializeResult): string | undefined {
  const home = result.codexHome;
  return typeof home === 'string' && home.trim() ? home : undefined;
}

function sameFolder(a: string, b: string): boolean {
  const norm = (p: string) => path.resolve(p).replace(/[\\/]+$/, '');
  return process.platform === 'win32' ? norm(a).toLowerCase() === norm(b).toLowerCase() : norm(a) === norm(b);
}

/**
 * When the server's home differs from the one Code Ops checks, tails and
 * validates: a sentence saying so (the status detail and readiness show it).
 */
export function homeMismatch(serverHome: string | undefined, checkedHome: string | undefined): string | undefined {
  if (!serverHome || !checkedHome || sameFolder(serverHome, checkedHome)) return undefined;
  return `The server uses ${serverHome} as its home, but Code Ops checks ${checkedHome}: its config, logs and readiness results are not about this server. Set CODEX_HOME (and CODE_HOME) in codeOps.appServer.env to the same folder, or point codeOps.codeHome at ${serverHome}.`;
}

/** One line per warning for people: summary, details, where. */
export function describeWarning(w: ConfigWarning): string {
  const where = w.path ? ` (${w.path}${w.range ? `:${w.range.start.line}:${w.range.start.column}` : ''})` : '';
  return `${w.summary}${w.details && !w.summary.includes(w.details) ? ` ${w.details}` : ''}${where}`;
}

/**
 * What makes a running server "up, but not as Code Ops sees it", as sentences: the home it
 * reports differs from the checked one, or a config file was not applied. Empty when neither.
 * Shared by the status bar, readiness (app-server-liveness warns) and `code-ops probe`.
 */
export function serverConcerns(s: { homeMismatch?: string | null; configWarnings?: readonly ConfigWarning[] }): string[] {
  const out: string[] = [];
  if (s.homeMismatch) out.push(s.homeMismatch);
  for (const w of s.configWarnings ?? []) {
    if (concernsConfigFile(w)) out.push(`The server did not apply ${w.path}: ${describeWarning(w)}`);
  }
  return out;
}
