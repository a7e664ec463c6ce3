/**
 * The environment the checklist asks the app server to run with. Defaults are
 * applied first, then the user's overrides; an override of `null` removes a
 * variable (for example to drop an inherited RUST_LOG).
 */
export const SERVER_ENV_DEFAULTS: Readonly<Record<string, string>> = {
  RUST_LOG: 'info',
  CODE_SECURE_MODE: '1',
};

export interface ServerEnvOptions {
  /** The environment inherited from the editor or the shell. */
  base: NodeJS.ProcessEnv;
  /** `codeOps.appServer.env` */
  overrides?: Record<string, string | null | undefined>;
  /**
   * The resolved CODE_HOME, passed on so the server uses the same folder we inspect: as CODE_HOME
   * (Beacon, Code) and as CODEX_HOME (upstream codex reads only that one). The user's overrides win.
   */
  codeHome?: string;
}

export function buildServerEnv(options: ServerEnvOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...options.base };
  for (const [k, v] of Object.entries(SERVER_ENV_DEFAULTS)) {
    if (env[k] === undefined || env[k] === '') env[k] = v;
  }
  if (options.codeHome) {
    env.CODE_HOME = options.codeHome;
    env.CODEX_HOME = options.codeHome;
  }
  for (const [k, v] of Object.entries(options.overrides ?? {})) {
    if (v === null || v === undefined) delete env[k];
    else env[k] = String(v);
  }
  return env;
}
