import * as os from 'node:os';
import * as path from 'node:path';
import { resolveCodeHome, type CodeHome } from './codeHome';
import { DEFAULT_COMMAND, type NumberRange } from './constants';
import {
  BOOLEAN_DEFAULTS,
  ENUM_RULES,
  globProblem,
  NUMBER_RULES,
  RESTRICTED_SETTINGS,
  show,
  type CodeOpsSettings,
  type RawSettings,
  type SettingKey,
  type SettingsEnvironment,
  type SettingsProblem,
  type SettingsReading,
} from './settings';

function withUnit(n: number, unit: string): string {
  return unit ? `${n} ${unit}` : String(n);
}

function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2));
  return p;
}

/**
 * Reads one value at a time, sanitised, and collects the problems. Never
 * throws: a value of the wrong type or out of range is replaced (by the
 * default or the nearest allowed value) and said in `problems`.
 */
class ValueReader {
  readonly problems: SettingsProblem[] = [];
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly folder: string | undefined;

  constructor(
    private readonly raw: RawSettings,
    private readonly environment: SettingsEnvironment,
  ) {
    this.env = environment.env ?? process.env;
    this.home = environment.homedir ?? os.homedir();
    this.folder = environment.workspaceFolder;
  }

  warn(key: SettingKey, message: string): void {
    this.problems.push({ key: `codeOps.${key}`, message: `codeOps.${key} ${message}`, severity: 'warning' });
  }

  note(key: SettingKey, message: string): void {
    this.problems.push({ key: `codeOps.${key}`, message: `codeOps.${key} ${message}`, severity: 'info' });
  }

  valueOf(key: SettingKey): unknown {
    const r = this.raw[key];
    if (!r) return undefined;
    if (!this.environment.trusted && RESTRICTED_SETTINGS.includes(key) && (r.workspaceValue !== undefined || r.workspaceFolderValue !== undefined)) {
      // The workspace could name a program to run: only the user's own value counts until it is trusted.
      this.warn(key, 'is set by this untrusted workspace; its value is ignored until you trust the workspace.');
      return r.globalValue;
    }
    return r.value;
  }

  str(key: SettingKey, def: string, v: unknown = this.valueOf(key)): string {
    if (v === undefined || v === null) return def;
    if (typeof v !== 'string') {
      this.warn(key, `is ${show(v)}, not a string; using ${def ? JSON.stringify(def) : 'the default'}.`);
      return def;
    }
    if (v.includes('\0')) {
      this.warn(key, `contains a NUL character; using ${def ? JSON.stringify(def) : 'the default'}.`);
      return def;
    }
    return v.trim();
  }

  num(key: keyof typeof NUMBER_RULES): number {
    const rule: NumberRange = NUMBER_RULES[key];
    const v = this.valueOf(key);
    const allowed = `allowed ${rule.min}–${rule.max}`;
    if (v === undefined || v === null) return rule.def;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.warn(key, `is ${show(v)}, not a number; using the default ${withUnit(rule.def, rule.unit)} (${allowed}).`);
      return rule.def;
    }
    let n = v;
    if (rule.integer && !Number.isInteger(n)) {
      const rounded = Math.round(n);
      this.note(key, `is ${n}, not a whole number; using ${withUnit(rounded, rule.unit)}.`);
      n = rounded;
    }
    if (n < rule.min || n > rule.max) {
      const clamped = Math.min(rule.max, Math.max(rule.min, n));
      this.warn(key, `is ${v}; using ${withUnit(clamped, rule.unit)} (${allowed}).`);
      return clamped;
    }
    return n;
  }

  bool(key: keyof typeof BOOLEAN_DEFAULTS): boolean {
    const def = BOOLEAN_DEFAULTS[key];
    const v = this.valueOf(key);
    if (v === undefined || v === null) return def;
    if (typeof v !== 'boolean') {
      this.warn(key, `is ${show(v)}, not true or false; using ${def}.`);
      return def;
    }
    return v;
  }

  oneOf<K extends keyof typeof ENUM_RULES>(key: K): (typeof ENUM_RULES)[K]['values'][number] {
    const rule = ENUM_RULES[key];
    const v = this.valueOf(key);
    if (v === undefined || v === null) return rule.def;
    if (typeof v !== 'string' || !(rule.values as readonly string[]).includes(v)) {
      this.warn(key, `is ${show(v)}; using ${JSON.stringify(rule.def)} (allowed ${rule.values.map((x) => JSON.stringify(x)).join(', ')}).`);
      return rule.def;
    }
    return v as (typeof ENUM_RULES)[K]['values'][number];
  }
}

/** CODE_HOME first: it is the base of relative paths when no folder is open. */
function readCodeHome(r: ValueReader): CodeHome {
  let override = r.str('codeHome', '');
  if (override) {
    const expanded = expandTilde(override, r.home);
    if (path.isAbsolute(expanded)) override = expanded;
    else if (r.folder) {
      const resolved = path.resolve(r.folder, expanded);
      r.warn('codeHome', `is the relative path ${JSON.stringify(override)}; using ${resolved} (relative to the workspace folder).`);
      override = resolved;
    } else {
      const fallback = resolveCodeHome({ env: r.env, homedir: r.home });
      r.warn(
        'codeHome',
        `is the relative path ${JSON.stringify(override)} and no folder is open to resolve it against; using ${fallback.path} (${fallback.source === 'default' ? '~/.code' : `from ${fallback.source}`}).`,
      );
      override = '';
    }
  }
  return resolveCodeHome({ override, env: r.env, homedir: r.home, cwd: r.folder ?? r.home });
}

function relativeTo(r: ValueReader): string {
  return r.folder ? 'the workspace folder' : 'CODE_HOME, as no folder is open';
}

/** A path setting: `~` expanded, relative resolved against `base` (said so when `tell`). */
function readPath(r: ValueReader, key: SettingKey, base: string, tell: boolean): string | undefined {
  const v = r.str(key, '');
  if (!v) return undefined;
  const expanded = expandTilde(v, r.home);
  if (path.isAbsolute(expanded)) return path.normalize(expanded);
  const resolved = path.resolve(base, expanded);
  if (tell) r.note(key, `is the relative path ${JSON.stringify(v)}; using ${resolved} (relative to ${relativeTo(r)}).`);
  return resolved;
}

/** The command: empty means the default; a path with a separator is resolved like the other paths. */
function readCommand(r: ValueReader, base: string): string {
  const rawCommand = r.valueOf('appServer.command');
  const v = r.str('appServer.command', DEFAULT_COMMAND, rawCommand);
  if (typeof rawCommand === 'string' && !rawCommand.trim()) {
    r.warn('appServer.command', `is empty; using ${JSON.stringify(DEFAULT_COMMAND)} (looked up on PATH).`);
    return DEFAULT_COMMAND;
  }
  if (!v) return DEFAULT_COMMAND;
  const expanded = expandTilde(v, r.home);
  const hasSeparator = expanded.includes('/') || (process.platform === 'win32' && expanded.includes('\\'));
  if (path.isAbsolute(expanded) || !hasSeparator) return expanded;
  const command = path.resolve(base, expanded);
  r.note('appServer.command', `is the relative path ${JSON.stringify(v)}; using ${command} (relative to ${relativeTo(r)}).`);
  return command;
}

function readArgs(r: ValueReader): string[] {
  const args: string[] = [];
  const v = r.valueOf('appServer.args');
  if (typeof v === 'string') {
    r.warn('appServer.args', `is the string ${show(v)}, not a list; using [${show(v)}].`);
    if (!v.includes('\0')) args.push(v);
  } else if (Array.isArray(v)) {
    const dropped: string[] = [];
    for (const [i, a] of v.entries()) {
      if (typeof a === 'string' && !a.includes('\0')) args.push(a);
      else dropped.push(`#${i + 1} (${typeof a === 'string' ? 'contains NUL' : show(a)})`);
    }
    if (dropped.length) r.warn('appServer.args', `has entries that are not text; dropped ${dropped.join(', ')}.`);
  } else if (v !== undefined && v !== null) {
    r.warn('appServer.args', `is ${show(v)}, not a list of strings; using no arguments.`);
  }
  return args;
}

function readEnv(r: ValueReader): Record<string, string | null> {
  const serverEnv: Record<string, string | null> = {};
  const v = r.valueOf('appServer.env');
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const dropped: string[] = [];
    for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
      if (!k || k.includes('=') || k.includes('\0')) dropped.push(`${show(k)} (not a variable name)`);
      else if (value === null || (typeof value === 'string' && !value.includes('\0'))) serverEnv[k] = value;
      else dropped.push(`${k} (${show(value)}: values must be strings, or null to remove a variable)`);
    }
    if (dropped.length) r.warn('appServer.env', `has entries that cannot be passed on; dropped ${dropped.join(', ')}.`);
  } else if (v !== undefined && v !== null) {
    r.warn('appServer.env', `is ${show(v)}, not an object of variables; using no extra environment.`);
  }
  return serverEnv;
}

function readHealthUrl(r: ValueReader): string | undefined {
  const v = r.str('appServer.healthUrl', '');
  if (!v) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  const example = 'health checks over HTTP are off until it is one (e.g. http://127.0.0.1:8080/health).';
  if (!url) r.warn('appServer.healthUrl', `is ${show(v)}, not a URL; ${example}`);
  // `localhost:8080/health` parses as a URL with the scheme "localhost:".
  else if (url.protocol !== 'http:' && url.protocol !== 'https:') r.warn('appServer.healthUrl', `is ${show(v)}, not an http:// or https:// URL; ${example}`);
  else return url.toString();
  return undefined;
}

function readConfigFiles(r: ValueReader): string[] {
  const files: string[] = [];
  const v = r.valueOf('config.files');
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : undefined;
  if (!list) r.warn('config.files', `is ${show(v)}, not a list of glob patterns; validating only CODE_HOME's config files.`);
  for (const g of list ?? []) {
    if (typeof g !== 'string') {
      r.warn('config.files', `has an entry ${show(g)} that is not a glob pattern; dropped.`);
      continue;
    }
    const pattern = g.trim();
    if (!pattern) continue;
    const bad = globProblem(pattern);
    if (bad) {
      r.warn('config.files', `has the pattern ${show(pattern)}, which ${bad}; dropped.`);
      continue;
    }
    const expanded = expandTilde(pattern, r.home);
    if (path.isAbsolute(expanded) || expanded.startsWith('**')) files.push(expanded);
    else {
      // The editor matches these against absolute paths: a relative pattern would match nothing.
      const anchored = r.folder ? `${r.folder.split(path.sep).join('/')}/${expanded}` : `**/${expanded}`;
      r.note('config.files', `has the relative pattern ${show(pattern)}; using ${JSON.stringify(anchored)}.`);
      files.push(anchored);
    }
  }
  return files;
}

function readBackupGlob(r: ValueReader): string {
  const backupGlob = r.str('readiness.backupGlob', '');
  const bad = backupGlob ? globProblem(backupGlob) : undefined;
  if (!bad) return backupGlob;
  r.warn('readiness.backupGlob', `is ${show(backupGlob)}, which ${bad}; the backup check is skipped until it is fixed.`);
  return '';
}

function readAppServer(r: ValueReader, base: string): CodeOpsSettings['appServer'] {
  const command = readCommand(r, base);
  const args = readArgs(r);
  const env = readEnv(r);
  const cwd = readPath(r, 'appServer.cwd', base, false);
  const socket = readPath(r, 'appServer.socket', base, true);
  const healthUrl = readHealthUrl(r);
  const initializeTimeoutMs = r.num('appServer.initializeTimeoutMs');
  const probeIntervalSeconds = r.num('appServer.probeIntervalSeconds');
  const probeTimeoutMs = r.num('appServer.probeTimeoutMs');
  if (probeTimeoutMs > probeIntervalSeconds * 1000) {
    r.note(
      'appServer.probeTimeoutMs',
      `(${probeTimeoutMs} ms) is longer than the probe interval (${probeIntervalSeconds} s): a probe that gets no reply delays the next one, so a hung server is noticed only every ${probeTimeoutMs} ms.`,
    );
  }
  return {
    command,
    args,
    env,
    cwd,
    socket,
    healthUrl,
    autoStart: r.bool('appServer.autoStart'),
    initializeTimeoutMs,
    probeIntervalSeconds,
    probeTimeoutMs,
    maxMissedProbes: r.num('appServer.maxMissedProbes'),
    approvals: { timeoutSeconds: r.num('appServer.approvals.timeoutSeconds'), declineWhenUnfocused: r.bool('appServer.approvals.declineWhenUnfocused') },
  };
}

/**
 * Reads and sanitises every setting. Relative paths are resolved against the
 * first workspace folder (CODE_HOME when no folder is open), including a
 * relative `appServer.command` such as `./bin/code-app-server`: the same base
 * as the server's default working folder, whatever `appServer.cwd` says.
 * Pure: no editor, no file system, so the CLI and unit tests use it as is.
 */
export function readSettings(raw: RawSettings, environment: SettingsEnvironment): SettingsReading {
  const r = new ValueReader(raw, environment);
  const codeHome = readCodeHome(r);
  const base = r.folder ?? codeHome.path;
  // The order of the reads is the order of the problems.
  const appServer = readAppServer(r, base);
  const files = readConfigFiles(r);
  const backupGlob = readBackupGlob(r);
  const settings: CodeOpsSettings = {
    codeHome,
    appServer,
    config: { dialect: r.oneOf('config.dialect'), files, managedConfig: readPath(r, 'config.managedConfig', base, false) },
    readiness: {
      target: r.oneOf('readiness.target'),
      backupGlob,
      backupMaxAgeDays: r.num('readiness.backupMaxAgeDays'),
      checklistFile: readPath(r, 'readiness.checklistFile', base, false),
    },
    logs: {
      follow: r.bool('logs.follow'),
      initialLines: r.num('logs.initialLines'),
      pollIntervalMs: r.num('logs.pollIntervalMs'),
      errorBurst: { count: r.num('logs.errorBurst.count'), windowSeconds: r.num('logs.errorBurst.windowSeconds') },
    },
    mcp: { registerServer: r.bool('mcp.registerServer') },
  };
  return { problems: r.problems, settings };
}
