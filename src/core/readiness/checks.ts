import { execFile } from 'node:child_process';
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import type { CodeHomePaths } from '../codeHome';
import { buildServerEnv } from '../appServer/env';
import type { ProbeResult } from '../appServer/probeTypes';
import type { ServerSnapshot } from '../appServer/types';
import { isPanicStart, type PanicHit } from '../logs/index';
import type { Dialect, ReadinessTarget, ValidateOptions, ValidationResult } from '../otel/api';
import { maskSecrets } from '../mask';
import { CHECKS } from './catalog';
import type { CheckId, CheckResult, CheckStatus, FixAction } from './model';
import { globFiles } from './glob';
import { listTarEntries } from './tar';

/**
 * The automatic checks of the readiness checklist, as functions over an
 * injected environment so the extension, the CLI and the tests share them.
 * A check never throws: whatever goes wrong becomes its verdict.
 */

export interface CheckSettings {
  target: ReadinessTarget;
  /** `codeOps.config.dialect` */
  dialect: 'auto' | Dialect;
  backupGlob: string;
  backupMaxAgeDays: number;
  serverCommand: string;
  serverArgs: string[];
  serverEnv: Record<string, string | null>;
  serverCwd?: string;
  socket?: string;
  probeTimeoutMs: number;
}

export const DEFAULT_CHECK_SETTINGS: CheckSettings = {
  target: 'production',
  dialect: 'auto',
  backupGlob: '',
  backupMaxAgeDays: 7,
  serverCommand: 'code-app-server',
  serverArgs: [],
  serverEnv: {},
  probeTimeoutMs: 5000,
};

/** The cross-feature functions the checks call; tests may replace any of them. */
export interface CheckDeps {
  validateConfigBytes(bytes: Uint8Array, options: ValidateOptions): ValidationResult;
  detectDialect(options: { setting?: 'auto' | Dialect; filePath?: string; serverCommand?: string; env?: NodeJS.ProcessEnv }): Dialect;
  findPanics(paths: CodeHomePaths, sinceMs: number): Promise<PanicHit[]>;
  listCriticalLogs(logsDir: string): Promise<string[]>;
  probeOnce(options: { command: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string; socket?: string; timeoutMs?: number }): Promise<ProbeResult>;
  resolveExecutable(command: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<{ path?: string; error?: string }>;
  /** `<binary> --version`, first line of its output. */
  readVersion(executable: string, env: NodeJS.ProcessEnv): Promise<{ version?: string; error?: string }>;
}

/** What a supervised server tells the checks (undefined in the CLI). */
export interface ServerView {
  snapshot: ServerSnapshot;
  recentStderr: readonly string[];
}

export interface CheckContext {
  codeHome: string;
  paths: CodeHomePaths;
  settings: CheckSettings;
  /** The environment the server inherits (the editor's or the shell's). */
  env: NodeJS.ProcessEnv;
  /** Base for relative paths (backup glob, server cwd). */
  cwd: string;
  homedir?: string;
  server?: ServerView;
  /** Whether app-server-liveness may start a short-lived server of its own (CLI `--probe`). */
  probe: boolean;
  now(): number;
  platform: NodeJS.Platform;
  deps: CheckDeps;
}

type Verdict = Omit<CheckResult, 'id' | 'at' | 'durationMs'>;

const DAY_MS = 24 * 60 * 60 * 1000;

function mode(st: Stats): string {
  return `0${(st.mode & 0o777).toString(8).padStart(3, '0')}`;
}

function short(text: string, max = 140): string {
  const one = maskSecrets(text).replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

async function statOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** The environment Code Ops gives the server it starts: ours, the checklist defaults, the user's overrides. */
export function serverEnvironment(ctx: CheckContext): NodeJS.ProcessEnv {
  return buildServerEnv({ base: ctx.env, overrides: ctx.settings.serverEnv, codeHome: ctx.codeHome });
}

/** Top-level files of CODE_HOME that hold credentials and must be private. */
export function isSecretFileName(name: string): boolean {
  return name === 'auth.json' || name === '.env' || /credential|secret|token/i.test(name) || /\.(pem|key)$/i.test(name);
}

async function codeHomePermissions(ctx: CheckContext): Promise<Verdict> {
  if (ctx.platform === 'win32') return { status: 'skip', detail: 'POSIX permissions do not apply on Windows; check the folder ACL by hand.' };
  const root = await statOrUndefined(ctx.codeHome);
  if (!root) {
    return {
      status: 'fail',
      detail: `CODE_HOME ${ctx.codeHome} does not exist (the server refuses to start without it).`,
      fix: { kind: 'permissions', label: 'Create CODE_HOME (0700)', targets: [{ path: ctx.codeHome, mode: 0o700, directory: true, create: true }] },
    };
  }
  if (!root.isDirectory()) return { status: 'fail', detail: `CODE_HOME ${ctx.codeHome} is not a folder.` };
  const problems: string[] = [];
  const targets: Array<{ path: string; mode: number; directory?: boolean }> = [];
  if (root.mode & 0o077) {
    problems.push(`CODE_HOME is ${mode(root)}`);
    targets.push({ path: ctx.codeHome, mode: 0o700, directory: true });
  }
  const secrets: string[] = [];
  for (const entry of await fs.readdir(ctx.codeHome, { withFileTypes: true })) {
    if (!isSecretFileName(entry.name)) continue;
    const full = path.join(ctx.codeHome, entry.name);
    const st = await statOrUndefined(full);
    if (!st?.isFile()) continue;
    secrets.push(entry.name);
    if (st.mode & 0o077) {
      problems.push(`${entry.name} is ${mode(st)}`);
      targets.push({ path: full, mode: 0o600 });
    }
  }
  if (problems.length) {
    return {
      status: 'fail',
      detail: `${problems.join('; ')} (group/world can access them; want 0700 and 0600).`,
      fix: { kind: 'permissions', label: 'Tighten permissions (0700 folder, 0600 secrets)', targets },
    };
  }
  return { status: 'pass', detail: `CODE_HOME is ${mode(root)}${secrets.length ? `; ${secrets.join(', ')} private` : '; no secret files yet'}.` };
}

interface ConfigFile {
  file: string;
  name: string;
  result: ValidationResult;
  text: string;
}

/** Parses config.toml and managed_config.toml once per run; the five config checks share it. */
async function loadConfigs(ctx: CheckContext): Promise<{ files: ConfigFile[]; missing: boolean; errors: string[] }> {
  const files: ConfigFile[] = [];
  const errors: string[] = [];
  let missing = false;
  for (const [file, required] of [
    [ctx.paths.configToml, true],
    [ctx.paths.managedConfigToml, false],
  ] as const) {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        if (required) missing = true;
        continue;
      }
      errors.push(`${path.basename(file)}: ${(err as Error).message}`);
      continue;
    }
    const dialect = ctx.deps.detectDialect({ setting: ctx.settings.dialect, filePath: file, serverCommand: ctx.settings.serverCommand, env: ctx.env });
    const result = ctx.deps.validateConfigBytes(bytes, { dialect, target: ctx.settings.target, filePath: file });
    files.push({ file, name: path.basename(file), result, text: bytes.toString('utf8') });
  }
  return { files, missing, errors };
}

/** Codes the dedicated checks report, so config-valid does not report them twice. */
const OWNED_ELSEWHERE = new Set(['otel/environment-not-production', 'otel/log-user-prompt', 'otel/literal-secret', 'otel/missing-section', 'otel/exporter-in-dev']);

function openAt(file: string, pos: { line: number; character: number } | undefined, label: string): FixAction {
  return { kind: 'openConfig', label, file, line: pos?.line ?? 0, character: pos?.character ?? 0 };
}

type Configs = Awaited<ReturnType<typeof loadConfigs>>;

function configValid(ctx: CheckContext, cfg: Configs): Verdict {
  if (cfg.errors.length) return { status: 'fail', detail: `Could not read ${cfg.errors.join('; ')}` };
  if (!cfg.files.length) return { status: 'warn', detail: 'No config.toml: Code runs with defaults (no OTEL export).', fix: openAt(ctx.paths.configToml, undefined, 'Create config.toml') };
  for (const f of cfg.files) {
    const errors = f.result.diagnostics.filter((d) => d.severity === 'error' && !OWNED_ELSEWHERE.has(d.code));
    if (errors.length) {
      const d = errors[0];
      return {
        status: 'fail',
        detail: `${f.name}:${d.range.start.line + 1}: ${short(d.message, 120)}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}`,
        fix: openAt(f.file, d.range.start, `Open ${f.name} at the error`),
      };
    }
  }
  for (const f of cfg.files) {
    const warnings = f.result.diagnostics.filter((d) => d.severity === 'warning' && !OWNED_ELSEWHERE.has(d.code));
    if (warnings.length) {
      const d = warnings[0];
      return {
        status: 'warn',
        detail: `${f.name}:${d.range.start.line + 1}: ${short(d.message, 120)}${warnings.length > 1 ? ` (+${warnings.length - 1} more)` : ''}`,
        fix: openAt(f.file, d.range.start, `Open ${f.name} at the warning`),
      };
    }
  }
  return { status: 'pass', detail: `${cfg.files.map((f) => f.name).join(' and ')} parse${cfg.files.length === 1 ? 's' : ''}; [otel] is valid.` };
}

/** The [otel] value that applies: managed_config.toml overrides config.toml key by key. */
function effective<K extends 'exporterKind' | 'environment' | 'logUserPrompt'>(cfg: Configs, key: K) {
  let found: { file: ConfigFile; value: ValidationResult['otel'][K] } | undefined;
  for (const f of cfg.files) if (!f.result.syntaxError && f.result.otel[key] !== undefined) found = { file: f, value: f.result.otel[key] };
  return found;
}

function configSyntaxBlocks(ctx: CheckContext, cfg: Configs): Verdict | undefined {
  const broken = cfg.files.find((f) => f.result.syntaxError);
  if (broken) return { status: 'fail', detail: `${broken.name} does not parse (see config-valid).`, fix: openAt(broken.file, broken.result.diagnostics[0]?.range.start, `Open ${broken.name}`) };
  if (!cfg.files.length) return { status: 'fail', detail: 'No config.toml, so no [otel] section.', fix: openAt(ctx.paths.configToml, undefined, 'Create config.toml') };
  return undefined;
}

function otelExporter(ctx: CheckContext, cfg: Configs): Verdict {
  const blocked = configSyntaxBlocks(ctx, cfg);
  if (blocked) return blocked;
  const value = effective(cfg, 'exporterKind');
  if (!value || value.value === 'none') {
    const where = value?.file ?? cfg.files[0];
    return {
      status: ctx.settings.target === 'production' ? 'fail' : 'warn',
      detail: value ? `${where.name}: exporter = "none": nothing is exported.` : 'No [otel] exporter configured: nothing is exported.',
      fix: openAt(where.file, value?.file.result.otel.exporterRange?.start, 'Open config.toml at [otel]'),
    };
  }
  return { status: 'pass', detail: `Exporter ${value.value} (${value.file.name}).` };
}

function otelEnvironment(ctx: CheckContext, cfg: Configs): Verdict {
  const blocked = configSyntaxBlocks(ctx, cfg);
  if (blocked) return blocked;
  const value = effective(cfg, 'environment');
  const actual = value?.value ?? 'dev';
  const wanted = ctx.settings.target;
  if (actual === wanted) return { status: 'pass', detail: `environment = "${actual}".` };
  const where = value?.file ?? cfg.files[0];
  return {
    status: wanted === 'production' ? 'fail' : 'warn',
    detail: `environment is "${actual}"${value ? '' : ' (default)'}; the target is "${wanted}".`,
    fix: openAt(where.file, value?.file.result.otel.environmentRange?.start, 'Open config.toml at environment'),
  };
}

function otelLogUserPrompt(_ctx: CheckContext, cfg: Configs): Verdict {
  const broken = cfg.files.find((f) => f.result.syntaxError);
  if (broken) return { status: 'fail', detail: `${broken.name} does not parse (see config-valid).` };
  const value = effective(cfg, 'logUserPrompt');
  if (value?.value === true) {
    return {
      status: 'fail',
      detail: `${value.file.name}: log_user_prompt = true exports every prompt's text.`,
      fix: openAt(value.file.file, value.file.result.otel.logUserPromptRange?.start, 'Open config.toml at log_user_prompt'),
    };
  }
  return { status: 'pass', detail: value ? 'log_user_prompt = false.' : 'log_user_prompt is absent (false).' };
}

function secretsInConfig(_ctx: CheckContext, cfg: Configs): Verdict {
  if (!cfg.files.length) return { status: 'skip', detail: 'No config.toml.' };
  const found: Array<{ file: ConfigFile; what: string; line: number; character: number }> = [];
  for (const f of cfg.files) {
    for (const h of f.result.otel.literalSecretHeaders) {
      found.push({ file: f, what: `header ${h.key}`, line: h.range.start.line, character: h.range.start.character });
    }
    // Anything else the masker recognises as a secret (API keys in provider tables, tokens).
    const lines = f.text.split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trimStart().startsWith('#')) return;
      if (found.some((x) => x.file === f && x.line === i)) return;
      // An environment reference (`${OTEL_API_KEY}`) is the recommended form, not a secret.
      const withoutRefs = line.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, '');
      if (maskSecrets(withoutRefs) !== withoutRefs) {
        const key = /^\s*([\w."-]+)\s*=/.exec(line)?.[1];
        found.push({ file: f, what: key ? `key ${key}` : 'a value', line: i, character: Math.max(0, line.search(/\S/)) });
      }
    });
  }
  if (!found.length) return { status: 'pass', detail: 'No literal secret found in config.toml.' };
  const first = found[0];
  // Names and line numbers only: never the value.
  return {
    status: 'fail',
    detail: `${first.file.name}:${first.line + 1}: ${first.what} holds a literal secret${found.length > 1 ? ` (+${found.length - 1} more)` : ''}; use an environment variable or a secret store.`,
    fix: openAt(first.file.file, first, `Open ${first.file.name} at the secret`),
  };
}

function socketMode(ctx: CheckContext): boolean {
  return !!ctx.settings.socket?.trim() || ctx.server?.snapshot.mode === 'socket';
}

const envFix: FixAction = { kind: 'openSetting', label: 'Open codeOps.appServer.env', setting: 'codeOps.appServer.env' };

function secureMode(ctx: CheckContext): Verdict {
  if (socketMode(ctx)) return { status: 'skip', detail: 'Attached over a socket: the deployed server\'s environment is not visible here; check its unit file or manifest.' };
  const env = serverEnvironment(ctx);
  if (env.CODE_SECURE_MODE === '1') {
    return env.CODEX_SECURE_MODE !== undefined
      ? { status: 'warn', detail: 'CODE_SECURE_MODE=1, but the legacy CODEX_SECURE_MODE is also set; drop it.', fix: envFix }
      : { status: 'pass', detail: 'CODE_SECURE_MODE=1.' };
  }
  if (env.CODEX_SECURE_MODE === '1') return { status: 'warn', detail: 'Only the legacy CODEX_SECURE_MODE=1 is set; use CODE_SECURE_MODE=1.', fix: envFix };
  return {
    status: 'fail',
    detail: env.CODE_SECURE_MODE === undefined ? 'CODE_SECURE_MODE is not set for the app server.' : `CODE_SECURE_MODE=${short(env.CODE_SECURE_MODE, 20)}; the checklist asks for 1.`,
    fix: envFix,
  };
}

function rustLog(ctx: CheckContext): Verdict {
  if (socketMode(ctx)) return { status: 'skip', detail: 'Attached over a socket: the deployed server\'s environment is not visible here.' };
  const value = serverEnvironment(ctx).RUST_LOG;
  if (value?.trim()) return { status: 'pass', detail: `RUST_LOG=${short(value, 80)}.` };
  return { status: 'fail', detail: 'RUST_LOG is not set for the app server, so it logs nothing useful.', fix: envFix };
}

async function appServerBinary(ctx: CheckContext): Promise<Verdict> {
  if (ctx.settings.socket?.trim()) return { status: 'skip', detail: `Attached to ${ctx.settings.socket}; no binary is started here.` };
  const env = serverEnvironment(ctx);
  const command = ctx.settings.serverCommand.trim() || 'code-app-server';
  const resolved = await ctx.deps.resolveExecutable(command, env, ctx.settings.serverCwd || ctx.cwd);
  if (!resolved.path) {
    return {
      status: 'fail',
      detail: short(resolved.error ?? `${command} was not found.`),
      fix: { kind: 'openSetting', label: 'Set codeOps.appServer.command', setting: 'codeOps.appServer.command' },
    };
  }
  const { version, error } = await ctx.deps.readVersion(resolved.path, env);
  if (!version) return { status: 'warn', detail: `${resolved.path} found, but \`--version\` failed: ${short(error ?? 'no output', 80)}` };
  return { status: 'pass', detail: `${version} (${resolved.path})`, version };
}

async function appServerLiveness(ctx: CheckContext): Promise<Verdict> {
  const snap = ctx.server?.snapshot;
  const start: FixAction = { kind: 'command', label: 'Start App Server', command: 'codeOps.appServer.start' };
  if (snap && snap.state !== 'stopped') {
    switch (snap.state) {
      case 'healthy':
        return { status: 'pass', detail: `Answered initialize${snap.initializeMs !== undefined ? ` in ${Math.round(snap.initializeMs)} ms` : ''}${snap.userAgent ? ` (${short(snap.userAgent, 60)})` : ''}.` };
      case 'starting':
      case 'backing-off':
        return { status: 'warn', detail: `The server is ${snap.state}: ${short(snap.reason, 100)}` };
      default:
        return { status: 'fail', detail: `The server is ${snap.state}: ${short(snap.reason, 100)}`, fix: { kind: 'command', label: 'Show App Server Output', command: 'codeOps.appServer.showOutput' } };
    }
  }
  if (!ctx.probe) {
    return snap
      ? { status: 'skip', detail: 'The app server is not running.', fix: start }
      : { status: 'skip', detail: 'No supervised server; run with --probe to start one briefly.' };
  }
  const result = await ctx.deps.probeOnce({
    command: ctx.settings.serverCommand,
    args: ctx.settings.serverArgs,
    env: serverEnvironment(ctx),
    cwd: ctx.settings.serverCwd || ctx.cwd,
    socket: ctx.settings.socket || undefined,
    timeoutMs: ctx.settings.probeTimeoutMs,
  });
  if (result.healthy) return { status: 'pass', detail: `Probe answered initialize in ${result.initializeMs === null ? '?' : Math.round(result.initializeMs)} ms${result.userAgent ? ` (${short(result.userAgent, 60)})` : ''}.` };
  return { status: 'fail', detail: `Probe: ${result.state}${result.error ? `: ${short(result.error, 100)}` : ''}` };
}

async function noPanics(ctx: CheckContext): Promise<Verdict> {
  const since = ctx.now() - DAY_MS;
  const fromServer = [
    ...(ctx.server?.snapshot.panics.map((p) => p.line) ?? []),
    ...(ctx.server?.recentStderr.filter(isPanicStart) ?? []),
  ];
  const hits = await ctx.deps.findPanics(ctx.paths, since);
  if (hits.length) {
    const newest = hits[hits.length - 1];
    const rel = path.relative(ctx.codeHome, newest.file) || newest.file;
    return {
      status: 'fail',
      detail: `${hits.length + new Set(fromServer).size} panic line(s) in 24 h; newest ${rel}:${newest.lineNumber}: ${short(newest.line, 90)}`,
      fix: { kind: 'openFile', label: `Open ${path.basename(newest.file)} at the panic`, file: newest.file, line: Math.max(0, newest.lineNumber - 1) },
    };
  }
  if (fromServer.length) {
    const unique = [...new Set(fromServer)];
    return {
      status: 'fail',
      detail: `${unique.length} panic line(s) in the app server's stderr: ${short(unique[unique.length - 1], 90)}`,
      fix: { kind: 'command', label: 'Show App Server Output', command: 'codeOps.appServer.showOutput' },
    };
  }
  return { status: 'pass', detail: `No "Panic occurred" in the last 24 h of logs${ctx.server ? ' or in the server\'s stderr' : ''}.` };
}

function noCrashLoop(ctx: CheckContext): Verdict {
  const snap = ctx.server?.snapshot;
  if (!snap) return { status: 'skip', detail: 'No supervised server here, so no restart history.' };
  const output: FixAction = { kind: 'command', label: 'Show App Server Output', command: 'codeOps.appServer.showOutput' };
  if (snap.state === 'crash-loop' || snap.restartsInWindow >= 4) {
    return { status: 'fail', detail: `${snap.restartsInWindow} restarts in the last 10 minutes${snap.state === 'crash-loop' ? ' (stopped: crash loop)' : ''}. ${short(snap.lastError ?? snap.reason, 80)}`, fix: output };
  }
  return { status: 'pass', detail: `${snap.restartsInWindow} restart(s) in the last 10 minutes.` };
}

async function logsPresent(ctx: CheckContext): Promise<Verdict> {
  const found: string[] = [];
  const missing: string[] = [];
  let legacy = false;
  if ((await statOrUndefined(ctx.paths.tuiLog))?.isFile()) found.push('log/code-tui.log');
  else if ((await statOrUndefined(ctx.paths.legacyTuiLog))?.isFile()) {
    found.push('log/codex-tui.log');
    legacy = true;
  } else missing.push('log/code-tui.log');
  const critical = await ctx.deps.listCriticalLogs(ctx.paths.logsDir);
  if (critical.length) found.push(`${critical.length} critical.log file(s), newest ${path.basename(critical[critical.length - 1])}`);
  else missing.push('logs/critical.log.YYYY-MM-DD');
  if (missing.length) return { status: 'fail', detail: `Missing ${missing.join(' and ')} under CODE_HOME${found.length ? `; found ${found.join(', ')}` : ''}.` };
  if (legacy) return { status: 'warn', detail: `Only the legacy name log/codex-tui.log exists; ${found.slice(1).join(', ')}.` };
  return { status: 'pass', detail: `Found ${found.join(' and ')}.` };
}

const BACKUP_REQUIRED = ['auth.json', 'sessions/', 'log/', 'logs/'] as const;

/** Which required parts of CODE_HOME an archive's entry names hold (segment-aligned, any leading folder). */
export function backupCoverage(names: readonly string[]): { present: string[]; missing: string[] } {
  const present = new Set<string>();
  for (const raw of names) {
    const name = `/${raw.replace(/^(\.\/)+/, '').replace(/^\/+/, '')}`;
    if (name === '/auth.json' || name.endsWith('/auth.json')) present.add('auth.json');
    for (const dir of ['sessions', 'log', 'logs']) if (name.includes(`/${dir}/`)) present.add(`${dir}/`);
  }
  return { present: BACKUP_REQUIRED.filter((r) => present.has(r)), missing: BACKUP_REQUIRED.filter((r) => !present.has(r)) };
}

async function backupRecent(ctx: CheckContext): Promise<Verdict> {
  const glob = ctx.settings.backupGlob.trim();
  const setting: FixAction = { kind: 'openSetting', label: 'Set codeOps.readiness.backupGlob', setting: 'codeOps.readiness.backupGlob' };
  if (!glob) return { status: 'skip', detail: 'Set codeOps.readiness.backupGlob to check backups of CODE_HOME.', fix: setting };
  const files = await globFiles(glob, { cwd: ctx.cwd, homedir: ctx.homedir });
  const archives: Array<{ file: string; mtimeMs: number }> = [];
  for (const file of files) {
    const st = await statOrUndefined(file);
    if (st?.isFile()) archives.push({ file, mtimeMs: st.mtimeMs });
  }
  if (!archives.length) {
    // A plain folder is the usual slip: say so and how the glob should look.
    const literal = /[*?[{]/.test(glob) ? undefined : path.resolve(ctx.cwd, glob.replace(/^~(?=$|\/)/, ctx.homedir ?? os.homedir()));
    if (literal && (await statOrUndefined(literal))?.isDirectory()) {
      return { status: 'fail', detail: `${glob} is a folder, not a backup archive: set the glob to the archives in it, e.g. ${path.join(glob, '*.tgz')}.`, fix: setting };
    }
    return { status: 'fail', detail: `No backup archive (a file) matches ${glob}.`, fix: setting };
  }
  archives.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const newest = archives[0];
  const ageDays = (ctx.now() - newest.mtimeMs) / DAY_MS;
  const name = path.basename(newest.file);
  const age = ageDays < 1 ? `${Math.max(0, Math.round(ageDays * 24))} h` : `${ageDays.toFixed(1)} days`;
  let names: string[];
  try {
    const seen: string[] = [];
    const listing = await listTarEntries(newest.file, {
      until: (n) => {
        seen.push(n);
        return backupCoverage(seen).missing.length === 0;
      },
    });
    names = listing.names;
  } catch (err) {
    return { status: 'fail', detail: `${name}: ${short((err as Error).message, 100)}` };
  }
  const { missing } = backupCoverage(names);
  if (ageDays > ctx.settings.backupMaxAgeDays) {
    return { status: 'fail', detail: `Newest backup ${name} is ${age} old (max ${ctx.settings.backupMaxAgeDays} days)${missing.length ? `; it lacks ${missing.join(', ')}` : ''}.` };
  }
  if (missing.length) return { status: 'fail', detail: `Newest backup ${name} (${age} old) lacks ${missing.join(', ')}.` };
  return { status: 'pass', detail: `Newest backup ${name} is ${age} old and holds auth.json, sessions/, log/, logs/.` };
}

/** Runs the checks (all, or `only`) concurrently; each result carries its own timing. Never rejects. */
export async function runChecks(ctx: CheckContext, only?: readonly CheckId[]): Promise<CheckResult[]> {
  const wanted = CHECKS.filter((c) => !only || only.includes(c.id));
  // The five config checks share one read and parse of the files.
  let configs: Promise<Configs> | undefined;
  const config = () => (configs ??= loadConfigs(ctx));
  const impl: Record<CheckId, () => Promise<Verdict> | Verdict> = {
    'code-home-permissions': () => codeHomePermissions(ctx),
    'config-valid': async () => configValid(ctx, await config()),
    'otel-exporter': async () => otelExporter(ctx, await config()),
    'otel-environment': async () => otelEnvironment(ctx, await config()),
    'otel-log-user-prompt': async () => otelLogUserPrompt(ctx, await config()),
    'secrets-in-config': async () => secretsInConfig(ctx, await config()),
    'secure-mode': () => secureMode(ctx),
    'rust-log': () => rustLog(ctx),
    'app-server-binary': () => appServerBinary(ctx),
    'app-server-liveness': () => appServerLiveness(ctx),
    'no-panics': () => noPanics(ctx),
    'no-crash-loop': () => noCrashLoop(ctx),
    'logs-present': () => logsPresent(ctx),
    'backup-recent': () => backupRecent(ctx),
  };
  return Promise.all(
    wanted.map(async (c) => {
      const started = Date.now();
      let verdict: Verdict;
      try {
        verdict = await impl[c.id]();
      } catch (err) {
        verdict = { status: 'fail', detail: `The check could not run: ${short(err instanceof Error ? err.message : String(err), 120)}` };
      }
      return { id: c.id, ...verdict, detail: maskSecrets(verdict.detail), at: ctx.now(), durationMs: Date.now() - started };
    }),
  );
}

export function summarize(results: readonly { status: CheckStatus }[]): Record<CheckStatus, number> {
  const out: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const r of results) out[r.status]++;
  return out;
}

/** `<binary> --version` with a deadline; the first non-empty line of its output. */
export function readVersion(executable: string, env: NodeJS.ProcessEnv, timeoutMs = 5000): Promise<{ version?: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(executable, ['--version'], { env, timeout: timeoutMs, maxBuffer: 64 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      const line = `${stdout}`.split(/\r?\n/).find((l) => l.trim()) ?? `${stderr}`.split(/\r?\n/).find((l) => l.trim());
      if (err && !line) resolve({ error: err.killed ? `no answer within ${timeoutMs} ms` : err.message });
      else if (err) resolve({ error: maskSecrets(line!.trim()) });
      else resolve(line ? { version: maskSecrets(line.trim()) } : { error: 'no output' });
    });
  });
}
