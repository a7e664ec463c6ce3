// Rules of the [otel] engine that the corpus reaches only partly, with whole diagnostics (code,
// severity, range, message, quick fixes): exporter-in-dev for a string exporter, `none`, an empty
// table and an inline table, with `environment` set to "dev" or left to its default; an otlp-http
// endpoint without a path, with and without the slash; near-miss keys and their Rename fix; two
// syntax errors said where they are. Then the pieces under them: the key reader at the edges of
// the bare-key characters and in quoted keys with escapes, and the edit distance behind "did you
// mean". Written from the survivors of a sampled `npm run mutation -- --per-folder --sample 10`
// over src/core/otel; it found one fault, fixed: the distance of a word to the empty string was
// its length plus one (the cutoff ignored the row's first cell).
import * as assert from 'node:assert/strict';
import { validateConfigText } from '../../../../src/core/otel';
import { readKeySegment } from '../../../../src/core/otel/scan';
import { editDistance, suggest } from '../../../../src/core/otel/suggest';

type Options = Parameters<typeof validateConfigText>[1];

/** [code, severity, "line:col-line:col", message, fix titles] of each diagnostic. */
function diagnostics(text: string, options: Options) {
  return validateConfigText(text, options).diagnostics.map((d) => [
    d.code,
    d.severity,
    `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`,
    d.message,
    (d as { fixes?: Array<{ title: string }> }).fixes?.map((f) => f.title) ?? null,
  ]);
}

const DEV_DEFAULT = 'An exporter is configured while `environment` is "dev" (the default): this telemetry will be tagged as development. Set the real environment.';
const NO_PATH = 'The otlp-http endpoint has no signal path: it is used as is, so requests go to `/` instead of `/v1/logs`.';
const HTTP = (endpoint: string) => `exporter = { otlp-http = { endpoint = "${endpoint}", protocol = "binary", headers = {} } }`;

describe('[otel] engine rules, whole diagnostics', () => {
  it('exporter-in-dev: a string exporter other than "none", or a table with an exporter, while environment is dev', () => {
    const codex: Options = { dialect: 'codex', target: 'development' };
    assert.deepEqual(diagnostics('[otel]\nexporter = "statsig"\n', codex), [['otel/exporter-in-dev', 'warning', '1:0-1:8', DEV_DEFAULT, null]]);
    assert.deepEqual(diagnostics('[otel]\nenvironment = "dev"\nexporter = "statsig"\n', codex), [
      ['otel/exporter-in-dev', 'warning', '2:0-2:8', 'An exporter is configured while `environment` is "dev": this telemetry will be tagged as development. Set the real environment.', null],
    ]);
    assert.deepEqual(diagnostics('[otel]\nexporter = "none"\n', codex), []);
    assert.deepEqual(diagnostics('[otel]\nenvironment = "staging"\nexporter = "statsig"\n', codex), []);
    // an empty exporter table is an error of its own, not an exporter in dev
    assert.deepEqual(diagnostics('[otel]\n[otel.exporter]\n', { dialect: 'beacon', target: 'development' }), [
      ['otel/empty-exporter', 'error', '1:0-1:15', '`exporter` is an empty table: give it one exporter kind such as `otlp-grpc`, or write `exporter = "none"`. Code (Beacon) refuses to start with this config.', null],
    ]);
    assert.deepEqual(diagnostics(`[otel]\n${HTTP('https://c:4318/v1/logs')}\n`, { dialect: 'beacon', target: 'development' }), [['otel/exporter-in-dev', 'warning', '1:0-1:8', DEV_DEFAULT, null]]);
  });

  it('an otlp-http endpoint with no path or only "/": the signal-path warning on the URL, with its fix', () => {
    const beacon: Options = { dialect: 'beacon', target: 'production' };
    assert.deepEqual(diagnostics(`[otel]\nenvironment = "production"\n${HTTP('https://c:4318')}\n`, beacon), [['otel/endpoint-missing-signal-path', 'warning', '2:38-2:54', NO_PATH, ['Append /v1/logs']]]);
    assert.deepEqual(diagnostics(`[otel]\nenvironment = "production"\n${HTTP('https://c:4318/')}\n`, beacon), [['otel/endpoint-missing-signal-path', 'warning', '2:38-2:55', NO_PATH, ['Append /v1/logs']]]);
    assert.deepEqual(diagnostics(`[otel]\nenvironment = "production"\n${HTTP('https://c:4318/v1/logs')}\n`, beacon), []);
  });

  it('a near-miss key: one warning with Rename; in an exporter table, an error that takes over the missing key', () => {
    const beacon: Options = { dialect: 'beacon', target: 'production' };
    assert.deepEqual(diagnostics('[otel]\nenvirnment = "production"\n', beacon), [
      ['otel/unknown-key', 'warning', '1:0-1:10', 'Unknown key `envirnment` in [otel]: did you mean `environment`? Code (Beacon) silently ignores it and uses the default of `environment`.', ['Rename to environment']],
    ]);
    const d = diagnostics('[otel]\nenvironment = "production"\n[otel.exporter."otlp-http"]\nendpont = "x"\n', beacon);
    assert.deepEqual(
      d.map(([code, severity, range]) => [code, severity, range]),
      [
        ['otel/missing-protocol', 'error', '2:15-2:26'],
        ['otel/missing-headers', 'error', '2:15-2:26'],
        ['otel/unknown-key', 'error', '3:0-3:7'],
      ],
    );
    assert.deepEqual(d[2][4], ['Rename to endpoint']);
    assert.match(String(d[2][3]), /^Unknown key `endpont` in `exporter\.otlp-http`: did you mean `endpoint`\?/);
    assert.ok(!d.some(([code]) => code === 'otel/missing-endpoint'), 'the misspelt endpoint is not also reported missing');
  });

  it('syntax errors: where the fault is, in words, without a doubled period', () => {
    const beacon: Options = { dialect: 'beacon', target: 'development' };
    assert.deepEqual(diagnostics('[otel\n', beacon), [['toml/syntax', 'error', '0:0-0:5', 'TOML syntax error: The table header `[otel` is missing its closing `]`. Code (Beacon) refuses to start with this config.', null]]);
    assert.deepEqual(diagnostics('[otel]\nx = \n', beacon), [
      ['toml/syntax', 'error', '1:0-1:3', 'TOML syntax error: `x =` has no value: write it on the same line (text in quotes, e.g. `x = "value"`). Code (Beacon) refuses to start with this config.', null],
    ]);
  });
});

describe('the key reader and "did you mean"', () => {
  it('bare keys: exactly A-Z, a-z, 0-9, - and _', () => {
    for (const c of 'AZaz09-_') assert.deepEqual(readKeySegment(`${c}${c} = 1`, 0), { name: `${c}${c}`, end: 2 }, c);
    // the characters next to each range are not part of a bare key
    for (const c of '@[`{/:.,= ') assert.deepEqual(readKeySegment(`x${c}y`, 0), { name: 'x', end: 1 }, JSON.stringify(c));
    assert.deepEqual(readKeySegment('@x = 1', 0), { name: '', end: 0 });
    assert.deepEqual(readKeySegment('  ab', 2), { name: 'ab', end: 4 });
  });

  it('quoted keys: basic ones with their escapes decoded, literal ones as written; unclosed ones end at the line break', () => {
    assert.deepEqual(readKeySegment('"es\\"c" = 1', 0), { name: 'es"c', end: 7 });
    assert.deepEqual(readKeySegment('"a\\\\"x', 0), { name: 'a\\', end: 5 });
    assert.deepEqual(readKeySegment('"tab\\there" = 1', 0), { name: 'tab\there', end: 11 });
    assert.deepEqual(readKeySegment("'li\\t' = 1", 0), { name: 'li\\t', end: 6 });
    assert.deepEqual(readKeySegment('"open\nnext', 0), { name: 'open', end: 5 });
    assert.deepEqual(readKeySegment('"open\r\nnext', 0), { name: 'open', end: 5 });
    // a backslash at the very end is kept as written (nothing follows it to escape)
    assert.deepEqual(readKeySegment('"end\\', 0), { name: 'end\\', end: 5 });
  });

  it('edit distance: insertions, deletions, substitutions, adjacent swaps; bounded', () => {
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('abcd', '', 3), 4, 'past the bound: bound + 1');
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('ab', 'ba'), 1, 'a swap is one edit');
    assert.equal(editDistance('same', 'same'), 0);
    assert.equal(editDistance('abcdef', 'uvwxyz'), 4, 'over the default bound of 3');
    assert.equal(editDistance('abcdef', 'uvwxyz', 10), 6);
    assert.equal(editDistance('abcdefgh', 'a', 3), 4);
  });

  it('suggest: the same name up to case and separators first, else the closest within one edit per four letters', () => {
    assert.equal(suggest('envirnment', ['environment', 'exporter']), 'environment');
    assert.equal(suggest('Environment', ['environment']), 'environment');
    assert.equal(suggest('log-user-prompt', ['log_user_prompt']), 'log_user_prompt');
    assert.equal(suggest('environment', ['environment']), undefined, 'the word itself is not a suggestion');
    assert.equal(suggest('zzz', ['environment']), undefined);
    assert.equal(suggest('exporte', ['exporters', 'exporter']), 'exporter', 'the closest wins whatever the order');
    assert.equal(suggest('x'.repeat(65), ['x'.repeat(65)]), undefined, 'over 64 characters: no suggestion');
  });
});
