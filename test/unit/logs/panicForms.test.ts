import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeHomePaths } from '../../../src/core/codeHome';
import {
  AlertScanner,
  CodeLogFollowers,
  defaultAlertRules,
  describeLine,
  findPanics,
  PanicAssembler,
  PanicLedger,
  parsePanicStart,
  recentPanics,
  type LogAlert,
  type PanicEvent,
} from '../../../src/core/logs';
import { defaultHookPanic, hookDebugPanic, SAMPLE, tracingPanic } from '../../fixtures/logs/panicShapes';
import { tempDir, waitFor } from './helpers';

const T = Date.parse('2026-12-01T10:05:00Z');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function assemble(text: string): PanicEvent[] {
  const out: PanicEvent[] = [];
  const a = new PanicAssembler((e) => out.push(e), { source: 'stderr', settleMs: 0, now: () => T });
  for (const line of text.split('\n')) if (line) a.push(line);
  a.flush();
  return out;
}

describe('panics in the three forms Code writes', () => {
  it('parses each form\'s first line: location, thread, time', () => {
    const a = parsePanicStart(tracingPanic(T).split('\n')[0]);
    assert.deepEqual([a?.form, a?.location, a?.thread, a?.timestampMs], ['tracing', { file: SAMPLE.file, line: 812, column: 21 }, 'tokio-runtime-worker', T]);
    const b = parsePanicStart(hookDebugPanic().trim());
    assert.deepEqual([b?.form, b?.location], ['hook-debug', { file: SAMPLE.file, line: 812, column: 21 }]);
    const c = parsePanicStart(defaultHookPanic().split('\n')[0]);
    assert.deepEqual([c?.form, c?.location, c?.thread, c?.message], ['default-hook', { file: SAMPLE.file, line: 812, column: 21 }, 'tokio-runtime-worker', undefined]);
    // newer toolchains add the thread id; older ones put the message first
    assert.equal(parsePanicStart("thread 'main' (4242) panicked at src/main.rs:2:5:")?.thread, 'main');
    const old = parsePanicStart("thread 'main' panicked at 'boom', src/main.rs:2:5");
    assert.deepEqual([old?.message, old?.location?.line], ['boom', 2]);
    assert.equal(parsePanicStart('2026-12-01T10:05:00Z  INFO nothing panicked here'), undefined);
    assert.equal(parsePanicStart(SAMPLE.message), undefined);
  });

  it('joins the message line of Code\'s TUI hook (no timestamp) into the panic', () => {
    const [e, ...rest] = assemble(tracingPanic(T) + `${new Date(T + 5).toISOString()}  INFO next event\n`);
    assert.equal(rest.length, 0);
    assert.equal(e.message, SAMPLE.message);
    assert.equal(e.thread, SAMPLE.thread);
    assert.equal(e.timestampMs, T);
  });

  it('makes ONE panic of the server hook\'s line and the default hook\'s lines after it on stderr', () => {
    const events = assemble(hookDebugPanic() + defaultHookPanic());
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].forms, ['hook-debug', 'default-hook']);
    assert.equal(events[0].message, SAMPLE.message);
    assert.equal(events[0].thread, SAMPLE.thread);
    // with RUST_BACKTRACE: the server hook's Backtrace:, then the default hook's stack backtrace
    const bt = assemble(`${hookDebugPanic()}Backtrace:\n   0: code_app_server::main\n${defaultHookPanic(SAMPLE, true)}after the panic\n`);
    assert.equal(bt.length, 1);
    assert.equal(bt[0].message, SAMPLE.message);
  });

  it('keeps two different panics apart and masks secrets in the message', () => {
    const other = { ...SAMPLE, line: 99, message: 'called `Result::unwrap()` on an `Err` value: Authorization: Bearer abcdefghijklmnop' };
    const events = assemble(defaultHookPanic() + defaultHookPanic(other));
    assert.equal(events.length, 2);
    assert.ok(!events[1].message!.includes('abcdefghijklmnop'), events[1].message);
  });

  it('marks only the line that starts a panic (tail --json `panic`)', () => {
    const [first, second] = tracingPanic(T).split('\n');
    assert.equal(describeLine('critical', 'f', first).panic, true);
    assert.equal(describeLine('critical', 'f', second).panic, false);
    assert.equal(describeLine('critical', 'f', "thread 'main' panicked at src/a.rs:1:1:").panic, true);
  });

  it('one alert per panic: the ledger joins the TUI log, critical.log, stderr and the default hook', () => {
    const ledger = new PanicLedger();
    const loc = { file: SAMPLE.file, line: 812, column: 21 };
    assert.equal(ledger.claim({ location: loc, timestampMs: T }), true, 'stderr, server hook, no message yet');
    assert.equal(ledger.claim({ location: loc, message: SAMPLE.message, timestampMs: T + 200 }), false, 'default hook');
    assert.equal(ledger.claim({ location: loc, message: SAMPLE.message, timestampMs: T + 300 }), false, 'critical.log');
    assert.equal(ledger.claim({ location: loc, message: 'another message', timestampMs: T + 300 }), true, 'same place, another message: another panic');
  });
});

describe('findPanics and the alerts over real log files', () => {
  let home: string;
  beforeEach(() => (home = tempDir('code-ops-panicforms-')));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('finds a TUI-hook panic written to both logs once, with location, thread, message and time (Beacon layout)', async () => {
    const p = codeHomePaths(home);
    fs.mkdirSync(p.logDir);
    fs.mkdirSync(p.logsDir);
    fs.writeFileSync(p.tuiLog, `${new Date(T - 1000).toISOString()}  INFO start\n${tracingPanic(T, SAMPLE, 'tui')}`);
    fs.writeFileSync(path.join(p.logsDir, `critical.log.${day(T)}`), tracingPanic(T));
    const hits = await findPanics(p, T - 3_600_000);
    assert.equal(hits.length, 1, JSON.stringify(hits));
    assert.equal(hits[0].lineNumber, 2);
    assert.equal(hits[0].line, `panicked at ${SAMPLE.file}:812:21: ${SAMPLE.message} (thread '${SAMPLE.thread}')`);
    assert.equal(hits[0].timestampMs, T);
  });

  it('finds panics in Code\'s debug_logs/ layout (codex-tui.log)', async () => {
    const dir = path.join(home, 'debug_logs');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'codex-tui.log'), tracingPanic(T, SAMPLE, 'tui'));
    const hits = await findPanics(codeHomePaths(home), T - 1000);
    assert.deepEqual(hits.map((h) => [path.basename(h.file), h.message]), [['codex-tui.log', SAMPLE.message]]);
  });

  it('an alert carries the joined panic even when its message line arrives in the next chunk', () => {
    const late: LogAlert[] = [];
    const scanner = new AlertScanner(defaultAlertRules(), { sinceMs: 0, onLateAlert: (a) => late.push(a) });
    const [first, second] = tracingPanic(T).split('\n');
    const chunk = (text: string, offset: number) => ({ file: '/x/critical.log', offset, bytes: Buffer.from(text), history: false });
    assert.deepEqual(scanner.scan('critical', chunk(`${first}\n`, 0)).alerts, []);
    const { alerts } = scanner.scan('critical', chunk(`${second}\n${new Date(T).toISOString()}  INFO after\n`, first.length + 1));
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].panic?.message, SAMPLE.message);
    assert.equal(alerts[0].offset, 0);
    assert.equal(late.length, 0);
    scanner.dispose();
  });

  it('CodeLogFollowers alerts on a live TUI-hook panic with its message and location', async () => {
    const p = codeHomePaths(home);
    fs.mkdirSync(p.logsDir, { recursive: true });
    const logs = new CodeLogFollowers({ paths: p, pollIntervalMs: 20 });
    const alerts: LogAlert[] = [];
    logs.onAlert((a) => alerts.push(a));
    logs.start();
    try {
      await logs.poll();
      const now = Date.now();
      fs.appendFileSync(path.join(p.logsDir, `critical.log.${day(now)}`), tracingPanic(now));
      await waitFor('the panic alert', () => alerts.length === 1);
      assert.equal(alerts[0].panic?.message, SAMPLE.message);
      assert.equal(alerts[0].panic?.thread, SAMPLE.thread);
      assert.match(alerts[0].line, /panicked at code-rs\/core\/src\/codex\.rs:812:21: index out of bounds/);
    } finally {
      logs.dispose();
    }
  });
});

describe('panics already in the logs at activation', () => {
  let home: string;
  beforeEach(() => (home = tempDir('code-ops-recent-')));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  /** Workspace state as the editor keeps it: JSON between sessions. */
  function session(stored: unknown): { ledger: PanicLedger; saved: () => unknown } {
    const ledger = new PanicLedger();
    ledger.load(stored === undefined ? undefined : JSON.parse(JSON.stringify(stored)));
    let saved: unknown = stored;
    ledger.onChange = (entries) => (saved = JSON.parse(JSON.stringify(entries)));
    return { ledger, saved: () => saved };
  }

  it('are alerted at the first activation only; the next activation shows them without alerting', async () => {
    const p = codeHomePaths(home);
    fs.mkdirSync(p.logsDir, { recursive: true });
    const now = Date.now();
    const old = now - 30 * 3_600_000;
    fs.writeFileSync(path.join(p.logsDir, `critical.log.${day(old)}`), tracingPanic(old, { ...SAMPLE, line: 1 }));
    fs.writeFileSync(path.join(p.logsDir, `critical.log.${day(now)}`), tracingPanic(now - 3_600_000) + tracingPanic(now - 60_000, { ...SAMPLE, line: 2, message: 'other' }));
    const first = session(undefined);
    const a = await recentPanics(p, first.ledger, now);
    assert.equal(a.all.length, 2, 'the 30 h old panic is outside the window');
    assert.equal(a.unseen.length, 2);
    const second = session(first.saved());
    const b = await recentPanics(p, second.ledger, now + 1000);
    assert.deepEqual([b.all.length, b.unseen.length], [2, 0]);
    // a new panic after that is alerted, the old ones still not
    fs.appendFileSync(path.join(p.logsDir, `critical.log.${day(now)}`), tracingPanic(now, { ...SAMPLE, line: 3 }));
    const third = session(second.saved());
    const c = await recentPanics(p, third.ledger, now + 2000);
    assert.deepEqual(c.unseen.map((h) => h.location?.line), [3]);
  });

  it('a panic the server feature already alerted from stderr is not alerted again from the logs', async () => {
    const p = codeHomePaths(home);
    fs.mkdirSync(p.logsDir, { recursive: true });
    const now = Date.now();
    const ledger = new PanicLedger();
    const [stderrPanic] = assemble(hookDebugPanic() + defaultHookPanic());
    assert.equal(ledger.claim({ ...stderrPanic, timestampMs: now - 500 }), true);
    fs.writeFileSync(path.join(p.logsDir, `critical.log.${day(now)}`), tracingPanic(now - 400));
    const r = await recentPanics(p, ledger, now);
    assert.deepEqual([r.all.length, r.unseen.length], [1, 0]);
  });
});
