/**
 * Secrets never leave the process in clear: OTEL header values, API keys,
 * tokens, passwords, cookies and credentials in URLs are replaced before text
 * reaches an output channel, a notification, a report, an incident post, an
 * error message or the terminal. One function, maskSecrets(), does it for
 * every exit; the patterns below are its only knowledge.
 */

const MASK = '****';

/**
 * Words that make a key name secret, also inside longer names joined by `_`,
 * `-` or `.` (`OPENAI_API_KEY`, `X-Auth-Token`, `aws_secret_access_key`,
 * `client.secret`). Case does not matter.
 */
const SECRET_WORD =
  '(?:[a-z0-9]*(?:password|passwd|secret|token|api[_.-]?key|apikey)|passphrase|pwd|auth|credentials?|private[_.-]?key|access[_.-]?key|account[_.-]?key|signing[_.-]?key|encryption[_.-]?key|session[_.-]?(?:id|key)|sessid|cookie|signature|sig|connection[_.-]?string|subscription[_.-]?key|x-honeycomb-team)';

/** A key name: optional prefix parts, the secret word, optional suffix parts. */
const KEY_NAME = `(?:[a-z0-9]+[_.-])*${SECRET_WORD}(?:[_.-][a-z0-9]+)*`;

/**
 * `key=value`, `key: value`, `"key": "value"`, `key = 'value'`, `?key=value&`.
 * The key must start a word that is not a module path (`codex_login::auth:`
 * is a log target, not a secret: no `:` before the key, no second `:` after
 * it), and a value of `****` is already masked.
 */
const KEY_VALUE = new RegExp(
  `(?<![\\w:./\\\\]|\\w-)(["']?)(${KEY_NAME})\\1(\\s*(?:[:=]|=>)(?!:)\\s*)(?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)'|((?!\\*{4})(?!(?:Bearer|Basic|Token|Digest|Negotiate|ApiKey)\\s)[^\\s"',;&}\\]\\\\)<>]+))`,
  'gi',
);

/** Key names that contain a secret word but hold counts or settings, not secrets. */
const NOT_SECRET_KEY = /(?:tokens|_count|_limit|_usage|_type|_mode|_method|_kind|_scheme|_provider|_required|_enabled|_len|_length|_ttl|_expiry|_expires(?:_at|_in)?|_file|_path|_env|_name|_url)$|^(?:max|min|input|output|total|cached|reasoning)_?\w*tokens?$/i;

/** A value that only names where the secret is kept (`${OPENAI_API_KEY}`, `env:FOO`) or is a placeholder. */
const NOT_SECRET_VALUE = /^(?:\$\{?[A-Z_][A-Z0-9_]*\}?|env:[\w.-]+|true|false|null|none|yes|no|\d{1,3}|\*+|<[^>]*>|\[[^\]]*\]|redacted|masked|\.\.\.)$/i;

/** `Authorization: Bearer x`, `Proxy-Authorization: Token x`: the scheme word stays, the credentials go. */
const AUTH_HEADER = /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(Bearer|Basic|Token|Digest|Negotiate|ApiKey|AWS4-HMAC-SHA256|Hawk)\s+)?([^\s"',;]+(?:,\s*[\w-]+=[^\s"',;]+)*)/gi;

const PATTERNS: Array<[RegExp, string | ((...m: string[]) => string)]> = [
  // PEM private keys, whole
  [/-----BEGIN ((?:[A-Z]+ )*PRIVATE KEY)-----[\s\S]*?(?:-----END \1-----|$)/g, `-----BEGIN $1-----${MASK}-----END $1-----`],
  // schemes whose credentials are a list of fields: all of it
  [/((?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:Digest|AWS4-HMAC-SHA256|Hawk)\s+)[^\r\n]*/gi, `$1${MASK}`],
  [AUTH_HEADER, (_m, head: string, scheme: string | undefined) => `${head}${scheme ? `${scheme} ` : ''}${MASK}`],
  // a scheme with credentials outside a header (`curl -H "…Bearer x"` is caught above; this is `bearer x` alone)
  [/\b(Bearer|Basic)\s+(?!\*{4})[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${MASK}`],
  // Cookie and Set-Cookie headers: every value
  [/((?:set-)?cookie\s*:\s*)([^\r\n]*)/gi, (_m, head: string, rest: string) => head + rest.replace(/([^=;\s]+)=([^;\s]*)/g, (_p, k: string, v: string) => (/^(?:path|domain|expires|max-age|samesite)$/i.test(k) ? `${k}=${v}` : `${k}=${MASK}`))],
  // user:password@ in URLs (and a lone token as the user part)
  [/(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi, `$1$2:${MASK}@`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)([A-Za-z0-9_-]{20,})@/gi, `$1${MASK}@`],
  // JWTs
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, `eyJ${MASK}`],
  // key = value in its many spellings
  [
    KEY_VALUE,
    (m: string, q: string, key: string, sep: string, dq?: string, sq?: string, bare?: string) => {
      const value = dq ?? sq ?? bare ?? '';
      // Under 4 characters is a word (`auth: on`), not a credential.
      if (NOT_SECRET_KEY.test(key) || NOT_SECRET_VALUE.test(value) || value.length < 4 || value.includes(MASK)) return m;
      const quote = dq !== undefined ? '"' : sq !== undefined ? "'" : '';
      return `${q}${key}${q}${sep}${quote}${MASK}${quote}`;
    },
  ],
  // URL query parameters whose short names carry credentials (`?key=` of Google APIs, OAuth `code=`, presigned URLs)
  [/([?&](?:key|code|pass|pw|auth|x-amz-(?:signature|credential|security-token)|x-goog-(?:signature|credential))=)(?!\*{4})([^&\s#"'<>]+)/gi, `$1${MASK}`],
  // a header as a pair in Debug output: `("x-api-key", "VALUE")`
  [new RegExp(`(\\(\\s*["']${KEY_NAME}["']\\s*,\\s*)(["'])(?!\\*{4})[^"']+\\2`, 'gi'), `$1$2${MASK}$2`],
  // command-line flags: `--api-key VALUE`, `--password VALUE`
  [/((?<![\w-])--?[a-z0-9-]*(?:api-key|apikey|token|password|passwd|secret)\s+)(?![-=:])(?!\*{4})([^\s"']+)/gi, `$1${MASK}`],
  // well-known token shapes, wherever they stand
  [/\bsk-(?:proj-|ant-(?:api\d+-)?|live-)?[A-Za-z0-9_-]{8,}/g, `sk-${MASK}`],
  [/\b[rsp]k_(?:live|test)_[A-Za-z0-9]{10,}/g, `sk_${MASK}`],
  [/\bgh[pousr]_[A-Za-z0-9]{16,}/g, `gh*_${MASK}`],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, `github_pat_${MASK}`],
  [/\bglpat-[A-Za-z0-9_-]{16,}/g, `glpat-${MASK}`],
  [/\b(glsa|glc)_[A-Za-z0-9_+/=-]{16,}/g, `$1_${MASK}`],
  [/\bxox[abposr]-[A-Za-z0-9-]{8,}/g, `xox*-${MASK}`],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, `AKIA${MASK}`],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, `AIza${MASK}`],
  [/\bnpm_[A-Za-z0-9]{30,}/g, `npm_${MASK}`],
  [/\bhf_[A-Za-z0-9]{30,}/g, `hf_${MASK}`],
  [/\bpypi-[A-Za-z0-9_-]{50,}/g, `pypi-${MASK}`],
  [/\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, `SG.${MASK}`],
  [/(hooks\.slack\.com\/services\/)[A-Za-z0-9/]+/g, `$1${MASK}`],
];

/** Longest text masked in one piece; longer text is masked in slices that overlap (bounded time per call). */
const SLICE = 256 * 1024;

function maskOnce(text: string): string {
  let out = text;
  for (const [re, replacement] of PATTERNS) {
    re.lastIndex = 0;
    out = out.replace(re, replacement as string);
  }
  return out;
}

export function maskSecrets(text: string): string {
  if (text.length <= SLICE) return maskOnce(text);
  return maskByLines(text);
}

const PEM_BEGIN = /-----BEGIN ((?:[A-Z]+ )*PRIVATE KEY)-----/g;

/**
 * Huge text, line by line so a secret is never cut in two; the one secret that
 * spans lines, a private key, is followed: its body lines are dropped up to its
 * END line, as masking the text whole would do.
 */
function maskByLines(text: string): string {
  const out: string[] = [];
  let end: string | undefined;
  for (const line of text.split('\n')) {
    if (end !== undefined) {
      const at = line.indexOf(end);
      if (at < 0) continue;
      out[out.length - 1] += maskOnce(line.slice(at + end.length));
      end = undefined;
      continue;
    }
    out.push(maskOnce(line));
    const begins = [...line.matchAll(PEM_BEGIN)];
    const last = begins[begins.length - 1];
    if (last && !line.includes(`-----END ${last[1]}-----`, last.index)) end = `-----END ${last[1]}-----`;
  }
  return out.join('\n');
}

/** Shows that a value exists without showing it: `****` plus its length class. */
export function redact(value: string): string {
  return value.length === 0 ? '""' : MASK;
}

/**
 * The target with every string first argument of `methods` masked: the CLI
 * wraps its streams (`write`), the editor its output channels (`append`,
 * `appendLine`), so nothing written through them can print a secret.
 */
export function maskingProxy<T extends object>(target: T, methods: readonly string[]): T {
  const masked = new Set(methods);
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (typeof prop === 'string' && masked.has(prop)) {
        return (first: unknown, ...rest: unknown[]) => fn.call(obj, typeof first === 'string' ? maskSecrets(first) : first, ...rest);
      }
      return fn.bind(obj);
    },
  });
}

/** A stream whose every write is masked (see maskingProxy). */
export function maskingWriter<T extends { write(chunk: string): unknown }>(target: T): T {
  return maskingProxy(target, ['write']);
}

/** Output channel methods that take text. */
export const CHANNEL_TEXT_METHODS = ['append', 'appendLine', 'replace', 'trace', 'debug', 'info', 'warn', 'error'] as const;
