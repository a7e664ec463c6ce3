import * as os from 'node:os';
import * as path from 'node:path';
import { resolveCodeHome, type CodeHome } from './codeHome';
import type { DialectSetting, ReadinessTarget } from './otel/api';

/**
 * One typed reader over every `codeOps.*` setting. It never throws: a value
 * of the wrong type or out of range is replaced (by the default or the
 * nearest allowed value) and reported as a problem a person can act on.
 * Pure: no editor, no file system, so the CLI and unit tests use it as is.
 */

/** Keys without the `codeOps.` prefix, as `getConfiguration('codeOps')` takes them. */
export type SettingKey =
  | 'codeHome'
  | 'appServer.command'
  | 'appServer.args'
  | 'appServer.env'
  | 'appServer.cwd'
  | 'appServer.socket'
  | 'appServer.healthUrl'
  | 'appServer.autoStart'
  | 'appServer.initializeTimeoutMs'
  | 'appServer.probeIntervalSeconds'
  | 'appServer.probeTimeoutMs'
  | 'appServer.maxMissedProbes'
  | 'appServer.approvals.timeoutSeconds'
  | 'appServer.approvals.declineWhenUnfocused'
  | 'config.dialect'
  | 'config.files'
  | 'config.managedConfig'
  | 'readiness.target'
  | 'readiness.backupGlob'
  | 'readiness.backupMaxAgeDays'
  | 'readiness.checklistFile'
  | 'logs.follow'
  | 'logs.initialLines'
  | 'logs.pollIntervalMs'
  | 'logs.errorBurst.count'
  | 'logs.errorBurst.windowSeconds';

/**
 * Settings a workspace could use to run a program (package.json
 * `restrictedConfigurations`): in an untrusted workspace only the user's own
 * values count.
 */
export const RESTRICTED_SETTINGS: readonly SettingKey[] = [
  'appServer.command',
  'appServer.args',
  'appServer.env',
  'appServer.cwd',
  'appServer.socket',
  'appServer.healthUrl',
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
}

export interface SettingsReading {
  settings: CodeOpsSettings;
  problems: SettingsProblem[];
}

interface NumberRule {
  def: number;
  min: number;
  max: number;
  integer: boolean;
  unit: string;
}

/** Ranges of package.json (`minimum`/`maximum`); where it sets no maximum, a bound that keeps timers and dates sane. */
export const NUMBER_RULES = {
  'appServer.initializeTimeoutMs': { def: 10_000, min: 100, max: 600_000, integer: true, unit: 'ms' },
  'appServer.probeIntervalSeconds': { def: 15, min: 1, max: 3600, integer: false, unit: 's' },
  'appServer.probeTimeoutMs': { def: 5000, min: 50, max: 600_000, integer: true, unit: 'ms' },
  'appServer.maxMissedProbes': { def: 3, min: 1, max: 100, integer: true, unit: '' },
  'appServer.approvals.timeoutSeconds': { def: 120, min: 5, max: 280, integer: true, unit: 's' },
  'readiness.backupMaxAgeDays': { def: 7, min: 0, max: 36_500, integer: false, unit: 'days' },
  'logs.initialLines': { def: 200, min: 0, max: 100_000, integer: true, unit: 'lines' },
  'logs.pollIntervalMs': { def: 1000, min: 100, max: 60_000, integer: true, unit: 'ms' },
  'logs.errorBurst.count': { def: 10, min: 1, max: 100_000, integer: true, unit: '' },
  'logs.errorBurst.windowSeconds': { def: 60, min: 1, max: 86_400, integer: true, unit: 's' },
} as const satisfies Partial<Record<SettingKey, NumberRule>>;

export const ENUM_RULES = {
  'config.dialect': { def: 'auto', values: ['auto', 'beacon', 'codex'] },
  'readiness.target': { def: 'production', values: ['production', 'staging', 'development'] },
} as const satisfies Partial<Record<SettingKey, { def: string; values: readonly string[] }>>;

export const BOOLEAN_DEFAULTS = {
  'appServer.autoStart': false,
  'appServer.approvals.declineWhenUnfocused': true,
  'logs.follow': true,
} as const satisfies Partial<Record<SettingKey, boolean>>;

export const DEFAULT_COMMAND = 'code-app-server';

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

function withUnit(n: number, unit: string): string {
  return unit ? `${n} ${unit}` : String(n);
}

function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2));
  return p;
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
 * Reads and sanitises every setting. Relative paths are resolved against the
 * first workspace folder (CODE_HOME when no folder is open), including a
 * relative `appServer.command` such as `./bin/code-app-server`: the same base
 * as the server's default working folder, whatever `appServer.cwd` says.
 */
export function readSettings(raw: RawSettings, environment: SettingsEnvironment): SettingsReading {
  const problems: SettingsProblem[] = [];
  const env = environment.env ?? process.env;
  const home = environment.homedir ?? os.homedir();
  const folder = environment.workspaceFolder;
  const warn = (key: SettingKey, message: string) => problems.push({ key: `codeOps.${key}`, message: `codeOps.${key} ${message}`, severity: 'warning' });
  const note = (key: SettingKey, message: string) => problems.push({ key: `codeOps.${key}`, message: `codeOps.${key} ${message}`, severity: 'info' });

  const valueOf = (key: SettingKey): unknown => {
    const r = raw[key];
    if (!r) return undefined;
    if (!environment.trusted && RESTRICTED_SETTINGS.includes(key) && (r.workspaceValue !== undefined || r.workspaceFolderValue !== undefined)) {
      // The workspace could name a program to run: only the user's own value counts until it is trusted.
      warn(key, 'is set by this untrusted workspace; its value is ignored until you trust the workspace.');
      return r.globalValue;
    }
    return r.value;
  };

  const str = (key: SettingKey, def: string, v: unknown = valueOf(key)): string => {
    if (v === undefined || v === null) return def;
    if (typeof v !== 'string') {
      warn(key, `is ${show(v)}, not a string; using ${def ? JSON.stringify(def) : 'the default'}.`);
      return def;
    }
    if (v.includes('\0')) {
      warn(key, `contains a NUL character; using ${def ? JSON.stringify(def) : 'the default'}.`);
      return def;
    }
    return v.trim();
  };

  const num = (key: keyof typeof NUMBER_RULES): number => {
    const rule: NumberRule = NUMBER_RULES[key];
    const v = valueOf(key);
    const allowed = `allowed ${rule.min}–${rule.max}`;
    if (v === undefined || v === null) return rule.def;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      warn(key, `is ${show(v)}, not a number; using the default ${withUnit(rule.def, rule.unit)} (${allowed}).`);
      return rule.def;
    }
    let n = v;
    if (rule.integer && !Number.isInteger(n)) {
      const rounded = Math.round(n);
      note(key, `is ${n}, not a whole number; using ${withUnit(rounded, rule.unit)}.`);
      n = rounded;
    }
    if (n < rule.min || n > rule.max) {
      const clamped = Math.min(rule.max, Math.max(rule.min, n));
      warn(key, `is ${v}; using ${withUnit(clamped, rule.unit)} (${allowed}).`);
      return clamped;
    }
    return n;
  };

  const bool = (key: keyof typeof BOOLEAN_DEFAULTS): boolean => {
    const def = BOOLEAN_DEFAULTS[key];
    const v = valueOf(key);
    if (v === undefined || v === null) return def;
    if (typeof v !== 'boolean') {
      warn(key, `is ${show(v)}, not true or false; using ${def}.`);
      return def;
    }
    return v;
  };

  const oneOf = <K extends keyof typeof ENUM_RULES>(key: K): (typeof ENUM_RULES)[K]['values'][number] => {
    const rule = ENUM_RULES[key];
    const v = valueOf(key);
    if (v === undefined || v === null) return rule.def;
    if (typeof v !== 'string' || !(rule.values as readonly string[]).includes(v)) {
      warn(key, `is ${show(v)}; using ${JSON.stringify(rule.def)} (allowed ${rule.values.map((x) => JSON.stringify(x)).join(', ')}).`);
      return rule.def;
    }
    return v as (typeof ENUM_RULES)[K]['values'][number];
  };

  // CODE_HOME first: it is the base of relative paths when no folder is open.
  let codeHomeOverride = str('codeHome', '');
  if (codeHomeOverride) {
    const expanded = expandTilde(codeHomeOverride, home);
    if (!path.isAbsolute(expanded)) {
      if (folder) {
        const resolved = path.resolve(folder, expanded);
        warn('codeHome', `is the relative path ${JSON.stringify(codeHomeOverride)}; using ${resolved} (relative to the workspace folder).`);
        codeHomeOverride = resolved;
      } else {
        const fallback = resolveCodeHome({ env, homedir: home });
        warn('codeHome', `is the relative path ${JSON.stringify(codeHomeOverride)} and no folder is open to resolve it against; using ${fallback.path} (${fallback.source === 'default' ? '~/.code' : `from ${fallback.source}`}).`);
        codeHomeOverride = '';
      }
    } else {
      codeHomeOverride = expanded;
    }
  }
  const codeHome = resolveCodeHome({ override: codeHomeOverride, env, homedir: home, cwd: folder ?? home });
  const base = folder ?? codeHome.path;

  /** A path setting: `~` expanded, relative resolved against `base` (said so when `tell`). */
  const pathSetting = (key: SettingKey, tell: boolean): string | undefined => {
    const v = str(key, '');
    if (!v) return undefined;
    const expanded = expandTilde(v, home);
    if (path.isAbsolute(expanded)) return path.normalize(expanded);
    const resolved = path.resolve(base, expanded);
    if (tell) note(key, `is the relative path ${JSON.stringify(v)}; using ${resolved} (relative to ${folder ? 'the workspace folder' : 'CODE_HOME, as no folder is open'}).`);
    return resolved;
  };

  // The command: empty means the default; a path with a separator is resolved like the other paths.
  let command = DEFAULT_COMMAND;
  {
    const rawCommand = valueOf('appServer.command');
    const v = str('appServer.command', DEFAULT_COMMAND, rawCommand);
    if (typeof rawCommand === 'string' && !rawCommand.trim()) {
      warn('appServer.command', `is empty; using ${JSON.stringify(DEFAULT_COMMAND)} (looked up on PATH).`);
    } else if (v) {
      const expanded = expandTilde(v, home);
      const hasSeparator = expanded.includes('/') || (process.platform === 'win32' && expanded.includes('\\'));
      if (path.isAbsolute(expanded) || !hasSeparator) command = expanded;
      else {
        command = path.resolve(base, expanded);
        note('appServer.command', `is the relative path ${JSON.stringify(v)}; using ${command} (relative to ${folder ? 'the workspace folder' : 'CODE_HOME, as no folder is open'}).`);
      }
    }
  }

  const args: string[] = [];
  {
    const v = valueOf('appServer.args');
    if (typeof v === 'string') {
      warn('appServer.args', `is the string ${show(v)}, not a list; using [${show(v)}].`);
      if (!v.includes('\0')) args.push(v);
    } else if (Array.isArray(v)) {
      const dropped: string[] = [];
      for (const [i, a] of v.entries()) {
        if (typeof a === 'string' && !a.includes('\0')) args.push(a);
        else dropped.push(`#${i + 1} (${typeof a === 'string' ? 'contains NUL' : show(a)})`);
      }
      if (dropped.length) warn('appServer.args', `has entries that are not text; dropped ${dropped.join(', ')}.`);
    } else if (v !== undefined && v !== null) {
      warn('appServer.args', `is ${show(v)}, not a list of strings; using no arguments.`);
    }
  }

  const serverEnv: Record<string, string | null> = {};
  {
    const v = valueOf('appServer.env');
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const dropped: string[] = [];
      for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
        if (!k || k.includes('=') || k.includes('\0')) dropped.push(`${show(k)} (not a variable name)`);
        else if (value === null || (typeof value === 'string' && !value.includes('\0'))) serverEnv[k] = value;
        else dropped.push(`${k} (${show(value)}: values must be strings, or null to remove a variable)`);
      }
      if (dropped.length) warn('appServer.env', `has entries that cannot be passed on; dropped ${dropped.join(', ')}.`);
    } else if (v !== undefined && v !== null) {
      warn('appServer.env', `is ${show(v)}, not an object of variables; using no extra environment.`);
    }
  }

  const cwd = pathSetting('appServer.cwd', false);
  const socket = pathSetting('appServer.socket', true);

  let healthUrl: string | undefined;
  {
    const v = str('appServer.healthUrl', '');
    if (v) {
      let url: URL | undefined;
      try {
        url = new URL(v);
      } catch {
        url = undefined;
      }
      if (!url) warn('appServer.healthUrl', `is ${show(v)}, not a URL; health checks over HTTP are off until it is one (e.g. http://127.0.0.1:8080/health).`);
      else if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        // `localhost:8080/health` parses as a URL with the scheme "localhost:".
        warn('appServer.healthUrl', `is ${show(v)}, not an http:// or https:// URL; health checks over HTTP are off until it is one (e.g. http://127.0.0.1:8080/health).`);
      }
      else healthUrl = url.toString();
    }
  }

  const initializeTimeoutMs = num('appServer.initializeTimeoutMs');
  const probeIntervalSeconds = num('appServer.probeIntervalSeconds');
  const probeTimeoutMs = num('appServer.probeTimeoutMs');
  if (probeTimeoutMs > probeIntervalSeconds * 1000) {
    note(
      'appServer.probeTimeoutMs',
      `(${probeTimeoutMs} ms) is longer than the probe interval (${probeIntervalSeconds} s): a probe that gets no reply delays the next one, so a hung server is noticed only every ${probeTimeoutMs} ms.`,
    );
  }

  const files: string[] = [];
  {
    const v = valueOf('config.files');
    const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : undefined;
    if (!list) warn('config.files', `is ${show(v)}, not a list of glob patterns; validating only CODE_HOME's config files.`);
    for (const g of list ?? []) {
      if (typeof g !== 'string') {
        warn('config.files', `has an entry ${show(g)} that is not a glob pattern; dropped.`);
        continue;
      }
      const pattern = g.trim();
      if (!pattern) continue;
      const bad = globProblem(pattern);
      if (bad) {
        warn('config.files', `has the pattern ${show(pattern)}, which ${bad}; dropped.`);
        continue;
      }
      const expanded = expandTilde(pattern, home);
      if (path.isAbsolute(expanded) || expanded.startsWith('**')) files.push(expanded);
      else {
        // The editor matches these against absolute paths: a relative pattern would match nothing.
        const anchored = folder ? `${folder.split(path.sep).join('/')}/${expanded}` : `**/${expanded}`;
        note('config.files', `has the relative pattern ${show(pattern)}; using ${JSON.stringify(anchored)}.`);
        files.push(anchored);
      }
    }
  }

  let backupGlob = str('readiness.backupGlob', '');
  if (backupGlob) {
    const bad = globProblem(backupGlob);
    if (bad) {
      warn('readiness.backupGlob', `is ${show(backupGlob)}, which ${bad}; the backup check is skipped until it is fixed.`);
      backupGlob = '';
    }
  }

  return {
    problems,
    settings: {
      codeHome,
      appServer: {
        command,
        args,
        env: serverEnv,
        cwd,
        socket,
        healthUrl,
        autoStart: bool('appServer.autoStart'),
        initializeTimeoutMs,
        probeIntervalSeconds,
        probeTimeoutMs,
        maxMissedProbes: num('appServer.maxMissedProbes'),
        approvals: { timeoutSeconds: num('appServer.approvals.timeoutSeconds'), declineWhenUnfocused: bool('appServer.approvals.declineWhenUnfocused') },
      },
      config: { dialect: oneOf('config.dialect'), files, managedConfig: pathSetting('config.managedConfig', false) },
      readiness: {
        target: oneOf('readiness.target'),
        backupGlob,
        backupMaxAgeDays: num('readiness.backupMaxAgeDays'),
        checklistFile: pathSetting('readiness.checklistFile', false),
      },
      logs: {
        follow: bool('logs.follow'),
        initialLines: num('logs.initialLines'),
        pollIntervalMs: num('logs.pollIntervalMs'),
        errorBurst: { count: num('logs.errorBurst.count'), windowSeconds: num('logs.errorBurst.windowSeconds') },
      },
    },
  };
}

/** Every key the reader knows, for callers that ask the editor for each one. */
export const SETTING_KEYS: readonly SettingKey[] = [
  'codeHome',
  'appServer.command',
  'appServer.args',
  'appServer.env',
  'appServer.cwd',
  'appServer.socket',
  'appServer.healthUrl',
  'appServer.autoStart',
  'appServer.initializeTimeoutMs',
  'appServer.probeIntervalSeconds',
  'appServer.probeTimeoutMs',
  'appServer.maxMissedProbes',
  'appServer.approvals.timeoutSeconds',
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
];
