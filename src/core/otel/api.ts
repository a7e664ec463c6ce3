import type { Diagnostic, Range } from '../diagnostics';

/** The contract other features rely on; the engine behind it lives in this folder. */
export type Dialect = 'beacon' | 'codex';
export type ReadinessTarget = 'production' | 'staging' | 'development';

export interface ValidateOptions {
  dialect: Dialect;
  /** With `production`, `environment` must be "production". Default: production. */
  target?: ReadinessTarget;
  /** Used only for messages and dialect auto-detection by callers. */
  filePath?: string;
}

/** What the readiness checks need to know about `[otel]`, read from the same parse. */
export interface OtelSummary {
  present: boolean;
  environment?: string;
  environmentRange?: Range;
  logUserPrompt?: boolean;
  logUserPromptRange?: Range;
  /** `none`, `statsig`, `otlp-http`, `otlp-grpc`, or whatever unknown kind was written */
  exporterKind?: string;
  exporterRange?: Range;
  /** Header keys whose values look like literal secrets; never the values themselves. */
  literalSecretHeaders: Array<{ key: string; range: Range }>;
}

export interface ValidationResult {
  diagnostics: OtelDiagnostic[];
  otel: OtelSummary;
  /** true when the TOML itself did not parse */
  syntaxError: boolean;
}

/** What the `codeOps.config.dialect` setting may hold. */
export type DialectSetting = 'auto' | Dialect;

export interface DetectDialectOptions {
  setting?: DialectSetting;
  filePath?: string;
  /** `codeOps.appServer.command`; its base name decides when it is `code-app-server` or `codex`. */
  serverCommand?: string;
  env?: NodeJS.ProcessEnv;
}

/** One text replacement, LSP-shaped. */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A mechanical repair the editor offers as a quick fix. */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The obvious repair (VS Code's "auto fix"). */
  preferred?: boolean;
}

/** A diagnostic of the [otel] rules: the shared shape plus the repairs the engine knows. */
export interface OtelDiagnostic extends Diagnostic {
  fixes?: QuickFix[];
}

/** Where each rule is explained: the checklist's OTLP section. */
export const CHECKLIST_OTEL_URL = 'https://github.com/tytsxai/beacon-code/blob/main/docs/production_checklist.md#71-otlp-endpoint-setup';

/** Every code the engine emits, so tables of documentation and tests can enumerate them. */
export const OTEL_CODES = [
  'toml/syntax',
  'toml/invalid-utf8',
  'otel/wrong-type',
  'otel/unknown-exporter',
  'otel/bare-exporter-string',
  'otel/multiple-exporters',
  'otel/empty-exporter',
  'otel/missing-endpoint',
  'otel/missing-protocol',
  'otel/missing-headers',
  'otel/invalid-protocol',
  'otel/invalid-value',
  'otel/other-dialect-key',
  'otel/unknown-key',
  'otel/endpoint-not-url',
  'otel/endpoint-missing-signal-path',
  'otel/port-mismatch',
  'otel/environment-not-production',
  'otel/log-user-prompt',
  'otel/literal-secret',
  'otel/exporter-in-dev',
  'otel/missing-section',
  'otel/internal-error',
  'otel/too-many-problems',
] as const;
export type OtelCode = (typeof OTEL_CODES)[number];
