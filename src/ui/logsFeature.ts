// Entry of dist/logs.js: following code-tui.log and critical.log into their channels, the alerts and
// the counts. src/ui/logs.ts (in the main bundle) registers the commands at activation and requires
// this module after activation returns when codeOps.logs.follow is on, else on first use.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CodeLogFollowers,
  defaultAlertRules,
  detectLogLayout,
  eventKey,
  lineNumberAt,
  listCriticalLogs,
  panicSummary,
  recentPanics,
  sharedPanicLedger,
  tuiLogFile,
  type LogAlert,
  type PanicHit,
  type RecentPanics,
} from '../core/logs';
import { maskSecrets } from '../core/mask';
import type { LogSource } from '../core/logs/api';
import type { CodeOpsContext } from './context';
import { LogChannels, CHANNEL_NAMES } from './logChannels';
import { logAlert } from '../core/alertPolicy';
import { labeled } from '../core/actions';
import { showAlert } from './dispatch';

/** The same event is written to both logs; alerts for one event within this window are shown once. */
const SAME_EVENT_WINDOW_MS = 10_000;
/** Where the panics already alerted are remembered, so an activation does not alert them again. */
const SEEN_PANICS_KEY = 'codeOps.logs.seenPanics';

interface ShownAlert {
  severity: LogAlert['severity'];
  message: string;
  file: string;
  lineNumber?: number;
}

/** The panic's line with its time, for the status and the incident post (`… at 2026-12-01 10:05:00 UTC`). */
function withTime(text: string, ms: number | undefined): string {
  return ms === undefined ? text : `${text} at ${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** What an incident post and an alert say about a panic. */
type PanicFacts = Pick<LogAlert, 'line' | 'file' | 'timestampMs'> & { panic?: Pick<PanicHit, 'location' | 'thread' | 'message'> };

/** Section 6.3's initial incident post, filled with what the alert knows (used when the readiness feature is absent). */
export function minimalIncidentPost(alert: PanicFacts, lineNumber?: number): string {
  const when = new Date(alert.timestampMs ?? Date.now()).toISOString();
  const where = `${path.basename(alert.file)}${lineNumber ? `:${lineNumber}` : ''}`;
  const p = alert.panic;
  const brief = p?.location ? `panicked at ${p.location.file}:${p.location.line}:${p.location.column}` : alert.line.replace(/^\S+Z\s+\w+\s+/, '').slice(0, 160);
  const lines = [
    `INCIDENT: [CRITICAL] - Code panicked: ${brief} (${where})`,
    `- Time: ${when.slice(0, 10)} ${when.slice(11, 19)} UTC`,
  ];
  if (p?.thread) lines.push(`- Thread: ${p.thread}`);
  if (p?.message) lines.push(`- Message: ${p.message.split('\n', 1)[0].slice(0, 300)}`);
  lines.push('- Impact: [% users affected / services down]', '- Status: Investigating', '- Owner: @engineer-name', '- Dashboard: [link]', '');
  return maskSecrets(lines.join('\n'));
}

/**
 * Follows code-tui.log and the rolling critical.log into two output
 * channels, raises the alerts, and publishes the counts for the status bar.
 * Following starts after activation returns, and restarts when CODE_HOME or
 * a logs setting changes.
 */
export class LogsFeature implements vscode.Disposable {
  readonly channels = new LogChannels();
  private followers: CodeLogFollowers | undefined;
  private paused = false;
  private readonly recentEvents = new Map<string, number>();
  private errors = 0;
  private panics = 0;
  readonly shown: ShownAlert[] = [];

  /**
   * `activatedAt`: history from then on counts (errors, panics) at the first start. `startedOnce`: the
   * first start already happened without this module (following was off), so the next one is a restart.
   */
  constructor(
    private readonly ctx: CodeOpsContext,
    private readonly activatedAt: number,
    private startedOnce = false,
  ) {
    // panics alerted in earlier sessions are not alerted again
    const ledger = sharedPanicLedger();
    ledger.load(this.ctx.extension.workspaceState.get(SEEN_PANICS_KEY));
    ledger.onChange = (entries) => void this.ctx.extension.workspaceState.update(SEEN_PANICS_KEY, entries);
  }

  /** Typed and range-checked (src/core/settings.ts): a -1 or 1e9 never reaches the followers. */
  private settings() {
    const logs = this.ctx.settings.current.logs;
    return { follow: logs.follow, initialLines: logs.initialLines, pollIntervalMs: logs.pollIntervalMs, burst: logs.errorBurst };
  }

  get following(): boolean {
    return this.followers !== undefined;
  }

  start(reason?: string): void {
    const restarting = this.followers !== undefined || this.startedOnce;
    this.stop();
    const s = this.settings();
    this.startedOnce = true;
    // a restart shows the history again: start from a clean channel instead of repeating it
    if (restarting) this.channels.clear();
    if (!s.follow) return;
    const paths = this.ctx.paths;
    const followers = new CodeLogFollowers({
      paths,
      initialLines: s.initialLines,
      pollIntervalMs: s.pollIntervalMs,
      rules: defaultAlertRules(s.burst),
      // after a restart, history was already counted by the followers before
      sinceMs: restarting ? Date.now() : this.activatedAt,
    });
    this.followers = followers;
    if (reason) {
      this.channels.note('code-tui', reason);
      this.channels.note('critical', reason);
    }
    followers.onChunk((chunk) => this.channels.appendChunk(chunk.source, chunk, s.initialLines));
    followers.onNotice((notice) => this.channels.note(notice.source, notice.message));
    followers.onAlert((alert) => void this.alert(alert));
    followers.onCounts(() => {
      // both logs carry the same ERROR events: the larger count is the honest one
      const next = Math.max(followers.errorsBySource['code-tui'], followers.errorsBySource.critical);
      const total = this.errorsBefore + next;
      if (total !== this.errors) {
        this.errors = total;
        this.ctx.updateLogStats({ errorsSinceActivation: total });
      }
    });
    if (this.paused) followers.pause();
    followers.start();
    if (!restarting) void this.showRecentPanics();
  }

  /**
   * Panics of the last 24 h already in the logs when following starts: shown
   * at once (the counts the status bar and the readiness badge read), alerted
   * only when no earlier start of the editor alerted them.
   */
  private async showRecentPanics(): Promise<void> {
    let found: RecentPanics;
    try {
      found = await recentPanics(this.ctx.paths, sharedPanicLedger());
    } catch {
      return;
    }
    if (!found.all.length) return;
    const newest = found.all[found.all.length - 1];
    this.ctx.updateLogStats({
      lastPanicLine: maskSecrets(withTime(newest.line, newest.timestampMs)),
      lastPanicFile: newest.file,
      lastPanicLineNumber: newest.lineNumber,
      lastPanicAt: newest.timestampMs,
      panicsLast24h: found.all.length,
    });
    const unseen = found.unseen;
    if (!unseen.length) return;
    const last = unseen[unseen.length - 1];
    const at = last.timestampMs ? `, ${new Date(last.timestampMs).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '';
    const where = `${path.basename(last.file)}:${last.lineNumber}${at}`;
    const message = maskSecrets(
      unseen.length === 1 ? `Code panicked (${where}): ${last.line.slice(0, 300)}` : `Code panicked ${unseen.length} times in the last 24 h; newest (${where}): ${last.line.slice(0, 300)}`,
    );
    this.shown.push({ severity: 'critical', message, file: last.file, lineNumber: last.lineNumber });
    const log = last.file === tuiLogFile(this.ctx.paths) ? 'tui' : 'critical';
    const post = minimalIncidentPost({ line: last.line, file: last.file, timestampMs: last.timestampMs, panic: last }, last.lineNumber);
    await showAlert({
      severity: 'critical',
      message,
      actions: [labeled({ kind: 'showLog', log }, 'Show Log'), labeled({ kind: 'copyIncidentPost', text: post })],
      key: 'recent-panics',
    });
  }

  /** Errors counted by followers that were replaced (CODE_HOME or settings changed). */
  private errorsBefore = 0;

  stop(): void {
    if (!this.followers) return;
    this.errorsBefore = this.errors;
    this.followers.dispose();
    this.followers = undefined;
  }

  pause(): void {
    if (!this.settings().follow) {
      void vscode.window.showInformationMessage('Code Ops is not following the logs (codeOps.logs.follow is false), so there is nothing to pause.', 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'codeOps.logs.follow');
      });
      return;
    }
    if (this.paused) {
      void vscode.window.showInformationMessage('Following the logs is already paused. Resume Following Logs continues it.');
      return;
    }
    this.paused = true;
    this.followers?.pause();
    this.channels.note('code-tui', 'Following paused.');
    this.channels.note('critical', 'Following paused.');
  }

  resume(): void {
    this.paused = false;
    this.channels.note('code-tui', 'Following resumed.');
    this.channels.note('critical', 'Following resumed.');
    if (this.followers) this.followers.resume();
    else this.start();
  }

  status(source: LogSource): string {
    return this.followers?.status(source) ?? (this.settings().follow ? 'stopped' : 'off (codeOps.logs.follow is false)');
  }

  private isRepeat(alert: LogAlert): boolean {
    const now = Date.now();
    for (const [key, at] of this.recentEvents) if (now - at > SAME_EVENT_WINDOW_MS) this.recentEvents.delete(key);
    const key = `${alert.ruleId}:${alert.ruleId === 'panic' ? eventKey(alert.line) : ''}`;
    if (this.recentEvents.has(key)) return true;
    this.recentEvents.set(key, now);
    return false;
  }

  private async alert(alert: LogAlert): Promise<void> {
    if (alert.panic) {
      // one alert per panic, whether it came from code-tui.log, critical.log or the server's stderr
      if (!sharedPanicLedger().claim(alert.panic)) return;
    } else if (this.isRepeat(alert)) return;
    const lineNumber = await lineNumberAt(alert.file, alert.offset);
    const summary = alert.panic ? panicSummary(alert.panic) : undefined;
    if (alert.ruleId === 'panic') {
      this.panics++;
      this.ctx.updateLogStats({
        panicsSinceActivation: this.panics,
        lastPanicLine: maskSecrets(withTime(summary ?? alert.line, alert.timestampMs)),
        lastPanicFile: alert.file,
        lastPanicLineNumber: lineNumber,
        lastPanicAt: alert.timestampMs,
      });
    }
    const facts: PanicFacts = { line: alert.line, file: alert.file, timestampMs: alert.timestampMs, panic: alert.panic };
    const shown = logAlert({ ...alert, lineNumber, summary, burstWindowSeconds: this.settings().burst.windowSeconds }, () => minimalIncidentPost(facts, lineNumber));
    this.shown.push({ severity: shown.severity === 'critical' ? 'critical' : alert.severity, message: shown.message, file: alert.file, lineNumber });
    await showAlert(shown);
  }

  async pickSource(title: string): Promise<LogSource | undefined> {
    const items: Array<vscode.QuickPickItem & { source: LogSource }> = (['code-tui', 'critical'] as const).map((source) => ({
      label: CHANNEL_NAMES[source],
      description: this.status(source),
      source,
    }));
    return (await vscode.window.showQuickPick(items, { title }))?.source;
  }

  async openFile(): Promise<void> {
    const paths = this.ctx.paths;
    const layout = detectLogLayout(paths);
    const candidates = [layout.tuiLog, ...(await listCriticalLogs(layout.logsDir)).reverse()];
    const files: string[] = [];
    for (const file of candidates) {
      const st = await fsp.stat(file).catch(() => undefined);
      if (st?.isFile()) files.push(file);
    }
    if (!files.length) {
      const pick = await vscode.window.showInformationMessage(
        `Code Ops: there are no logs yet under ${this.ctx.codeHome.path} (log/code-tui.log and logs/critical.log.*, or debug_logs/). Code writes them once it runs; check codeOps.codeHome if it runs elsewhere.`,
        'Open Settings',
      );
      if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'codeOps.codeHome');
      return;
    }
    const items = files.map((file) => ({ label: path.basename(file), description: path.dirname(file), file }));
    const picked = await vscode.window.showQuickPick(items, { title: 'Open Log File', placeHolder: 'code-tui.log, or a day of critical.log' });
    if (!picked) return;
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(picked.file));
      const shown = await vscode.window.showTextDocument(doc, { preview: true });
      // logs are read from the bottom
      const last = new vscode.Position(Math.max(0, doc.lineCount - 1), 0);
      shown.selection = new vscode.Selection(last, last);
      shown.revealRange(new vscode.Range(last, last));
    } catch (err) {
      void vscode.window.showErrorMessage(
        `Code Ops: cannot open ${picked.file}: ${err instanceof Error ? err.message : String(err)}. It may not exist yet (Code creates it on first write) or be readable only by the user Code runs as.`,
      );
    }
  }

  snapshot() {
    return {
      following: this.following,
      paused: this.paused,
      status: { 'code-tui': this.status('code-tui'), critical: this.status('critical') },
      channels: { 'code-tui': [...this.channels.recent('code-tui')], critical: [...this.channels.recent('critical')] },
      alerts: [...this.shown],
      stats: this.ctx.logStats,
    };
  }

  dispose(): void {
    this.stop();
    this.channels.dispose();
  }
}
