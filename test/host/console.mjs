// Turns the workbench page's console messages back into plain lines.
// The workbench logger prefixes each message with `%c LEVEL` and a CSS
// argument; the extension host forwards its console calls the same way with
// the original format arguments. The test index (test/integration/index.ts)
// marks the test run's own output with TEST_OUTPUT_MARKER so the runner can
// print mocha's lines and nothing of the workbench's chatter.
import { format } from 'node:util';

/** An invisible marker; the runner passes it to the host as CODE_OPS_TEST_OUTPUT_MARKER. */
export const TEST_OUTPUT_MARKER = '\u2063code-ops-test\u2063';

const LEVEL_PREFIX = /^%c\s*(TRACE|DEBUG|INFO|WARN|ERR|ERROR)\b\s*$/;

/**
 * Formats a console message's argument values the way a terminal would:
 * drops the workbench logger's `%c LEVEL` + CSS prefix and applies printf
 * placeholders. Returns the level (when the logger gave one) and the text.
 */
export function formatConsoleArgs(values) {
  let level;
  let rest = values;
  if (typeof values[0] === 'string' && typeof values[1] === 'string') {
    const m = LEVEL_PREFIX.exec(values[0]);
    if (m) {
      level = m[1] === 'ERROR' ? 'ERR' : m[1];
      rest = values.slice(2);
    }
  }
  // A single string is printed as is: it is already formatted and may contain a literal '%'.
  const text = rest.length === 1 && typeof rest[0] === 'string' ? rest[0] : format(...rest);
  return { level, text };
}

/** The test run's text when the message carries the marker, else undefined. */
export function testOutput(text) {
  const at = text.indexOf(TEST_OUTPUT_MARKER);
  return at === -1 ? undefined : text.slice(at + TEST_OUTPUT_MARKER.length);
}

/** Messages of the offline workbench that say nothing about our extension. */
const NOISE = [
  /open-vsx\.org/,
  /ENOTFOUND/,
  /ERR_NAME_NOT_RESOLVED/,
  /status of 404/,
  /authentication provider/i,
  /\[AgentHost/,
  /\[ChatModelSelection\]/,
  /vsda/,
];

export function isWorkbenchNoise(text) {
  return NOISE.some((re) => re.test(text));
}
