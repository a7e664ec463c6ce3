import * as vscode from 'vscode';
import { MAX_RECENT_ALERTS } from '../core/constants';
import {
  hasEffect,
  RESTRICTED_SETTINGS,
  SETTING_KEYS,
  type CodeOpsSettings,
  type RawSettings,
  type SettingEffect,
  type SettingKey,
  type SettingsProblem,
  type SettingsReading,
} from '../core/settings';
import { readSettings } from '../core/settingsReader';
import { alertsModule } from './alertsLoader';

/** One change of the settings (or of workspace trust), with what it touched. */
export interface SettingsChange extends SettingsReading {
  /** Keys (without `codeOps.`) whose value changed. */
  readonly changed: ReadonlySet<SettingKey>;
  /** Whether a changed key has this effect (src/core/settings.ts `SETTING_EFFECTS`). */
  affects(effect: SettingEffect): boolean;
}

const restricted: ReadonlySet<string> = new Set(RESTRICTED_SETTINGS);

/** What the editor holds for each key, as `readSettings` takes it. */
function readRaw(): RawSettings {
  const cfg = vscode.workspace.getConfiguration('codeOps');
  const raw: RawSettings = {};
  const trusted = vscode.workspace.isTrusted;
  for (const key of SETTING_KEYS) {
    // inspect() costs 1-8 ms for all keys in a new host; its per-scope values only matter for
    // restricted settings in an untrusted workspace (whose workspace values are ignored)
    const i = !trusted && restricted.has(key) ? cfg.inspect(key) : undefined;
    raw[key] = { value: cfg.get(key), globalValue: i?.globalValue, workspaceValue: i?.workspaceValue, workspaceFolderValue: i?.workspaceFolderValue };
  }
  return raw;
}

function changedKeys(before: RawSettings, after: RawSettings): Set<SettingKey> {
  const changed = new Set<SettingKey>();
  for (const key of SETTING_KEYS) if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed.add(key);
  return changed;
}

/**
 * Every `codeOps.*` setting, typed and sanitised (src/core/settingsReader.ts),
 * read once and again only when a `codeOps.*` setting or workspace trust
 * changes. This is the one configuration-change handler: features subscribe
 * to `onDidChange` and ask `affects(effect)`. Problems are shown once per
 * change (a warning with "Open Settings", every problem in the App Server
 * output), not on every read.
 */
export class SettingsStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SettingsChange>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private raw: RawSettings;
  private reading: SettingsReading;
  private reportedSignature = '';
  private log?: (line: string) => void;
  private pendingLog: string[] = [];
  /** Notifications shown for problems, newest last. */
  readonly shown: string[] = [];
  private lastProblems: SettingsProblem[] = [];

  constructor() {
    this.raw = readRaw();
    this.reading = this.interpret(this.raw);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('codeOps')) this.refresh(false);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh(true)),
    );
  }

  private interpret(raw: RawSettings): SettingsReading {
    return readSettings(raw, { workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, trusted: vscode.workspace.isTrusted, env: process.env });
  }

  /** The latest reading (kept up to date by the change handler, not re-read per call). */
  read(): SettingsReading {
    return this.reading;
  }

  get current(): CodeOpsSettings {
    return this.reading.settings;
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
  report(reading: SettingsReading = this.reading): void {
    this.lastProblems = reading.problems;
    const signature = JSON.stringify(reading.problems);
    if (signature === this.reportedSignature) return;
    this.reportedSignature = signature;
    for (const p of reading.problems) this.writeLog(`[settings:${p.severity}] ${p.message}`);
    // the policy (dist/alerts.js) loads only when there is a warning to show
    if (!reading.problems.some((p) => p.severity === 'warning')) return;
    const alerts = alertsModule();
    const alert = alerts.settingsAlert(reading.problems);
    if (!alert) return;
    this.shown.push(alert.message);
    if (this.shown.length > MAX_RECENT_ALERTS) this.shown.shift();
    void alerts.showAlert(alert);
  }

  private writeLog(line: string): void {
    if (this.log) this.log(line);
    else {
      this.pendingLog.push(line);
      if (this.pendingLog.length > 200) this.pendingLog.shift();
    }
  }

  /** Re-reads every key once; `trust`: workspace trust was granted, so restricted keys count as changed. */
  private refresh(trust: boolean): void {
    const raw = readRaw();
    const changed = changedKeys(this.raw, raw);
    if (trust) for (const key of RESTRICTED_SETTINGS) changed.add(key);
    this.raw = raw;
    this.reading = this.interpret(raw);
    this.report(this.reading);
    this.emitter.fire({ ...this.reading, changed, affects: (effect) => hasEffect(changed, effect) });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
