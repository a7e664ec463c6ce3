// Panic assembly (src/core/logs/panicAssembler.ts), whole events: every field of what it emits for
// each form Code writes (fixtures built from Code's sources: test/fixtures/logs/panicShapes.ts),
// which lines it takes (the return value of push), where one panic ends (a new log event, a note,
// an unrelated line after a backtrace or after a hook line), the line metadata kept, masking and
// bounds; then the one-line summary, the identity and the same-panic rule. Written from the
// survivors of `npm run mutation -- --per-folder --sample 10` (logs).
import * as assert from 'node:assert/strict';
import { PanicAssembler, panicIdentity, panicSummary, samePanic, type LineMeta, type PanicEvent } from '../../../../src/core/logs/panicAssembler';
import { defaultHookPanic, hookDebugPanic, iso, SAMPLE, tracingPanic } from '../../../fixtures/logs/panicShapes';

const T = Date.parse('2026-12-01T10:05:00Z');
/** What the clock says when a line carries no time of its own. */
const NOW = T + 999;

function run(lines: Array<string | [string, LineMeta]>): { events: unknown[]; taken: boolean[] } {
  const out: PanicEvent[] = [];
  const a = new PanicAssembler((e) => out.push(e), { source: 'critical', settleMs: 0, now: () => NOW });
  const taken = lines.map((l) => (typeof l === 'string' ? a.push(l) : a.push(l[0], l[1])));
  a.flush();
  // undefined fields are absent, as in the JSON the timeline and alerts keep
  return { events: JSON.parse(JSON.stringify(out)) as unknown[], taken };
}

const lines = (text: string) => text.split('\n').filter(Boolean);
const LOCATION = { file: SAMPLE.file, line: SAMPLE.line, column: SAMPLE.column };
const HOOK_LINE = lines(hookDebugPanic())[0];
const DEFAULT_LINE = `thread '${SAMPLE.thread}' panicked at ${SAMPLE.file}:${SAMPLE.line}:${SAMPLE.column}:`;

describe('panic assembly, whole events', () => {
  it("Code's TUI hook: the event line and its message; the next log event is not taken", () => {
    const r = run([...lines(tracingPanic(T)), `${new Date(T + 5).toISOString()}  INFO next event`]);
    assert.deepEqual(r.taken, [true, true, false]);
    assert.deepEqual(r.events, [
      { forms: ['tracing'], location: LOCATION, thread: SAMPLE.thread, message: SAMPLE.message, timestampMs: T, source: 'critical', startLine: lines(tracingPanic(T))[0] },
    ]);
    assert.ok(iso(T).startsWith('2026-12-01T10:05:00.000'));
  });

  it("the server hook's line and the default hook's lines after it: one panic in both forms; the note ends it", () => {
    const r = run([...lines(hookDebugPanic()), ...lines(defaultHookPanic()), 'unrelated after the note']);
    assert.deepEqual(r.taken, [true, true, true, true, false]);
    assert.deepEqual(r.events, [{ forms: ['hook-debug', 'default-hook'], location: LOCATION, thread: SAMPLE.thread, message: SAMPLE.message, timestampMs: NOW, source: 'critical', startLine: HOOK_LINE }]);
  });

  it('a backtrace: its header and frames are taken, the first unrelated line is not', () => {
    const r = run([...lines(defaultHookPanic(SAMPLE, true)), 'unrelated']);
    assert.deepEqual(r.taken, [true, true, true, true, true, true, false]);
    assert.deepEqual(r.events, [{ forms: ['default-hook'], location: LOCATION, thread: SAMPLE.thread, message: SAMPLE.message, timestampMs: NOW, source: 'critical', startLine: DEFAULT_LINE }]);
  });

  it('a server hook line with no default hook behind it ends at the next line', () => {
    const r = run([HOOK_LINE, 'unrelated line']);
    assert.deepEqual(r.taken, [true, false]);
    assert.deepEqual(r.events, [{ forms: ['hook-debug'], location: LOCATION, timestampMs: NOW, source: 'critical', startLine: HOOK_LINE }]);
  });

  it('a bare "Panic occurred: …" with its own time: the rest of the line is the message, secrets masked', () => {
    const r = run(['2026-12-01T10:05:00.000Z ERROR main Panic occurred: boom token=sk-abcdefghijklmnopqrstuvwx']);
    assert.deepEqual(r.events, [{ forms: ['hook-debug'], message: 'boom token=****', timestampMs: T, source: 'critical', startLine: '2026-12-01T10:05:00.000Z ERROR main Panic occurred: boom token=****' }]);
  });

  it("the first line's metadata (file, offset, line number, history, the time above it) is kept; message lines joined and masked", () => {
    const r = run([["thread 'main' panicked at src/a.rs:1:2:", { file: '/x/critical.log', offset: 10, lineNumber: 3, timestampMs: T - 5, history: true }], 'msg line 1 password=hunter2', 'msg line 2']);
    assert.deepEqual(r.taken, [true, true, true]);
    assert.deepEqual(r.events, [
      {
        forms: ['default-hook'],
        location: { file: 'src/a.rs', line: 1, column: 2 },
        thread: 'main',
        message: 'msg line 1 password=****\nmsg line 2',
        timestampMs: T - 5,
        source: 'critical',
        file: '/x/critical.log',
        offset: 10,
        lineNumber: 3,
        startLine: "thread 'main' panicked at src/a.rs:1:2:",
        history: true,
      },
    ]);
  });

  it('two panics at different places are two events; a message keeps at most 20 lines', () => {
    const r = run([...lines(defaultHookPanic()), ...lines(defaultHookPanic({ ...SAMPLE, line: 900 }))]);
    assert.deepEqual(
      (r.events as PanicEvent[]).map((e) => [e.location?.line, e.message]),
      [
        [812, SAMPLE.message],
        [900, SAMPLE.message],
      ],
    );
    const long = run(["thread 'main' panicked at src/a.rs:1:2:", ...Array.from({ length: 25 }, (_, i) => `line ${i}`)]);
    assert.equal((long.events[0] as PanicEvent).message, Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n'));
  });

  it('flushIfComplete keeps a panic whose message has not arrived, completes one that has it', () => {
    const out: PanicEvent[] = [];
    const a = new PanicAssembler((e) => out.push(e), { source: 'stderr', settleMs: 0, now: () => NOW });
    a.push("thread 'main' panicked at src/a.rs:1:2:");
    a.flushIfComplete();
    assert.equal(out.length, 0);
    assert.equal(a.open, true);
    a.push('the message');
    a.flushIfComplete();
    assert.deepEqual(out.map((e) => [e.source, e.message]), [['stderr', 'the message']]);
    assert.equal(a.open, false);
  });

  it('a panic completes by itself after settleMs', async () => {
    const out: PanicEvent[] = [];
    const a = new PanicAssembler((e) => out.push(e), { source: 'stderr', settleMs: 20 });
    a.push("thread 'main' panicked at src/a.rs:1:2:");
    a.push('boom');
    assert.equal(out.length, 0);
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(out.map((e) => e.message), ['boom']);
    a.dispose();
  });
});

describe('panic summary, identity and sameness', () => {
  const location = { file: 'a.rs', line: 1, column: 2 };
  it('summary: where, the first message line and the thread; a bare hook line from its marker on', () => {
    assert.equal(panicSummary({ location, message: 'boom\nmore', thread: 't', startLine: 'x' }), "panicked at a.rs:1:2: boom (thread 't')");
    assert.equal(panicSummary({ location, startLine: 's' }), 'panicked at a.rs:1:2');
    assert.equal(panicSummary({ startLine: '2026 ERROR Panic occurred: x' }), 'Panic occurred: x');
    assert.equal(panicSummary({ startLine: 'Panic occurred at start' }), 'Panic occurred at start');
    assert.equal(panicSummary({ startLine: 'something else' }), 'something else');
  });

  it('identity: location and first message line', () => {
    assert.equal(panicIdentity({ location, message: 'boom\nmore' }), 'a.rs:1:2|boom');
    assert.equal(panicIdentity({}), '|');
  });

  it('sameness: different places differ; the same place with one message missing or the same first line agrees', () => {
    assert.equal(samePanic({}, {}), true);
    assert.equal(samePanic({ location }, { location: { ...location, line: 2 } }), false);
    assert.equal(samePanic({ message: 'a' }, { message: 'b' }), false);
    assert.equal(samePanic({ message: 'a' }, {}), true);
    assert.equal(samePanic({ location, message: 'a\nx' }, { location, message: ' a \ny' }), true);
    assert.equal(samePanic({ location }, {}), true);
    assert.equal(samePanic({ location, message: 'a' }, { location, message: 'b' }), false);
  });
});
