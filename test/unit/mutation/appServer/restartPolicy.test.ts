// Restart policy edges the mutation run found untested: the checklist's
// defaults (more than 3 restarts in 10 minutes is a crash loop), the exact edge
// of the sliding window, and a count that drops as time passes without a new
// failure. Equivalent mutants (see README, "Mutation testing"): the initial
// and reset values of the restart list are pruned before every read.
import * as assert from 'node:assert/strict';
import { DEFAULT_RESTART_POLICY, RestartPolicy } from '../../../../src/core/appServer/restartPolicy';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RestartPolicy defaults and window edges', () => {
  it('defaults to the checklist: 3 restarts in 10 minutes, backoff 1 s doubling, capped at 30 s, 20 % jitter', () => {
    const c = clock();
    const p = new RestartPolicy({ ...DEFAULT_RESTART_POLICY, now: c.now, random: () => 0.5 });
    const delays = [1, 2, 3].map(() => {
      const d = p.next();
      assert.equal(d.restart, true);
      return d.restart ? d.delayMs : -1;
    });
    assert.deepEqual(delays, [1000, 2000, 4000]);
    assert.deepEqual(p.next(), { restart: false, restartsInWindow: 3 });
    c.advance(10 * 60_000 - 1);
    assert.equal(p.next().restart, false, 'still inside ten minutes');
    c.advance(1);
    assert.equal(p.next().restart, true, 'ten minutes after the first restart it has left the window');
    assert.equal(p.delayFor(10), 30_000, 'capped at 30 s');
    const low = new RestartPolicy({ ...DEFAULT_RESTART_POLICY, random: () => 0 });
    const high = new RestartPolicy({ ...DEFAULT_RESTART_POLICY, random: () => 1 });
    assert.equal(low.delayFor(2), 1600, '20 % below');
    assert.equal(high.delayFor(2), 2400, '20 % above');
  });

  it('forgets a restart exactly one window after it (the window is half-open)', () => {
    const c = clock();
    const p = new RestartPolicy({ maxRestarts: 1, windowMs: 1000, baseDelayMs: 10, maxDelayMs: 10, jitter: 0, now: c.now });
    assert.equal(p.next().restart, true);
    c.advance(999);
    assert.equal(p.restartsInWindow, 1);
    c.advance(1);
    assert.equal(p.restartsInWindow, 0);
    assert.equal(p.next().restart, true);
  });

  it('lowers restartsInWindow as time passes, without a new failure', () => {
    const c = clock();
    const p = new RestartPolicy({ maxRestarts: 5, windowMs: 1000, baseDelayMs: 10, maxDelayMs: 10, jitter: 0, now: c.now });
    p.next();
    c.advance(500);
    p.next();
    assert.equal(p.restartsInWindow, 2);
    c.advance(600);
    assert.equal(p.restartsInWindow, 1);
    c.advance(500);
    assert.equal(p.restartsInWindow, 0);
  });

  it('counts from zero after reset, and a fresh policy starts at zero', () => {
    const c = clock();
    const p = new RestartPolicy({ maxRestarts: 2, windowMs: 1000, baseDelayMs: 10, maxDelayMs: 100, jitter: 0, now: c.now });
    assert.equal(p.restartsInWindow, 0);
    p.next();
    p.next();
    p.reset();
    assert.equal(p.restartsInWindow, 0);
    assert.deepEqual(p.next(), { restart: true, delayMs: 10, restartsInWindow: 1 });
  });
});
