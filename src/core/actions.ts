/**
 * What a button, a Fix or a status-bar entry does, as data. The core decides
 * which actions fit a situation; `src/ui/dispatch.ts` is the one place that
 * turns an action into editor calls. No command ids or button labels live in
 * the core: a label is chosen here from the action (see `actionLabel`), and a
 * caller may override it where the context needs other words.
 */
export type OpsAction =
  | { kind: 'startServer' }
  | { kind: 'stopServer' }
  | { kind: 'restartServer' }
  | { kind: 'showServerOutput' }
  | { kind: 'sendRequest' }
  | { kind: 'showTimeline' }
  /** open a config file, at a 0-based position when known */
  | { kind: 'openConfig'; file?: string; line?: number; character?: number }
  /** open any file, at a 0-based line when known */
  | { kind: 'openFile'; file: string; line?: number }
  /** the Settings editor filtered to one setting */
  | { kind: 'openSetting'; setting: string }
  /** chmod (and mkdir for a missing folder) to the given modes */
  | { kind: 'permissions'; targets: Array<{ path: string; mode: number; directory?: boolean; create?: boolean }> }
  /** mkdir -p (0700), then `then` when given (e.g. start the server that needed the folder) */
  | { kind: 'createFolder'; path: string; then?: OpsAction }
  /** the output channel of one followed log */
  | { kind: 'showLog'; log: 'tui' | 'critical' }
  | { kind: 'copyIncidentPost'; text: string }
  | { kind: 'showReadiness' }
  | { kind: 'runCheck'; id: string }
  | { kind: 'validateConfig' }
  | { kind: 'sendTestTelemetry' }
  | { kind: 'openUrl'; url: string };

export type ActionKind = OpsAction['kind'];

/** An action with the words on its button. */
export interface LabeledAction {
  label: string;
  action: OpsAction;
}

export type AlertSeverity = 'info' | 'warning' | 'error' | 'critical';

/** What the editor (or any other front end) should tell a person. */
export interface Alert {
  severity: AlertSeverity;
  /** One paragraph, secrets already masked. */
  message: string;
  actions: LabeledAction[];
  /** Alerts with the same key replace each other instead of stacking. */
  key?: string;
}

const DEFAULT_LABELS: { [K in ActionKind]: (a: Extract<OpsAction, { kind: K }>) => string } = {
  startServer: () => 'Start App Server',
  stopServer: () => 'Stop App Server',
  restartServer: () => 'Restart App Server',
  showServerOutput: () => 'Show App Server Output',
  sendRequest: () => 'Send Request…',
  showTimeline: () => 'Show Server Timeline',
  openConfig: () => 'Open config.toml',
  openFile: (a) => `Open ${a.file.split(/[\\/]/).pop() ?? a.file}`,
  openSetting: (a) => `Open ${a.setting}`,
  permissions: () => 'Fix Permissions',
  createFolder: () => 'Create Folder',
  showLog: (a) => (a.log === 'tui' ? 'Show TUI Log' : 'Show Critical Log'),
  copyIncidentPost: () => 'Copy Incident Post',
  showReadiness: () => 'Show Readiness',
  runCheck: () => 'Run Check',
  validateConfig: () => 'Validate config.toml',
  sendTestTelemetry: () => 'Send Test Telemetry',
  openUrl: () => 'Open',
};

/** The usual words for an action's button. */
export function actionLabel(action: OpsAction): string {
  const label = DEFAULT_LABELS[action.kind] as (a: OpsAction) => string;
  return label(action);
}

/** An action with its usual label, or with `label` where the context needs other words. */
export function labeled(action: OpsAction, label?: string): LabeledAction {
  return { label: label ?? actionLabel(action), action };
}
