// Entry of dist/timelineView.js: the "Show Server Timeline" webview. src/ui/timeline.ts (main bundle)
// records the events from activation on and requires this module on the first Show Server Timeline.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { probeSeries, type Timeline, type TimelineEvent } from '../core/timeline';
import { formatMs } from '../core/appServer/status';
import type { CodeOpsContext } from './context';
import { dispatch } from './dispatch';

const RANGES_H = [1, 6, 24] as const;
const BUCKETS = 96;
const LANES: Array<{ kind: TimelineEvent['kind']; label: string; colour: string }> = [
  { kind: 'state', label: 'State changes', colour: 'var(--vscode-charts-blue)' },
  { kind: 'restart', label: 'Restarts', colour: 'var(--vscode-charts-orange)' },
  { kind: 'panic', label: 'Panics', colour: 'var(--vscode-charts-red)' },
  { kind: 'configWarning', label: 'Config warnings', colour: 'var(--vscode-charts-yellow)' },
  { kind: 'approval', label: 'Approvals', colour: 'var(--vscode-charts-purple)' },
];

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function describe(e: TimelineEvent): string {
  switch (e.kind) {
    case 'probe':
      return `probe ${formatMs(e.ms)}`;
    case 'state':
      return `${e.from} → ${e.to}: ${e.reason}`;
    case 'restart':
      return `restart: ${e.reason}`;
    case 'panic':
      return `panic${e.file ? ` (${path.basename(e.file)}${e.line ? `:${e.line}` : ''})` : ''}: ${e.text}`;
    case 'configWarning':
      return `config warning: ${e.text}`;
    case 'approval':
      return `approval ${e.outcome}: ${e.text}`;
  }
}

/** The probe latency over the range as an SVG polyline (one point per bucket that had probes). */
function sparkline(events: readonly TimelineEvent[], from: number, to: number): string {
  const series = probeSeries(events, from, to, BUCKETS);
  const max = Math.max(1, ...series.filter((v): v is number => v !== undefined));
  const points = series.flatMap((v, i) => (v === undefined ? [] : [`${((i + 0.5) / BUCKETS) * 1000},${40 - (v / max) * 36}`]));
  const title = `probe latency, peak ${formatMs(max)}`;
  return `<svg class="spark" viewBox="0 0 1000 40" preserveAspectRatio="none" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title><polyline points="${points.join(' ')}"/></svg>`;
}

/** One lane per kind: a focusable marker per event at its time (panics with a log line open it). */
function lanes(events: readonly TimelineEvent[], from: number, to: number): string {
  const span = Math.max(1, to - from);
  return LANES.map(({ kind, label }) => {
    const markers = events
      .map((e, index) => ({ e, index }))
      .filter(({ e }) => e.kind === kind && e.at >= from)
      .map(({ e, index }) => {
        const left = (((e.at - from) / span) * 100).toFixed(2);
        const text = `${new Date(e.at).toLocaleTimeString()} ${describe(e)}`;
        const opens = e.kind === 'panic' && e.file ? ` data-open="${index}"` : '';
        return `<button class="marker k-${kind}" data-left="${left}"${opens} title="${esc(text)}" aria-label="${esc(text)}"></button>`;
      })
      .join('');
    return `<div class="lane"><span class="lane-label">${label}</span><div class="track">${markers}</div></div>`;
  }).join('');
}

/** The same events as a list (newest first), readable by a screen reader and reachable with Tab. */
function list(events: readonly TimelineEvent[], from: number): string {
  const rows = events
    .map((e, index) => ({ e, index }))
    .filter(({ e }) => e.kind !== 'probe' && e.at >= from)
    .reverse()
    .slice(0, 200)
    .map(({ e, index }) => {
      const open = e.kind === 'panic' && e.file ? ` <button data-open="${index}">Open log line</button>` : '';
      return `<li><time>${esc(new Date(e.at).toLocaleString())}</time> ${esc(describe(e))}${open}</li>`;
    });
  return rows.length ? `<ol class="events">${rows.join('')}</ol>` : '<p>No events in this range yet.</p>';
}

// Inline style attributes would need 'unsafe-inline': colours are classes, positions are set from the script.
const STYLE = `
${LANES.map((l) => `.k-${l.kind} { background: ${l.colour}; }`).join('\n')}
body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); }
h1 { font-size: 1.4em; font-weight: 600; } h2 { font-size: 1.1em; font-weight: 600; margin-bottom: 0.3em; }
/* on the lanes' time axis: the labels' column stays free */
.spark { display: block; margin-left: 9em; width: calc(100% - 9em); height: 48px; border-bottom: 1px solid var(--vscode-panel-border); }
.spark polyline { fill: none; stroke: var(--vscode-charts-green); stroke-width: 2; vector-effect: non-scaling-stroke; }
.lane { display: flex; align-items: center; height: 22px; }
.lane-label { width: 9em; flex: none; font-size: 90%; }
.track { position: relative; flex: 1; height: 100%; border-bottom: 1px dotted var(--vscode-panel-border); }
.marker { position: absolute; top: 5px; width: 10px; height: 10px; margin-left: -5px; border-radius: 50%; border: none; padding: 0; cursor: pointer; }
button:focus-visible { outline: 2px solid var(--vscode-focusBorder); outline-offset: 1px; }
button[aria-pressed="true"] { font-weight: bold; }
.axis { display: flex; justify-content: space-between; margin-left: 9em; font-size: 85%; opacity: 0.8; }
.events { padding-left: 1.2em; } .events time { opacity: 0.8; margin-right: 0.5em; }
`;

export class TimelineView implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private hours: (typeof RANGES_H)[number] = 24;
  private shown: readonly TimelineEvent[] = [];
  private refreshTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly timeline: Timeline,
    ctx: CodeOpsContext,
  ) {
    ctx.subscriptions.push(this, ctx.server.onDidChange(() => this.refreshSoon()), ctx.onDidChangeLogStats(() => this.refreshSoon()));
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel('codeOps.timeline', 'Code: Server Timeline', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
    this.panel = panel;
    panel.onDidDispose(() => (this.panel = undefined));
    panel.webview.onDidReceiveMessage((m: { type?: string; index?: number; hours?: number }) => this.onMessage(m));
    this.render();
  }

  private onMessage(m: { type?: string; index?: number; hours?: number }): void {
    if (m.type === 'range' && RANGES_H.includes(m.hours as (typeof RANGES_H)[number])) {
      this.hours = m.hours as (typeof RANGES_H)[number];
      this.render();
    } else if (m.type === 'open' && typeof m.index === 'number') {
      const e = this.shown[m.index];
      // the log's line number is 1-based, the editor's 0-based
      if (e?.kind === 'panic' && e.file) void dispatch({ kind: 'openFile', file: e.file, line: e.line ? e.line - 1 : undefined });
    }
  }

  private refreshSoon(): void {
    if (!this.panel?.visible || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.render();
    }, 1000);
  }

  private render(): void {
    if (!this.panel) return;
    const now = Date.now();
    const from = now - this.hours * 3600_000;
    this.shown = this.timeline.events();
    // A history shorter than the range (a fresh window) fills the width instead of a sliver at its right edge.
    const firstAt = Math.min(...this.shown.filter((e) => e.at >= from).map((e) => e.at));
    const start = Number.isFinite(firstAt) ? Math.max(from, firstAt - Math.max(5_000, (now - firstAt) * 0.05)) : from;
    const since = start > from ? `, recorded since ${new Date(start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : '';
    const nonce = randomBytes(16).toString('base64');
    const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';`;
    const ranges = RANGES_H.map((h) => `<button data-range="${h}" aria-pressed="${h === this.hours}">${h} h</button>`).join(' ');
    const short = now - start < 3600_000;
    const axis = [0, 0.25, 0.5, 0.75, 1]
      .map((f) => `<span>${new Date(start + f * (now - start)).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', ...(short ? { second: '2-digit' } : {}) })}</span>`)
      .join('');
    this.panel.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1"><style nonce="${nonce}">${STYLE}</style><title>Server Timeline</title></head>
<body><h1>Code app server: the last ${this.hours} h${since}</h1>
<p role="group" aria-label="Range">${ranges}</p>
<h2>Probe latency</h2>${sparkline(this.shown, start, now)}
${lanes(this.shown, start, now)}<div class="axis">${axis}</div>
<h2>Events</h2>${list(this.shown, from)}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const m of document.querySelectorAll('[data-left]')) m.style.left = m.dataset.left + '%';
document.addEventListener('click', (ev) => {
  const b = ev.target.closest('button');
  if (!b) return;
  if (b.dataset.open !== undefined) vscode.postMessage({ type: 'open', index: Number(b.dataset.open) });
  if (b.dataset.range !== undefined) vscode.postMessage({ type: 'range', hours: Number(b.dataset.range) });
});
</script></body></html>`;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.panel?.dispose();
  }
}
