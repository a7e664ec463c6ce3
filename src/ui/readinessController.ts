// Entry of dist/readiness.js: the Readiness view's controller and tree rendering with the checklist
// parser, checks catalog, sign-off store, report and posts. src/ui/readiness.ts (in the main bundle)
// creates the tree view at activation and requires this module the first time the view asks for its
// rows, becomes visible, or a readiness command runs.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CodeOpsContext } from './context';
import {
  applyPermissionsFix,
  BUILTIN_CHECKLIST,
  builtinChecklist,
  CHECKS,
  DEFAULT_CHECK_SETTINGS,
  findItem,
  incidentPost,
  loadChecklistFile,
  progressOf,
  ReadinessStateStore,
  renderReport,
  resolutionPost,
  runChecks,
  setTaskChecked,
  StateFileCorruptError,
  allItems,
  type CheckContext,
  type CheckId,
  type CheckResult,
  type Checklist,
  type ChecklistItem,
  type FixAction,
  type ItemCommand,
  type SignOff,
} from '../core/readiness/index';
import type { CheckDeps } from '../core/readiness/checks';
import { ReadinessTreeProvider, type ReadinessNode, type ReadinessSource } from './readinessTree';
import { maskSecrets } from '../core/mask';

/** The text behind the built-in checklist's read-only document (src/ui/readiness.ts serves it). */
export { BUILTIN_CHECKLIST };

const CONFIG_CHECKS: CheckId[] = ['config-valid', 'otel-exporter', 'otel-environment', 'otel-log-user-prompt', 'secrets-in-config', 'otel-export-reachable'];
const SERVER_CHECKS: CheckId[] = ['app-server-liveness', 'no-crash-loop', 'no-panics'];
const LOG_CHECKS: CheckId[] = ['no-panics', 'logs-present'];
const ENV_CHECKS: CheckId[] = ['secure-mode', 'rust-log', 'app-server-binary', 'app-server-liveness'];

/** What a command may be invoked with: a tree node, an item or check id (tests, links), or nothing (palette). */
export type Target = ReadinessNode | string | undefined;

/**
 * Owns the Readiness view: the checklist, the sign-off store, the latest
 * check results, and when checks run (debounced triggers, only while the view
 * is visible or a command asks).
 */
export class ReadinessController implements ReadinessSource, vscode.Disposable {
  /** Empty until the deferred first load: parsing the checklist is kept out of activation. */
  checklist: Checklist = { title: '', sections: [], templates: [], source: '' };
  private checklistFile?: string;
  private store!: ReadinessStateStore;
  private readonly results = new Map<CheckId, CheckResult>();
  private readonly inFlight = new Set<CheckId>();
  private pending = new Set<CheckId>();
  private timer?: ReturnType<typeof setTimeout>;
  private runChain: Promise<void> = Promise.resolve();
  private stateProblem?: { message: string; detail?: string };
  private checklistProblem?: string;
  private forcedVisible = false;
  private nothingConfigured = false;
  private signer?: Promise<string>;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private codeHomeWatchers: vscode.Disposable[] = [];
  private supervisorHooked = false;
  readonly tree: ReadinessTreeProvider;
  private terminal?: vscode.Terminal;
  private loaded: Promise<void>;

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
    this.store = new ReadinessStateStore(this.stateFilePath());
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
        this.watchCodeHome();
        this.schedule(CHECKS.map((c) => c.id), 100);
      }),
      ctx.onDidChangeLogStats(() => this.schedule(LOG_CHECKS, 2000)),
      vscode.workspace.onDidSaveTextDocument((doc) => {
        const p = doc.uri.fsPath;
        if (p === ctx.paths.configToml || p === ctx.paths.managedConfigToml) this.schedule(CONFIG_CHECKS, 300);
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()),
    );
    // Reading the files and the first run happen after the constructor returns.
    this.loaded = new Promise<void>((resolve) => setTimeout(() => resolve(this.reload(false)), 0));
  }

  // ReadinessSource -------------------------------------------------------

  get showWelcome(): boolean {
    return this.nothingConfigured && !this.forcedVisible;
  }

  get problems() {
    const out: Array<{ key: string; message: string; detail?: string }> = [];
    if (this.stateProblem) out.push({ key: 'state', ...this.stateProblem });
    if (this.checklistProblem) out.push({ key: 'checklist', message: this.checklistProblem });
    return out;
  }

  result(id: CheckId): CheckResult | undefined {
    return this.results.get(id);
  }

  running(id: CheckId): boolean {
    return this.inFlight.has(id);
  }

  isChecked(item: ChecklistItem): boolean {
    // A workspace checklist file is the truth for its boxes; otherwise the sign-off file is.
    if (this.checklistFile) return item.checkedInSource;
    return this.store.get(item.id)?.checked ?? false;
  }

  signOff(id: string): SignOff | undefined {
    return this.store.get(id);
  }

  // Loading ---------------------------------------------------------------

  private stateFilePath(): string {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder) return path.join(folder.uri.fsPath, '.code-ops', 'readiness.json');
    return path.join(this.ctx.extension.globalStorageUri.fsPath, 'readiness.json');
  }

  /** Absolute (relative settings are resolved against the workspace folder, else CODE_HOME); undefined when unset. */
  private configuredChecklistFile(): string | undefined {
    return this.ctx.settings.current.readiness.checklistFile;
  }

  /** Re-reads the checklist and the sign-off file from disk (the "reload of the view"). */
  async reload(runChecksAfter = true): Promise<void> {
    const file = this.configuredChecklistFile();
    this.checklistProblem = undefined;
    if (file) {
      try {
        const loaded = (await loadChecklistFile(file)).checklist;
        // A file without a single task line would show an empty view and nothing to sign off.
        if (![...allItems(loaded)].some((i) => i.checkbox)) throw new Error(`${file} has no checklist items (\`- [ ] …\` lines under ## headings)`);
        this.checklist = loaded;
        this.checklistFile = file;
      } catch (err) {
        this.checklist = builtinChecklist();
        this.checklistFile = undefined;
        this.checklistProblem = `codeOps.readiness.checklistFile: ${(err as Error).message}; showing the built-in checklist.`;
      }
    } else {
      this.checklist = builtinChecklist();
      this.checklistFile = undefined;
    }
    this.store = new ReadinessStateStore(this.stateFilePath());
    try {
      const state = await this.store.load();
      this.stateProblem = state.corrupt
        ? { message: `Sign-off file unreadable: ${state.corrupt}`, detail: `${this.store.file} could not be read (${state.corrupt}). Sign-offs are paused until it is fixed or moved aside; it was not changed.` }
        : state.problems.length
          ? { message: `Sign-off file: ${state.problems.length} entr${state.problems.length === 1 ? 'y' : 'ies'} skipped`, detail: state.problems.map((p) => p.message).join('\n') }
          : undefined;
      this.nothingConfigured = !state.exists && !file && !(await exists(this.ctx.codeHome.path));
    } catch (err) {
      this.stateProblem = { message: `Sign-off file unreadable: ${(err as Error).message}` };
    }
    this.watchCodeHome();
    this.hookSupervisor();
    void vscode.commands.executeCommand('setContext', 'codeOps.readiness.welcome', this.showWelcome);
    this.render();
    // Pending checks run now if the view is visible, else when it becomes visible.
    this.schedule(CHECKS.map((c) => c.id), runChecksAfter ? 0 : 50);
  }

  private watchCodeHome(): void {
    for (const d of this.codeHomeWatchers.splice(0)) d.dispose();
    const pattern = new vscode.RelativePattern(vscode.Uri.file(this.ctx.codeHome.path), '{config.toml,managed_config.toml}');
    const configWatcher = vscode.workspace.createFileSystemWatcher(pattern);
    const onConfig = () => this.schedule(CONFIG_CHECKS, 500);
    this.codeHomeWatchers.push(configWatcher, configWatcher.onDidChange(onConfig), configWatcher.onDidCreate(onConfig), configWatcher.onDidDelete(onConfig));
    const stateWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(this.store.file)), path.basename(this.store.file)));
    const onState = () => void this.store.load().then(() => this.render());
    this.codeHomeWatchers.push(stateWatcher, stateWatcher.onDidChange(onState), stateWatcher.onDidCreate(onState));
    if (this.checklistFile) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(this.checklistFile)), path.basename(this.checklistFile)));
      const onList = () => void this.reloadChecklistOnly();
      this.codeHomeWatchers.push(w, w.onDidChange(onList));
    }
  }

  private async reloadChecklistOnly(): Promise<void> {
    if (!this.checklistFile) return;
    try {
      this.checklist = (await loadChecklistFile(this.checklistFile)).checklist;
      this.render();
    } catch {
      // a half-written file: the next change event brings the rest
    }
  }

  /** The supervisor may register after us; hook it whenever it shows up. */
  private hookSupervisor(): void {
    if (this.supervisorHooked || !this.ctx.supervisor) return;
    this.supervisorHooked = true;
    this.disposables.push(this.ctx.supervisor.onDidChange(() => this.schedule(SERVER_CHECKS, 250)));
  }

  private onConfigChange(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration('codeOps.readiness.checklistFile')) return void this.reload();
    if (e.affectsConfiguration('codeOps.readiness.backupGlob') || e.affectsConfiguration('codeOps.readiness.backupMaxAgeDays')) this.schedule(['backup-recent'], 300);
    if (e.affectsConfiguration('codeOps.readiness.target') || e.affectsConfiguration('codeOps.config.dialect')) this.schedule(CONFIG_CHECKS, 300);
    if (e.affectsConfiguration('codeOps.appServer')) this.schedule(ENV_CHECKS, 300);
  }

  // Running checks --------------------------------------------------------

  /** Queues checks; they run after `delayMs` of quiet, and only while the view is visible. */
  schedule(ids: readonly CheckId[], delayMs: number): void {
    if (this.disposed) return;
    for (const id of ids) this.pending.add(id);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushIfVisible();
    }, delayMs);
  }

  private flushIfVisible(): void {
    this.hookSupervisor();
    if (this.view.visible && this.pending.size) void this.runNow([...this.pending]);
  }

  /** Runs checks now whatever the visibility (commands call this); one run at a time. */
  runNow(ids: readonly CheckId[] = CHECKS.map((c) => c.id)): Promise<void> {
    for (const id of ids) this.pending.delete(id);
    const run = this.runChain.then(async () => {
      if (this.disposed) return;
      await this.loaded;
      for (const id of ids) this.inFlight.add(id);
      this.render();
      try {
        const results = await runChecks(this.checkContext(), ids);
        for (const r of results) this.results.set(r.id, r);
      } finally {
        for (const id of ids) this.inFlight.delete(id);
        if (!this.disposed) this.render();
      }
    });
    this.runChain = run.catch(() => undefined);
    return run;
  }

  private checkContext(): CheckContext {
    const s = this.ctx.settings.current;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const sup = this.ctx.supervisor;
    return {
      codeHome: this.ctx.codeHome.path,
      paths: this.ctx.paths,
      settings: {
        ...DEFAULT_CHECK_SETTINGS,
        target: s.readiness.target,
        dialect: s.config.dialect,
        backupGlob: s.readiness.backupGlob,
        backupMaxAgeDays: s.readiness.backupMaxAgeDays,
        serverCommand: s.appServer.command,
        serverArgs: s.appServer.args,
        serverEnv: s.appServer.env,
        serverCwd: s.appServer.cwd ?? folder,
        socket: s.appServer.socket,
        probeTimeoutMs: s.appServer.probeTimeoutMs,
      },
      env: process.env,
      cwd: folder ?? this.ctx.codeHome.path,
      server: sup ? { snapshot: sup.snapshot(), recentStderr: sup.recentStderr() } : undefined,
      probe: false,
      now: () => Date.now(),
      platform: process.platform,
      deps: this.checkDeps(),
    };
  }

  private deps?: CheckDeps;

  /**
   * The check engine (TOML parser, schema validator, log scanner) is its own
   * bundle, loaded on the first check run so that activation stays light.
   */
  private checkDeps(): CheckDeps {
    if (!this.deps) {
      const load = require; // a runtime path keeps the engine out of dist/extension.js
      const mod = load(path.join(this.ctx.extension.extensionPath, 'dist', 'readinessDeps.js')) as typeof import('../core/readiness/deps');
      this.deps = mod.defaultCheckDeps();
    }
    return this.deps;
  }

  private progressText: string | undefined;

  private render(): void {
    if (this.disposed) return;
    const p = progressOf(this.checklist, (i) => this.isChecked(i));
    const failing = [...this.results.values()].filter((r) => r.status === 'fail').length;
    // Progress goes in the title: with Readiness the only view of its container, VS Code hides the
    // view's header (and its description) and shows the title in the container's title bar.
    this.progressText = this.showWelcome ? undefined : `${p.done}/${p.total}`;
    this.view.title = this.progressText ? `Readiness ${this.progressText}` : 'Readiness';
    this.view.badge = failing ? { value: failing, tooltip: `${failing} automatic check${failing === 1 ? '' : 's'} failing` } : undefined;
    this.view.message = this.stateProblem && !this.showWelcome ? this.stateProblem.message : undefined;
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
      const by = await this.whoAmI();
      if (this.checklistFile) await this.writeCheckbox(item, checked);
      await this.store.setChecked(item.id, checked, { by, at: new Date(), title: item.label });
      this.stateProblem = undefined;
    } catch (err) {
      if (err instanceof StateFileCorruptError) {
        this.stateProblem = { message: `Sign-off file unreadable: ${err.reason}`, detail: err.message };
        void this.offerStateRepair(err.message);
      } else {
        void vscode.window.showErrorMessage(`Code Ops: could not record the sign-off of "${item.label}": ${(err as Error).message}`);
      }
    }
    this.render();
  }

  /** Writes `[x]`/`[ ]` into the workspace checklist, found again by id so edits made meanwhile are respected. */
  private async writeCheckbox(item: ChecklistItem, checked: boolean): Promise<void> {
    const file = this.checklistFile!;
    const { checklist, text } = await loadChecklistFile(file);
    const current = findItem(checklist, item.id);
    if (!current) throw new Error(`"${item.label}" is no longer in ${path.basename(file)}`);
    const next = setTaskChecked(text, current.line, checked);
    if (next !== text) await fs.writeFile(file, next, 'utf8');
    current.checkedInSource = checked;
    this.checklist = checklist;
  }

  private async offerStateRepair(message: string): Promise<void> {
    const open = 'Open File';
    const aside = 'Move Aside and Start Fresh';
    const pick = await vscode.window.showErrorMessage(`Code Ops: ${message}`, open, aside);
    if (pick === open) await vscode.window.showTextDocument(vscode.Uri.file(this.store.file));
    if (pick === aside) {
      const moved = await this.store.moveAside();
      this.stateProblem = undefined;
      this.render();
      void vscode.window.showInformationMessage(`Code Ops: the old sign-off file was kept as ${path.basename(moved)}.`);
    }
  }

  async resolveProblem(key: string): Promise<void> {
    if (key.endsWith('state') && this.stateProblem) {
      if (this.stateProblem.message.includes('unreadable')) await this.offerStateRepair(this.stateProblem.detail ?? this.stateProblem.message);
      else await vscode.window.showTextDocument(vscode.Uri.file(this.store.file));
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
    let candidates = (check ? [check] : (item?.checks ?? [])).map((id) => this.results.get(id)).filter((r): r is CheckResult => !!r?.fix && r.status !== 'pass');
    if (!target) {
      const fixable = [...this.results.values()].filter((r) => r.fix && r.status !== 'pass');
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

  private async applyFix(fix: FixAction): Promise<void> {
    switch (fix.kind) {
      case 'permissions': {
        try {
          const done = await applyPermissionsFix(fix);
          void vscode.window.showInformationMessage(`Code Ops: ${done.join(', ')}`);
        } catch (err) {
          void vscode.window.showErrorMessage(`Code Ops: ${(err as Error).message}`);
        }
        return;
      }
      case 'openConfig': {
        const registered = (await vscode.commands.getCommands(true)).includes('codeOps.config.open');
        if (registered && fix.file === this.ctx.paths.configToml) {
          await vscode.commands.executeCommand('codeOps.config.open', { line: fix.line, character: fix.character });
        } else {
          await openAt(fix.file, fix.line, fix.character);
        }
        return;
      }
      case 'openFile':
        await openAt(fix.file, fix.line, 0);
        return;
      case 'openSetting':
        await vscode.commands.executeCommand('workbench.action.openSettings', fix.setting);
        return;
      case 'command':
        await vscode.commands.executeCommand(fix.command, ...(fix.args ?? []));
        return;
      case 'sendTestTelemetry':
        await vscode.commands.executeCommand('codeOps.otel.sendTestTelemetry');
        return;
    }
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
    if (!this.terminal || this.terminal.exitStatus) this.terminal = vscode.window.createTerminal({ name: 'Code Ops: checklist' });
    this.terminal.show();
    // Placeholders (<version>) need a person's edit, and an untrusted workspace's checklist never runs on its own.
    const execute = !/<[^>]+>/.test(cmd.text) && vscode.workspace.isTrusted;
    this.terminal.sendText(cmd.text, execute);
  }

  async copyCommand(target: Target): Promise<void> {
    const cmd = await this.pickCommand(target, false);
    if (!cmd) return;
    await vscode.env.clipboard.writeText(cmd.text);
    vscode.window.setStatusBarMessage(`$(copy) Copied: ${cmd.label}`, 3000);
  }

  async openDocs(target: Target): Promise<void> {
    const { item } = this.resolve(target);
    const section = typeof target === 'object' && target.type === 'section' ? target.section : undefined;
    const line = Math.max(0, item?.line ?? section?.line ?? 0);
    const uri = this.checklistFile ? vscode.Uri.file(this.checklistFile) : this.builtinDoc;
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
      value: this.store.get(item.id)?.note ?? '',
      prompt: 'Stored in the sign-off file next to who signed it off. Empty removes the note.',
    });
    if (note === undefined) return;
    try {
      await this.store.setNote(item.id, note, item.label);
    } catch (err) {
      if (err instanceof StateFileCorruptError) void this.offerStateRepair(err.message);
      else void vscode.window.showErrorMessage(`Code Ops: could not save the note: ${(err as Error).message}`);
    }
    this.render();
  }

  async reportText(): Promise<string> {
    await this.runNow();
    const snap = this.ctx.supervisor?.snapshot();
    const state = this.store.state;
    return renderReport({
      checklist: this.checklist,
      results: this.results,
      signOff: (id) => this.store.get(id),
      isChecked: (i) => this.isChecked(i),
      now: new Date(),
      codeHome: this.ctx.codeHome.path,
      serverVersion: this.results.get('app-server-binary')?.version ?? snap?.userAgent,
      serverState: snap ? `${snap.state}${snap.pid ? ` (pid ${snap.pid})` : ''}` : undefined,
      target: this.ctx.settings.current.readiness.target,
      stateFile: this.store.file,
      stateProblems: state.problems,
      corruptState: state.corrupt,
    });
  }

  async report(): Promise<void> {
    const text = await this.reportText();
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: text });
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  private incidentFacts() {
    const snap = this.ctx.supervisor?.snapshot();
    const panics = snap?.panics ?? [];
    const lastPanicLine = this.ctx.logStats.lastPanicLine ?? panics[panics.length - 1]?.line;
    return { now: new Date(), server: snap, lastPanicLine: lastPanicLine ? maskSecrets(lastPanicLine) : undefined, since: panics[0] ? new Date(panics[0].at) : undefined, codeHome: this.ctx.codeHome.path };
  }

  async copyPost(kind: 'incident' | 'resolution'): Promise<string> {
    const text = kind === 'incident' ? incidentPost(this.checklist.templates, this.incidentFacts()) : resolutionPost(this.checklist.templates, this.incidentFacts());
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
          contextValue: t.contextValue,
          checked: t.checkboxState === undefined ? undefined : (typeof t.checkboxState === 'object' ? t.checkboxState.state : t.checkboxState) === vscode.TreeItemCheckboxState.Checked,
          children: walk(this.tree.childrenOf(n)),
        };
      });
    return {
      progress: this.progressText,
      title: this.view.title,
      badge: this.view.badge?.value,
      stateFile: this.store.file,
      results: Object.fromEntries([...this.results].map(([k, r]) => [k, { status: r.status, detail: r.detail, fix: r.fix?.label }])),
      roots: walk(this.tree.childrenOf()),
    };
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.codeHomeWatchers.splice(0)) d.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
    this.terminal?.dispose();
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

async function openAt(file: string, line: number, character: number): Promise<void> {
  const pos = new vscode.Position(Math.max(0, line), Math.max(0, character));
  if (!(await exists(file))) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '', { mode: 0o600 });
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(pos, pos) });
}
