import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AlertScanner, CodeLogFollowers, defaultAlertRules, eventKey, lineLevel, lineNumberAt, type LineChunk, type LogAlert } from '../../../src/core/logs';
import { codeHomePaths } from '../../../src/core/codeHome';
import { tempDir, waitFor } from './helpers';

const chunk = (text: string, history = false, offset = 0): LineChunk => ({ file: '/x/code-tui.log', offset, bytes: Buffer.from(text), history });
const T0 = Date.parse('2025-12-24T13:51:20Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace('Z', '000Z');

describe('alert rules', () => {
  it('reads the level of both log formats and nothing from other text', () => {
    assert.equal(lineLevel('2025-12-24T13:51:20.921578Z  WARN failed to persist'), 'WARN');
    assert.equal(lineLevel('2025-12-24T13:51:20.921652Z ERROR main ThreadId(01) failed'), 'ERROR');
    assert.equal(lineLevel('2025-12-24T13:51:20Z TRACE x'), 'TRACE');
    assert.equal(lineLevel('ERROR at the start'), null);
    assert.equal(lineLevel('2025-12-24T13:51:20.921578Z  NOTICE x'), null);
  });

  it('makes a panic critical with its file, offset and masked text', () => {
    const scanner = new AlertScanner(defaultAlertRules(), { sinceMs: 0 });
    const first = `${at(0)}  INFO fine\n`;
    const { alerts } = scanner.scan('code-tui', chunk(`${first}${at(1)} ERROR Panic occurred: thread main panicked; Authorization: Bearer abcdefghijkl\r\n`, false, 100));
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].severity, 'critical');
    assert.equal(alerts[0].ruleId, 'panic');
    assert.equal(alerts[0].offset, 100 + Buffer.byteLength(first));
    assert.ok(alerts[0].panic?.startLine.startsWith(`${at(1)} ERROR Panic occurred: thread main panicked; Authorization: `));
    assert.ok(alerts[0].line.startsWith('Panic occurred: thread main panicked; Authorization: '), alerts[0].line);
    assert.ok(!alerts[0].line.includes('abcdefghijkl') && alerts[0].line.includes('****'), alerts[0].line);
    assert.ok(!alerts[0].line.endsWith('\r'));
    assert.equal(alerts[0].timestampMs, T0 + 1000);
  });

  it('counts ERROR lines by their level field only', () => {
    const scanner = new AlertScanner(defaultAlertRules(), { sinceMs: 0 });
    const text = [`${at(0)} ERROR one`, `${at(0)}  INFO saw the word Z ERROR inside a message`, `${at(0)} ERROR main ThreadId(01) two`, 'ERROR not a log line', ''].join('\n');
    const { counts } = scanner.scan('critical', chunk(text));
    assert.equal(counts.errors, 2);
    assert.equal(scanner.totals.errors, 2);
  });

  it('raises one warning per burst of errors within the configured window', () => {
    const scanner = new AlertScanner(defaultAlertRules({ count: 3, windowSeconds: 10 }), { sinceMs: 0 });
    const lines = (secs: number[]) => secs.map((s) => `${at(s)} ERROR e${s}\n`).join('');
    assert.deepEqual(scanner.scan('code-tui', chunk(lines([0, 20, 40]))).alerts, [], 'spread out: no burst');
    const { alerts } = scanner.scan('code-tui', chunk(lines([50, 51, 52, 53, 54, 55])));
    assert.deepEqual(
      alerts.map((a: LogAlert) => [a.ruleId, a.severity, a.count, a.line.slice(-3)]),
      [
        ['error-burst', 'warning', 3, 'e52'],
        ['error-burst', 'warning', 3, 'e55'],
      ],
    );
  });

  it('ignores history lines from before it started, but not live lines', () => {
    const scanner = new AlertScanner(defaultAlertRules(), { sinceMs: T0 + 5000 });
    const old = `${at(0)} ERROR Panic occurred old\n`;
    assert.deepEqual(scanner.scan('code-tui', chunk(old, true)), { alerts: [], counts: { errors: 0 } });
    assert.equal(scanner.scan('code-tui', chunk(`${at(9)} ERROR Panic occurred new\n`, true)).alerts.length, 1);
    assert.equal(scanner.scan('code-tui', chunk('no timestamp: Panic occurred\n', false)).alerts.length, 1);
  });

  it('identifies the same event in both logs', () => {
    assert.equal(
      eventKey('2025-12-24T13:51:20.921652Z ERROR main ThreadId(01) Panic occurred: boom'),
      eventKey('2025-12-24T13:51:20.921578Z ERROR Panic occurred: boom'),
    );
  });

  it('finds the line number of an alert from its offset', async () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'a.log');
      fs.writeFileSync(file, 'one\ntwo\nthree\n');
      assert.equal(await lineNumberAt(file, 0), 1);
      assert.equal(await lineNumberAt(file, 8), 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('CodeLogFollowers tags lines by source, counts errors and alerts on a new panic in either log', async () => {
    const dir = tempDir();
    const paths = codeHomePaths(dir);
    fs.mkdirSync(paths.logDir);
    fs.mkdirSync(paths.logsDir);
    fs.writeFileSync(paths.tuiLog, `${at(0)} ERROR Panic occurred: from before\n`);
    const logs = new CodeLogFollowers({ paths, pollIntervalMs: 20 });
    const sources: string[] = [];
    const alerts: LogAlert[] = [];
    logs.onChunk((c) => sources.push(c.source));
    logs.onAlert((a) => alerts.push(a));
    logs.start();
    try {
      await waitFor('history', () => sources.length === 1);
      const now = new Date().toISOString();
      fs.appendFileSync(paths.tuiLog, `${now} ERROR Panic occurred: now\n`);
      fs.appendFileSync(path.join(paths.logsDir, `critical.log.${now.slice(0, 10)}`), `${now} ERROR main ThreadId(01) Panic occurred: now\n`);
      await waitFor('both alerts', () => alerts.length === 2);
      assert.deepEqual(alerts.map((a) => a.source).sort(), ['code-tui', 'critical']);
      assert.deepEqual(logs.errorsBySource, { 'code-tui': 1, critical: 1 });
    } finally {
      logs.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
