/**
 * The stderr line that best says why the server failed, for an alert: the
 * last line that reads like an error, else the last line that is not noise
 * (blank, backtrace frames, `note: run with RUST_BACKTRACE=1`, INFO/DEBUG
 * logging). Lines are expected to be masked already (the supervisor keeps
 * them that way).
 */
const NOISE = [
  /^\s*$/,
  /^\s*note: run with `?RUST_BACKTRACE/i,
  /^\s*stack backtrace:?\s*$/i,
  /^\s*backtrace:?\s*$/i,
  /^\s*\d+:\s+(?:0x[0-9a-f]+ - )?\S+/i,
  /^\s*at \S+:\d+(?::\d+)?\s*$/,
  /^\s*[-=─*]+\s*$/,
  /^\S*\s*(?:TRACE|DEBUG|INFO)\s/,
];
const ERRORISH = /\b(?:error|failed|fatal|panicked|cannot|can't|could not|refus\w*|denied|not found|no such|address already in use)\b/i;
/** A leading RFC 3339 timestamp and level, which an alert's own time makes redundant. */
const PREFIX = /^\d{4}-\d\d-\d\dT[\d:.]+Z?\s+(?:ERROR|WARN|INFO|DEBUG|TRACE)\s+/;
const MAX_CHARS = 240;

export function lastMeaningfulStderrLine(lines: readonly string[]): string | undefined {
  let fallback: string | undefined;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (NOISE.some((re) => re.test(line))) continue;
    if (ERRORISH.test(line)) return tidy(line);
    fallback ??= line;
  }
  return fallback === undefined ? undefined : tidy(fallback);
}

function tidy(line: string): string {
  const text = line.replace(PREFIX, '').trim();
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}
