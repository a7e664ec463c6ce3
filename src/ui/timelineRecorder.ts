import { Timeline, transitionEvents } from '../core/timeline';
import type { AppServerSupervisor } from '../core/appServer/supervisor';
import type { StateChange } from '../core/appServer/types';
import type { CodeOpsContext } from './context';
import type { AppServerStatusBar } from './statusBar';

const STORAGE_KEY = 'codeOps.timeline';
/** Workspace storage is written at most this often (and at shutdown). */
const SAVE_EVERY_MS = 10_000;

/**
 * Records the server's history (src/core/timeline.ts) and keeps the last 24 h in
 * workspace storage. Its own bundle (dist/timeline.js): src/ui/timeline.ts starts it
 * right after activation returns. The view (dist/timelineView.js, a webview) loads
 * only when "Show Server Timeline" runs.
 */
export class TimelineRecorder {
  readonly timeline = new Timeline();
  private lastProbeMs?: number;
  private panicsSeen = 0;
  private saveTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly ctx: CodeOpsContext) {
    // started after activation returns (src/ui/timeline.ts): restore now, before the first event
    this.timeline.restore(ctx.extension.workspaceState.get(STORAGE_KEY));
    const server = ctx.server;
    ctx.subscriptions.push(
      server.onDidChange((snap) => {
        if (snap.lastProbeMs !== undefined && snap.lastProbeMs !== this.lastProbeMs) this.record({ at: Date.now(), kind: 'probe', ms: snap.lastProbeMs });
        this.lastProbeMs = snap.lastProbeMs;
      }),
      server.onDidTransition((change) => this.onTransition(change)),
      server.onPanic((p) => this.record({ at: p.at, kind: 'panic', text: p.line })),
      server.onDidCreate((s) => this.hook(s)),
      ctx.onDidChangeLogStats((stats) => {
        if (stats.panicsSinceActivation <= this.panicsSeen) return;
        this.panicsSeen = stats.panicsSinceActivation;
        const { lastPanicLine: text = '', lastPanicFile: file, lastPanicLineNumber: line, lastPanicAt: at } = stats;
        this.record({ at: at ?? Date.now(), kind: 'panic', text, ...(file ? { file } : {}), ...(line ? { line } : {}) });
      }),
      { dispose: () => this.saveTimer && clearTimeout(this.saveTimer) },
    );
    ctx.onShutdown(() => this.save());
  }

  private onTransition(change: StateChange): void {
    for (const e of transitionEvents(change)) this.record(e);
  }

  private hook(s: AppServerSupervisor): void {
    this.ctx.subscriptions.push(
      s.onNotification((n) => {
        if (n.method !== 'configWarning') return;
        const p = (n.params ?? {}) as { summary?: unknown; details?: unknown };
        const text = [p.summary, p.details].filter((x) => typeof x === 'string' && x).join(' ');
        this.record({ at: Date.now(), kind: 'configWarning', text: text || 'configuration warning' });
      }),
      s.onApproval((o) => this.record({ at: Date.now(), kind: 'approval', text: o.request.title, outcome: `${o.decision}${o.auto ? ` (${o.auto})` : ''}` })),
    );
  }

  record(event: Parameters<Timeline['add']>[0]): void {
    this.timeline.add(event);
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, SAVE_EVERY_MS);
  }

  async save(): Promise<void> {
    await this.ctx.extension.workspaceState.update(STORAGE_KEY, this.timeline.toJSON());
  }
}

/** Starts recording and gives the status bar its facts (panics of the last 24 h, the last probe). */
export function startRecorder(ctx: CodeOpsContext, statusBar: AppServerStatusBar): TimelineRecorder {
  const recorder = new TimelineRecorder(ctx);
  statusBar.facts = () => ({ panics24h: recorder.timeline.count('panic'), lastProbeAt: recorder.timeline.lastAt('probe') });
  return recorder;
}
