import * as assert from 'node:assert/strict';
import { validateConfigText } from '../../../src/core/otel';

/** Common TOML mistakes are reported where they are made: [line, startChar, line, endChar] (0-based) and the message. */
const CASES: Array<[string, string, [number, number, number, number], RegExp]> = [
  ['unclosed header', '[otel\nenvironment = "production"\n', [0, 0, 0, 5], /table header `\[otel` is missing its closing `\]`/],
  ['unclosed quoted header', '[otel.exporter."otlp-grpc"\nendpoint = "x"\n', [0, 0, 0, 26], /missing its closing `\]`/],
  ['unclosed array-of-tables header', '[[otel\nx = 1\n', [0, 0, 0, 6], /missing its closing `\]\]`/],
  ['unclosed basic string', '[otel]\nenvironment = "prod\nlog_user_prompt = false\n', [1, 14, 1, 19], /This string is not closed: add `"`/],
  ['unclosed literal string', "[otel]\nenvironment = 'prod\nlog_user_prompt = false\n", [1, 14, 1, 19], /literal string is not closed: add `'`/],
  ['unclosed multi-line string', '[otel]\nenvironment = """prod\nlog_user_prompt = false\n', [1, 14, 1, 17], /multi-line string is never closed: add `"""`/],
  ['unclosed multi-line literal', "[otel]\nenvironment = '''prod\nlog_user_prompt = false\n", [1, 14, 1, 17], /never closed: add `'''`/],
  ['unclosed inline table', '[otel]\nexporter = { otlp-grpc = { endpoint = "x" }\nlog_user_prompt = false\n', [1, 11, 1, 43], /inline table is not closed on its line: add `\}`/],
  ['unclosed array', '[otel]\nx = [1, 2\nlog_user_prompt = false\n', [1, 4, 1, 9], /array is not closed: add `\]`/],
  ['unclosed array at the end', '[otel]\nx = [1,\n2\n', [1, 4, 2, 1], /array is not closed/],
  ['missing value', '[otel]\nenvironment =\nlog_user_prompt = false\n', [1, 0, 1, 13], /`environment =` has no value/],
  ['missing value in an inline table', '[otel]\nexporter = { otlp-grpc = }\n', [1, 13, 1, 25], /`otlp-grpc =` has no value/],
  ['missing =', '[otel]\nenvironment "prod"\n', [1, 0, 1, 11], /`environment` must be followed by `=`/],
  ['key alone', '[otel]\nenvironment\n', [1, 0, 1, 11], /`environment` is missing `=` and a value/],
  ['unquoted text', '[otel]\nenvironment = prod\n', [1, 14, 1, 18], /`prod` is not a TOML value: put text in quotes/],
  ['two statements on a line', '[otel]\nenvironment = "a" log_user_prompt = true\n', [1, 18, 1, 40], /one `key = value`/],
  ['duplicate key', '[otel]\nenvironment = "a"\nenvironment = "b"\n', [2, 0, 2, 11], /`environment` is already set on line 2 in \[otel\]/],
  ['duplicate table', '[otel]\nenvironment = "a"\n[otel]\nlog_user_prompt = true\n', [2, 0, 2, 6], /Table \[otel\] is already defined on line 1/],
  ['table over a dotted key', 'otel.environment = "a"\n[otel]\n', [1, 0, 1, 6], /already defined by the key on line 1/],
];

describe('TOML syntax errors where the fault is', () => {
  for (const [title, text, [l0, c0, l1, c1], message] of CASES) {
    it(title, () => {
      const r = validateConfigText(text, { dialect: 'beacon' });
      assert.equal(r.syntaxError, true);
      assert.equal(r.diagnostics.length, 1, JSON.stringify(r.diagnostics));
      const d = r.diagnostics[0];
      assert.equal(d.code, 'toml/syntax');
      assert.equal(d.severity, 'error');
      assert.match(d.message, message);
      assert.deepEqual(d.range, { start: { line: l0, character: c0 }, end: { line: l1, character: c1 } });
    });
  }

  it('points a duplicate at its first definition (related information)', () => {
    const r = validateConfigText('[otel]\nenvironment = "a"\nenvironment = "b"\n', { dialect: 'codex' });
    assert.deepEqual(r.diagnostics[0].related, [{ message: '`otel.environment` first set here', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 11 } } }]);
  });

  it('leaves valid values alone (dates with a space, multi-line arrays, inf/nan) and still reports a later mistake', () => {
    const text = '[a]\nd = 1979-05-27 07:32:00Z\nx = [\n  1, # one\n  2,\n]\nf = inf\ng = -nan\n[otel\n';
    const r = validateConfigText(text, { dialect: 'beacon' });
    assert.equal(r.diagnostics.length, 1);
    assert.deepEqual(r.diagnostics[0].range, { start: { line: 8, character: 0 }, end: { line: 8, character: 5 } });
  });

  it('keeps the parser message for mistakes it does not know', () => {
    const r = validateConfigText('[otel]\nx = 1979-13-45\n', { dialect: 'beacon' });
    assert.equal(r.diagnostics[0].code, 'toml/syntax');
    assert.match(r.diagnostics[0].message, /date/i);
    assert.equal(r.diagnostics[0].range.start.line, 1);
  });
});

describe('one mistake, one diagnostic', () => {
  it('a misspelt environment carries its consequences as related information', () => {
    const text = '[otel]\nenviroment = "production"\nexporter = { otlp-grpc = { endpoint = "https://a:4317", headers = {} } }\n';
    const r = validateConfigText(text, { dialect: 'beacon' });
    assert.deepEqual(
      r.diagnostics.map((d) => d.code),
      ['otel/unknown-key'],
    );
    const related = r.diagnostics[0].related ?? [];
    assert.equal(related.length, 2);
    assert.match(related[0].message, /Because `environment` is missing: `environment` is not set, so it defaults to "dev"/);
    assert.match(related[1].message, /exporter is configured while `environment` is "dev"/);
    assert.deepEqual(related[1].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 8 } });
  });

  it('a misspelt required key takes the error of its absence (and its severity)', () => {
    const text = '[otel]\nenvironment = "production"\n[otel.exporter."otlp-http"]\nendpont = "https://a:4318/v1/logs"\nprotocol = "binary"\nheaders = {}\n';
    const r = validateConfigText(text, { dialect: 'beacon' });
    assert.deepEqual(r.diagnostics.map((d) => `${d.severity} ${d.code} ${d.range.start.line}`), ['error otel/unknown-key 3']);
    assert.match(r.diagnostics[0].related?.[0].message ?? '', /has no `endpoint`/);
  });

  it('an unknown key that is no near miss leaves the absence reported on its own', () => {
    const r = validateConfigText('[otel]\nfoo = 1\n', { dialect: 'beacon' });
    assert.deepEqual(r.diagnostics.map((d) => d.code).sort(), ['otel/environment-not-production', 'otel/unknown-key']);
    assert.equal(r.diagnostics.every((d) => !d.related), true);
  });
});

describe('diagnostics per file are capped', () => {
  it('reports the first 1000 and one more saying how many are not shown', () => {
    const lines = ['[otel]', 'environment = "production"'];
    for (let i = 0; i < 2500; i++) lines.push(`unknown_${i} = 1`);
    const r = validateConfigText(lines.join('\n'), { dialect: 'beacon' });
    assert.equal(r.diagnostics.length, 1001);
    const last = r.diagnostics[1000];
    assert.equal(last.code, 'otel/too-many-problems');
    assert.match(last.message, /^1500 more problems not shown/);
    assert.equal(last.range.start.line, 1002);
  });
});
