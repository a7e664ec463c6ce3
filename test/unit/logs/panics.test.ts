import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeHomePaths } from '../../../src/core/codeHome';
import { findPanics, listCriticalLogs, scanFileForPanics } from '../../../src/core/logs';

function tempHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-panics-'));
  fs.mkdirSync(path.join(dir, 'log'));
  fs.mkdirSync(path.join(dir, 'logs'));
  return dir;
}

describe('listCriticalLogs', () => {
  let home: string;
  beforeEach(() => (home = tempHome()));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('lists the dated members oldest first and ignores other files', async () => {
    const logs = path.join(home, 'logs');
    for (const n of ['critical.log.2025-12-24', 'critical.log.2025-01-02', 'critical.log.2025-12-23', 'other.log', 'critical.log.bak', 'critical.log.2025-12-24.gz']) {
      fs.writeFileSync(path.join(logs, n), 'x\n');
    }
    assert.deepEqual(
      (await listCriticalLogs(logs)).map((f) => path.basename(f)),
      ['critical.log.2025-01-02', 'critical.log.2025-12-23', 'critical.log.2025-12-24'],
    );
  });

  it('includes a plain critical.log, ordered by its modification day', async () => {
    const logs = path.join(home, 'logs');
    fs.writeFileSync(path.join(logs, 'critical.log.2025-12-20'), 'a\n');
    fs.writeFileSync(path.join(logs, 'critical.log.2025-12-24'), 'b\n');
    fs.writeFileSync(path.join(logs, 'critical.log'), 'c\n');
    const day = new Date(Date.UTC(2025, 11, 22, 12));
    fs.utimesSync(path.join(logs, 'critical.log'), day, day);
    assert.deepEqual(
      (await listCriticalLogs(logs)).map((f) => path.basename(f)),
      ['critical.log.2025-12-20', 'critical.log', 'critical.log.2025-12-24'],
    );
  });

  it('returns [] for a missing folder', async () => {
    assert.deepEqual(await listCriticalLogs(path.join(home, 'nope')), []);
  });
});

describe('findPanics', () => {
  let home: string;
  beforeEach(() => (home = tempHome()));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('reports panic lines since a time from code-tui.log and the critical family, with 1-based line numbers and secrets masked', async () => {
    const p = codeHomePaths(home);
    fs.writeFileSync(
      p.tuiLog,
      [
        '2025-12-24T10:00:00.000000Z ERROR Panic occurred: old one',
        '2025-12-24T12:00:00.000000Z  INFO fine',
        '2025-12-24T12:00:01.123456Z ERROR Panic occurred: index out of bounds api_key=sk-abcdefghijklmnop',
        '   at continuation line Panic occurred in a nested frame',
        '2025-12-24T12:00:02.000000Z  WARN after',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(p.logsDir, 'critical.log.2025-12-23'), '2025-12-23T23:59:59.000000Z ERROR main ThreadId(01) Panic occurred: yesterday\n');
    fs.writeFileSync(
      path.join(p.logsDir, 'critical.log.2025-12-24'),
      '2025-12-24T09:00:00.000000Z ERROR main ThreadId(01) Panic occurred: too early\r\n2025-12-24T12:00:01.123999Z ERROR main ThreadId(01) Panic occurred: index out of bounds\r\n',
    );
    const since = Date.parse('2025-12-24T11:00:00Z');
    const hits = await findPanics(p, since);
    assert.deepEqual(
      hits.map((h) => [path.basename(h.file), h.lineNumber]),
      [
        ['code-tui.log', 3],
        ['code-tui.log', 4],
        ['critical.log.2025-12-24', 2],
      ],
    );
    assert.ok(!hits[0].line.includes('abcdefghijklmnop'), hits[0].line);
    assert.match(hits[0].line, /Panic occurred: index out of bounds api_key=\*\*\*\*/);
    assert.equal(hits[1].timestampMs, Date.parse('2025-12-24T12:00:01.123Z'));
    assert.equal(hits[2].startLine, '2025-12-24T12:00:01.123999Z ERROR main ThreadId(01) Panic occurred: index out of bounds');
    assert.equal(hits[2].line, 'Panic occurred: index out of bounds');
  });

  it('falls back to the legacy codex-tui.log and finds nothing in missing files', async () => {
    const p = codeHomePaths(home);
    assert.deepEqual(await findPanics(p, 0), []);
    fs.writeFileSync(p.legacyTuiLog, 'x\n2025-12-24T12:00:00Z ERROR Panic occurred\n');
    const hits = await findPanics(p, 0);
    assert.deepEqual(hits.map((h) => [path.basename(h.file), h.lineNumber]), [['codex-tui.log', 2]]);
  });

  it('counts lines correctly across chunk boundaries in a multi-megabyte file and handles a last line without newline', async () => {
    const file = path.join(home, 'log', 'code-tui.log');
    const lines: string[] = [];
    const expected: number[] = [];
    for (let i = 1; i <= 60_000; i++) {
      if (i % 7919 === 0) {
        lines.push(`2025-12-24T12:00:00.000000Z ERROR Panic occurred seq=${i}`);
        expected.push(i);
      } else {
        lines.push(`2025-12-24T12:00:00.000000Z  INFO ordinary line number ${i} ${'x'.repeat(i % 50)}`);
      }
    }
    lines.push('2025-12-24T12:00:00.000000Z ERROR Panic occurred at the very end');
    expected.push(60_001);
    fs.writeFileSync(file, lines.join('\n'));
    assert.ok(fs.statSync(file).size > 3 * (1 << 20));
    const hits = await scanFileForPanics(file, 0);
    assert.deepEqual(
      hits.map((h) => h.lineNumber),
      expected,
    );
    for (const h of hits.slice(0, -1)) assert.match(h.line, new RegExp(`seq=${h.lineNumber}$`));
  });

  it('keeps only the newest hits when there are more than maxHits', async () => {
    const file = path.join(home, 'log', 'code-tui.log');
    fs.writeFileSync(file, Array.from({ length: 50 }, (_, i) => `2025-12-24T12:00:00Z ERROR Panic occurred ${i + 1}`).join('\n') + '\n');
    const hits = await scanFileForPanics(file, 0, 5);
    assert.deepEqual(hits.map((h) => h.lineNumber), [46, 47, 48, 49, 50]);
  });
});
