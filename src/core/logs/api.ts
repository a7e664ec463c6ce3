/** The contract other features rely on; the followers behind it live in this folder. */
export type LogSource = 'code-tui' | 'critical';
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface LogLine {
  source: LogSource;
  file: string;
  line: string;
  level: LogLevel | null;
  /** The line starts a panic (any of the three forms Code writes). */
  panic: boolean;
}

export interface PanicHit {
  file: string;
  /** 1-based number of the line the panic starts on */
  lineNumber: number;
  /**
   * One line for people, secrets masked: `panicked at FILE:L:C: message (thread 'NAME')`
   * when the location is known, else the panic's first line.
   */
  line: string;
  /** The panic's time: its line's timestamp (or the last one above it), when it has one. */
  timestampMs?: number;
  /** The first line as written, secrets masked. */
  startLine?: string;
  location?: { file: string; line: number; column: number };
  thread?: string;
  /** The message (continuation lines joined), secrets masked. */
  message?: string;
  /** Forms it was written in: `tracing` (Code's TUI hook), `hook-debug` (`Panic occurred`), `default-hook`. */
  forms?: string[];
}
