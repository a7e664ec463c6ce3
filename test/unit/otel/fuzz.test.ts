import * as assert from 'node:assert/strict';
import { validateConfigBytes, validateConfigText, type Dialect, type OtelDiagnostic } from '../../../src/core/otel';
import { loadCorpus } from './corpus';

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

const PIECES = ['[', ']', '[[', ']]', '{', '}', '=', '"', "'", '"""', ',', '.', '\n', '\r\n', '#', ' ', '\t', '\\', 'otel', 'exporter', 'otlp-grpc', 'otlp-http', 'headers', 'protocol', 'endpoint', '1979-05-27T07:32:00Z', '0x1F', '1e9', 'inf', 'true', '\u0000', '\uFFFD', '😀', '\uD800'];

function mutate(text: string, rnd: () => number): string {
  let out = text;
  const steps = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(rnd() * (out.length + 1));
    const op = rnd();
    if (op < 0.35) out = out.slice(0, at) + PIECES[Math.floor(rnd() * PIECES.length)] + out.slice(at);
    else if (op < 0.6) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rnd() * 8));
    else if (op < 0.8) {
      const from = Math.floor(rnd() * out.length);
      out = out.slice(0, at) + out.slice(from, from + 1 + Math.floor(rnd() * 30)) + out.slice(at);
    } else out = out.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x250)) + out.slice(at);
  }
  return out;
}

function assertWellFormed(text: string, diagnostics: OtelDiagnostic[], label: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (const d of diagnostics) {
    const { start, end } = d.range;
    for (const p of [start, end]) {
      assert.ok(Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.character >= 0, `${label}: ${JSON.stringify(d)}`);
      assert.ok(p.line < lines.length, `${label}: line ${p.line} beyond ${lines.length} lines`);
      assert.ok(p.character <= lines[p.line].length, `${label}: character ${p.character} beyond line ${p.line}`);
    }
    assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${label}: inverted range`);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity));
    assert.match(d.code, /^(toml|otel)\//);
    assert.ok(d.message.length > 0);
  }
}

describe('otel engine under hostile input', function () {
  this.timeout(120_000);
  const seeds = loadCorpus()
    .map((c) => c.bytes.toString('utf8'))
    .filter((t) => t.length < 5000);

  it('survives 4,000 mutated configs with well-formed ranges', () => {
    const rnd = prng(20240611);
    let withErrors = 0;
    for (let i = 0; i < 4000; i++) {
      const text = mutate(seeds[i % seeds.length], rnd);
      const dialect: Dialect = i % 2 ? 'codex' : 'beacon';
      const r = validateConfigText(text, { dialect });
      if (process.env.FUZZ_DEBUG === String(i)) console.log(JSON.stringify(text), JSON.stringify(r.diagnostics));
      assertWellFormed(text, r.diagnostics, `case ${i}`);
      if (r.diagnostics.some((d) => d.code === 'otel/internal-error')) assert.fail(`internal error on case ${i}: ${JSON.stringify(text)}`);
      if (r.diagnostics.some((d) => d.severity === 'error')) withErrors++;
    }
    // the mutations must actually break things, or this test proves nothing
    assert.ok(withErrors > 1000, `only ${withErrors} mutated configs had errors`);
  });

  it('survives random bytes, invalid UTF-8 and NUL', () => {
    const rnd = prng(7);
    for (let i = 0; i < 500; i++) {
      const bytes = Buffer.alloc(Math.floor(rnd() * 400));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rnd() * 256);
      const r = validateConfigBytes(bytes, { dialect: 'beacon' });
      assert.ok(r.diagnostics.length > 0);
      assertWellFormed(new TextDecoder().decode(bytes), r.diagnostics, `bytes ${i}`);
    }
  });

  it('handles a 10 MB file, 100,000-deep nesting and thousands of duplicate keys', () => {
    const big = '[otel]\nenvironment = "production"\n' + 'x = "' + 'a'.repeat(100) + '"\n'.repeat(1);
    let tenMb = big;
    for (let i = 0; tenMb.length < 10 * 1024 * 1024; i++) tenMb += `[t${i}]\nkey = "${'v'.repeat(200)}"\n`;
    const r1 = validateConfigText(tenMb, { dialect: 'beacon' });
    assertWellFormed(tenMb, r1.diagnostics, '10 MB');
    const deep = 'x = ' + '['.repeat(100_000) + ']'.repeat(100_000);
    const r2 = validateConfigText(deep, { dialect: 'codex' });
    assert.equal(r2.diagnostics[0]?.code, 'toml/syntax');
    const dupes = '[otel]\n' + 'environment = "x"\n'.repeat(5000);
    const r3 = validateConfigText(dupes, { dialect: 'beacon' });
    assert.equal(r3.syntaxError, true);
    assert.equal(r3.diagnostics[0].range.start.line, 2);
  });

  it('treats non-string input as text instead of throwing', () => {
    const r = validateConfigText(undefined as unknown as string, { dialect: 'beacon' });
    assert.ok(Array.isArray(r.diagnostics));
  });
});
