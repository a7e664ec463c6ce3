// The cursor context of hover and completion (src/core/otel/cursor.ts), whole: kind, table path,
// the word and its offsets, the key path and whether a string is open, over keys, values, headers,
// quoted and dotted segments, inline tables (nested, in arrays, siblings after a closed one),
// comments, tabs and CRLF. Then the completion candidates and hover texts as the editor receives
// them, and findKeyRange on a file that does not parse. Written from the survivors of
// `npm run mutation -- --mutate src/core/otel/cursor.ts` (half of its mutants lived); writing it
// found two faults, fixed: a quoted segment's word took one character too many, and a key after
// a closed inline table (`{ a = { … }, b| }`) was not recognised.
import * as assert from 'node:assert/strict';
import { completions, cursorContext, findKeyRange, hoverMarkdown, type CursorContext } from '../../../../src/core/otel';

/** `|` marks the cursor; lines split as the editor splits them (LF, CRLF, CR). */
function at(textWithCursor: string): CursorContext {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return cursorContext(text, before.length - 1, before[before.length - 1].length);
}

const CASES: Array<[string, CursorContext]> = [
  ["[otel]\nenvir|onment = \"x\"", { kind: "key", path: ["otel"], word: "envir", wordStart: 0, wordEnd: 11, keyPath: ["otel","environment"], inString: false }],
  ["[otel]\n  |environment = \"x\"", { kind: "key", path: ["otel"], word: "", wordStart: 2, wordEnd: 13, keyPath: ["otel","environment"], inString: false }],
  ["[otel]\nenvironment| = \"x\"", { kind: "key", path: ["otel"], word: "environment", wordStart: 0, wordEnd: 11, keyPath: ["otel","environment"], inString: false }],
  ["[otel]\nenvironment |= \"x\"", { kind: "key", path: ["otel","environment"], word: "", wordStart: 12, wordEnd: 12, inString: false }],
  ["[otel]\nenvironment = |\"x\"", { kind: "value", path: ["otel","environment"], word: "", wordStart: 14, wordEnd: 14, inString: false }],
  ["[otel]\nenvironment = \"pr|od\"", { kind: "value", path: ["otel","environment"], word: "pr", wordStart: 15, wordEnd: 19, inString: true }],
  ["[otel]\nenvironment = \"prod\" |# c", { kind: "value", path: ["otel","environment"], word: "", wordStart: 21, wordEnd: 21, inString: false }],
  ["[otel]\nenvironment = \"prod\" # c|", { kind: "other", path: ["otel","environment"], word: "", wordStart: 24, wordEnd: 24, inString: false }],
  ["[otel]\n# env|", { kind: "other", path: ["otel"], word: "", wordStart: 5, wordEnd: 5, inString: false }],
  ["[otel]\nexporter = none|", { kind: "value", path: ["otel","exporter"], word: "none", wordStart: 11, wordEnd: 15, inString: false }],
  ["[otel]\nexporter = otlp-h|ttp", { kind: "value", path: ["otel","exporter"], word: "otlp-h", wordStart: 11, wordEnd: 20, inString: false }],
  ["[otel]\nexporter = { otlp-http = { endpoint = \"x\", proto|col = \"json\" } }", { kind: "key", path: ["otel","exporter","otlp-http"], word: "proto", wordStart: 43, wordEnd: 51, keyPath: ["otel","exporter","otlp-http","protocol"], inString: false }],
  ["[otel]\nexporter = { otlp-http = { endpoint = \"x\" }, otlp-g|rpc = {} }", { kind: "key", path: ["otel","exporter"], word: "otlp-g", wordStart: 45, wordEnd: 54, keyPath: ["otel","exporter","otlp-grpc"], inString: false }],
  ["[otel]\nexporter = { otlp-http = { endpoint = \"x\" } } |", { kind: "value", path: ["otel","exporter"], word: "", wordStart: 46, wordEnd: 46, inString: false }],
  ["[otel]\nexporter = { otlp-http = { headers = [1, 2], pro|tocol = \"json\" } }", { kind: "key", path: ["otel","exporter","otlp-http"], word: "pro", wordStart: 45, wordEnd: 53, keyPath: ["otel","exporter","otlp-http","protocol"], inString: false }],
  ["[otel]\nexporter = { a = [1, |] }", { kind: "value", path: ["otel","exporter","a"], word: "", wordStart: 21, wordEnd: 21, inString: false }],
  ["[otel]\nexporter = { a = [{ b = 1 }], c|", { kind: "key", path: ["otel","exporter"], word: "c", wordStart: 30, wordEnd: 31, keyPath: ["otel","exporter","c"], inString: false }],
  ["[otel.exporter.\"otlp-h|ttp\"]", { kind: "header", path: ["otel","exporter"], word: "otlp-h", wordStart: 15, wordEnd: 26, keyPath: ["otel","exporter","otlp-http"], inString: false }],
  ["[otel.exporter.|]", { kind: "header", path: ["otel","exporter"], word: "", wordStart: 15, wordEnd: 15, keyPath: ["otel","exporter",""], inString: false }],
  ["[[otel.items]]\nna|me = 1", { kind: "key", path: ["otel","items"], word: "na", wordStart: 0, wordEnd: 4, keyPath: ["otel","items","name"], inString: false }],
  ["[otel.'exp|orter']", { kind: "header", path: ["otel"], word: "exp", wordStart: 6, wordEnd: 16, keyPath: ["otel","exporter"], inString: false }],
  ["[ otel . exporter . \"otlp-http\" ]\n|", { kind: "key", path: ["otel","exporter","otlp-http"], word: "", wordStart: 0, wordEnd: 0, keyPath: ["otel","exporter","otlp-http",""], inString: false }],
  ["[otel]\n\"quoted key|\" = 1", { kind: "key", path: ["otel"], word: "quoted key", wordStart: 0, wordEnd: 12, keyPath: ["otel","quoted key"], inString: false }],
  ["[otel]\n'lit|' = 1", { kind: "key", path: ["otel"], word: "lit", wordStart: 0, wordEnd: 5, keyPath: ["otel","lit"], inString: false }],
  ["[otel]\na . b . c|", { kind: "key", path: ["otel","a","b"], word: "c", wordStart: 8, wordEnd: 9, keyPath: ["otel","a","b","c"], inString: false }],
  ["[otel]\na.b.|", { kind: "key", path: ["otel","a","b"], word: "", wordStart: 4, wordEnd: 4, keyPath: ["otel","a","b",""], inString: false }],
  ["otel.exporter.otlp-grpc.end|point = \"x\"", { kind: "key", path: ["otel","exporter","otlp-grpc"], word: "end", wordStart: 24, wordEnd: 32, keyPath: ["otel","exporter","otlp-grpc","endpoint"], inString: false }],
  ["|", { kind: "key", path: [], word: "", wordStart: 0, wordEnd: 0, keyPath: [""], inString: false }],
  ["[otel]\nkey = \"unclosed|", { kind: "value", path: ["otel","key"], word: "unclosed", wordStart: 7, wordEnd: 15, inString: true }],
  ["[otel]\nkey = 'single', x = |", { kind: "value", path: ["otel","key"], word: "", wordStart: 20, wordEnd: 20, inString: false }],
  ["[otel]\nkey = 1 # x = { y|", { kind: "other", path: ["otel","key"], word: "", wordStart: 17, wordEnd: 17, inString: false }],
  ["[otel]\n\tenv|\tx", { kind: "key", path: ["otel"], word: "env", wordStart: 1, wordEnd: 4, keyPath: ["otel","env"], inString: false }],
  ["[otel]\r\nenv|", { kind: "key", path: ["otel"], word: "env", wordStart: 0, wordEnd: 3, keyPath: ["otel","env"], inString: false }],
  ["[a]\n[otel]\n\n# c\nenv|", { kind: "key", path: ["otel"], word: "env", wordStart: 0, wordEnd: 3, keyPath: ["otel","env"], inString: false }],
  ["[otel]\nkey = http://x:1/p+q|rest", { kind: "value", path: ["otel","key"], word: "http://x:1/p+q", wordStart: 6, wordEnd: 24, inString: false }],
  ["[otel]\nkey = [ \"a\", \"b|\" ]", { kind: "value", path: ["otel","key"], word: "b", wordStart: 14, wordEnd: 15, inString: true }],
  ["[otel]\nkey = { x = 1 }, y|", { kind: "value", path: ["otel","key"], word: "y", wordStart: 17, wordEnd: 18, inString: false }],
];

/** Completion candidates without their documentation text: [label, insertText, kind, detail]. */
const offered = (dialect: 'beacon' | 'codex', s: string) => completions(dialect, at(s)).map((c) => [c.label, c.insertText, c.kind, c.detail ?? null]);

describe('otel cursor context, whole', () => {
  for (const [input, expected] of CASES) {
    it(JSON.stringify(input), () => assert.deepEqual(at(input), expected));
  }

  it('a cursor past the end of its line reads as at the end; a line past the end of the text as empty', () => {
    assert.deepEqual(cursorContext('[otel]\nenv', 1, 99), at('[otel]\nenv|'));
    assert.deepEqual(cursorContext('[otel]\n', 5, 0), { kind: 'key', path: ['otel'], word: '', wordStart: 0, wordEnd: 0, keyPath: ['otel', ''], inString: false });
  });
});

describe('otel completion candidates and hover, whole', () => {
  it('keys of the table, the root table, quoted names in headers only, none in a map or outside [otel]', () => {
    assert.deepEqual(offered('beacon', '|'), [['otel', 'otel', 'table', null]]);
    assert.equal(completions('beacon', at('|'))[0].documentation?.startsWith('OpenTelemetry export of Code'), true);
    assert.deepEqual(offered('beacon', '[otel]\n|'), [
      ['environment', 'environment', 'key', 'default "dev"'],
      ['log_user_prompt', 'log_user_prompt', 'key', 'default false'],
      ['exporter', 'exporter', 'table', 'default "none"'],
    ]);
    assert.match(completions('beacon', at('[otel]\n|'))[0].documentation ?? '', /^Environment tag attached to ev/);
    const exporters = [['otlp-http', 'table', null], ['otlp-grpc', 'table', null], ['none', 'table', null]];
    assert.deepEqual(offered('beacon', '[otel.exporter.|]'), exporters.map(([l, k, d]) => [l, l === 'none' ? l : `"${l}"`, k, d]));
    assert.deepEqual(offered('beacon', '[otel]\nexporter.|'), exporters.map(([l, k, d]) => [l, l, k, d]));
    for (const s of ['[other]\n|', '[otel]\nx = 1 # |', '[otel.exporter."otlp-http".headers]\n|', '[otel]\nnope = |', '[other]\nk = |']) assert.deepEqual(offered('beacon', s), [], s);
  });

  it('values: enum values and examples, quoted unless a quote is typed, the default marked', () => {
    assert.deepEqual(offered('beacon', '[otel.exporter."otlp-http"]\nprotocol = |'), [['binary', '"binary"', 'value', null], ['json', '"json"', 'value', null]]);
    assert.deepEqual(offered('beacon', '[otel.exporter."otlp-http"]\nprotocol = "|'), [['binary', 'binary', 'value', null], ['json', 'json', 'value', null]]);
    assert.deepEqual(offered('beacon', '[otel]\nenvironment = |'), [['production', '"production"', 'value', null], ['staging', '"staging"', 'value', null], ['dev', '"dev"', 'value', 'default']]);
    assert.deepEqual(offered('beacon', '[otel]\nlog_user_prompt = |'), [['false', 'false', 'value', 'default'], ['true', 'true', 'value', null]]);
    assert.deepEqual(offered('codex', '[otel]\nexporter = |'), [['none', '"none"', 'value', 'default'], ['statsig', '"statsig"', 'value', null]]);
    assert.match(completions('beacon', at('[otel]\nenvironment = |'))[0].documentation ?? '', /^Environment tag attached to every event/);
  });

  it('hover: name and dialect, documentation, type, values, default, required keys; the other dialect named', () => {
    assert.equal(hoverMarkdown('beacon', ['otel', 'environment']), '**environment** (Code (Beacon))\n\nEnvironment tag attached to every event. Set `"production"` in production.\n\nType: `string` · Default: `"dev"`');
    assert.equal(
      hoverMarkdown('codex', ['otel', 'trace_exporter']),
      '**trace_exporter** (upstream codex)\n\nWhere traces go; same forms as `exporter`. Default `"none"`.\n\nType: `string | object` · Values: `"none"`, `"statsig"` · Default: `"none"`',
    );
    assert.equal(hoverMarkdown('beacon', ['otel', 'trace_exporter']), '**trace_exporter** — understood only by upstream codex; Code (Beacon) ignores it.\n\nWhere traces go; same forms as `exporter`. Default `"none"`.');
    assert.equal(
      hoverMarkdown('beacon', ['otel', 'exporter', 'otlp-http']),
      '**otlp-http** (Code (Beacon))\n\nOTLP over HTTP. The endpoint is used as is, so it must include the signal path such as `/v1/logs`; the conventional port is 4318.\n\nType: `table` · Requires: `endpoint`, `protocol`, `headers`',
    );
    assert.equal(hoverMarkdown('beacon', ['otel', 'exporter', 'otlp-http', 'protocol']), '**protocol** (Code (Beacon))\n\nPayload encoding: `binary` (protobuf) or `json`. Required.\n\nType: `string` · Values: `"binary"`, `"json"`');
    assert.equal(hoverMarkdown('beacon', ['other', 'x']), undefined);
    assert.equal(hoverMarkdown('beacon', ['otel', 'nope']), undefined);
  });

  it('findKeyRange: the key, else the closest table present; in a file that does not parse, `key =` on its line', () => {
    const range = (l0: number, c0: number, l1: number, c1: number) => ({ start: { line: l0, character: c0 }, end: { line: l1, character: c1 } });
    assert.deepEqual(findKeyRange('[otel]\nenvironment = "x"\n', 'otel.environment'), range(1, 0, 1, 11));
    assert.deepEqual(findKeyRange('[otel]\nenvironment = "x"\n', 'otel.exporter.otlp-http'), range(0, 1, 0, 5));
    assert.equal(findKeyRange('[other]\n', 'otel.environment'), undefined);
    // `[otel` does not parse: the last segment, found as `name =` at a line start
    assert.deepEqual(findKeyRange('[otel\nenvironment = "x"\n', 'otel.environment'), range(1, 0, 1, 13));
    assert.deepEqual(findKeyRange('[otel\n  log_user_prompt = true\n', 'otel.log_user_prompt'), range(1, 0, 1, 19));
    // regex characters in the name are literal
    assert.deepEqual(findKeyRange('[otel\nk+ = 1\n', 'otel.k+'), range(1, 0, 1, 4));
    assert.equal(findKeyRange('[otel\nkk = 1\n', 'otel.k+'), undefined);
    assert.equal(findKeyRange('[otel\na.b = 1\n', 'x.a.b'), undefined);
    assert.equal(findKeyRange('[otel\n', 'otel.environment'), undefined);
    assert.equal(findKeyRange('[otel\n', ''), undefined);
  });
});
