import * as assert from 'node:assert/strict';
import { completions, cursorContext, findKeyRange, hoverMarkdown } from '../../../src/core/otel';

/** `|` marks the cursor. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return cursorContext(text, before.length - 1, before[before.length - 1].length);
}

describe('otel cursor context, hover and completion', () => {
  it('knows the key under the cursor in a table, a header and an inline table', () => {
    assert.deepEqual(at('[otel]\nenvir|onment = "x"\n').keyPath, ['otel', 'environment']);
    assert.deepEqual(at('[otel.exporter."otlp-h|ttp"]\n').keyPath, ['otel', 'exporter', 'otlp-http']);
    assert.deepEqual(at('[otel]\nexporter = { otlp-http = { proto|col = "json" } }\n').keyPath, ['otel', 'exporter', 'otlp-http', 'protocol']);
    assert.deepEqual(at('otel.exporter.otlp-grpc.end|point = "x"\n').keyPath, ['otel', 'exporter', 'otlp-grpc', 'endpoint']);
  });

  it('completes keys of the table the cursor is in', () => {
    const labels = (s: string) => completions('beacon', at(s)).map((c) => c.label).sort();
    assert.deepEqual(labels('[otel]\nenv|\n'), ['environment', 'exporter', 'log_user_prompt']);
    assert.deepEqual(labels('[otel.exporter."otlp-http"]\n|\n'), ['endpoint', 'headers', 'protocol']);
    assert.deepEqual(labels('[otel.exporter.|]\n'), ['none', 'otlp-grpc', 'otlp-http']);
    assert.ok(completions('codex', at('[otel]\n|\n')).some((c) => c.label === 'trace_exporter'));
    assert.ok(!completions('beacon', at('[otel]\n|\n')).some((c) => c.label === 'trace_exporter'));
  });

  it('completes enum values, quoted unless a quote is already typed', () => {
    const plain = completions('beacon', at('[otel.exporter."otlp-http"]\nprotocol = |\n'));
    assert.deepEqual(plain.map((c) => c.insertText), ['"binary"', '"json"']);
    const quoted = completions('beacon', at('[otel.exporter."otlp-http"]\nprotocol = "b|"\n'));
    assert.deepEqual(quoted.map((c) => c.insertText), ['binary', 'json']);
    assert.deepEqual(completions('codex', at('[otel]\nexporter = |')).map((c) => c.label), ['none', 'statsig']);
    assert.deepEqual(completions('beacon', at('[otel]\nlog_user_prompt = |')).map((c) => c.label), ['false', 'true']);
  });

  it('hovers with documentation and default, and names the other dialect for its keys', () => {
    assert.match(hoverMarkdown('beacon', ['otel', 'environment'])!, /Default: `"dev"`/);
    assert.match(hoverMarkdown('beacon', ['otel', 'exporter', 'otlp-grpc'])!, /Requires: `endpoint`, `headers`/);
    assert.match(hoverMarkdown('codex', ['otel', 'exporter', 'otlp-grpc'])!, /Requires: `endpoint`(?!,)/);
    assert.match(hoverMarkdown('beacon', ['otel', 'trace_exporter'])!, /only by upstream codex/);
    assert.equal(hoverMarkdown('beacon', ['model']), undefined);
  });

  it('finds where a dotted key is written, or its closest present table', () => {
    const text = '[otel]\nenvironment = "dev"\n[otel.exporter."otlp-grpc"]\nendpoint = "x"\n';
    assert.deepEqual(findKeyRange(text, 'otel.environment'), { start: { line: 1, character: 0 }, end: { line: 1, character: 11 } });
    assert.equal(findKeyRange(text, 'otel.exporter.otlp-grpc.headers')?.start.line, 2);
    assert.equal(findKeyRange('model = 1\n', 'otel.environment'), undefined);
  });
});
