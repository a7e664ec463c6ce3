// The server timeline (src/core/timeline.ts), exactly: restored events merged in time order with
// ones recorded meanwhile, the event cap at exactly its size, each restored kind with its default
// texts, probe buckets over a span (and a zero span), restarts from state changes. Written from the
// sampled mutation run of src/core.
import * as assert from 'node:assert/strict';
import { probeSeries, Timeline, transitionEvents, type TimelineEvent } from '../../src/core/timeline';
import type { StateChange } from '../../src/core/appServer/types';

const NOW = 1_000_000;

describe('server timeline, exactly', () => {
  it('restore merges saved events with those recorded meanwhile, in time order; counts only the kept ones', () => {
    const t = new Timeline({ now: () => NOW, windowMs: 100_000 });
    t.add({ at: NOW - 50, kind: 'probe', ms: 2 });
    const kept = t.restore({ version: 1, events: [{ at: NOW - 10, kind: 'probe', ms: 1 }, { at: NOW - 90, kind: 'restart', reason: 'r' }, { at: 'x', kind: 'probe', ms: 1 }, { at: NOW - 200_000, kind: 'probe', ms: 1 }] });
    assert.equal(kept, 2, 'the malformed one and the one outside the window are not kept');
    assert.deepEqual(t.events().map((e) => e.at), [NOW - 90, NOW - 50, NOW - 10]);
    assert.equal(t.restore(null), 0);
    assert.equal(t.restore({ events: 'x' }), 0);
  });

  it('keeps exactly maxEvents, the newest', () => {
    const t = new Timeline({ now: () => NOW, maxEvents: 3 });
    for (let i = 0; i < 3; i++) t.add({ at: NOW - 10 + i, kind: 'probe', ms: i });
    assert.equal(t.events().length, 3, 'exactly at the cap: nothing dropped');
    t.add({ at: NOW, kind: 'probe', ms: 9 });
    assert.deepEqual(t.events().map((e) => (e.kind === 'probe' ? e.ms : -1)), [1, 2, 9]);
  });

  it('restores each kind with its defaults, and nothing unknown', () => {
    const t = new Timeline({ now: () => NOW });
    t.restore({
      events: [
        { at: NOW - 6, kind: 'state', from: 'starting', to: 'healthy' },
        { at: NOW - 5, kind: 'restart' },
        { at: NOW - 4, kind: 'panic', text: 'boom', file: '/l/c.log', line: 3 },
        { at: NOW - 3, kind: 'panic', line: 0 },
        { at: NOW - 2, kind: 'configWarning' },
        { at: NOW - 1, kind: 'approval', text: 'run ls' },
        { at: NOW, kind: 'probe', ms: -1 },
        { at: NOW, kind: 'state', from: 'x' },
        { at: NOW, kind: 'nonsense' },
      ],
    });
    assert.deepEqual(t.events() as TimelineEvent[], [
      { at: NOW - 6, kind: 'state', from: 'starting', to: 'healthy', reason: '' },
      { at: NOW - 5, kind: 'restart', reason: '' },
      { at: NOW - 4, kind: 'panic', text: 'boom', file: '/l/c.log', line: 3 },
      { at: NOW - 3, kind: 'panic', text: '' },
      { at: NOW - 2, kind: 'configWarning', text: '' },
      { at: NOW - 1, kind: 'approval', text: 'run ls', outcome: '' },
    ]);
  });

  it('probe buckets: averages per slice, undefined where none, the end inclusive; a zero span counts as one ms', () => {
    const events: TimelineEvent[] = [
      { at: 0, kind: 'probe', ms: 2 },
      { at: 10, kind: 'probe', ms: 4 },
      { at: 99, kind: 'probe', ms: 6 },
      { at: 100, kind: 'probe', ms: 8 },
      { at: 101, kind: 'probe', ms: 100 },
      { at: 50, kind: 'restart', reason: '' },
    ];
    assert.deepEqual(probeSeries(events, 0, 100, 4), [3, undefined, undefined, 7]);
    assert.deepEqual(probeSeries([{ at: 5, kind: 'probe', ms: 1 }], 5, 5, 3), [1, undefined, undefined]);
  });

  it('a state change is one event; a start after anything but stopped is also a restart', () => {
    const c = (from: string, to: string) => ({ at: 7, from, to, reason: 'why' }) as StateChange;
    assert.deepEqual(transitionEvents(c('stopped', 'starting')), [{ at: 7, kind: 'state', from: 'stopped', to: 'starting', reason: 'why' }]);
    assert.deepEqual(transitionEvents(c('crashed', 'starting')), [
      { at: 7, kind: 'state', from: 'crashed', to: 'starting', reason: 'why' },
      { at: 7, kind: 'restart', reason: 'why' },
    ]);
    assert.equal(transitionEvents(c('starting', 'healthy')).length, 1);
  });
});
