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
  diagnostics: Diagnostic[];
  otel: OtelSummary;
  /** true when the TOML itself did not parse */
  syntaxError: boolean;
}
