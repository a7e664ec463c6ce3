import { randomBytes } from 'node:crypto';

/**
 * Text from files and servers reaches the operator's terminal: a log line, a
 * checklist title, a server's stderr, a config value quoted in a message. Its
 * control characters must not act there: ESC sequences set the window title,
 * clear the screen or colour forged lines; a bare CR rewrites the start of the
 * line; C1 controls act like ESC on some terminals; bidirectional overrides
 * make the text read differently than it is. Each is shown as a JSON-style
 * escape (`\u001b`), which keeps JSON output valid JSON.
 */

// C0 except TAB and LF, CR not before LF, DEL, C1, and the bidi controls (ALM, LRM, RLM, LRE…RLO, LRI…PDI).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;

const escapeOne = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Our own colours (the CLI's status words) must survive the escaping while a
 * log line's colour codes must not: the painter writes a colour as a marker
 * with a nonce made at start-up, which no file or server can guess, and the
 * writer turns only those markers into ESC sequences after escaping the rest.
 */
// One nonce per process, shared by every bundle that carries this file (the CLI's commands load as bundles of their own).
const NONCE_KEY = Symbol.for('code-ops.terminal-colour-nonce');
const shared = globalThis as unknown as Record<symbol, string | undefined>;
const NONCE = (shared[NONCE_KEY] ??= randomBytes(9).toString('base64url'));
const MARKER = `\ue000${NONCE}[`;
const MARKED = new RegExp(`\ue000${NONCE}\\[([0-9;]{1,12})m`, 'g');

/** An SGR colour sequence (`\x1b[<codes>m`) that controlSafeWriter lets through. */
export function colourSequence(codes: number | string): string {
  return `${MARKER}${codes}m`;
}

/** The text with every control character that could act on a terminal written as an escape. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** A stream whose string writes pass through escapeControls. */
export function controlSafeWriter<T extends { write(chunk: string): unknown }>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (prop === 'write') return (first: unknown, ...rest: unknown[]) => fn.call(obj, typeof first === 'string' ? escapeControls(first).replace(MARKED, '\u001b[$1m') : first, ...rest);
      return fn.bind(obj);
    },
  });
}
