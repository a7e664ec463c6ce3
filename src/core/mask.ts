/**
 * Secrets never leave the process in clear: OTEL header values, API keys and
 * bearer tokens are replaced before text reaches an output channel, a
 * notification, a report or the terminal.
 */
const PATTERNS: Array<[RegExp, string]> = [
  // Authorization: Bearer xxx / Basic xxx
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, '$1 ****'],
  // key=value / key: value / "key": "value" where the key names a secret; the key must stand
  // alone (not the tail of `codex_login::auth:` or `oauth:`), so ordinary log words survive
  [
    /((?<![\w:-])(?:api[_-]?key|x-api-key|token|secret|password|passwd|authorization|auth|access[_-]?key|client[_-]?secret|private[_-]?key|dd-api-key|x-honeycomb-team|signoz-access-token)["']?\s*[:=]\s*["']?)(?!(?:Bearer|Basic)\s)([^\s"',}]{4,})/gi,
    '$1****',
  ],
  // well-known token shapes
  [/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-****'],
  [/\bgh[pousr]_[A-Za-z0-9]{16,}/g, 'gh*_****'],
  [/\bxox[abpr]-[A-Za-z0-9-]{8,}/g, 'xox*-****'],
  [/\bAKIA[0-9A-Z]{16}\b/g, 'AKIA****'],
];

export function maskSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of PATTERNS) {
    out = out.replace(re, replacement);
  }
  return out;
}

/** Shows that a value exists without showing it: `****` plus its length class. */
export function redact(value: string): string {
  return value.length === 0 ? '""' : '****';
}
