import * as vscode from 'vscode';
import type { CodeOpsContext } from './context';

// Skeleton: an empty Readiness view (its welcome text comes from package.json) until the checklist model lands.
export function registerReadiness(ctx: CodeOpsContext): void {
  const provider: vscode.TreeDataProvider<never> = {
    getTreeItem: (e) => e,
    getChildren: () => [],
  };
  ctx.subscriptions.push(vscode.window.createTreeView('codeOps.readiness', { treeDataProvider: provider }));
}
