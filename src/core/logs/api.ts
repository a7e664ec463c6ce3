/** The contract other features rely on; the followers behind it live in this folder. */
export type LogSource = 'code-tui' | 'critical';
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface LogLine {
  source: LogSource;
  file: string;
  line: string;
  level: LogLevel | null;
  panic: boolean;
}

export interface PanicHit {
  file: string;
  /** 1-based */
  lineNumber: number;
  /** secrets masked */
  line: string;
  /** The line's timestamp (or the last one above it), when it has one. */
  timestampMs?: number;
}
