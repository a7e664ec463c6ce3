import type { LogLevel, LogLine, LogSource } from './api';
import { isPanicLine, lineLevel } from './lineFormat';

/**
 * Complete lines read from one file, as raw bytes: catching up on a large
 * log scans these for alerts without decoding them, and only the part that
 * is shown gets decoded.
 */
export interface LineChunk {
  file: string;
  /** Byte offset of `bytes[0]` in the file as it was when read. */
  offset: number;
  /**
   * Whole lines, each ending in `\n` (a `\r` before it is still there).
   * Valid only while the listener runs (the follower reuses its read buffer):
   * copy what must outlive the call.
   */
  bytes: Buffer;
  /** Part of the history shown when following starts, not newly written. */
  history: boolean;
}

/** Decoded text of a chunk: invalid UTF-8 becomes U+FFFD, CRLF becomes LF; ends with `\n`. */
export function chunkText(chunk: LineChunk): string {
  const text = chunk.bytes.toString('utf8');
  return text.includes('\r') ? text.replace(/\r\n/g, '\n') : text;
}

/** The chunk's lines without their line ends. */
export function chunkLines(chunk: LineChunk): string[] {
  const text = chunkText(chunk);
  const lines = text.split('\n');
  lines.pop(); // text ends with \n
  return lines;
}

/** One decoded line with what the CLI's --json output and the alerts need. */
export function describeLine(source: LogSource, file: string, line: string): LogLine {
  const level: LogLevel | null = lineLevel(line);
  return { source, file, line, level, panic: isPanicLine(line) };
}
