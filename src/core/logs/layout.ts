import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeHomePaths } from '../codeHome';
import { listCriticalLogs } from './criticalFamily';
import { plural } from '../plural';

/**
 * Where Code keeps its logs. Two layouts exist:
 * - Beacon (beacon code-rs/tui/src/lib.rs, code-rs/core/src/config.rs `log_dir`):
 *   `log/code-tui.log` and `logs/critical.log.YYYY-MM-DD`.
 * - Code since early 2026 (just-every code-rs/core/src/config.rs `log_dir`,
 *   `migrate_legacy_log_dirs`): everything in `debug_logs/`: `codex-tui.log`
 *   (only with `--debug`) and `critical.log.YYYY-MM-DD`. On start Code MOVES
 *   the contents of `log/` and `logs/` into `debug_logs/` and removes them.
 */
export type LogLayoutKind = 'beacon' | 'debug-logs';

export interface LogLayout {
  kind: LogLayoutKind;
  /** The TUI log to follow: the existing one, else where this layout writes it. */
  tuiLog: string;
  /** The folder of the `critical.log.*` family. */
  logsDir: string;
  /** Whether any log file of this layout exists (false: nothing found, the default is shown). */
  found: boolean;
  /** For people: `debug_logs/ (Code since 2026)`. */
  label: string;
}

export function debugLogsDir(paths: CodeHomePaths): string {
  return path.join(paths.root, 'debug_logs');
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function hasCritical(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((n) => n.startsWith('critical.log'));
  } catch {
    return false;
  }
}

/** The TUI log names a folder may hold, in the order they are preferred. */
function tuiCandidates(kind: LogLayoutKind, paths: CodeHomePaths): string[] {
  if (kind === 'debug-logs') {
    const dir = debugLogsDir(paths);
    // Code writes codex-tui.log; code-tui.log arrives there when log/ is migrated
    return [path.join(dir, 'codex-tui.log'), path.join(dir, 'code-tui.log')];
  }
  return [paths.tuiLog, paths.legacyTuiLog];
}

/**
 * The layout of this CODE_HOME as it is now. `debug_logs/` wins when it holds
 * logs (Code migrates into it, so it is the live one); then `log/` and
 * `logs/`; with neither holding logs, an existing `debug_logs/` folder, else
 * Beacon's layout (the paths are where a log will appear).
 */
export function detectLogLayout(paths: CodeHomePaths): LogLayout {
  const debugDir = debugLogsDir(paths);
  const make = (kind: LogLayoutKind, found: boolean): LogLayout => {
    const candidates = tuiCandidates(kind, paths);
    const tuiLog = candidates.find(isFile) ?? candidates[0];
    const logsDir = kind === 'debug-logs' ? debugDir : paths.logsDir;
    const label = kind === 'debug-logs' ? 'debug_logs/ (Code since 2026)' : 'log/ and logs/ (Beacon)';
    return { kind, tuiLog, logsDir, found, label };
  };
  const debugHasLogs = tuiCandidates('debug-logs', paths).some(isFile) || hasCritical(debugDir);
  if (debugHasLogs) return make('debug-logs', true);
  const beaconHasLogs = tuiCandidates('beacon', paths).some(isFile) || hasCritical(paths.logsDir);
  if (beaconHasLogs) return make('beacon', true);
  return make(isDir(debugDir) ? 'debug-logs' : 'beacon', false);
}

/** Where the TUI log is (relative to CODE_HOME) and which layout: for `logs-present` and `code-ops tail`. */
export function describeLogLayout(paths: CodeHomePaths, layout: LogLayout = detectLogLayout(paths)): string {
  const rel = (p: string) => path.relative(paths.root, p) || p;
  if (!layout.found) return `No logs found under ${paths.root} yet; expecting ${rel(layout.tuiLog)} and ${rel(layout.logsDir)}/critical.log.YYYY-MM-DD (${layout.label}).`;
  return `Log layout: ${layout.label}: ${rel(layout.tuiLog)}, ${rel(layout.logsDir)}/critical.log.*.`;
}

/** True when two layouts name the same files. */
export function sameLayout(a: LogLayout, b: LogLayout): boolean {
  return a.kind === b.kind && a.tuiLog === b.tuiLog && a.logsDir === b.logsDir;
}

/**
 * The `logs-present` verdict for this CODE_HOME in whichever layout it has:
 * pass when the TUI log and a critical.log member exist, warn when only the
 * legacy `log/codex-tui.log` name or only critical.log exists in Code's
 * layout (it writes codex-tui.log only with `--debug`), fail when nothing is
 * there. The detail names the layout found.
 */
export async function logsPresentVerdict(paths: CodeHomePaths): Promise<{ status: 'pass' | 'warn' | 'fail'; detail: string }> {
  const layout = detectLogLayout(paths);
  const rel = (p: string) => path.relative(paths.root, p) || p;
  const tui = isFile(layout.tuiLog) ? layout.tuiLog : undefined;
  const critical = await listCriticalLogs(layout.logsDir);
  const newest = critical[critical.length - 1];
  const found = [tui ? rel(tui) : '', newest ? `${plural(critical.length, 'critical.log file')}, newest ${rel(newest)}` : ''].filter(Boolean);
  if (!tui && !newest) return { status: 'fail', detail: `No logs under CODE_HOME: expected ${rel(layout.tuiLog)} and ${rel(layout.logsDir)}/critical.log.YYYY-MM-DD (${layout.label}).` };
  if (!newest) return { status: 'fail', detail: `Layout ${layout.label}: missing ${rel(layout.logsDir)}/critical.log.YYYY-MM-DD; found ${found.join(', ')}.` };
  if (!tui) {
    if (layout.kind === 'debug-logs') return { status: 'warn', detail: `Layout ${layout.label}: ${found.join(', ')}; no codex-tui.log (Code writes it only with --debug).` };
    return { status: 'fail', detail: `Layout ${layout.label}: missing ${rel(layout.tuiLog)}; found ${found.join(', ')}.` };
  }
  if (path.basename(tui) === 'codex-tui.log' && layout.kind === 'beacon') return { status: 'warn', detail: `Layout ${layout.label}: only the legacy name ${rel(tui)}; ${found.slice(1).join(', ')}.` };
  return { status: 'pass', detail: `Layout ${layout.label}: found ${found.join(' and ')}.` };
}
