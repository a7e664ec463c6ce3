// Which `critical.log.*` names count and which dates are plausible (src/core/logs/criticalFamily.ts),
// exactly: daily, hourly and minutely suffixes; calendar days only; hours and minutes in range;
// nothing after tomorrow (UTC); and findPanics' order across files, oldest first. Written from the
// sampled mutation run of src/core/logs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeHomePaths } from '../../../../src/core/codeHome';
import { criticalMemberDate, isCriticalFamilyName, isPlausibleMemberDate, listCriticalLogs } from '../../../../src/core/logs/criticalFamily';
import { findPanics } from '../../../../src/core/logs/panics';

const NOW = Date.parse('2026-12-02T06:00:00Z');

describe('critical.log family names and dates', () => {
  it('member dates: daily, hourly, minutely; anything else is not a member', () => {
    assert.equal(criticalMemberDate('critical.log.2026-12-01'), '2026-12-01');
    assert.equal(criticalMemberDate('critical.log.2026-12-01-07'), '2026-12-01-07');
    assert.equal(criticalMemberDate('critical.log.2026-12-01-07-30'), '2026-12-01-07-30');
    for (const name of ['critical.log', 'critical.log.2026-12-01-07-30-10', 'critical.log.2026-12-1', 'critical.log.2026-12-01.gz', 'xcritical.log.2026-12-01', 'critical_log.2026-12-01', 'critical.log.20261201']) {
      assert.equal(criticalMemberDate(name), undefined, name);
    }
    assert.equal(isCriticalFamilyName('critical.log'), true);
    assert.equal(isCriticalFamilyName('critical.log.2026-12-01'), true);
    assert.equal(isCriticalFamilyName('critical.log.bak'), false);
  });

  it('plausible: real calendar days up to tomorrow (UTC), hours 00-23, minutes 00-59', () => {
    const yes = ['2026-12-01', '2026-12-03', '2024-02-29', '2026-12-01-00', '2026-12-01-23', '2026-12-01-23-59', '1999-01-01'];
    const no = ['2026-12-04', '2999-01-01', '2026-02-29', '2026-13-01', '2026-00-10', '2026-12-32', '2026-12-01-24', '2026-12-01-10-60', '2026-12-01-1', '2026-12-01-07-5', 'x2026-12-01', '2026-12-01x', '2026-12-01-aa'];
    assert.deepEqual(yes.filter((d) => !isPlausibleMemberDate(d, NOW)), []);
    assert.deepEqual(no.filter((d) => isPlausibleMemberDate(d, NOW)), []);
  });

  it('lists members oldest first; the plain file by its day, before the dated file of that day; implausible and non-files out', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-critical-'));
    try {
      for (const name of ['critical.log.2026-12-02', 'critical.log.2026-11-30', 'critical.log.2999-01-01', 'critical.log.2026-12-01-07', 'notes.txt']) fs.writeFileSync(path.join(dir, name), '');
      fs.mkdirSync(path.join(dir, 'critical.log.2026-11-29'));
      fs.writeFileSync(path.join(dir, 'critical.log'), '');
      const t = new Date('2026-12-01T12:00:00Z');
      fs.utimesSync(path.join(dir, 'critical.log'), t, t);
      fs.symlinkSync(path.join(dir, 'critical.log.2026-11-30'), path.join(dir, 'critical.log.2026-11-28'));
      const names = (await listCriticalLogs(dir, NOW)).map((f) => path.basename(f));
      assert.deepEqual(names, ['critical.log.2026-11-28', 'critical.log.2026-11-30', 'critical.log', 'critical.log.2026-12-01-07', 'critical.log.2026-12-02']);
      assert.deepEqual(await listCriticalLogs(path.join(dir, 'missing'), NOW), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('findPanics: one hit per panic across the logs, oldest first', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-panics-'));
    try {
      const paths = codeHomePaths(home);
      fs.mkdirSync(path.join(home, 'log'), { recursive: true });
      fs.mkdirSync(path.join(home, 'logs'), { recursive: true });
      const line = (iso: string, file: string, n: number) => `${iso} ERROR main Panic occurred: panicked at ${file}:${n}:1: boom ${n}\n`;
      fs.writeFileSync(path.join(home, 'logs', 'critical.log.2026-12-02'), line('2026-12-02T05:00:00.000Z', 'b.rs', 2) + line('2026-12-02T01:00:00.000Z', 'a.rs', 1));
      fs.writeFileSync(path.join(home, 'log', 'code-tui.log'), line('2026-12-02T03:00:00.000Z', 'c.rs', 3) + line('2026-12-02T05:00:00.000Z', 'b.rs', 2));
      const hits = await findPanics(paths, NOW - 24 * 3600 * 1000);
      assert.deepEqual(
        hits.map((h) => [new Date(h.timestampMs ?? 0).toISOString(), h.message]),
        [
          ['2026-12-02T01:00:00.000Z', 'panicked at a.rs:1:1: boom 1'],
          ['2026-12-02T03:00:00.000Z', 'panicked at c.rs:3:1: boom 3'],
          ['2026-12-02T05:00:00.000Z', 'panicked at b.rs:2:1: boom 2'],
        ],
      );
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
