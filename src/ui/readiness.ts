import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeOpsContext } from './context';
import type { ReadinessNode } from './readinessTree';
// Types only: the controller, the tree rendering and src/core/readiness live in dist/readiness.js.
import type { ReadinessController, Target } from './readinessController';
import { registerTestHook } from './testHooks';
import { TEST_HOOKS_BUILT } from './testHooksBuild';
import { loadBundle } from '../core/codeCache';
import { registerCommand } from './commands';

type ReadinessModule = typeof import('./readinessController');

const BUILTIN_DOC = vscode.Uri.from({ scheme: 'code-ops-checklist', path: '/production-checklist.md' });

/**
 * What activation registers for the Readiness view: the tree view itself (so
 * the view and its welcome content work) with a provider that hands over the
 * controller's rows. The controller (dist/readiness.js: checklist parser,
 * checks catalog, sign-off store, report, posts) is required the first time
 * the view asks for its rows or becomes visible, or a readiness command runs.
 */
class ReadinessViewShell implements vscode.TreeDataProvider<ReadinessNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReadinessNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ReadinessNode>;
  private controller?: ReadinessController;
  private module?: ReadinessModule;
  private loading?: Promise<ReadinessController>;
  private disposed = false;
  private loadErrorShown = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: CodeOpsContext) {
    this.view = vscode.window.createTreeView('codeOps.readiness', { treeDataProvider: this, manageCheckboxStateManually: true, showCollapseAll: true });
    this.disposables.push(
      this.changed,
      this.view,
      this.view.onDidChangeVisibility((e) => {
        if (e.visible) void this.load().catch((err) => this.showLoadError(err));
      }),
    );
  }

  /** The controller, required and constructed once; a failed load is tried again next time. */
  load(): Promise<ReadinessController> {
    if (this.controller) return Promise.resolve(this.controller);
    if (this.disposed) return Promise.reject(new Error('the Readiness view was closed'));
    this.loading ??= new Promise<ReadinessController>((resolve) => {
      // A runtime path keeps the controller and src/core/readiness out of dist/extension.js.
      const mod = loadBundle(path.join(this.ctx.extension.extensionPath, 'dist', 'readiness.js')) as ReadinessModule;
      this.module = mod;
      const controller = new mod.ReadinessController(this.ctx, this.view, BUILTIN_DOC);
      this.disposables.push(controller, controller.tree.onDidChangeTreeData((node) => this.changed.fire(node)));
      this.controller = controller;
      resolve(controller);
    }).catch((err: unknown) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  /** The built-in checklist's Markdown, for its read-only document. */
  async builtinChecklistText(): Promise<string> {
    await this.load();
    return this.module!.BUILTIN_CHECKLIST;
  }

  private showLoadError(err: unknown): void {
    if (this.loadErrorShown) return;
    this.loadErrorShown = true;
    void vscode.window.showErrorMessage(`Code Ops: the Readiness view could not load: ${(err as Error).message}`);
  }

  async getChildren(parent?: ReadinessNode): Promise<ReadinessNode[]> {
    try {
      return await (await this.load()).tree.getChildren(parent);
    } catch (err) {
      this.showLoadError(err);
      return [];
    }
  }

  getTreeItem(node: ReadinessNode): vscode.TreeItem {
    // Nodes only come from the controller's tree, so it is loaded by now.
    return this.controller!.tree.getTreeItem(node);
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}

export function registerReadiness(ctx: CodeOpsContext): void {
  const shell = new ReadinessViewShell(ctx);
  const reg = (id: string, fn: (controller: ReadinessController, ...args: never[]) => unknown) =>
    registerCommand(id, async (...args: unknown[]) => {
      try {
        const controller = await shell.load();
        return await (fn as (c: ReadinessController, ...a: unknown[]) => unknown)(controller, ...args);
      } catch (err) {
        void vscode.window.showErrorMessage(`Code Ops: ${(err as Error).message}`);
        return undefined;
      }
    });
  ctx.subscriptions.push(
    shell,
    vscode.workspace.registerTextDocumentContentProvider(BUILTIN_DOC.scheme, { provideTextDocumentContent: () => shell.builtinChecklistText() }),
    reg('codeOps.readiness.refresh', (c) => c.refresh()),
    reg('codeOps.readiness.rerunCheck', (c, t: Target) => c.rerun(t)),
    reg('codeOps.readiness.fix', (c, t: Target) => c.fix(t)),
    reg('codeOps.readiness.runInTerminal', (c, t: Target) => c.runInTerminal(t)),
    reg('codeOps.readiness.copyCommand', (c, t: Target) => c.copyCommand(t)),
    reg('codeOps.readiness.openDocs', (c, t: Target) => c.openDocs(t)),
    reg('codeOps.readiness.addNote', (c, t: Target) => c.addNote(t)),
    reg('codeOps.readiness.report', (c) => c.report()),
    reg('codeOps.readiness.copyIncidentPost', (c) => c.copyPost('incident')),
    reg('codeOps.readiness.copyResolutionPost', (c) => c.copyPost('resolution')),
    // Not in the palette: the problem rows' click action, and hooks the integration tests drive.
    reg('codeOps.readiness.resolveProblem', (c, key: string) => c.resolveProblem(key)),
    // Only under CODE_OPS_TEST_HOOKS=1 (the integration runner): production has no such command.
    ...(TEST_HOOKS_BUILT ? [registerTestHook('codeOps.readiness.testHook', async (action: unknown, ...args: unknown[]) => {
      const controller = await shell.load();
      switch (action) {
        case 'snapshot':
          // as before the lazy load: the first read of the checklist and sign-offs has settled
          await controller.ready;
          return controller.snapshot();
        case 'setChecked':
          return controller.setChecked(String(args[0]), Boolean(args[1]));
        case 'reload':
          return controller.reload(false);
        case 'run':
          return controller.runNow();
        case 'report':
          return controller.reportText();
        default:
          throw new Error(`unknown test hook ${String(action)}`);
      }
    })] : []),
  );
}
