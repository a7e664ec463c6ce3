import * as path from 'node:path';
import { labeled, type Alert, type LabeledAction, type OpsAction } from './actions';
import { DEFAULT_RESTART_POLICY } from './appServer/restartPolicy';
import type { ServerSnapshot, StateChange } from './appServer/types';
import type { SettingsProblem } from './settings';
import { maskSecrets } from './mask';

/**
 * What to tell a person about the app server and the logs, and which buttons
 * fit the cause: from a state transition, a panic, a server notification or
 * a log alert to an `Alert`. Plain data in, plain data out; the editor shows
 * it (src/ui/dispatch.ts `showAlert`), the CLI or a test can read it.
 */

const SHOW_LOGS = labeled({ kind: 'showServerOutput' }, 'Show Logs');

/** What a transition alert may use besides the change and the snapshot. */
export interface TransitionFacts {
  /** The last meaningful stderr line of the process (src/core/appServer/lastStderr.ts). */
  lastStderr?: string;
  /** An attach failure was already said since the last start: say it once, not at every reconnect. */
  socketFailureShown?: boolean;
}

/** Words that say a failure is about the configuration file, where Open config.toml helps. */
const CONFIG_CAUSE = /config(?:uration)?\.toml|\bconfig(?:uration)?\b.*\b(?:load|pars|invalid|missing field|unknown field)|invalid configuration|\[otel\]/i;

export function mentionsConfig(...texts: Array<string | undefined>): boolean {
  return texts.some((t) => t !== undefined && CONFIG_CAUSE.test(t));
}

function withStderr(message: string, line: string | undefined, reason: string): string {
  if (!line || reason.includes(line)) return message;
  return `${message.replace(/[.\s]*$/, '.')} Last stderr line: ${line}`;
}

function crashLoop(change: StateChange, snap: ServerSnapshot | undefined, facts: TransitionFacts): Alert {
  const restarts = snap?.restartsInWindow ?? 0;
  // the window the supervisor counted in, as its reason says; else the default policy's
  const minutes = Number(/within (\d+) minutes?/.exec(change.reason)?.[1] ?? Math.round(DEFAULT_RESTART_POLICY.windowMs / 60_000));
  const last = /Last failure: (.*)$/.exec(change.reason)?.[1] ?? change.reason;
  const message = withStderr(
    `Code app server is in a crash loop: it failed again after ${restarts} restart${restarts === 1 ? '' : 's'} within ${minutes} minute${minutes === 1 ? '' : 's'}, so it is not restarted. Last failure: ${last}`,
    facts.lastStderr,
    change.reason,
  );
  const actions = [SHOW_LOGS, labeled({ kind: 'restartServer' }, 'Restart Anyway')];
  if (mentionsConfig(change.reason, facts.lastStderr, snap?.lastError)) actions.push(labeled({ kind: 'openConfig' }));
  return { severity: 'critical', message, actions, key: 'server-state' };
}

function notFound(change: StateChange, snap: ServerSnapshot | undefined): Alert {
  const blocker = snap?.blocker;
  const actions: LabeledAction[] = [];
  const startAfter: OpsAction = { kind: 'startServer' };
  if (blocker?.createFolder) actions.push(labeled({ kind: 'createFolder', path: blocker.createFolder, then: startAfter }));
  actions.push(labeled({ kind: 'openSetting', setting: blocker?.setting ?? 'codeOps.appServer' }, 'Open Settings'), SHOW_LOGS);
  const missingHome = blocker?.setting === 'codeOps.codeHome';
  const message = missingHome ? `Code app server cannot be started: CODE_HOME is missing. ${change.reason}` : `Code app server cannot be started: ${change.reason}`;
  return { severity: 'error', message, actions, key: 'server-state' };
}

/** The alert a state change deserves, or undefined when the status bar says enough. */
export function transitionAlert(change: StateChange, snap: ServerSnapshot | undefined, facts: TransitionFacts = {}): Alert | undefined {
  switch (change.to) {
    case 'crash-loop':
      return crashLoop(change, snap, facts);
    case 'config-error':
      return {
        severity: 'critical',
        message: withStderr(`Code app server could not load config.toml and exited: ${snap?.lastError ?? change.reason}`, facts.lastStderr, snap?.lastError ?? change.reason),
        actions: [labeled({ kind: 'openConfig' }), SHOW_LOGS, labeled({ kind: 'startServer' }, 'Start Again')],
        key: 'server-state',
      };
    case 'not-found':
      return notFound(change, snap);
    case 'crashed':
      if (snap?.mode === 'socket' && change.from === 'starting' && !facts.socketFailureShown) {
        return {
          severity: 'warning',
          message: `Code Ops cannot attach to the app server: ${change.reason} It retries with backoff (up to every 30 s).`,
          actions: [labeled({ kind: 'openSetting', setting: 'codeOps.appServer.socket' }, 'Open Settings'), SHOW_LOGS],
          key: 'server-attach',
        };
      }
      return undefined;
    default:
      return undefined;
  }
}

export function panicAlert(line: string): Alert {
  return { severity: 'critical', message: `Code app server panicked: ${line.slice(0, 300)}`, actions: [SHOW_LOGS], key: 'server-panic' };
}

/** A `configWarning` notification: Open config.toml only when the warning is about it (not, say, the sandbox). */
export function configWarningAlert(params: unknown): Alert {
  const p = (params ?? {}) as { summary?: unknown; details?: unknown };
  const parts = [p.summary, p.details].filter((x): x is string => typeof x === 'string' && x.length > 0);
  const text = parts.join(' ') || 'The server reported a configuration warning.';
  const actions = mentionsConfig(text) ? [labeled({ kind: 'openConfig' }), SHOW_LOGS] : [SHOW_LOGS];
  return { severity: 'warning', message: `Code app server: ${text}`, actions, key: 'server-config-warning' };
}

export function approvalTimeoutAlert(title: string): Alert {
  return { severity: 'warning', message: `Declined '${title}': no answer within the approval timeout.`, actions: [] };
}

/** Settings that were replaced or ignored: one notification per change, not one per setting. */
export function settingsAlert(problems: readonly SettingsProblem[]): Alert | undefined {
  const warnings = problems.filter((p) => p.severity === 'warning');
  if (!warnings.length) return undefined;
  if (warnings.length === 1) {
    return { severity: 'warning', message: `Code Ops: ${warnings[0].message}`, actions: [labeled({ kind: 'openSetting', setting: warnings[0].key }, 'Open Settings')], key: 'settings' };
  }
  return {
    severity: 'warning',
    message: `Code Ops: ${warnings.length} settings have problems. ${warnings[0].message} (All of them are in the App Server output.)`,
    actions: [labeled({ kind: 'openSetting', setting: 'codeOps' }, 'Open Settings'), labeled({ kind: 'showServerOutput' }, 'Show Output')],
    key: 'settings',
  };
}

/** What the log followers found (src/core/logs `LogAlert`, the fields an alert needs). */
export interface LogAlertFacts {
  ruleId: string;
  severity: 'critical' | 'error' | 'warning';
  title: string;
  line: string;
  file: string;
  source: 'code-tui' | 'critical';
  count?: number;
  lineNumber?: number;
  burstWindowSeconds: number;
  /** A panic's location, message and thread in one line (src/core/logs `panicSummary`), when it was assembled. */
  summary?: string;
  /** When it happened (the line's timestamp), ms since epoch. */
  timestampMs?: number;
}

/** A panic or an error burst in code-tui.log / critical.log. */
export function logAlert(a: LogAlertFacts, incidentPost: () => string): Alert {
  const where = `${path.basename(a.file)}${a.lineNumber ? `:${a.lineNumber}` : ''}`;
  const showLog = labeled({ kind: 'showLog', log: a.source === 'code-tui' ? 'tui' : 'critical' }, 'Show Log');
  if (a.ruleId === 'panic') {
    // lead with where and when, then the panic itself (the line's own timestamp and level would repeat that)
    const iso = a.timestampMs !== undefined ? new Date(a.timestampMs).toISOString() : /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)/.exec(a.line)?.[1];
    const at = iso ? `, ${iso.slice(0, 19).replace('T', ' ')} UTC` : '';
    const panicAt = a.line.indexOf('Panic occurred');
    const text = a.summary ?? (panicAt >= 0 ? a.line.slice(panicAt) : a.line);
    const message = maskSecrets(`Code panicked (${where}${at}): ${text.slice(0, 300)}`);
    return { severity: 'critical', message, actions: [showLog, labeled({ kind: 'copyIncidentPost', text: incidentPost() })] };
  }
  const message =
    a.count !== undefined ? `Code: ${a.count} errors within ${a.burstWindowSeconds} s in ${path.basename(a.file)} (latest at ${where}).` : `Code: ${a.title} (${where}).`;
  return { severity: a.severity === 'critical' ? 'critical' : 'warning', message, actions: [showLog] };
}
