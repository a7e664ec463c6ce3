import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as textmate from 'vscode-textmate';
import { loadGrammar } from '../textmate';
import { parseToml } from '../../../src/core/otel/toml';

// The TOML grammar (syntaxes/toml.tmLanguage.json) run by the same TextMate engine VS Code uses.
const root = path.resolve(__dirname, '../../..');
const grammarPath = path.join(root, 'syntaxes', 'toml.tmLanguage.json');

let grammar: textmate.IGrammar;

interface Token {
  line: number;
  text: string;
  scopes: string[];
}

/** Tokenizes a whole document line by line, carrying the state across lines as the editor does. */
function tokenize(doc: string): Token[] {
  let state = textmate.INITIAL;
  const out: Token[] = [];
  doc.split('\n').forEach((line, i) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    for (const t of r.tokens) out.push({ line: i, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
  });
  return out;
}

/** The scopes of the first token whose text is `text` (on line `line` when given). */
function scopesOf(tokens: Token[], text: string, line?: number): string[] {
  const token = tokens.find((t) => t.text === text && (line === undefined || t.line === line));
  assert.ok(token, `a token ${JSON.stringify(text)}${line === undefined ? '' : ` on line ${line}`} in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return token.scopes;
}

/** `text` (a whole token) carries `scope` as its innermost scope or one around it. */
function assertScope(tokens: Token[], text: string, scope: string, line?: number): void {
  const scopes = scopesOf(tokens, text, line);
  assert.ok(scopes.includes(scope), `${JSON.stringify(text)} has ${scope}; it has ${scopes.join(', ')}`);
}

function assertInnermost(tokens: Token[], text: string, scope: string, line?: number): void {
  assert.equal(scopesOf(tokens, text, line).at(-1), scope, `the innermost scope of ${JSON.stringify(text)}`);
}

const invalid = (t: Token) => t.scopes.some((s) => s.startsWith('invalid.'));

describe('TOML TextMate grammar', () => {
  before(async () => {
    grammar = await loadGrammar('source.toml', grammarPath);
  });

  it('is contributed for the `toml` language under source.toml, the scope Even Better TOML uses for the same language', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const contributed = pkg.contributes.grammars.filter((g: { language?: string }) => g.language === 'toml');
    assert.equal(contributed.length, 1);
    assert.equal(contributed[0].scopeName, 'source.toml');
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, contributed[0].path), 'utf8')).scopeName, 'source.toml');
    const lang = pkg.contributes.languages.find((l: { id: string }) => l.id === 'toml');
    assert.ok(lang.extensions.includes('.toml'));
    assert.deepEqual(lang.filenames, ['config.toml', 'managed_config.toml']);
    assert.equal(lang.aliases[0], 'TOML');
    const config = JSON.parse(fs.readFileSync(path.join(root, lang.configuration), 'utf8'));
    assert.equal(config.comments.lineComment, '#');
    assert.ok(config.autoClosingPairs.some((p: { open: string }) => p.open === '"'));
    assert.ok(config.autoClosingPairs.some((p: { open: string }) => p.open === "'"));
    // the schemas Even Better TOML applies stay where they were
    assert.ok(pkg.contributes.tomlValidation.some((v: { fileMatch: string }) => v.fileMatch === '**/.code/config.toml'));
    assert.ok(pkg.contributes.tomlValidation.some((v: { fileMatch: string }) => v.fileMatch === '**/.codex/config.toml'));
  });

  it('marks table headers and array-of-tables headers with their dotted and quoted keys', () => {
    const tokens = tokenize(['[otel]', '  [otel.exporter."otlp-http"]  # where', '[[mcp_servers.docs.tools]]', "[[ a.'b c' ]]"].join('\n'));
    assertInnermost(tokens, '[', 'punctuation.definition.table.begin.toml', 0);
    assertInnermost(tokens, 'otel', 'entity.name.section.table.toml', 0);
    assertInnermost(tokens, ']', 'punctuation.definition.table.end.toml', 0);
    assertScope(tokens, 'otel', 'meta.table.toml', 0);
    assertInnermost(tokens, 'exporter', 'entity.name.section.table.toml', 1);
    assertInnermost(tokens, '.', 'punctuation.separator.dot.toml', 1);
    assertInnermost(tokens, 'otlp-http', 'entity.name.section.table.quoted.basic.toml', 1);
    assertScope(tokens, ' where', 'comment.line.number-sign.toml', 1);
    assertInnermost(tokens, '[[', 'punctuation.definition.table.array.begin.toml', 2);
    assertInnermost(tokens, 'tools', 'entity.name.section.table.array.toml', 2);
    assertInnermost(tokens, ']]', 'punctuation.definition.table.array.end.toml', 2);
    assertScope(tokens, 'b c', 'entity.name.section.table.array.quoted.literal.toml', 3);
    assert.ok(!tokens.some(invalid), 'nothing is invalid');
  });

  it('marks bare, dotted and quoted keys and the equals sign', () => {
    const tokens = tokenize(['exporter.otlp-http . endpoint = 1', '"x-api key" = 2', "'lit.key' = 3", '_under-score9 = 4'].join('\n'));
    for (const key of ['exporter', 'otlp-http', 'endpoint']) assertInnermost(tokens, key, 'support.type.property-name.toml', 0);
    assertInnermost(tokens, '.', 'punctuation.separator.dot.toml', 0);
    assertInnermost(tokens, '=', 'punctuation.separator.key-value.toml', 0);
    assertInnermost(tokens, 'x-api key', 'support.type.property-name.quoted.basic.toml', 1);
    assertInnermost(tokens, '"', 'punctuation.definition.key.begin.toml', 1);
    assertInnermost(tokens, 'lit.key', 'support.type.property-name.quoted.literal.toml', 2);
    assertInnermost(tokens, '_under-score9', 'support.type.property-name.toml', 3);
  });

  it('marks basic, literal and multi-line strings, valid and invalid escapes and line continuations', () => {
    const doc = [
      String.raw`a = "tab\there \"q\" \u00E9 \U0001F600 bad\q"`,
      String.raw`b = 'C:\no\escapes'`,
      'c = """',
      'multi \\"line\\" \\',
      '   end"""',
      "d = '''",
      String.raw`raw \n text`,
      "'''",
      'e = ""',
    ].join('\n');
    const tokens = tokenize(doc);
    assertInnermost(tokens, 'tab', 'string.quoted.double.basic.line.toml', 0);
    for (const esc of [String.raw`\t`, String.raw`\"`, String.raw`\u00E9`, String.raw`\U0001F600`]) assertInnermost(tokens, esc, 'constant.character.escape.toml', 0);
    assertInnermost(tokens, String.raw`\q`, 'invalid.illegal.escape.toml', 0);
    assertInnermost(tokens, String.raw`C:\no\escapes`, 'string.quoted.single.literal.line.toml', 1);
    assertInnermost(tokens, '"""', 'punctuation.definition.string.begin.toml', 2);
    assertInnermost(tokens, 'multi ', 'string.quoted.triple.basic.block.toml', 3);
    assertInnermost(tokens, String.raw`\"`, 'constant.character.escape.toml', 3);
    assertInnermost(tokens, '\\', 'constant.character.escape.line-continuation.toml', 3);
    assertInnermost(tokens, '   end', 'string.quoted.triple.basic.block.toml', 4);
    assertInnermost(tokens, '"""', 'punctuation.definition.string.end.toml', 4);
    assertInnermost(tokens, String.raw`raw \n text`, 'string.quoted.triple.literal.block.toml', 6);
    assertInnermost(tokens, "'''", 'punctuation.definition.string.end.toml', 7);
    assertScope(tokens, '"', 'string.quoted.double.basic.line.toml', 8);
    // keys after the strings are keys again
    assertInnermost(tokens, 'e', 'support.type.property-name.toml', 8);
  });

  it('marks integers in every base with underscores, and rejects a leading zero', () => {
    const tokens = tokenize('n = [0xDEAD_beef, 0o755, 0b1101_0101, 1_000, -17, +99, 0]\nbad = 012');
    assertInnermost(tokens, '0xDEAD_beef', 'constant.numeric.integer.hex.toml');
    assertInnermost(tokens, '0o755', 'constant.numeric.integer.octal.toml');
    assertInnermost(tokens, '0b1101_0101', 'constant.numeric.integer.binary.toml');
    for (const n of ['1_000', '-17', '+99', '0']) assertInnermost(tokens, n, 'constant.numeric.integer.decimal.toml');
    assertScope(tokens, '[', 'meta.array.toml');
    assertInnermost(tokens, ',', 'punctuation.separator.array.toml');
    assertInnermost(tokens, ']', 'punctuation.definition.array.end.toml');
    assertInnermost(tokens, '012', 'invalid.illegal.value.toml', 1);
  });

  it('marks floats with fractions and exponents, inf and nan', () => {
    const tokens = tokenize('f = [3.14, -0.01, 5e+22, 1E06, 6.626e-34, 224_617.445_991_228, inf, -inf, +nan]');
    for (const f of ['3.14', '-0.01', '5e+22', '1E06', '6.626e-34', '224_617.445_991_228']) assertInnermost(tokens, f, 'constant.numeric.float.toml');
    assertInnermost(tokens, 'inf', 'constant.numeric.float.inf.toml');
    assertInnermost(tokens, '-inf', 'constant.numeric.float.inf.toml');
    assertInnermost(tokens, '+nan', 'constant.numeric.float.nan.toml');
    assert.ok(!tokens.some(invalid));
  });

  it('marks booleans, and offset and local dates and times', () => {
    const tokens = tokenize(
      [
        'b = [true, false]',
        'odt = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00.999999-07:00, 1979-05-27 07:32:00+01:00]',
        'ldt = 1979-05-27T07:32:00.5',
        'ld = 1979-05-27',
        'lt = 00:32:00.999999',
      ].join('\n'),
    );
    assertInnermost(tokens, 'true', 'constant.language.boolean.toml');
    assertInnermost(tokens, 'false', 'constant.language.boolean.toml');
    for (const d of ['1979-05-27T07:32:00Z', '1979-05-27T00:32:00.999999-07:00', '1979-05-27 07:32:00+01:00']) {
      assertInnermost(tokens, d, 'constant.other.time.datetime.offset.toml');
    }
    assertInnermost(tokens, '1979-05-27T07:32:00.5', 'constant.other.time.datetime.local.toml');
    assertInnermost(tokens, '1979-05-27', 'constant.other.time.date.toml');
    assertInnermost(tokens, '00:32:00.999999', 'constant.other.time.time.toml');
    assert.ok(!tokens.some(invalid));
  });

  it('marks comments wherever they stand, and not inside strings', () => {
    const tokens = tokenize(['# whole line', 'k = "a # not a comment" # trailing', 'arr = [', '  1, # inside', ']'].join('\n'));
    assertInnermost(tokens, '#', 'punctuation.definition.comment.toml', 0);
    assertInnermost(tokens, ' whole line', 'comment.line.number-sign.toml', 0);
    assertInnermost(tokens, 'a # not a comment', 'string.quoted.double.basic.line.toml', 1);
    assertInnermost(tokens, ' trailing', 'comment.line.number-sign.toml', 1);
    assertScope(tokens, ' inside', 'meta.array.toml', 3);
    assertInnermost(tokens, ' inside', 'comment.line.number-sign.toml', 3);
  });

  it('marks arrays (nested, over several lines) and inline tables (nested, with dotted keys)', () => {
    const doc = [
      'matrix = [',
      '  [1, 2],',
      '  ["a", { x = 1 }],',
      ']',
      'exporter = { otlp-http = { endpoint = "https://collector:4318", headers = { "x-api-key" = "k" } }, a.b = true }',
      'after = 1',
    ].join('\n');
    const tokens = tokenize(doc);
    const nested = scopesOf(tokens, '[', 1);
    assert.equal(nested.filter((s) => s === 'meta.array.toml').length, 2, nested.join(', '));
    assertInnermost(tokens, 'x', 'support.type.property-name.toml', 2);
    assertScope(tokens, 'x', 'meta.table.inline.toml', 2);
    assertInnermost(tokens, ']', 'punctuation.definition.array.end.toml', 3);
    assertInnermost(tokens, '{', 'punctuation.definition.table.inline.begin.toml', 4);
    assertInnermost(tokens, 'otlp-http', 'support.type.property-name.toml', 4);
    const header = scopesOf(tokens, 'x-api-key', 4);
    assert.equal(header.filter((s) => s === 'meta.table.inline.toml').length, 3, header.join(', '));
    assertInnermost(tokens, ',', 'punctuation.separator.table.inline.toml', 4);
    assertInnermost(tokens, 'b', 'support.type.property-name.toml', 4);
    assertInnermost(tokens, 'true', 'constant.language.boolean.toml', 4);
    // every brace closed: the next line is at the top level again
    assert.deepEqual(scopesOf(tokens, 'after', 5), ['source.toml', 'support.type.property-name.toml']);
    assert.ok(!tokens.some(invalid));
  });

  it('marks an invalid line and carries on: the lines after it keep their colours', () => {
    const doc = [
      'this is not toml', // 0
      's = "unterminated', // 1
      'bad = 1__2 junk', // 2
      '[a b]', // 3
      '[[a]', // 4
      'open = [1, 2', // 5  never closed: stops at the next key
      'next = true', // 6
      'inline = { a = 1', // 7  never closed: stops at the next header
      '[after]', // 8
      'k = "v" # c', // 9
      '"x" = 2 ]', // 10  a stray bracket
      'last = 0x1F', // 11
    ].join('\n');
    const tokens = tokenize(doc);
    assertInnermost(tokens, 'this is not toml', 'invalid.illegal.line.toml', 0);
    assertInnermost(tokens, '"unterminated', 'invalid.illegal.unterminated-string.toml', 1);
    assertInnermost(tokens, '1__2', 'invalid.illegal.value.toml', 2);
    assertInnermost(tokens, 'junk', 'invalid.illegal.value.toml', 2);
    assertInnermost(tokens, '[a b]', 'invalid.illegal.table.toml', 3);
    assertInnermost(tokens, '[[a]', 'invalid.illegal.table.toml', 4);
    assert.deepEqual(scopesOf(tokens, 'next', 6), ['source.toml', 'support.type.property-name.toml']);
    assertInnermost(tokens, 'true', 'constant.language.boolean.toml', 6);
    assert.deepEqual(scopesOf(tokens, 'after', 8), ['source.toml', 'meta.table.toml', 'entity.name.section.table.toml']);
    assertInnermost(tokens, 'v', 'string.quoted.double.basic.line.toml', 9);
    assertInnermost(tokens, ' c', 'comment.line.number-sign.toml', 9);
    assertInnermost(tokens, ']', 'invalid.illegal.value.toml', 10);
    assert.deepEqual(scopesOf(tokens, 'last', 11), ['source.toml', 'support.type.property-name.toml']);
    assertInnermost(tokens, '0x1F', 'constant.numeric.integer.hex.toml', 11);
    assert.ok(tokens.filter((t) => t.line >= 8 && t.line !== 10).every((t) => !invalid(t)), 'the valid lines after the mistakes are clean');
  });

  it('tokenizes every TOML fixture that the config.toml reader accepts without an invalid token', () => {
    const dir = path.join(root, 'test', 'fixtures');
    const files = fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.toml'))
      .map((f) => path.join(dir, f));
    let checked = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (parseToml(text).syntax) continue; // a fixture with a syntax error on purpose
      const bad = tokenize(text).filter(invalid);
      assert.deepEqual(bad.map((t) => `${path.relative(root, file)}:${t.line + 1} ${t.text}`), []);
      checked++;
    }
    assert.ok(checked >= 10, `${checked} valid TOML fixtures under ${dir}`);
  });

  it('stays fast on a hostile line (no catastrophic backtracking)', () => {
    const lines = ['a.'.repeat(5000), `k = [${'1,'.repeat(5000)}`, `"${'\\"'.repeat(5000)}`, `${'x '.repeat(5000)}= 1`];
    for (const line of lines) {
      const started = process.hrtime.bigint();
      grammar.tokenizeLine(line, textmate.INITIAL);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      assert.ok(ms < 500, `${line.slice(0, 20)}… took ${ms.toFixed(1)} ms`);
    }
  });
});
