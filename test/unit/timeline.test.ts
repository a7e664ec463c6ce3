import * as assert from 'node:assert/strict';
import { probeSeries, Timeline, transitionEvents } from '../../src/core/timeline';
import { fakeSupervisor, waitForState } from './appServer/helpers';

const H = 3600_000;

describe('server timeline: one bounded history, saved and restored', () => {
  it('keeps 24 h and at most maxEvents, oldest first, even when an event arrives late', () => {
    let now = 100 * H;
    const t = new Timeline({ now: () => now, maxEvents: 5 });
    t.add({ at: now - 25 * H, kind: 'restart', reason: 'too old' });
    t.add({ at: now - 2 * H, kind: 'probe', ms: 1 });
    t.add({ at: now - 3 * H, kind: 'panic', text: 'late arrival', file: '/h/log/code-tui.log', line: 9 });
    assert.deepEqual(t.events().map((e) => e.kind), ['panic', 'probe']);
    for (let i = 0; i < 10; i++) t.add({ at: now - H + i, kind: 'probe', ms: i });
    assert.equal(t.events().length, 5);
    assert.equal(t.count('panic'), 0, 'the panic was pushed out by the count bound');
    now += 30 * H;
    assert.equal(t.events().length, 0, 'everything ages out');
  });

  it('survives a reload through JSON; malformed saved entries are dropped, good ones kept', () => {
    const now = 50 * H;
    const a = new Timeline({ now: () => now });
    a.add({ at: now - 10, kind: 'state', from: 'starting', to: 'healthy', reason: 'initialize answered' });
    a.add({ at: now - 5, kind: 'panic', text: 'Panic occurred: boom', file: '/h/log/code-tui.log', line: 3 });
    const saved = JSON.parse(JSON.stringify(a.toJSON()));
    saved.events.push({ at: 'yesterday', kind: 'probe', ms: 1 }, { at: now - 1, kind: 'nonsense' }, { at: now - 1, kind: 'probe', ms: -4 }, null);
    const b = new Timeline({ now: () => now });
    b.add({ at: now - 1, kind: 'probe', ms: 0.5 });
    assert.equal(b.restore(saved), 2);
    assert.deepEqual(b.events(), [...a.events(), { at: now - 1, kind: 'probe', ms: 0.5 }]);
    assert.equal(b.restore('garbage'), 0);
    assert.equal(b.restore({ events: 'no' }), 0);
  });

  it('probe latency averaged per bucket for the sparkline, gaps where no probe answered', () => {
    const events = [
      { at: 0, kind: 'probe' as const, ms: 2 },
      { at: 10, kind: 'probe' as const, ms: 4 },
      { at: 99, kind: 'probe' as const, ms: 8 },
    ];
    assert.deepEqual(probeSeries(events, 0, 100, 4), [3, undefined, undefined, 8]);
  });

  it('records a real supervisor: state changes, probes, restarts after a crash', async function () {
    this.timeout(15_000);
    const t = new Timeline();
    const { supervisor } = fakeSupervisor('crash-after', { env: { FAKE_CRASH_AFTER_MS: '400' } });
    supervisor.onDidTransition((c) => transitionEvents(c).forEach((e) => t.add(e)));
    let last: number | undefined;
    supervisor.onDidChange((s) => {
      if (s.lastProbeMs !== undefined && s.lastProbeMs !== last) t.add({ at: Date.now(), kind: 'probe', ms: s.lastProbeMs });
      last = s.lastProbeMs;
    });
    try {
      await supervisor.start('test');
      await waitForState(supervisor, 'crashed', 5000);
      await waitForState(supervisor, 'healthy', 5000);
      assert.ok(t.count('probe') >= 1, 'a probe answered before the crash');
      assert.ok(t.count('restart') >= 1, 'the restart after the crash is on the timeline');
      const states = t.events().flatMap((e) => (e.kind === 'state' ? [e.to] : []));
      // A probe that meets the dying server may first record it unresponsive; the crash follows.
      const untilCrash = states.slice(0, states.indexOf('crashed') + 1);
      assert.ok(
        JSON.stringify(untilCrash) === JSON.stringify(['starting', 'healthy', 'crashed']) || JSON.stringify(untilCrash) === JSON.stringify(['starting', 'healthy', 'unresponsive', 'crashed']),
        JSON.stringify(states),
      );
    } finally {
      await supervisor.shutdown();
    }
  });
});
