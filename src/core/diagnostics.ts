/** LSP-shaped diagnostics (0-based positions) so the CLI, the language server and the tree share one type. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable rule id such as `otel/missing-headers`. */
  code: string;
  message: string;
  range: Range;
  /** Places that explain this diagnostic (an earlier definition, the consequences of a root cause); in the same file unless `file` is set. */
  related?: RelatedInformation[];
}

export interface RelatedInformation {
  message: string;
  range: Range;
  file?: string;
}
