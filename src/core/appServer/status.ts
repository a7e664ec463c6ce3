import { describeWarning, serverConcerns } from './handshakeInfo';
import type { ServerSnapshot, ServerState } from './types';

export type StatusSeverity = 'ok' | 'warning' | 'error';

/** An action the status bar's quick pick and tooltip offer for the current state. */
export interface StatusAction {
  label: string;
  command: string;
  description?: string;
}

export interface StatusView {
  /** Status bar text with a codicon, e.g. `$(pulse) Code: healthy 0.4 ms`. */
  text: string;
  severity: StatusSeverity;
  /** Markdown for the tooltip (command links included). */
  tooltip: string;
  actions: StatusAction[];
}

export interface StatusExtras {
  codeHome: string;
  logErrorsSinceActivation: number;
  now?: number;
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

export function actionsFor(state: ServerState): StatusAction[] {
  const output: StatusAction = { label: '$(output) Show App Server Output', command: 'codeOps.appServer.showOutput' };
  const config: StatusAction = { label: '$(go-to-file) Open config.toml', command: 'codeOps.config.open' };
  switch (state) {
    case 'healthy':
    case 'unresponsive':
      return [
        { label: '$(send) Send Request…', command: 'codeOps.appServer.sendRequest' },
        { label: '$(debug-restart) Restart App Server', command: 'codeOps.appServer.restart' },
        { label: '$(debug-stop) Stop App Server', command: 'codeOps.appServer.stop' },
        output,
      ];
    case 'starting':
    case 'crashed':
    case 'backing-off':
      return [
        { label: '$(debug-restart) Restart Now', command: 'codeOps.appServer.restart' },
        { label: '$(debug-stop) Stop App Server', command: 'codeOps.appServer.stop' },
        output,
      ];
    case 'crash-loop':
      return [output, { label: '$(debug-restart) Restart Anyway', command: 'codeOps.appServer.restart' }, config];
    case 'config-error':
      return [config, output, { label: '$(play) Start App Server', command: 'codeOps.appServer.start' }];
    case 'not-found':
      return [
        { label: '$(settings-gear) Set the App Server Command', command: 'workbench.action.openSettings', description: 'codeOps.appServer.command' },
        output,
        { label: '$(play) Start App Server', command: 'codeOps.appServer.start' },
      ];
    case 'stopped':
    default:
      return [{ label: '$(play) Start App Server', command: 'codeOps.appServer.start' }, output, config];
  }
}

/** Everything the status bar shows, derived from one snapshot. */
export function renderStatus(s: ServerSnapshot, extras: StatusExtras): StatusView {
  const now = extras.now ?? Date.now();
  const label = LABEL[s.state];
  let text = `${label.icon} Code: ${label.text}`;
  if (s.state === 'healthy') {
    const ms = s.lastProbeMs ?? s.initializeMs;
    if (ms !== undefined) text += ` ${formatMs(ms)}`;
  }
  if (s.state === 'backing-off' && s.nextRetryInMs !== undefined) text += ` in ${formatMs(s.nextRetryInMs)}`;
  let severity = label.severity;
  const panics = currentPanics(s);
  const concerns = serverConcerns(s);
  if (s.state === 'healthy' && concerns.length > 0) {
    text = `$(warning) Code: ${label.text}, ${s.homeMismatch ? 'other home' : 'config not applied'}`;
    severity = 'warning';
  }
  if (panics > 0 && (s.state === 'healthy' || s.state === 'unresponsive')) {
    text = `$(flame) Code: ${label.text}, panicked`;
    severity = 'error';
  }

  const rows: string[] = [];
  rows.push(`**Code app server: ${label.text}**${s.mode === 'socket' ? ' (attached to a socket)' : ''}`);
  rows.push('');
  rows.push(md(s.reason));
  rows.push('');
  const facts: [string, string][] = [];
  if (s.pid !== undefined) facts.push(['pid', String(s.pid)]);
  if (s.startedAt !== undefined && (s.state === 'healthy' || s.state === 'unresponsive' || s.state === 'starting')) facts.push(['uptime', formatDuration(now - s.startedAt)]);
  facts.push(['restarts in the last 10 minutes', String(s.restartsInWindow)]);
  if (s.lastProbeMs !== undefined) facts.push(['last probe', formatMs(s.lastProbeMs)]);
  if (s.initializeMs !== undefined) facts.push(['initialize', formatMs(s.initializeMs)]);
  if (s.userAgent) facts.push(['user agent', md(s.userAgent)]);
  if (s.lastError) facts.push(['last error', md(s.lastError)]);
  if (panics > 0) facts.push(['panics', `${panics}: ${md(s.panics[s.panics.length - 1].line.slice(0, 160))}`]);
  facts.push(['log errors since activation', String(extras.logErrorsSinceActivation)]);
  facts.push(['CODE_HOME', md(extras.codeHome)]);
  if (s.serverHome) facts.push(['server home (codexHome)', md(s.serverHome)]);
  for (const c of concerns) facts.push(['warning', md(c)]);
  for (const w of (s.configWarnings ?? []).filter((x) => x.path === null)) facts.push(['server warning', md(describeWarning(w))]);
  if (s.escapedProcesses) facts.push(['escaped processes', md(s.escapedProcesses)]);
  for (const [k, v] of facts) rows.push(`- ${k}: ${v}`);
  rows.push('');
  rows.push(
    actionsFor(s.state)
      .filter((a) => a.command.startsWith('codeOps.'))
      .map((a) => `[${a.label.replace(/^\$\([^)]*\)\s*/, '')}](command:${a.command})`)
      .join(' · '),
  );
  return { text, severity, tooltip: rows.join('\n'), actions: actionsFor(s.state) };
}
