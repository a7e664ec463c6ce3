import { promises as fs, type Stats } from 'node:fs';
import type { LabeledAction } from '../actions';
import { buildServerEnv } from '../appServer/env';
import type { ProbeResult } from '../appServer/probeTypes';
import type { ServerSnapshot } from '../appServer/types';
import type { CodeHomePaths } from '../codeHome';
import type { PanicHit } from '../logs/api';
import { maskSecrets } from '../mask';
import type { Dialect, ReadinessTarget } from '../otel/api';
import type { ConfigLayers, ConfigLoadOptions, LoadedConfig } from '../otel/load';
import type { CheckResult } from './model';
import type { ServerProcess } from './procs';

/**
 * What every automatic check receives: the settings, the environment, the
 * server the editor supervises (if any) and the functions it may call. A check
 * is `(ctx, shared) => Verdict` and never throws.
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
  /** `codeOps.config.managedConfig` / `--managed-config`: the managed layer, when not at the platform's place. */
  managedConfig?: string;
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

/** A config value read from a layer: its TOML value and where it is. */
export interface ConfigValue {
  value: unknown;
  line: number;
  character: number;
}

/** The cross-feature functions the checks call; tests may replace any of them. */
export interface CheckDeps {
  loadConfigLayers(files: { config: string; managed: string }, options: ConfigLoadOptions): Promise<ConfigLayers>;
  /** A value at a key path in a loaded file (undefined when absent or the file does not parse). */
  configValue(file: LoadedConfig, keyPath: readonly string[]): ConfigValue | undefined;
  findPanics(paths: CodeHomePaths, sinceMs: number): Promise<PanicHit[]>;
  listCriticalLogs(logsDir: string): Promise<string[]>;
  /** Which of Code's two log layouts CODE_HOME has, and whether its logs are there (src/core/logs/layout.ts). */
  logsPresent(paths: CodeHomePaths): Promise<{ status: 'pass' | 'warn' | 'fail'; detail: string }>;
  /** `codeHome`: the home Code Ops checks, so the probe can say when the server reports another. */
  probeOnce(options: { command: string; args: string[]; env?: NodeJS.ProcessEnv; cwd?: string; socket?: string; timeoutMs?: number; codeHome?: string }): Promise<ProbeResult>;
  resolveExecutable(command: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<{ path?: string; error?: string }>;
  /** `<binary> --version`, first line of its output. */
  readVersion(executable: string, env: NodeJS.ProcessEnv): Promise<{ version?: string; error?: string }>;
  /** Entry names of a backup archive (node-tar, bounded). */
  listArchiveEntries(file: string): Promise<{ names: string[]; timedOut: boolean }>;
  /** Files matching the backup glob (picomatch, bounded walk). */
  globFiles(pattern: string, options: { cwd: string; homedir?: string }): Promise<string[]>;
  /** Running app servers of this user (Linux /proc); empty where that cannot be read. */
  listServerProcesses(): Promise<ServerProcess[]>;
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

export type Verdict = Omit<CheckResult, 'id' | 'at' | 'durationMs'>;

/** Facts several checks need, computed at most once per run. */
export interface RunShared {
  configs(): Promise<ConfigLayers>;
  /** The app servers running on this CODE_HOME, with their real environment. */
  servers(): Promise<ServerProcess[]>;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

export function fileMode(st: Stats): string {
  return `0${(st.mode & 0o777).toString(8).padStart(3, '0')}`;
}

/**
 * One line, secrets masked. Details are shown whole (the report and the CLI cut
 * nothing); only a hostile, huge value is bounded.
 */
export function short(text: string, max = 4000): string {
  const one = maskSecrets(text).replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export async function statOrUndefined(p: string): Promise<Stats | undefined> {
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

export function fix(action: LabeledAction['action'], label: string): LabeledAction {
  return { label, action };
}
