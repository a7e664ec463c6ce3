// The panic ledger (src/core/logs/panicLedger.ts) and panic first lines (panicFormat.ts), exactly:
// seen() never records, claim() records once per panic within the window, a later sighting fills
// in a message, loaded entries are checked and bounded, old entries pruned, the cap kept; the
// tracing form's location from its fields when the `panic=` text has none; which lines are
// backtrace frames. Written from the sampled mutation run of src/core/logs.
import * as assert from 'node:assert/strict';
import { PanicLedger } from '../../../../src/core/logs/panicLedger';
import { continuationKind, parsePanicStart } from '../../../../src/core/logs/panicFormat';

const at = { file: 'a.rs', line: 1, column: 2 };

describe('panic ledger, exactly', () => {
  it('seen() asks without recording; claim() records once; a later message fills in; the window bounds sameness', () => {
    // the ledger prunes by the clock: times are taken when the test runs
    const NOW = Date.now();
    const ledger = new PanicLedger({ windowMs: 1000 });
    let changes = 0;
    ledger.onChange = () => changes++;
    assert.equal(ledger.seen({ location: at, timestampMs: NOW }), false);
    assert.equal(ledger.seen({ location: at, timestampMs: NOW }), false, 'seen() does not record');
    assert.equal(ledger.claim({ location: at, timestampMs: NOW }), true);
    assert.equal(ledger.seen({ location: at, message: 'boom\nmore', timestampMs: NOW + 500 }), true);
    assert.equal(ledger.claim({ location: at, message: 'boom\nmore', timestampMs: NOW + 500 }), false, 'the same panic from another source');
    assert.deepEqual(ledger.snapshot(), [{ l: 'a.rs:1:2', m: 'boom', t: NOW }], 'its message was filled in');
    assert.equal(changes, 2);
    assert.equal(ledger.claim({ location: at, message: 'other', timestampMs: NOW + 600 }), true, 'another message at the same place is another panic');
    assert.equal(ledger.claim({ location: at, message: 'boom', timestampMs: NOW + 1500 }), true, 'outside the window: again');
    assert.equal(ledger.claim({ location: { ...at, line: 9 }, message: 'boom', timestampMs: NOW }), true, 'another place');
    assert.equal(ledger.snapshot().length, 4);
  });

  it('load() keeps well-formed entries (bounded), drops the rest and what is older than keepMs; the cap keeps the newest', () => {
    const NOW = Date.now();
    const ledger = new PanicLedger({ keepMs: 10_000, maxEntries: 2 });
    ledger.load('nope');
    ledger.load([{ l: 'x'.repeat(1200), m: 'm'.repeat(400), t: NOW }, { l: 'a', m: 'b', t: 'now' }, null, { l: 'a', m: 'b', t: Number.NaN }, { l: 'old', m: '', t: NOW - 20_000 }]);
    assert.deepEqual(ledger.snapshot(), [{ l: 'x'.repeat(1000), m: 'm'.repeat(300), t: NOW }]);
    ledger.claim({ location: at, timestampMs: NOW + 1 });
    ledger.claim({ location: { ...at, line: 5 }, timestampMs: NOW + 2 });
    assert.deepEqual(ledger.snapshot().map((e) => e.l), ['a.rs:1:2', 'a.rs:5:2'], 'at most two, the newest');
    const copy = ledger.snapshot() as unknown[];
    copy.length = 0;
    assert.equal(ledger.snapshot().length, 2, 'snapshot() is a copy');
  });
});

describe('panic first lines and continuations, exactly', () => {
  it('the tracing form takes its location from file/line/column when the panic text has none', () => {
    const line = '2026-12-01T10:05:00.000Z ERROR panic captured thread_name="main" file="src/x.rs" line=12 column=7 panic=boom';
    assert.deepEqual(parsePanicStart(line)?.location, { file: 'src/x.rs', line: 12, column: 7 });
    const noColumn = '2026-12-01T10:05:00.000Z ERROR panic captured thread_name="main" file="src/x.rs" line=12 panic=boom';
    assert.deepEqual(parsePanicStart(noColumn)?.location, { file: 'src/x.rs', line: 12, column: 0 });
    const noLine = '2026-12-01T10:05:00.000Z ERROR panic captured thread_name="main" file="src/x.rs" panic=boom';
    assert.equal(parsePanicStart(noLine)?.location, undefined);
    const noFile = '2026-12-01T10:05:00.000Z ERROR panic captured thread_name="main" line=12 panic=boom';
    assert.equal(parsePanicStart(noFile)?.location, undefined);
    const both = '2026-12-01T10:05:00.000Z ERROR panic captured file="f.rs" line=1 column=1 panic=panicked at g.rs:2:3:';
    assert.deepEqual(parsePanicStart(both)?.location, { file: 'g.rs', line: 2, column: 3 }, 'the panic text wins');
  });

  it('frames are indented numbers or `at` lines; notes and backtrace headers by their words', () => {
    assert.equal(continuationKind('   0: rust_begin_unwind'), 'frame');
    assert.equal(continuationKind('  12: code_core::run'), 'frame');
    assert.equal(continuationKind('             at /rustc/abc/library/std/src/panicking.rs:665:5'), 'frame');
    assert.equal(continuationKind('0: not indented'), 'text');
    assert.equal(continuationKind('   x: not a number'), 'text');
    assert.equal(continuationKind('   12:no space'), 'text');
    assert.equal(continuationKind('   atlas is a word'), 'text');
    assert.equal(continuationKind('note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace'), 'note');
    assert.equal(continuationKind('note: Some details are omitted, run with `RUST_BACKTRACE=full`'), 'note');
    assert.equal(continuationKind('stack backtrace:'), 'backtrace-header');
    assert.equal(continuationKind('Backtrace:'), 'backtrace-header');
    assert.equal(continuationKind('index out of bounds'), 'text');
  });
});
