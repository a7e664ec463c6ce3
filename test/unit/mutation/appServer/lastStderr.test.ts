// The stderr line an alert quotes as the cause (src/core/appServer/lastStderr.ts), exactly: the
// last line that reads like an error, else the last line that is not noise; each kind of noise
// skipped; the timestamp and level removed; long lines cut. Written from the sampled mutation run
// of src/core/appServer, where no test of that folder reached it.
import * as assert from 'node:assert/strict';
import { lastMeaningfulStderrLine } from '../../../../src/core/appServer/lastStderr';

describe('the stderr line that says why', () => {
  it('the last error-like line wins over later ordinary lines', () => {
    assert.equal(lastMeaningfulStderrLine(['starting', 'Error: failed to bind: address already in use', 'shutting down']), 'Error: failed to bind: address already in use');
  });

  it('each error word counts, whole words only', () => {
    for (const line of ['error here', 'it failed', 'fatal thing', "thread 'x' panicked at a.rs:1:2:", 'cannot open', "can't open", 'could not open', 'connection refused', 'permission denied', 'file not found', 'no such file', 'address already in use']) {
      assert.equal(lastMeaningfulStderrLine([line, 'later ordinary line']), line, line);
    }
    assert.equal(lastMeaningfulStderrLine(['terrorism', 'later ordinary line']), 'later ordinary line', 'a word containing "error" is not an error');
  });

  it('noise is skipped: blanks, the backtrace note and header, frames, separators, TRACE/DEBUG/INFO', () => {
    const noise = [
      '',
      '   ',
      'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
      'note: run with RUST_BACKTRACE=full',
      'stack backtrace:',
      'Backtrace',
      '   0: 0x55d4c1 - std::panicking::begin',
      '  12: code_core::run',
      '             at /rustc/abc/library/std/src/panicking.rs:665:5',
      '  at src/main.rs:10',
      '----------',
      '──── ',
      '***',
      '====',
      '2026-12-01T10:00:00Z INFO started',
      '2026-12-01T10:00:00Z DEBUG details',
      'TRACE x',
    ];
    assert.equal(lastMeaningfulStderrLine(['the cause', ...noise]), 'the cause');
    assert.equal(lastMeaningfulStderrLine(noise), undefined);
    assert.equal(lastMeaningfulStderrLine([]), undefined);
  });

  it('removes a leading timestamp and level; keeps WARN lines as fallback; cuts at 240 characters', () => {
    assert.equal(lastMeaningfulStderrLine(['2026-12-01T10:00:00.123Z ERROR codex_core: failed to load config']), 'codex_core: failed to load config');
    assert.equal(lastMeaningfulStderrLine(['2026-12-01T10:00:00Z WARN slow start']), 'slow start');
    assert.equal(lastMeaningfulStderrLine(['  padded line  ']), 'padded line');
    const long = `error ${'x'.repeat(300)}`;
    const cut = lastMeaningfulStderrLine([long])!;
    assert.equal(cut.length, 240);
    assert.equal(cut, `${long.slice(0, 239)}…`);
    assert.equal(lastMeaningfulStderrLine([`error ${'x'.repeat(234)}`]), `error ${'x'.repeat(234)}`, 'exactly 240 is kept whole');
  });

  it('the fallback is the LAST ordinary line', () => {
    assert.equal(lastMeaningfulStderrLine(['first', 'second', 'INFO x']), 'second');
  });
});
