/**
 * The one place the agent features (the `code-ops mcp` server and the editor's
 * language-model tools) call into src/core. Everything returned is plain data,
 * secrets masked. When the core's entry points move, only this file changes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeHomePaths, resolveCodeHome, type CodeHome, type CodeHomePaths } from '../core/codeHome';
import { maskSecrets } from '../core/mask';
import { probeOnce } from '../core/appServer/probe';
import { buildServerEnv } from '../core/appServer/env';
import type { ServerSnapshot, StateChange } from '../core/appServer/types';
import { criticalMemberDate, isPanicLine, lineLevel, lineTimestampMs, listCriticalLogs, tuiLogFile } from '../core/logs/index';
import { detectDialect, validateConfigBytes, type Dialect, type ReadinessTarget } from '../core/otel/index';
import { readRegularFile, FileReadError, FILE_CAPS } from '../core/fsSafe';
import { builtinChecklist, checkInfo, CHECK_IDS, DEFAULT_CHECK_SETTINGS, runChecks, sectionOfCheck, summarize, type CheckStatus } from '../core/readiness/index';
import { defaultCheckDeps } from '../core/readiness/deps';
import { fileEntries, LEVELS, Newest, panicDetails, type Level, type LineParser, type LogEntry, type PanicDetails } from './logEntries';

export { maskSecrets, CHECK_IDS, LEVELS };
export type { Level, ServerSnapshot, StateChange, ReadinessTarget, Dialect };

export const TARGETS: readonly ReadinessTarget[] = ['production', 'staging', 'development'];

/** What the operator configured (flags, settings): never tool input. */
export interface OperatorConfig {
  codeHome: string;
  command: string;
  args: readonly string[];
  socket?: string;
  serverEnv?: Record<string, string | null>;
  serverCwd?: string;
  timeoutMs: number;
  target: ReadinessTarget;
  dialect: 'auto' | Dialect;
  backupGlob?: string;
  backupMaxAgeDays?: number;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted when serving ends (the client closed stdin, a signal): a probe in progress stops its server at once. */
  signal?: AbortSignal;
}

export function resolveHome(override: string | undefined, env: NodeJS.ProcessEnv, cwd: string): CodeHome {
  return resolveCodeHome({ override, env, cwd });
}

export function pathsOf(codeHome: string): CodeHomePaths {
  return codeHomePaths(codeHome);
}

// ---- server_status -------------------------------------------------------

export interface ServerStatus {
  source: 'probe' | 'supervisor';
  target: string;
  state: string;
  healthy: boolean;
  reason: string;
  initializeMs: number | null;
  probeMs: number | null;
  userAgent: string | null;
  /** The home the server reports (`codexHome` in its initialize result), when it reports one. */
  reportedHome: string | null;
  /** The CODE_HOME Code Ops resolved for it. */
  codeHome: string;
  configWarnings: string[];
  exitCode: number | null;
  stderrTail: string[];
  restartsInWindow?: number;
  history?: Array<{ at: string; from: string; to: string; reason: string }>;
  panics?: Array<{ at: string; line: string }>;
}

export function describeTarget(c: Pick<OperatorConfig, 'socket' | 'command' | 'args'>): string {
  return c.socket ? `the server on the Unix socket ${c.socket}` : [c.command, ...c.args].join(' ');
}

/** Starts (or connects to) the operator's server, handshakes, probes once and stops it. */
export async function probeServer(c: OperatorConfig): Promise<ServerStatus> {
  const env = buildServerEnv({ base: c.env, overrides: c.serverEnv, codeHome: c.codeHome });
  const r = await probeOnce({
    command: c.command,
    args: [...c.args],
    env,
    cwd: c.serverCwd ?? c.cwd,
    socket: c.socket,
    timeoutMs: c.timeoutMs,
    codeHome: c.codeHome,
    signal: c.signal,
  });
  return {
    source: 'probe',
    target: maskSecrets(describeTarget(c)),
    state: r.state,
    healthy: r.healthy,
    reason: maskSecrets(r.error ?? (r.healthy ? 'answered initialize and a liveness probe' : 'no reason given')),
    initializeMs: r.initializeMs,
    probeMs: r.probeMs,
    userAgent: r.userAgent,
    reportedHome: r.codexHome,
    codeHome: c.codeHome,
    configWarnings: r.configWarnings.map((w) => configWarningText(w)),
    exitCode: r.exitCode,
    stderrTail: r.stderrTail.map(maskSecrets),
  };
}

/** A `configWarning` notification's words, secrets masked. */
export function configWarningText(params: unknown): string {
  const p = (params ?? {}) as { summary?: unknown; details?: unknown };
  const text = [p.summary, p.details].filter((v): v is string => typeof v === 'string' && v !== '').join(' ');
  return maskSecrets(text || 'The server reported a configuration warning.');
}

/** The supervised server's live state (the editor), in the same shape as a probe. */
export function supervisedStatus(input: {
  snapshot: ServerSnapshot;
  transitions: readonly StateChange[];
  stderr: readonly string[];
  configWarnings: readonly string[];
  target: string;
  codeHome: string;
  historyLimit?: number;
}): ServerStatus {
  const s = input.snapshot;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    source: 'supervisor',
    target: maskSecrets(input.target),
    state: s.state,
    healthy: s.state === 'healthy',
    reason: maskSecrets(s.lastError && s.state !== 'healthy' ? `${s.reason} (${s.lastError})` : s.reason),
    initializeMs: s.initializeMs ?? null,
    probeMs: s.lastProbeMs ?? null,
    userAgent: s.userAgent ?? null,
    reportedHome: s.serverHome ?? null,
    codeHome: input.codeHome,
    configWarnings: [...(s.configWarnings ?? []).map((w) => configWarningText(w)), ...input.configWarnings.map(maskSecrets)].filter((w, i, all) => all.indexOf(w) === i),
    exitCode: s.exitCode ?? null,
    stderrTail: input.stderr.slice(-20).map(maskSecrets),
    restartsInWindow: s.restartsInWindow,
    history: input.transitions.slice(-(input.historyLimit ?? 20)).map((t) => ({ at: iso(t.at), from: t.from, to: t.to, reason: maskSecrets(t.reason) })),
    panics: s.panics.map((p) => ({ at: iso(p.at), line: maskSecrets(p.line) })),
  };
}

// ---- readiness -----------------------------------------------------------

export interface ReadinessRow {
  id: string;
  title: string;
  section: string;
  status: CheckStatus;
  detail: string;
}

export interface ReadinessReport {
  codeHome: string;
  target: ReadinessTarget;
  counts: Record<CheckStatus, number>;
  checks: ReadinessRow[];
}

export function sectionTitles(): string[] {
  return builtinChecklist().sections.map((s) => s.title);
}

/**
 * Runs the automatic checks (all, one check id, or the checks of one section of
 * the built-in checklist). `probe` lets app-server-liveness start the operator's
 * server; `server` is the supervised server's live view (the editor).
 */
export async function readiness(c: OperatorConfig, options: { check?: string; section?: string; probe: boolean; server?: { snapshot: ServerSnapshot; recentStderr: readonly string[] } }): Promise<ReadinessReport> {
  const where = sectionOfCheck(builtinChecklist());
  let ids = [...CHECK_IDS];
  if (options.check) {
    if (!(CHECK_IDS as readonly string[]).includes(options.check)) throw new Error(`Unknown check id '${options.check}'. Check ids: ${CHECK_IDS.join(', ')}.`);
    ids = ids.filter((id) => id === options.check);
  }
  if (options.section) {
    const wanted = options.section.trim().toLowerCase();
    const titles = sectionTitles();
    const match = titles.find((t) => t.toLowerCase() === wanted) ?? titles.find((t) => t.toLowerCase().includes(wanted));
    if (!match) throw new Error(`No checklist section matches '${options.section}'. Sections: ${titles.join('; ')}.`);
    ids = ids.filter((id) => where.get(id)?.section === match);
  }
  const results = await runChecks(
    {
      codeHome: c.codeHome,
      paths: codeHomePaths(c.codeHome),
      settings: {
        ...DEFAULT_CHECK_SETTINGS,
        target: c.target,
        dialect: c.dialect,
        serverCommand: c.command,
        serverArgs: [...c.args],
        serverEnv: c.serverEnv ?? {},
        serverCwd: c.serverCwd,
        socket: c.socket,
        probeTimeoutMs: c.timeoutMs,
        backupGlob: c.backupGlob ?? '',
        backupMaxAgeDays: c.backupMaxAgeDays ?? DEFAULT_CHECK_SETTINGS.backupMaxAgeDays,
      },
      env: c.env,
      cwd: c.cwd,
      homedir: c.env.HOME || os.homedir(),
      server: options.server ? { snapshot: options.server.snapshot, recentStderr: [...options.server.recentStderr] } : undefined,
      probe: options.probe,
      now: () => Date.now(),
      platform: process.platform,
      deps: defaultCheckDeps(),
    },
    ids,
  );
  const checks = results.map((r) => ({ id: r.id, title: checkInfo(r.id).title, section: where.get(r.id)?.section ?? '', status: r.status, detail: maskSecrets(r.detail) }));
  const counts = summarize(results);
  return { codeHome: c.codeHome, target: c.target, counts: { pass: counts.pass, fail: counts.fail, warn: counts.warn, skip: counts.skip }, checks };
}

// ---- validate_config -----------------------------------------------------

export interface ConfigLayer {
  layer: 'config.toml' | 'managed (CODE_HOME)' | 'managed (system)';
  file: string;
  present: boolean;
  readError?: string;
  dialect?: Dialect;
  diagnostics: Array<{ severity: string; code: string; message: string; line: number; column: number }>;
}

export interface ConfigReport {
  codeHome: string;
  target: ReadinessTarget;
  layers: ConfigLayer[];
  /** The [otel] values that apply (a managed layer overrides config.toml key by key) and where each comes from. */
  effective: { environment?: { value: string; from: string }; exporter?: { value: string; from: string }; logUserPrompt?: { value: boolean; from: string } };
  errors: number;
  warnings: number;
}

/** On Unix Code reads the managed layer from /etc/code; elsewhere from CODE_HOME. */
const SYSTEM_MANAGED = process.platform === 'win32' ? undefined : '/etc/code/managed_config.toml';

/** Validates [otel] in config.toml and the managed layers, in the order the server applies them. */
export async function validateConfig(c: Pick<OperatorConfig, 'codeHome' | 'target' | 'dialect' | 'command' | 'env'>): Promise<ConfigReport> {
  const paths = codeHomePaths(c.codeHome);
  const files: Array<[ConfigLayer['layer'], string]> = [
    ['config.toml', paths.configToml],
    ['managed (CODE_HOME)', paths.managedConfigToml],
  ];
  if (SYSTEM_MANAGED) files.push(['managed (system)', SYSTEM_MANAGED]);
  const layers: ConfigLayer[] = [];
  const effective: ConfigReport['effective'] = {};
  for (const [layer, file] of files) {
    let bytes: Buffer;
    try {
      bytes = await readRegularFile(file, FILE_CAPS.config);
    } catch (err) {
      const e = err as FileReadError;
      if (e.code === 'ENOENT') layers.push({ layer, file, present: false, diagnostics: [] });
      else layers.push({ layer, file, present: true, readError: maskSecrets(e.message), diagnostics: [] });
      continue;
    }
    const dialect = detectDialect({ setting: c.dialect, filePath: file, serverCommand: c.command, env: c.env });
    const result = validateConfigBytes(bytes, { dialect, target: c.target, filePath: file });
    const diagnostics = result.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: maskSecrets(d.message), line: d.range.start.line + 1, column: d.range.start.character + 1 }));
    layers.push({ layer, file, present: true, dialect, diagnostics });
    if (result.syntaxError) continue;
    const o = result.otel;
    if (o.environment !== undefined) effective.environment = { value: o.environment, from: layer };
    if (o.exporterKind !== undefined) effective.exporter = { value: o.exporterKind, from: layer };
    if (o.logUserPrompt !== undefined) effective.logUserPrompt = { value: o.logUserPrompt, from: layer };
  }
  const all = layers.flatMap((l) => l.diagnostics);
  return {
    codeHome: c.codeHome,
    target: c.target,
    layers,
    effective,
    errors: all.filter((d) => d.severity === 'error').length + layers.filter((l) => l.readError).length,
    warnings: all.filter((d) => d.severity === 'warning').length,
  };
}

// ---- recent_logs / recent_panics ---------------------------------------

/** Code's panic lines: its TUI hook (`panic captured … panicked at`), the app server's (`Panic occurred`), Rust's default. */
export function isPanicText(text: string): boolean {
  // Every form contains "anic" (Panic occurred, panic captured, panicked): most lines stop here.
  if (!text.includes('anic')) return false;
  return isPanicLine(text) || /\bpanic captured\b/.test(text) || /\bpanicked at \S+:\d+:\d+/.test(text);
}

const PARSER: LineParser = { level: lineLevel, timestampMs: lineTimestampMs, isPanic: isPanicText };

export type LogName = 'tui' | 'critical';

export interface LogEntryOut {
  file: string;
  line: number;
  time: string | null;
  level: string | null;
  panic: boolean;
  text: string;
}

export interface LogsReport {
  log: LogName;
  files: string[];
  missing: boolean;
  entries: LogEntryOut[];
  /** Matching entries older than the ones returned. */
  omitted: number;
}

/** Files of one log, oldest first: code-tui.log (or codex-tui.log), or the critical.log.* members. */
async function logFiles(paths: CodeHomePaths, log: LogName, sinceMs?: number): Promise<string[]> {
  if (log === 'tui') {
    const file = tuiLogFile(paths);
    return fs.existsSync(file) ? [file] : [];
  }
  const sinceDay = sinceMs !== undefined && sinceMs > 0 ? new Date(sinceMs).toISOString().slice(0, 10) : '';
  return (await listCriticalLogs(paths.logsDir)).filter((f) => {
    const date = criticalMemberDate(path.basename(f));
    return date === undefined || date.slice(0, 10) >= sinceDay;
  });
}

function out(e: LogEntry): LogEntryOut {
  return { file: e.file, line: e.lineNumber, time: e.timestampMs !== undefined ? new Date(e.timestampMs).toISOString() : null, level: e.level, panic: e.panic, text: maskSecrets(e.text) };
}

/** The last `lines` entries of one log at or above `minLevel` and at or after `sinceMs`. */
export async function recentLogs(paths: CodeHomePaths, options: { log: LogName; lines: number; minLevel?: Level; sinceMs?: number }): Promise<LogsReport> {
  const files = await logFiles(paths, options.log, options.sinceMs);
  const keep = new Newest<LogEntry>(options.lines);
  const min = options.minLevel ? LEVELS.indexOf(options.minLevel) : -1;
  for (const file of files) {
    for await (const e of fileEntries(file, PARSER)) {
      if (min >= 0 && (e.level === null || LEVELS.indexOf(e.level) < min) && !e.panic) continue;
      if (options.sinceMs !== undefined && (e.timestampMs === undefined || e.timestampMs < options.sinceMs)) continue;
      keep.push(e);
    }
  }
  return { log: options.log, files, missing: files.length === 0, entries: keep.toArray().map(out), omitted: keep.dropped };
}

export interface PanicOut extends PanicDetails {
  file: string;
  line: number;
  time: string | null;
  log: LogName;
  text: string;
}

/** Panics logged in [sinceMs, untilMs] in code-tui.log and critical.log.*, newest last, at most `max`. */
export async function recentPanics(paths: CodeHomePaths, options: { sinceMs: number; untilMs: number; max: number }): Promise<{ panics: PanicOut[]; omitted: number; files: string[] }> {
  const keep = new Newest<PanicOut>(options.max);
  const scanned: string[] = [];
  for (const log of ['tui', 'critical'] as const) {
    for (const file of await logFiles(paths, log, options.sinceMs)) {
      scanned.push(file);
      for await (const e of fileEntries(file, PARSER)) {
        if (!e.panic) continue;
        if (e.timestampMs !== undefined && (e.timestampMs < options.sinceMs || e.timestampMs > options.untilMs)) continue;
        const masked = out(e);
        keep.push({ ...masked, log, ...panicDetails(masked.text) });
      }
    }
  }
  const panics = keep.toArray().sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''));
  return { panics, omitted: keep.dropped, files: scanned };
}
