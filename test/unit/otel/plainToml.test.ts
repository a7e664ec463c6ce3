import * as assert from 'node:assert/strict';
import type { AST } from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import type * as TomlParser from 'toml-eslint-parser' with { 'resolution-mode': 'import' };
import { scanPlainToml } from '../../../src/core/otel/plainToml';
import { parseToml, parseTomlSplit, parseTomlWhole } from '../../../src/core/otel/toml';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseTOML } = require('toml-eslint-parser') as typeof TomlParser;

/** The fields the tree builder reads, from either reader's AST. */
type Node = AST.TOMLTable | AST.TOMLKeyValue | AST.TOMLContentNode;
function project(node: Node): unknown {
  const key = (k: AST.TOMLKey) => ({ keys: k.keys.map((s) => ({ type: s.type, name: s.type === 'TOMLBare' ? s.name : s.value, range: s.range })), range: k.range });
  switch (node.type) {
    case 'TOMLTable':
      return { type: node.type, kind: node.kind, key: key(node.key), start: node.range[0], body: node.body.map(project) };
    case 'TOMLKeyValue':
      return { type: node.type, key: key(node.key), value: project(node.value), range: node.range };
    case 'TOMLArray':
      return { type: node.type, range: node.range, elements: node.elements.map(project) };
    case 'TOMLInlineTable':
      return { type: node.type, range: node.range, body: node.body.map(project) };
    default:
      return { type: node.type, kind: node.kind, range: node.range };
  }
}
const projectProgram = (ast: AST.TOMLProgram) => (ast.body[0]?.body ?? []).map((n) => project(n as Node));

function parserView(text: string): unknown[] | undefined {
  try {
    return projectProgram(parseTOML(text, { tomlVersion: '1.0' }));
  } catch {
    return undefined;
  }
}

/** Small deterministic PRNG so a failure can be replayed from its seed. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const PLAIN = [
  '[profiles.p1]\nmodel = "o3"\napproval_policy = "never"\ntags = ["a", "b", 3]\nenv = { RUST_LOG = "info", N = "1" }\n',
  '[ mcp_servers . "docs" ]  # the docs server\ncommand = \'npx\'\nargs = [\n  "-y", # package runner\n  "docs-mcp",\n]\nstartup_timeout_sec = 20\nenabled = true\n',
  'model = "gpt-5"\nmodel_reasoning_effort = "high"\n\n# comment\r\nsandbox.writable_roots = ["/tmp", \'C:\\tmp\']\n',
  '[tools]\nweb_search = false\nratio = -1.5e-3\nbig = 1_000_000\nzero = 0\nneg = -0\nf = +0.25\ne = 6E+2\nempty = []\nnested = [[1, 2], [], [{ a = 1 }]]\ninline = {}\ndeep = { a = { b = { c = "d" } } }\nesc = "tab\\there \\"q\\" \\\\"\n',
  '[history]\npersistence = "save-all"\nmax_bytes = 104857600\n"quoted key" = 1\n\'lit\' = 2\n"" = 3\n',
];

const PIECES = ['[', ']', '[[', '{', '}', '=', '"', "'", '"""', "'''", ',', '.', '\n', '\r', '\r\n', '#', ' ', '\t', '\\', '\\u0041', '\\U0001F600', '\\x', '_', '0', '00', '1', 'e', 'E', '+', '-', 'inf', 'nan', '0x1F', '0o7', '1979-05-27', '07:32:00', 'true', 'false', 'otel', '\u0000', '\u007F', '\u0085', 'é', '😀', '\uD800', '\uFEFF', 'a.b', 'a = 1'];

function mutate(text: string, rnd: () => number): string {
  let out = text;
  const steps = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const op = rnd();
    if (op < 0.55) out = out.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + out.slice(at);
    else if (op < 0.85) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rnd() * 4));
    else {
      const from = Math.floor(rnd() * out.length);
      out = out.slice(0, at) + out.slice(from, from + 1 + Math.floor(rnd() * 12)) + out.slice(at);
    }
  }
  return out;
}

describe('plain TOML reader (tables outside [otel] of big files)', function () {
  this.timeout(120_000);

  it('reads plain tables exactly as toml-eslint-parser does', () => {
    for (const text of PLAIN) {
      const ours = scanPlainToml(text);
      assert.ok(ours, `gave up on ${JSON.stringify(text)}`);
      assert.deepEqual(projectProgram(ours), parserView(text), text);
    }
  });

  it('reads a slice with ranges relative to its start', () => {
    const text = 'x = 1\n' + PLAIN[0] + PLAIN[1];
    const start = 6;
    const end = 6 + PLAIN[0].length;
    const ours = scanPlainToml(text, start, end);
    assert.ok(ours);
    assert.deepEqual(projectProgram(ours), parserView(PLAIN[0]));
  });

  for (const [title, text] of [
    ['[otel] (its values are validated)', '[otel]\nenvironment = "x"\n'],
    ['root otel keys', 'otel.environment = "x"\n'],
    ['arrays of tables', '[[profiles]]\nx = 1\n'],
    ['multi-line strings', 'x = """\na\n"""\n'],
    ['dates', 'x = 1979-05-27\n'],
    ['hex numbers', 'x = 0x1F\n'],
    ['unicode escapes', 'x = "\\u0041"\n'],
    ['a lone carriage return', 'x = 1\ry = 2\n'],
    ['a control character in a string', 'x = "a\u0001"\n'],
    ['two values on a line', 'x = 1 y = 2\n'],
    ['a trailing comma in an inline table', 'x = { a = 1, }\n'],
    ['a duplicate key in an inline table', 'x = { a = 1, a = 2 }\n'],
    ['a line break in an inline table', 'x = { a = [\n1] }\n'],
    ['leading zeros', 'x = 01\n'],
  ] as const) {
    it(`leaves ${title} to the parser`, () => {
      assert.equal(scanPlainToml(text), undefined);
    });
  }

  it('never lets the split reading accept what the parser rejects, and agrees on all it accepts (8,000 mutated files)', () => {
    const rnd = prng(424242);
    const files = [PLAIN[2] + PLAIN[0] + PLAIN[1], PLAIN[0] + PLAIN[3] + PLAIN[4], PLAIN[4] + PLAIN[1] + PLAIN[0].replace('p1', 'p2') + PLAIN[3]];
    const plain = (e: unknown): unknown => JSON.parse(JSON.stringify(e ?? null, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v)));
    let quick = 0;
    let rejectedByParser = 0;
    for (let i = 0; i < 8000; i++) {
      const text = mutate(files[i % files.length], rnd);
      const whole = parseTomlWhole(text);
      if (whole.syntax) rejectedByParser++;
      // the reader's own AST, where both accept the text, has the parser's kinds and ranges
      const ours = scanPlainToml(text);
      const theirs = parserView(text);
      if (ours && theirs) assert.deepEqual(projectProgram(ours), theirs, JSON.stringify(text));
      // the split reading (quick reader + strict merge) accepts only what the whole parse accepts, as the same tree
      const split = parseTomlSplit(text);
      if (!split) continue;
      if (ours) quick++;
      assert.equal(whole.syntax, undefined, `split reading accepted what the parser rejects: ${JSON.stringify(text)}`);
      assert.deepEqual(plain(split.root), plain(whole.root), JSON.stringify(text));
      assert.equal(split.maxValueDepth, whole.maxValueDepth);
      assert.equal(split.deepestOffset, whole.deepestOffset);
    }
    // both sides must be well exercised, or this test proves nothing
    assert.ok(quick > 1500, `only ${quick} mutated files were read by the quick reader`);
    assert.ok(rejectedByParser > 1500, `only ${rejectedByParser} mutated files were invalid`);
  });

  it('gives a big file the same tree through the quick reader as the parser gives it whole', () => {
    let text = '[otel]\nenvironment = "production"\n[otel.exporter."otlp-grpc"]\nendpoint = "https://c:4317"\nheaders = {}\n';
    const tables = [(i: number) => PLAIN[0].replace('p1]', `p${i}]`), (i: number) => PLAIN[1].replace('"docs"', `"docs${i}"`), (i: number) => PLAIN[3].replace('[tools]', `[tools.t${i}]`), (i: number) => PLAIN[4].replace('[history]', `[history.h${i}]`)];
    for (let i = 0; i < 300; i++) text += tables[i % tables.length](i);
    text += '[tail]\nwhen = 1979-05-27\n';
    const chunked = parseToml(text);
    const whole = parseTomlWhole(text);
    assert.equal(chunked.syntax, undefined);
    assert.equal(whole.syntax, undefined);
    const plain = (e: unknown): unknown => JSON.parse(JSON.stringify(e, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v)));
    assert.deepEqual(plain(chunked.root), plain(whole.root));
    assert.equal(chunked.root?.children?.get('tail')?.children?.get('when')?.kind, 'datetime');
    assert.equal(chunked.root?.children?.get('profiles')?.children?.size, 75);
  });
});
