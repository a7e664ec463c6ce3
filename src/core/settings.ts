import type { CodeHome } from './codeHome';
import type { DialectSetting, ReadinessTarget } from './otel/api';
import { DEFAULT_COMMAND, DEFAULT_TARGET, RANGES, READINESS_TARGETS } from './constants';

/**
 * Every `codeOps.*` setting as data: keys, types, defaults, ranges, which
 * ones an untrusted workspace may not set, and what a change of each one
 * affects. The reader that turns raw values into `CodeOpsSettings` is
 * src/core/settingsReader.ts.
 */

/** The settings that say which program runs, how and where: restricted in an untrusted workspace. */
const PROGRAM_KEYS = ['appServer.command', 'appServer.args', 'appServer.env', 'appServer.cwd', 'appServer.socket', 'appServer.healthUrl'] as const;

/** The app-server settings a running server keeps until it is restarted. */
const SERVER_LAUNCH_KEYS = [
  ...PROGRAM_KEYS,
  'appServer.initializeTimeoutMs',
  'appServer.probeIntervalSeconds',
  'appServer.probeTimeoutMs',
  'appServer.maxMissedProbes',
  'appServer.approvals.timeoutSeconds',
] as const;

/** Every key the reader knows, for callers that ask the editor for each one. */
export const SETTING_KEYS = [
  'codeHome',
  ...SERVER_LAUNCH_KEYS,
  'appServer.autoStart',
  'appServer.approvals.declineWhenUnfocused',
  'config.dialect',
  'config.files',
  'config.managedConfig',
  'readiness.target',
  'readiness.backupGlob',
  'readiness.backupMaxAgeDays',
  'readiness.checklistFile',
  'logs.follow',
  'logs.initialLines',
  'logs.pollIntervalMs',
  'logs.errorBurst.count',
  'logs.errorBurst.windowSeconds',
  'mcp.registerServer',
] as const;

/** Keys without the `codeOps.` prefix, as `getConfiguration('codeOps')` takes them. */
export type SettingKey = (typeof SETTING_KEYS)[number];

/**
 * Settings a workspace could use to run a program (package.json
 * `restrictedConfigurations`): in an untrusted workspace only the user's own
 * values count.
 */
export const RESTRICTED_SETTINGS: readonly SettingKey[] = [
  ...PROGRAM_KEYS,
  'codeHome',
  // files a workspace could point at (a FIFO, a device, a checklist with commands to run)
  'readiness.checklistFile',
  'readiness.backupGlob',
  'config.files',
  'config.managedConfig',
];

/** What the editor knows about one setting (a subset of `WorkspaceConfiguration.inspect`). */
export interface RawSetting {
  /** The effective value (`get`); undefined means "not set, use the default". */
  value?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type RawSettings = Partial<Record<SettingKey, RawSetting>>;

export interface SettingsEnvironment {
  /** The first workspace folder: the base of relative paths. */
  workspaceFolder?: string;
  /** Workspace trust: when false, workspace values of RESTRICTED_SETTINGS are ignored. */
  trusted: boolean;
  env?: NodeJS.ProcessEnv;
  homedir?: string;
}

export interface SettingsProblem {
  /** Full key, e.g. `codeOps.appServer.probeIntervalSeconds`. */
  key: string;
  message: string;
  /** `warning`: a value was replaced or ignored (worth a notification); `info`: how a value was read. */
  severity: 'warning' | 'info';
}

export interface CodeOpsSettings {
  codeHome: CodeHome;
  appServer: {
    /** A bare name (looked up on PATH) or an absolute path. */
    command: string;
    args: string[];
    env: Record<string, string | null>;
    /** Absolute; undefined when not set (the caller picks the workspace folder or CODE_HOME). */
    cwd?: string;
    /** Absolute path of a Unix socket; undefined when not set. */
    socket?: string;
    /** An http(s) URL; undefined when not set or not usable. */
    healthUrl?: string;
    autoStart: boolean;
    initializeTimeoutMs: number;
    probeIntervalSeconds: number;
    probeTimeoutMs: number;
    maxMissedProbes: number;
    approvals: { timeoutSeconds: number; declineWhenUnfocused: boolean };
  };
  config: {
    dialect: DialectSetting;
    /** Glob patterns, absolute or starting with `**` (how the editor matches document paths). */
    files: string[];
    /** The managed layer when not at the platform's place; absolute, undefined when unset. */
    managedConfig?: string;
  };
  readiness: {
    target: ReadinessTarget;
    backupGlob: string;
    backupMaxAgeDays: number;
    /** Absolute; undefined when not set. */
    checklistFile?: string;
  };
  logs: {
    follow: boolean;
    initialLines: number;
    pollIntervalMs: number;
    errorBurst: { count: number; windowSeconds: number };
  };
  /** Offer `code-ops mcp` to the editor's MCP support (trusted workspaces only). */
  mcp: { registerServer: boolean };
}

export interface SettingsReading {
  settings: CodeOpsSettings;
  problems: SettingsProblem[];
}

/** Ranges of package.json (`minimum`/`maximum`), shared with the CLI flags (src/core/constants.ts). */
export const NUMBER_RULES = RANGES satisfies Partial<Record<SettingKey, unknown>>;

export const ENUM_RULES = {
  'config.dialect': { def: 'auto', values: ['auto', 'beacon', 'codex'] },
  'readiness.target': { def: DEFAULT_TARGET, values: READINESS_TARGETS },
} as const satisfies Partial<Record<SettingKey, { def: string; values: readonly string[] }>>;

export const BOOLEAN_DEFAULTS = {
  'appServer.autoStart': false,
  'appServer.approvals.declineWhenUnfocused': true,
  'logs.follow': true,
  'mcp.registerServer': false,
} as const satisfies Partial<Record<SettingKey, boolean>>;

export { DEFAULT_COMMAND };

/** A short, safe rendering of a value for a message (never the whole of a long string). */
export function show(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number') text = Number.isNaN(value) ? 'NaN' : String(value);
  else if (value === null) text = 'null';
  else if (Array.isArray(value)) text = 'a list';
  else if (typeof value === 'object') text = 'an object';
  else text = String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** A glob pattern problem the editor's matcher or ours would silently misread; undefined when fine. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.includes('\0')) return 'contains a NUL character';
  let braces = 0;
  let brackets = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (brackets) {
      if (ch === ']') brackets = false;
      continue;
    }
    if (ch === '[') brackets = true;
    else if (ch === '{') braces++;
    else if (ch === '}') {
      if (--braces < 0) return 'has a } without {';
    }
  }
  if (brackets) return 'has a [ without ]';
  if (braces > 0) return 'has a { without }';
  return undefined;
}

/**
 * What a change of a setting affects, as data: the one change handler
 * (src/ui/settings.ts) reports which keys changed, and each feature asks
 * `affects(effect)` instead of testing setting names itself.
 */
export const SETTING_EFFECTS = {
  /** Applied when the app server next starts: a running one keeps the old values until restarted. */
  serverRestart: ['codeHome', ...SERVER_LAUNCH_KEYS],
  /** The config.toml language client restarts (its document selector changes). */
  configClientRestart: ['codeHome', 'config.files'],
  /** The config.toml language server is sent new settings. */
  configServerSettings: ['config.dialect', 'readiness.target', 'appServer.command'],
  /** The log followers restart. */
  logFollowers: ['logs.follow', 'logs.initialLines', 'logs.pollIntervalMs', 'logs.errorBurst.count', 'logs.errorBurst.windowSeconds'],
} as const satisfies Record<string, readonly SettingKey[]>;

export type SettingEffect = keyof typeof SETTING_EFFECTS;

/** Whether any of `changed` has `effect`. */
export function hasEffect(changed: ReadonlySet<SettingKey>, effect: SettingEffect): boolean {
  return (SETTING_EFFECTS[effect] as readonly SettingKey[]).some((k) => changed.has(k));
}
