import * as vscode from 'vscode';
import { readSettings, RESTRICTED_SETTINGS, SETTING_KEYS, type RawSettings, type SettingsProblem, type SettingsReading } from '../core/settings';

/** How many shown notifications the store remembers (for the test hook and diagnostics). */
const MAX_SHOWN = 50;

/**
 * Reads `codeOps.*` through the typed reader in src/core/settings.ts. Problems
 * are shown once per change of the settings (a warning with "Open Settings",
 * and every problem in the App Server output), not on every read.
 */
export class SettingsStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SettingsReading>();
  /** Fires after any `codeOps.*` setting or the workspace trust changed, with the new reading. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private reportedSignature = '';
  private log?: (line: string) => void;
  private pendingLog: string[] = [];
  /** Notifications shown for problems, newest last. */
  readonly shown: string[] = [];
  private lastProblems: SettingsProblem[] = [];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('codeOps')) this.changed();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed()),
    );
  }

  private static readonly restricted: ReadonlySet<string> = new Set(RESTRICTED_SETTINGS);

  /** A fresh reading of every setting (cheap; no caching, so a listener never sees stale values). */
  read(): SettingsReading {
    const cfg = vscode.workspace.getConfiguration('codeOps');
    const raw: RawSettings = {};
    for (const key of SETTING_KEYS) {
      // inspect() costs 1-8 ms for all keys in a new host; its per-scope values only matter for
      // restricted settings in an untrusted workspace (whose workspace values are ignored)
      const i = !vscode.workspace.isTrusted && SettingsStore.restricted.has(key) ? cfg.inspect(key) : undefined;
      raw[key] = { value: cfg.get(key), globalValue: i?.globalValue, workspaceValue: i?.workspaceValue, workspaceFolderValue: i?.workspaceFolderValue };
    }
    return readSettings(raw, {
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      trusted: vscode.workspace.isTrusted,
      env: process.env,
    });
  }

  get current() {
    return this.read().settings;
  }

  /** Problems of the latest reported reading. */
  get problems(): readonly SettingsProblem[] {
    return this.lastProblems;
  }

  /** Where problems are written (the App Server output channel); lines logged before it exists are kept. */
  setLog(log: (line: string) => void): void {
    this.log = log;
    for (const line of this.pendingLog.splice(0)) log(line);
  }

  /** Reports the current problems unless the same ones were reported already. */
  report(reading: SettingsReading = this.read()): void {
    this.lastProblems = reading.problems;
    const signature = JSON.stringify(reading.problems);
    if (signature === this.reportedSignature) return;
    this.reportedSignature = signature;
    for (const p of reading.problems) this.writeLog(`[settings:${p.severity}] ${p.message}`);
    const warnings = reading.problems.filter((p) => p.severity === 'warning');
    if (!warnings.length) return;
    const message =
      warnings.length === 1
        ? `Code Ops: ${warnings[0].message}`
        : `Code Ops: ${warnings.length} settings have problems. ${warnings[0].message} (All of them are in the App Server output.)`;
    this.shown.push(message);
    if (this.shown.length > MAX_SHOWN) this.shown.shift();
    const actions = warnings.length === 1 ? ['Open Settings'] : ['Open Settings', 'Show Output'];
    void vscode.window.showWarningMessage(message, ...actions).then((pick) => {
      if (pick === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', warnings.length === 1 ? warnings[0].key : 'codeOps');
      else if (pick === 'Show Output') void vscode.commands.executeCommand('codeOps.appServer.showOutput');
    });
  }

  private writeLog(line: string): void {
    if (this.log) this.log(line);
    else {
      this.pendingLog.push(line);
      if (this.pendingLog.length > 200) this.pendingLog.shift();
    }
  }

  private changed(): void {
    const reading = this.read();
    this.report(reading);
    this.emitter.fire(reading);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
