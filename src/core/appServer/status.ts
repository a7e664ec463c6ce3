import { describeWarning, serverConcerns } from './handshakeInfo';
import { labeled, type LabeledAction } from '../actions';
import type { ServerSnapshot, ServerState } from './types';

export type StatusSeverity = 'ok' | 'warning' | 'error';

/** An action the status bar's quick pick and tooltip offer for the current state (src/ui/dispatch.ts runs it). */
export interface StatusAction extends LabeledAction {
  description?: string;
}

export interface StatusView {
  /** Status bar text with a codicon, e.g. `$(pulse) Code: healthy, probe 0.4 ms`. */
  text: string;
  severity: StatusSeverity;
  /** Markdown for the tooltip (the editor adds links for `actions`). */
  tooltip: string;
  actions: StatusAction[];
}

export interface StatusExtras {
  codeHome: string;
  logErrorsSinceActivation: number;
  now?: number;
  /** Panics seen in the last 24 hours (server stderr and the logs), when known. */
  panics24h?: number;
  /** ms since epoch of the last answered probe, when known. */
  lastProbeAt?: number;
}

const LABEL: Record<ServerState, { icon: string; text: string; severity: StatusSeverity }> = {
  stopped: { icon: '$(circle-outline)', text: 'stopped', severity: 'ok' },
  starting: { icon: '$(sync~spin)', text: 'starting', severity: 'ok' },
  healthy: { icon: '$(pulse)', text: 'healthy', severity: 'ok' },
  unresponsive: { icon: '$(warning)', text: 'unresponsive', severity: 'warning' },
  crashed: { icon: '$(error)', text: 'crashed', severity: 'warning' },
  'backing-off': { icon: '$(history)', text: 'restarting', severity: 'warning' },
  'crash-loop': { icon: '$(error)', text: 'crash loop', severity: 'error' },
  'not-found': { icon: '$(error)', text: 'not found', severity: 'error' },
  'config-error': { icon: '$(error)', text: 'config error', severity: 'error' },
};

export function formatMs(ms: number): string {
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

/** Markdown-escapes text that came from the server or the file system. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** Panics of the current process (the alert already fired; the status keeps showing it). */
function currentPanics(s: ServerSnapshot): number {
  return s.panics.filter((p) => s.startedAt === undefined || p.at >= s.startedAt).length;
}

const act = (icon: string, action: StatusAction['action'], label?: string, description?: string): StatusAction => {
  const l = labeled(action, label);
  return { label: `$(${icon}) ${l.label}`, action, ...(description ? { description } : {}) };
};

export function actionsFor(state: ServerState, blocker?: ServerSnapshot['blocker']): StatusAction[] {
  const output = act('output', { kind: 'showServerOutput' });
  const config = act('go-to-file', { kind: 'openConfig' });
  switch (state) {
    case 'healthy':
    case 'unresponsive':
      return [act('send', { kind: 'sendRequest' }), act('debug-restart', { kind: 'restartServer' }), act('debug-stop', { kind: 'stopServer' }), output];
    case 'starting':
    case 'crashed':
    case 'backing-off':
      return [act('debug-restart', { kind: 'restartServer' }, 'Restart Now'), act('debug-stop', { kind: 'stopServer' }), output];
    case 'crash-loop':
      return [output, act('debug-restart', { kind: 'restartServer' }, 'Restart Anyway'), config];
    case 'config-error':
      return [config, output, act('play', { kind: 'startServer' })];
    case 'not-found': {
      const setting = blocker?.setting ?? 'codeOps.appServer.command';
      const fix = blocker?.createFolder
        ? [act('new-folder', { kind: 'createFolder', path: blocker.createFolder, then: { kind: 'startServer' } }, undefined, blocker.createFolder)]
        : [];
      const what = setting === 'codeOps.appServer.command' ? 'Set the App Server Command' : 'Open Settings';
      return [...fix, act('settings-gear', { kind: 'openSetting', setting }, what, setting), output, act('play', { kind: 'startServer' })];
    }
    case 'stopped':
    default:
      return [act('play', { kind: 'startServer' }), output, config];
  }
}

/** The server's version from its user agent (`codex_cli_rs/0.46.0 (Linux …)` → `0.46.0`), when it has one. */
export function serverVersion(userAgent: string | undefined): string | undefined {
  return userAgent ? /\/(\d+\.\d+[^\s;)]*)/.exec(userAgent)?.[1] : undefined;
}

/** Latency facts the hover already lists: the reason is not repeated when it only says one of them. */
const LATENCY_REASON = /^(?:initialize|probe) answered in [\d.]+ ms$/;

function hoverFacts(s: ServerSnapshot, extras: StatusExtras, now: number): [string, string][] {
  const facts: [string, string][] = [];
  const version = serverVersion(s.userAgent);
  if (version) facts.push(['server version', md(version)]);
  if (s.serverHome) facts.push(['home the server reports', md(s.serverHome)]);
  if (s.pid !== undefined) facts.push(['pid', String(s.pid)]);
  const running = s.state === 'healthy' || s.state === 'unresponsive' || s.state === 'starting';
  if (s.startedAt !== undefined && running) {
    facts.push(['uptime', `${formatDuration(now - s.startedAt)}${s.initializeMs !== undefined ? ` (initialize took ${formatMs(s.initializeMs)})` : ''}`]);
  }
  facts.push(['restarts in the last 10 minutes', String(s.restartsInWindow)]);
  if (s.lastProbeMs !== undefined) {
    const ago = extras.lastProbeAt !== undefined ? `, ${formatDuration(now - extras.lastProbeAt)} ago` : '';
    facts.push(['last probe', `${formatMs(s.lastProbeMs)}${ago}`]);
  }
  const panics = currentPanics(s);
  const panics24h = Math.max(extras.panics24h ?? 0, s.panics.filter((p) => p.at >= now - 24 * 3600_000).length);
  facts.push(['panics in the last 24 h', String(panics24h)]);
  if (panics > 0) facts.push(['latest panic', md(s.panics[s.panics.length - 1].line.slice(0, 160))]);
  if (s.lastError && s.lastError !== s.reason) facts.push(['last error', md(s.lastError)]);
  facts.push(['log errors since activation', String(extras.logErrorsSinceActivation)]);
  facts.push(['CODE_HOME', md(extras.codeHome)]);
  if (s.userAgent) facts.push(['user agent', md(s.userAgent)]);
  for (const c of serverConcerns(s)) facts.push(['warning', md(c)]);
  for (const w of (s.configWarnings ?? []).filter((x) => x.path === null)) facts.push(['server warning', md(describeWarning(w))]);
  if (s.escapedProcesses) facts.push(['escaped processes', md(s.escapedProcesses)]);
  return facts;
}

/** Everything the status bar shows, derived from one snapshot. */
export function renderStatus(s: ServerSnapshot, extras: StatusExtras): StatusView {
  const now = extras.now ?? Date.now();
  const missingHome = s.state === 'not-found' && s.blocker?.setting === 'codeOps.codeHome' && s.blocker.createFolder !== undefined;
  const label = missingHome ? { ...LABEL['not-found'], text: 'CODE_HOME missing' } : LABEL[s.state];
  let text = `${label.icon} Code: ${label.text}`;
  // One meaning for the number: the latest probe's round trip, labelled.
  if (s.state === 'healthy' && s.lastProbeMs !== undefined) text += `, probe ${formatMs(s.lastProbeMs)}`;
  if (s.state === 'backing-off' && s.nextRetryInMs !== undefined) text += ` in ${formatMs(s.nextRetryInMs)}`;
  let severity = label.severity;
  const concerns = serverConcerns(s);
  if (s.state === 'healthy' && concerns.length > 0) {
    text = `$(warning) Code: ${label.text}, ${s.homeMismatch ? 'other home' : 'config not applied'}`;
    severity = 'warning';
  }
  if (currentPanics(s) > 0 && (s.state === 'healthy' || s.state === 'unresponsive')) {
    text = `$(flame) Code: ${label.text}, panicked`;
    severity = 'error';
  } else if ((extras.panics24h ?? 0) > 0 && s.state === 'healthy') {
    // Panics already in the logs (an earlier run, the TUI): said at once, not only in the hover.
    const n = extras.panics24h ?? 0;
    text = `$(flame) Code: ${label.text}, ${n} panic${n === 1 ? '' : 's'} in 24 h`;
    if (severity === 'ok') severity = 'warning';
  }
  const rows: string[] = [`**Code app server: ${label.text}**${s.mode === 'socket' ? ' (attached to a socket)' : ''}`, ''];
  if (!LATENCY_REASON.test(s.reason)) rows.push(md(s.reason), '');
  for (const [k, v] of hoverFacts(s, extras, now)) rows.push(`- ${k}: ${v}`);
  return { text, severity, tooltip: rows.join('\n'), actions: actionsFor(s.state, s.blocker) };
}
