import * as vscode from 'vscode';
import { renderStatus, type StatusView } from '../core/appServer/status';
import type { ServerSnapshot } from '../core/appServer/types';

/** The one status bar item; it only renders the supervisor's snapshot. */
export class AppServerStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private uptimeTimer: NodeJS.Timeout | undefined;
  private view: StatusView | undefined;

  constructor(private readonly extras: () => { codeHome: string; logErrorsSinceActivation: number }) {
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
    const view = renderStatus(snapshot, this.extras());
    this.view = view;
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    // Only our own commands may run from the tooltip's links.
    tooltip.isTrusted = { enabledCommands: view.actions.map((a) => a.command).filter((c) => c.startsWith('codeOps.')) };
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
