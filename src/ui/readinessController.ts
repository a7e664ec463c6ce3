// Entry of dist/readiness.js: the Readiness view's controller and tree rendering with the checklist
// parser, checks catalog, sign-off store, report and posts. src/ui/readiness.ts (in the main bundle)
// creates the tree view at activation and requires this module the first time the view asks for its
// rows, becomes visible, or a readiness command runs.
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeOpsContext } from './context';
import {
  BUILTIN_CHECKLIST,
  CHECKS,
  findItem,
  incidentPost,
  progressOf,
  ReadinessSession,
  resolutionPost,
  SETTING_TRIGGERS,
  stateFileFor,
  StateFileCorruptError,
  allItems,
  type CheckId,
  type CheckResult,
  type Checklist,
  type ChecklistItem,
  type ItemCommand,
  type SignOff,
} from '../core/readiness/index';
import type { CheckDeps } from '../core/readiness/checks';
import type { LabeledAction } from '../core/actions';
import { ReadinessTreeProvider, type ReadinessNode, type ReadinessSource } from './readinessTree';
import { dispatch } from './dispatch';
import { checklistCommandText, confirmRun, reportFile } from './readinessCommands';
import { loadBundle } from '../core/codeCache';

/** The text behind the built-in checklist's read-only document (src/ui/readiness.ts serves it). */
export { BUILTIN_CHECKLIST };

/** What a command may be invoked with: a tree node, an item or check id (tests, links), or nothing (palette). */
export type Target = ReadinessNode | string | undefined;

/**
 * The editor side of the Readiness view: the tree, prompts, the terminal and
 * the file watchers. What is checked when, the sign-off store, the report and
 * the posts live in the ReadinessSession (src/core/readiness/session.ts),
 * which `code-ops check` drives too.
 */
export class ReadinessController implements ReadinessSource, vscode.Disposable {
  readonly session: ReadinessSession;
  private forcedVisible = false;
  private signer?: Promise<string>;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private codeHomeWatchers: vscode.Disposable[] = [];
  private supervisorHooked = false;
  readonly tree: ReadinessTreeProvider;
  private terminal?: vscode.Terminal;
  private loaded: Promise<void>;
  private deps?: CheckDeps;

  get ready(): Promise<void> {
    return this.loaded;
  }

  /**
   * `view` was created at activation by src/ui/readiness.ts, whose provider hands the rows of
   * `this.tree` to it; `builtinDoc` is the read-only document of the built-in checklist it serves.
   */
  constructor(
    private readonly ctx: CodeOpsContext,
    readonly view: vscode.TreeView<ReadinessNode>,
    private readonly builtinDoc: vscode.Uri,
  ) {
    this.tree = new ReadinessTreeProvider(this);
    this.disposables.push(this.tree);
    this.session = new ReadinessSession({ ...this.sessionInputs(), deps: () => this.checkDeps(), canRun: () => this.view.visible });
    this.session.onDidChange(() => this.render());
    this.forcedVisible = ctx.extension.workspaceState.get<boolean>('codeOps.readiness.shown', false);
    this.disposables.push(
      this.view.onDidChangeCheckboxState((e) => {
        for (const [node, state] of e.items) {
          if (node.type === 'item') void this.setChecked(node.item.id, state === vscode.TreeItemCheckboxState.Checked);
        }
      }),
      this.view.onDidChangeVisibility((e) => {
        if (e.visible) this.flushIfVisible();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigChange(e)),
      ctx.onDidChangeCodeHome(() => {
        this.session.configure(this.sessionInputs());
        this.watchCodeHome();
        this.session.schedule('all', 100);
      }),
      ctx.onDidChangeLogStats(() => this.session.schedule('logs')),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const p = doc.uri.fsPath;
        if (p === ctx.paths.configToml || p === this.session.managedConfigFile) this.session.schedule('config');
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
    );
    // Reading the files and the first run happen after the constructor returns.
    this.loaded = new Promise<void>((resolve) => setTimeout(() => resolve(this.reload(false)), 0));
  }

  /** What the session needs from the editor's settings and folders. */
  private sessionInputs() {
    const s = this.ctx.settings.current;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const sup = () => this.ctx.supervisor;
    return {
      codeHome: this.ctx.codeHome.path,
      stateFile: stateFileFor({ workspaceFolder: folder, globalStorage: this.ctx.extension.globalStorageUri.fsPath }),
      settings: {
        target: s.readiness.target,
        dialect: s.config.dialect,
        backupGlob: s.readiness.backupGlob,
        backupMaxAgeDays: s.readiness.backupMaxAgeDays,
        checklistFile: s.readiness.checklistFile,
        managedConfig: s.config.managedConfig,
        serverCommand: s.appServer.command,
        serverArgs: s.appServer.args,
        serverEnv: s.appServer.env,
        serverCwd: s.appServer.cwd ?? folder,
        socket: s.appServer.socket,
        probeTimeoutMs: s.appServer.probeTimeoutMs,
      },
      env: process.env,
      cwd: folder ?? this.ctx.codeHome.path,
      platform: process.platform,
      server: () => {
        const h = sup();
        return h ? { snapshot: h.snapshot(), recentStderr: h.recentStderr() } : undefined;
      },
    };
  }

  // ReadinessSource -------------------------------------------------------

  get checklist(): Checklist {
    return this.session.checklist;
  }

  get showWelcome(): boolean {
    return this.session.nothingConfigured && !this.forcedVisible;
  }

  get problems() {
    const out: Array<{ key: string; message: string; detail?: string }> = [];
    if (this.session.stateProblem) out.push({ key: 'state', ...this.session.stateProblem });
    if (this.session.checklistProblem) out.push({ key: 'checklist', message: this.session.checklistProblem });
    return out;
  }

  result(id: CheckId): CheckResult | undefined {
    return this.session.result(id);
  }

  running(id: CheckId): boolean {
    return this.session.running(id);
  }

  isChecked(item: ChecklistItem): boolean {
    return this.session.isChecked(item);
  }

  signOff(id: string): SignOff | undefined {
    return this.session.signOff(id);
  }

  // Loading ---------------------------------------------------------------

  /** Re-reads the checklist and the sign-off file from disk (the "reload of the view"). */
  async reload(runChecksAfter = true): Promise<void> {
    this.session.configure(this.sessionInputs());
    await this.session.load();
    this.watchCodeHome();
    this.hookSupervisor();
    void vscode.commands.executeCommand('setContext', 'codeOps.readiness.welcome', this.showWelcome);
    this.render();
    // Pending checks run now if the view is visible, else when it becomes visible.
    this.session.schedule('all', runChecksAfter ? 0 : 50);
  }

  private watchCodeHome(): void {
    for (const d of this.codeHomeWatchers.splice(0)) d.dispose();
    const onConfig = () => this.session.schedule('config', 500);
    const watch = (file: string, onChange: () => void, events: Array<'change' | 'create' | 'delete'>) => {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
      this.codeHomeWatchers.push(w);
      if (events.includes('change')) this.codeHomeWatchers.push(w.onDidChange(onChange));
      if (events.includes('create')) this.codeHomeWatchers.push(w.onDidCreate(onChange));
      if (events.includes('delete')) this.codeHomeWatchers.push(w.onDidDelete(onChange));
    };
    watch(this.ctx.paths.configToml, onConfig, ['change', 'create', 'delete']);
    watch(this.session.managedConfigFile, onConfig, ['change', 'create', 'delete']);
    watch(this.session.store.file, () => void this.session.loadState(), ['change', 'create']);
    if (this.session.checklistFile) watch(this.session.checklistFile, () => void this.session.reloadChecklistOnly(), ['change']);
  }

  /** The supervisor may register after us; hook it whenever it shows up. */
  private hookSupervisor(): void {
    if (this.supervisorHooked || !this.ctx.supervisor) return;
    this.supervisorHooked = true;
    this.disposables.push(this.ctx.supervisor.onDidChange(() => this.session.schedule('server')));
  }

  private onConfigChange(e: vscode.ConfigurationChangeEvent): void {
    const fired = new Set(SETTING_TRIGGERS.filter((t) => e.affectsConfiguration(t.setting)).map((t) => t.trigger));
    if (!fired.size) return;
    if (fired.has('reload')) return void this.reload();
    this.session.configure(this.sessionInputs());
    for (const t of fired) if (t !== 'reload') this.session.schedule(t);
  }

  // Running checks --------------------------------------------------------

  private flushIfVisible(): void {
    this.hookSupervisor();
    this.session.flush();
  }

  /** Runs checks now whatever the visibility (commands call this); one run at a time. */
  async runNow(ids: readonly CheckId[] = CHECKS.map((c) => c.id)): Promise<void> {
    await this.loaded;
    this.session.configure(this.sessionInputs());
    await this.session.runNow(ids);
  }

  /**
   * The check engine (TOML parser, schema validator, log scanner) is its own
   * bundle, loaded on the first check run so that activation stays light.
   */
  private checkDeps(): CheckDeps {
    if (!this.deps) {
      const mod = loadBundle(path.join(this.ctx.extension.extensionPath, 'dist', 'readinessDeps.js')) as typeof import('../core/readiness/deps');
      this.deps = mod.defaultCheckDeps();
    }
    return this.deps;
  }

  private progressText: string | undefined;

  private render(): void {
    if (this.disposed) return;
    const p = progressOf(this.checklist, (i) => this.isChecked(i));
    const failing = [...this.session.results.values()].filter((r) => r.status === 'fail').length;
    // Progress goes in the title: with Readiness the only view of its container, VS Code hides the
    // view's header (and its description) and shows the title in the container's title bar.
    this.progressText = this.showWelcome ? undefined : `${p.done}/${p.total}`;
    this.view.title = this.progressText ? `Readiness ${this.progressText}` : 'Readiness';
    this.view.badge = failing ? { value: failing, tooltip: `${failing} automatic check${failing === 1 ? '' : 's'} failing` } : undefined;
    this.view.message = this.session.stateProblem && !this.showWelcome ? this.session.stateProblem.message : undefined;
    this.tree.refresh();
  }

  // Sign-off ----------------------------------------------------------------

  private whoAmI(): Promise<string> {
    this.signer ??= new Promise((resolve) => {
      const fallback = () => {
        try {
          resolve(os.userInfo().username);
        } catch {
          resolve('unknown');
        }
      };
      const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      execFile('git', ['config', 'user.name'], { cwd, timeout: 3000, windowsHide: true }, (err, stdout) => {
        const name = String(stdout ?? '').trim();
        if (err || !name) fallback();
        else resolve(name);
      });
    });
    return this.signer;
  }

  async setChecked(itemId: string, checked: boolean): Promise<void> {
    await this.loaded;
    const item = findItem(this.checklist, itemId);
    if (!item?.checkbox) return;
    try {
      await this.session.setChecked(itemId, checked, await this.whoAmI());
    } catch (err) {
      if (err instanceof StateFileCorruptError) void this.offerStateRepair(err.message);
      else void vscode.window.showErrorMessage(`Code Ops: could not record the sign-off of "${item.label}": ${(err as Error).message}`);
    }
  }

  private async offerStateRepair(message: string): Promise<void> {
    const open = 'Open File';
    const aside = 'Move Aside and Start Fresh';
    const pick = await vscode.window.showErrorMessage(`Code Ops: ${message}`, open, aside);
    if (pick === open) await vscode.window.showTextDocument(vscode.Uri.file(this.session.store.file));
    if (pick === aside) {
      const moved = await this.session.moveStateAside();
      void vscode.window.showInformationMessage(`Code Ops: the old sign-off file was kept as ${path.basename(moved)}.`);
    }
  }

  async resolveProblem(key: string): Promise<void> {
    const problem = this.session.stateProblem;
    if (key.endsWith('state') && problem) {
      if (problem.message.includes('unreadable')) await this.offerStateRepair(problem.detail ?? problem.message);
      else await vscode.window.showTextDocument(vscode.Uri.file(this.session.store.file));
    } else if (key.endsWith('checklist')) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'codeOps.readiness.checklistFile');
    }
  }

  // Commands ----------------------------------------------------------------

  /** Resolves a command argument to the item (and check) it is about. */
  resolve(target: Target): { item?: ChecklistItem; check?: CheckId; command?: ItemCommand } {
    if (!target) return {};
    if (typeof target === 'string') {
      const byCheck = CHECKS.find((c) => c.id === target);
      if (byCheck) return { item: [...allItems(this.checklist)].find((i) => i.checks.includes(byCheck.id)), check: byCheck.id };
      return { item: findItem(this.checklist, target) };
    }
    switch (target.type) {
      case 'item':
        return { item: target.item };
      case 'check':
        return { item: target.item, check: target.check };
      case 'command':
        return { item: target.item, command: target.command };
      default:
        return {};
    }
  }

  async refresh(): Promise<void> {
    if (!this.forcedVisible) {
      this.forcedVisible = true;
      await this.ctx.extension.workspaceState.update('codeOps.readiness.shown', true);
    }
    await this.reload(false);
    await this.runNow();
  }

  async rerun(target: Target): Promise<void> {
    const { item, check } = this.resolve(target);
    const ids = check ? [check] : item?.checks.length ? item.checks : CHECKS.map((c) => c.id);
    await this.runNow(ids);
  }

  async fix(target: Target): Promise<void> {
    const { item, check } = this.resolve(target);
    let candidates = (check ? [check] : (item?.checks ?? [])).map((id) => this.session.result(id)).filter((r): r is CheckResult => !!r?.fix && r.status !== 'pass');
    if (!target) {
      const fixable = [...this.session.results.values()].filter((r) => r.fix && r.status !== 'pass');
      const pick = await vscode.window.showQuickPick(
        fixable.map((r) => ({ label: r.fix!.label, description: r.id, detail: r.detail, r })),
        { placeHolder: fixable.length ? 'Fix which check?' : 'No failing check has a fix' },
      );
      if (!pick) return;
      candidates = [pick.r];
    }
    const r = candidates[0];
    if (!r?.fix) {
      void vscode.window.showInformationMessage(`Code Ops: ${item ? `"${item.label}"` : 'this item'} has nothing to fix.`);
      return;
    }
    await this.applyFix(r.fix);
    await this.runNow([r.id]);
  }

  private applyFix(fix: LabeledAction): Promise<void> {
    return dispatch(fix.action);
  }

  private async pickCommand(target: Target, runnableOnly: boolean): Promise<ItemCommand | undefined> {
    const { item, command } = this.resolve(target);
    if (command) return command;
    const pool = (item ? item.commands : [...allItems(this.checklist)].flatMap((i) => i.commands)).filter((c) => !runnableOnly || c.runnable);
    if (pool.length === 1) return pool[0];
    if (!pool.length) {
      void vscode.window.showInformationMessage('Code Ops: this item carries no command.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      pool.map((c) => ({ label: c.label, detail: c.text.split('\n')[0], c })),
      { placeHolder: runnableOnly ? 'Run which command?' : 'Copy which command?' },
    );
    return pick?.c;
  }

  async runInTerminal(target: Target): Promise<void> {
    const cmd = await this.pickCommand(target, true);
    if (!cmd) return;
    // Control characters are dropped (a bare \r acts as Enter); the person sees the exact text and decides.
    const text = checklistCommandText(cmd.text);
    // Placeholders (<version>) need a person's edit, and an untrusted workspace's checklist never runs on its own.
    const runnable = !/<[^>]+>/.test(text) && vscode.workspace.isTrusted;
    const choice = await confirmRun(cmd.label, text, runnable);
    if (!choice) return;
    if (!this.terminal || this.terminal.exitStatus) this.terminal = vscode.window.createTerminal({ name: 'Code Ops: checklist' });
    this.terminal.show();
    this.terminal.sendText(text, choice === 'run');
  }

  async copyCommand(target: Target): Promise<void> {
    const cmd = await this.pickCommand(target, false);
    if (!cmd) return;
    await vscode.env.clipboard.writeText(checklistCommandText(cmd.text));
    vscode.window.setStatusBarMessage(`$(copy) Copied: ${cmd.label}`, 3000);
  }

  async openDocs(target: Target): Promise<void> {
    const { item } = this.resolve(target);
    const section = typeof target === 'object' && target.type === 'section' ? target.section : undefined;
    const line = Math.max(0, item?.line ?? section?.line ?? 0);
    const uri = this.session.checklistFile ? vscode.Uri.file(this.session.checklistFile) : this.builtinDoc;
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = new vscode.Position(Math.min(line, doc.lineCount - 1), 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
  }

  async addNote(target: Target): Promise<void> {
    let { item } = this.resolve(target);
    if (!item) {
      const boxes = [...allItems(this.checklist)].filter((i) => i.checkbox);
      item = (await vscode.window.showQuickPick(boxes.map((i) => ({ label: i.label, description: i.sectionId, i })), { placeHolder: 'Add a note to which item?' }))?.i;
      if (!item) return;
    }
    const note = await vscode.window.showInputBox({
      title: `Sign-off note: ${item.label}`,
      value: this.session.signOff(item.id)?.note ?? '',
      prompt: 'Stored in the sign-off file next to who signed it off. Empty removes the note.',
    });
    if (note === undefined) return;
    try {
      await this.session.setNote(item.id, note);
    } catch (err) {
      if (err instanceof StateFileCorruptError) void this.offerStateRepair(err.message);
      else void vscode.window.showErrorMessage(`Code Ops: could not save the note: ${(err as Error).message}`);
    }
  }

  async reportText(): Promise<string> {
    await this.runNow();
    const snap = this.ctx.supervisor?.snapshot();
    return this.session.reportText({ serverVersion: snap?.userAgent, serverState: snap ? `${snap.state}${snap.pid ? ` (pid ${snap.pid})` : ''}` : undefined });
  }

  /** Writes the report to a real file and opens it as a rendered Markdown preview. */
  async report(): Promise<vscode.Uri> {
    const text = await this.reportText();
    const uri = await reportFile(this.ctx.extension.globalStorageUri.fsPath, text);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(uri, { preview: false });
    }
    return uri;
  }

  async copyPost(kind: 'incident' | 'resolution'): Promise<string> {
    const facts = this.session.incidentFacts({ server: this.ctx.supervisor?.snapshot(), lastPanicLine: this.ctx.logStats.lastPanicLine, panicAt: (this.ctx.logStats as { lastPanicAt?: number }).lastPanicAt });
    const text = kind === 'incident' ? incidentPost(this.checklist.templates, facts) : resolutionPost(this.checklist.templates, facts);
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(`Code Ops: ${kind === 'incident' ? 'incident' : 'resolution'} post copied; fill in the [placeholders] before posting.`);
    return text;
  }

  /** A plain view of the tree for tests and diagnostics. */
  snapshot() {
    const walk = (nodes: ReadinessNode[]): unknown[] =>
      nodes.map((n) => {
        const t = this.tree.getTreeItem(n);
        return {
          key: n.type === 'item' ? n.item.id : n.key,
          type: n.type,
          label: typeof t.label === 'string' ? t.label : t.label?.label,
          description: t.description,
          tooltip: typeof t.tooltip === 'string' ? t.tooltip : t.tooltip?.value,
          icon: t.iconPath instanceof vscode.ThemeIcon ? t.iconPath.id : undefined,
          contextValue: t.contextValue,
          checked: t.checkboxState === undefined ? undefined : (typeof t.checkboxState === 'object' ? t.checkboxState.state : t.checkboxState) === vscode.TreeItemCheckboxState.Checked,
          children: walk(this.tree.childrenOf(n)),
        };
      });
    return {
      progress: this.progressText,
      title: this.view.title,
      badge: this.view.badge?.value,
      stateFile: this.session.store.file,
      results: Object.fromEntries([...this.session.results].map(([k, r]) => [k, { status: r.status, detail: r.detail, fix: r.fix?.label }])),
      roots: walk(this.tree.childrenOf()),
    };
  }

  dispose(): void {
    this.disposed = true;
    this.session.dispose();
    for (const d of this.codeHomeWatchers.splice(0)) d.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    this.terminal?.dispose();
  }
}
