import type { Dialect, DialectSetting, ReadinessTarget } from '../core/otel/api';

/** Messages between the extension and the config.toml language server, besides LSP's own. */
export const CONFIG_REQUESTS = {
  /** notification, extension -> server: new settings or CODE_HOME */
  settings: 'codeOps/config/settings',
  /** request: validate a file now (open or on disk), publish its diagnostics, return counts */
  validateFile: 'codeOps/config/validateFile',
  /** request: the range of a dotted key such as `otel.environment` in a file */
  findKey: 'codeOps/config/findKey',
} as const;

export interface ConfigServerSettings {
  /** resolved CODE_HOME */
  codeHome: string;
  dialect: DialectSetting;
  target: ReadinessTarget;
  /** `codeOps.appServer.command`, for dialect auto-detection */
  serverCommand: string;
}

export interface ValidateFileResult {
  uri: string;
  exists: boolean;
  errors: number;
  warnings: number;
  dialect: Dialect;
}
