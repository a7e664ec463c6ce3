import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ServerSnapshot } from '../appServer/types';
import { codeHomePaths } from '../codeHome';
import { maskSecrets } from '../mask';
import type { ReadinessTarget } from '../otel/api';
import { managedConfigPath } from '../otel/managedPath';
import { CHECKS, checksFor, TRIGGER_DELAY_MS, type CheckId, type CheckTrigger } from './catalog';
import { runChecks } from './checks';
import { DEFAULT_CHECK_SETTINGS, type CheckContext, type CheckDeps, type CheckSettings, type ServerView } from './checkTypes';
import { setTaskChecked } from './markdown';
import { allItems, findItem, type CheckResult, type Checklist, type ChecklistItem } from './model';
import type { IncidentFacts } from './posts';
import { renderReport, type ReportInput } from './report';
import { ReadinessStateStore, StateFileCorruptError, type SignOff } from './state';
import { builtinChecklist, loadChecklistFile as readChecklist } from './checklistFile';

/**
 * One readiness session, the same in the editor and in `code-ops check`: the
 * checklist (built-in or a file), the sign-off store and where it lives, the
 * CheckContext built from settings, debounced runs of the checks each trigger
 * names in the catalog, sign-offs (written back into a checklist file too),
 * and the facts of the report and the incident posts. Front ends render it
 * and ask people; they decide nothing here.
 */

export interface ReadinessSettings extends CheckSettings {
  /** Absolute path of a Markdown checklist; undefined for the built-in one. */
  checklistFile?: string;
}

export interface SessionOptions {
  codeHome: string;
  /** Where sign-offs are stored (see stateFileFor). */
  stateFile: string;
  settings: Partial<ReadinessSettings>;
  /** The environment a server inherits (the editor's or the shell's). */
  env: NodeJS.ProcessEnv;
  /** Base for relative paths (the workspace folder or the shell's cwd). */
  cwd: string;
  homedir?: string;
  platform?: NodeJS.Platform;
  /** Whether app-server-liveness may start a short-lived server (CLI `--probe`). */
  probe?: boolean;
  /** The supervised server, when there is one. */
  server?: () => ServerView | undefined;
  /** The check engine; called on the first run (the editor loads it lazily). */
  deps: () => CheckDeps;
  now?: () => number;
  /** Whether scheduled checks may run now (the editor: the view is visible). Default: always. */
  canRun?: () => boolean;
}

/** Where the sign-off file lives: `.code-ops/readiness.json` in the workspace folder, else in the editor's storage. */
export function stateFileFor(where: { workspaceFolder?: string; globalStorage?: string }): string {
  if (where.workspaceFolder) return path.join(where.workspaceFolder, '.code-ops', 'readiness.json');
  if (where.globalStorage) return path.join(where.globalStorage, 'readiness.json');
  throw new Error('no folder for the sign-off file');
}

export interface SessionProblem {
  message: string;
  detail?: string;
}

const EMPTY: Checklist = { title: '', sections: [], templates: [], source: '' };

export class ReadinessSession {
  checklist: Checklist = EMPTY;
  /** The checklist file in use (undefined: the built-in checklist, also when the file could not be read). */
  checklistFile?: string;
  checklistProblem?: string;
  stateProblem?: SessionProblem;
  /** Nothing to show yet: no sign-off file, no checklist file, no CODE_HOME. */
  nothingConfigured = false;
  store: ReadinessStateStore;
  readonly results = new Map<CheckId, CheckResult>();
  private readonly inFlight = new Set<CheckId>();
  private readonly pending = new Set<CheckId>();
  private timer?: ReturnType<typeof setTimeout>;
  private runChain: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  private deps?: CheckDeps;
  private disposed = false;

  constructor(private options: SessionOptions) {
    this.store = new ReadinessStateStore(options.stateFile);
  }

  get codeHome(): string {
    return this.options.codeHome;
  }

  get settings(): ReadinessSettings {
    return { ...DEFAULT_CHECK_SETTINGS, ...this.options.settings };
  }

  /** The managed layer the checks read. */
  get managedConfigFile(): string {
    return managedConfigPath(this.codeHome, { platform: this.options.platform ?? process.platform, override: this.settings.managedConfig, cwd: this.options.cwd });
  }

  /** New settings or folders; the sign-off store follows a moved state file. Returns whether the checklist must be reloaded. */
  configure(next: Partial<Omit<SessionOptions, 'deps'>>): boolean {
    const before = this.options.settings.checklistFile;
    this.options = { ...this.options, ...next };
    if (next.stateFile && next.stateFile !== this.store.file) this.store = new ReadinessStateStore(next.stateFile);
    return this.options.settings.checklistFile !== before;
  }

  /** `listener` runs after anything the front end shows changed. Returns the unsubscribe. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    if (this.disposed) return;
    for (const l of this.listeners) l();
  }

  // Loading ---------------------------------------------------------------

  /** Reads the checklist and the sign-off file from disk. Never rejects: problems are kept for display. */
  async load(): Promise<void> {
    await this.loadChecklist();
    await this.loadState();
    this.nothingConfigured = !this.store.state.exists && !this.options.settings.checklistFile && !(await exists(this.codeHome));
    this.changed();
  }

  private async loadChecklist(): Promise<void> {
    const file = this.options.settings.checklistFile;
    this.checklistProblem = undefined;
    this.checklistFile = undefined;
    if (!file) {
      this.checklist = builtinChecklist();
      return;
    }
    try {
      const loaded = (await readChecklist(file)).checklist;
      // A file without a single task line would show an empty view and nothing to sign off.
      if (![...allItems(loaded)].some((i) => i.checkbox)) throw new Error(`${file} has no checklist items (\`- [ ] …\` lines under ## headings)`);
      this.checklist = loaded;
      this.checklistFile = file;
    } catch (err) {
      this.checklist = builtinChecklist();
      this.checklistProblem = `codeOps.readiness.checklistFile: ${(err as Error).message}; showing the built-in checklist.`;
    }
  }

  /** Re-reads the sign-off file (it changed on disk). */
  async loadState(): Promise<void> {
    try {
      const state = await this.store.load();
      this.stateProblem = state.corrupt
        ? { message: `Sign-off file unreadable: ${state.corrupt}`, detail: `${this.store.file} could not be read (${state.corrupt}). Sign-offs are paused until it is fixed or moved aside; it was not changed.` }
        : state.problems.length
          ? { message: `Sign-off file: ${state.problems.length} entr${state.problems.length === 1 ? 'y' : 'ies'} skipped`, detail: state.problems.map((p) => p.message).join('\n') }
          : undefined;
    } catch (err) {
      this.stateProblem = { message: `Sign-off file unreadable: ${(err as Error).message}` };
    }
    this.changed();
  }

  /** The checklist file changed on disk: re-read it, keeping the current one while it is half-written. */
  async reloadChecklistOnly(): Promise<void> {
    if (!this.checklistFile) return;
    try {
      this.checklist = (await readChecklist(this.checklistFile)).checklist;
      this.changed();
    } catch {
      // a half-written file: the next change event brings the rest
    }
  }

  // Running checks --------------------------------------------------------

  checkContext(): CheckContext {
    const s = this.settings;
    this.deps ??= this.options.deps();
    return {
      codeHome: this.codeHome,
      paths: codeHomePaths(this.codeHome),
      settings: { ...s, serverCwd: s.serverCwd ?? this.options.cwd },
      env: this.options.env,
      cwd: this.options.cwd,
      homedir: this.options.homedir,
      server: this.options.server?.(),
      probe: this.options.probe ?? false,
      now: this.options.now ?? (() => Date.now()),
      platform: this.options.platform ?? process.platform,
      deps: this.deps,
    };
  }

  /** Queues the checks of a trigger (or the given ones, or all); they run after a quiet time, when the front end allows. */
  schedule(what: CheckTrigger | readonly CheckId[] | 'all', delayMs?: number): void {
    if (this.disposed) return;
    const ids = what === 'all' ? CHECKS.map((c) => c.id) : typeof what === 'string' ? checksFor(what) : what;
    const delay = delayMs ?? (typeof what === 'string' && what !== 'all' ? TRIGGER_DELAY_MS[what] : 0);
    for (const id of ids) this.pending.add(id);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, delay);
  }

  /** Runs what is queued, if the front end allows it now. */
  flush(): void {
    if (this.pending.size && (this.options.canRun?.() ?? true)) void this.runNow([...this.pending]);
  }

  /** Runs checks now (all by default); one run at a time. */
  runNow(ids: readonly CheckId[] = CHECKS.map((c) => c.id)): Promise<void> {
    for (const id of ids) this.pending.delete(id);
    const run = this.runChain.then(async () => {
      if (this.disposed) return;
      for (const id of ids) this.inFlight.add(id);
      this.changed();
      try {
        for (const r of await runChecks(this.checkContext(), ids)) this.results.set(r.id, r);
      } finally {
        for (const id of ids) this.inFlight.delete(id);
        this.changed();
      }
    });
    this.runChain = run.catch(() => undefined);
    return run;
  }

  running(id: CheckId): boolean {
    return this.inFlight.has(id);
  }

  result(id: CheckId): CheckResult | undefined {
    return this.results.get(id);
  }

  // Sign-off ----------------------------------------------------------------

  isChecked(item: ChecklistItem): boolean {
    // A checklist file is the truth for its boxes; otherwise the sign-off file is.
    if (this.checklistFile) return item.checkedInSource;
    return this.store.get(item.id)?.checked ?? false;
  }

  signOff(id: string): SignOff | undefined {
    return this.store.get(id);
  }

  /**
   * Ticks or unticks an item: `[x]` written into the checklist file (found
   * again by id, so edits made meanwhile are kept), then the sign-off file.
   * Throws StateFileCorruptError or an Error with a sentence for people.
   */
  async setChecked(itemId: string, checked: boolean, by: string, at = new Date()): Promise<ChecklistItem | undefined> {
    const item = findItem(this.checklist, itemId);
    if (!item?.checkbox) return undefined;
    try {
      if (this.checklistFile) await this.writeCheckbox(item, checked);
      await this.store.setChecked(item.id, checked, { by, at, title: item.label });
      this.stateProblem = undefined;
    } catch (err) {
      if (err instanceof StateFileCorruptError) this.stateProblem = { message: `Sign-off file unreadable: ${err.reason}`, detail: err.message };
      throw err;
    } finally {
      this.changed();
    }
    return item;
  }

  private async writeCheckbox(item: ChecklistItem, checked: boolean): Promise<void> {
    const file = this.checklistFile!;
    const { checklist, text } = await readChecklist(file);
    const current = findItem(checklist, item.id);
    if (!current) throw new Error(`"${item.label}" is no longer in ${path.basename(file)}`);
    const next = setTaskChecked(text, current.line, checked);
    if (next !== text) await fs.writeFile(file, next, 'utf8');
    current.checkedInSource = checked;
    this.checklist = checklist;
  }

  async setNote(itemId: string, note: string): Promise<void> {
    const item = findItem(this.checklist, itemId);
    try {
      await this.store.setNote(itemId, note, item?.label);
    } finally {
      this.changed();
    }
  }

  /** Moves a corrupt sign-off file aside (never deletes it). Returns its new name. */
  async moveStateAside(): Promise<string> {
    const moved = await this.store.moveAside();
    this.stateProblem = undefined;
    this.changed();
    return moved;
  }

  // Report and posts --------------------------------------------------------

  reportInput(extra: { now?: Date; serverVersion?: string; serverState?: string; stateFileShown?: string } = {}): ReportInput {
    const state = this.store.state;
    return {
      checklist: this.checklist,
      results: this.results,
      signOff: (id) => this.store.get(id),
      isChecked: (i) => this.isChecked(i),
      now: extra.now ?? new Date((this.options.now ?? Date.now)()),
      codeHome: this.codeHome,
      serverVersion: this.results.get('app-server-binary')?.version ?? extra.serverVersion,
      serverState: extra.serverState,
      target: this.settings.target as ReadinessTarget,
      stateFile: extra.stateFileShown ?? (state.exists ? this.store.file : undefined),
      stateProblems: state.problems,
      corruptState: state.corrupt,
    };
  }

  reportText(extra: Parameters<ReadinessSession['reportInput']>[0] = {}): string {
    return renderReport(this.reportInput(extra));
  }

  /** The facts an incident or resolution post is filled with; the panic's own time when one is known. */
  incidentFacts(extra: { server?: ServerSnapshot; lastPanicLine?: string; panicAt?: number }): IncidentFacts {
    const panics = extra.server?.panics ?? [];
    const last = panics[panics.length - 1];
    const line = extra.lastPanicLine ?? last?.line;
    const at = extra.panicAt ?? (line !== undefined && line === last?.line ? last.at : undefined);
    return {
      now: new Date((this.options.now ?? Date.now)()),
      server: extra.server,
      lastPanicLine: line ? maskSecrets(line) : undefined,
      panicAt: at !== undefined ? new Date(at) : undefined,
      since: panics[0] ? new Date(panics[0].at) : undefined,
      codeHome: this.codeHome,
    };
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}
