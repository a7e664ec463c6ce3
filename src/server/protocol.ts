import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { Dialect, DialectSetting, ReadinessTarget } from '../core/otel/api';

/**
 * Messages between the extension (src/ui/configClient.ts) and the config.toml
 * language server (src/server/server.ts), besides LSP's own: one typed object
 * per message, so both sides agree on the method name, the parameters and the
 * result at compile time. Only src/ui/configClient.ts and the server import
 * the values; the main bundle imports types from here only.
 */

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

export interface ValidateFileParams {
  /** A file URI; CODE_HOME's config.toml when absent. */
  uri?: string;
}

export interface FindKeyParams {
  uri: string;
  /** A dotted key such as `otel.environment`. */
  key: string;
}

export interface KeyRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** notification, extension -> server: new settings or CODE_HOME */
export const SettingsNotification = new NotificationType<Partial<ConfigServerSettings>>('codeOps/config/settings');

/** request: validate a file now (open or on disk), publish its diagnostics, return counts */
export const ValidateFileRequest = new RequestType<ValidateFileParams, ValidateFileResult, void>('codeOps/config/validateFile');

/** request: the range of a dotted key such as `otel.environment` in a file, or null */
export const FindKeyRequest = new RequestType<FindKeyParams, KeyRange | null, void>('codeOps/config/findKey');
