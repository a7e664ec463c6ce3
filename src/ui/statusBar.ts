import * as vscode from 'vscode';
import { renderStatus, type StatusView } from '../core/appServer/status';
import type { ServerSnapshot } from '../core/appServer/types';
import type { CodeOpsContext } from './context';
import { commandFor, commandLink } from './commandLinks';

/** Facts the status bar shows beside the snapshot (the server timeline provides them when it runs). */
export interface StatusFacts {
  panics24h?: number;
  lastProbeAt?: number;
}

/** The one status bar item; it only renders the supervisor's snapshot. */
export class AppServerStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private uptimeTimer: NodeJS.Timeout | undefined;
  private view: StatusView | undefined;

  private lastProbeMs?: number;
  private lastProbeAt?: number;
  /** Set by the server timeline: panics of the last 24 h (kept across reloads) and when the last probe answered. */
  facts?: () => StatusFacts;

  constructor(private readonly ctx: CodeOpsContext) {
    this.item = vscode.window.createStatusBarItem('codeOps.status', vscode.StatusBarAlignment.Left, 100);
    this.item.name = 'Code Ops: App Server';
    this.item.command = 'codeOps.appServer.showActions';
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  get current(): StatusView | undefined {
    return this.view;
  }

  render(snapshot: ServerSnapshot): void {
    if (snapshot.lastProbeMs !== undefined && snapshot.lastProbeMs !== this.lastProbeMs) this.lastProbeAt = Date.now();
    this.lastProbeMs = snapshot.lastProbeMs;
    const facts = this.facts?.() ?? {};
    const view = renderStatus(snapshot, {
      codeHome: this.ctx.codeHome.path,
      logErrorsSinceActivation: this.ctx.logStats.errorsSinceActivation,
      panics24h: Math.max(facts.panics24h ?? 0, this.ctx.logStats.panicsLast24h ?? 0) || undefined,
      lastProbeAt: facts.lastProbeAt ?? this.lastProbeAt,
    });
    this.view = view;
    this.item.text = view.text;
    const links = view.actions.map(commandLink).filter((l): l is string => l !== undefined);
    const tooltip = new vscode.MarkdownString(`${view.tooltip}\n\n${links.join(' · ')}`, true);
    // Only our own commands may run from the tooltip's links.
    const commands = view.actions.map((a) => commandFor(a.action)?.command).filter((c): c is string => c !== undefined && c.startsWith('codeOps.'));
    tooltip.isTrusted = { enabledCommands: commands };
    this.item.tooltip = tooltip;
    this.item.backgroundColor =
      view.severity === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.severity === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.accessibilityInformation = { label: view.text.replace(/\$\([^)]*\)\s*/g, ''), role: 'button' };
    // Uptime in the tooltip ages; refresh it while the server runs, not otherwise.
    const running = snapshot.state === 'healthy' || snapshot.state === 'unresponsive';
    if (running && !this.uptimeTimer) this.uptimeTimer = setInterval(() => this.refreshLater(), 30_000);
    if (!running && this.uptimeTimer) {
      clearInterval(this.uptimeTimer);
      this.uptimeTimer = undefined;
    }
    this.latest = snapshot;
  }

  private latest: ServerSnapshot | undefined;

  private refreshLater(): void {
    if (this.latest) this.render(this.latest);
  }

  dispose(): void {
    if (this.uptimeTimer) clearInterval(this.uptimeTimer);
    this.item.dispose();
  }
}
