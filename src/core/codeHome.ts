import * as os from 'node:os';
import * as path from 'node:path';

/** Where the CODE_HOME value came from, so messages can say why a folder was chosen. */
export type CodeHomeSource = 'setting' | 'CODE_HOME' | 'CODEX_HOME' | 'default';

export interface CodeHome {
  /** Absolute path of the folder. */
  readonly path: string;
  readonly source: CodeHomeSource;
  /** Set when the legacy CODEX_HOME was used (the server prints a deprecation warning for it). */
  readonly legacy: boolean;
}

export interface ResolveCodeHomeOptions {
  /** Explicit folder (a setting or a `--code-home` flag); wins over the environment when non-empty. */
  override?: string;
  env?: NodeJS.ProcessEnv;
  homedir?: string;
  /** Base for a relative override (the workspace folder); defaults to the process cwd. */
  cwd?: string;
}

function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2));
  return p;
}

/**
 * Resolves CODE_HOME exactly as the server does: `CODE_HOME`, then the legacy
 * `CODEX_HOME`, then `~/.code`. An explicit override (setting or flag) comes first.
 * Empty or whitespace-only values count as unset, as they do for the server.
 */
export function resolveCodeHome(options: ResolveCodeHomeOptions = {}): CodeHome {
  const env = options.env ?? process.env;
  const home = options.homedir ?? os.homedir();
  const cwd = options.cwd ?? process.cwd();
  const pick = (value: string | undefined): string | undefined => {
    const v = value?.trim();
    return v ? path.resolve(cwd, expandTilde(v, home)) : undefined;
  };
  const fromOverride = pick(options.override);
  if (fromOverride) return { path: fromOverride, source: 'setting', legacy: false };
  const fromCode = pick(env.CODE_HOME);
  if (fromCode) return { path: fromCode, source: 'CODE_HOME', legacy: false };
  const fromCodex = pick(env.CODEX_HOME);
  if (fromCodex) return { path: fromCodex, source: 'CODEX_HOME', legacy: true };
  return { path: path.join(home, '.code'), source: 'default', legacy: false };
}

/** The files and folders under CODE_HOME that the checklist talks about. */
export function codeHomePaths(codeHome: string) {
  return {
    root: codeHome,
    configToml: path.join(codeHome, 'config.toml'),
    managedConfigToml: path.join(codeHome, 'managed_config.toml'),
    authJson: path.join(codeHome, 'auth.json'),
    sessionsDir: path.join(codeHome, 'sessions'),
    logDir: path.join(codeHome, 'log'),
    /** General log, appended by the TUI and truncated in place by housekeeping. */
    tuiLog: path.join(codeHome, 'log', 'code-tui.log'),
    /** Name the log had before the rename; read when `code-tui.log` is absent. */
    legacyTuiLog: path.join(codeHome, 'log', 'codex-tui.log'),
    logsDir: path.join(codeHome, 'logs'),
    /** Daily rolling appender: the files on disk are `critical.log.YYYY-MM-DD` (UTC). */
    criticalLogPrefix: path.join(codeHome, 'logs', 'critical.log'),
  } as const;
}

export type CodeHomePaths = ReturnType<typeof codeHomePaths>;
