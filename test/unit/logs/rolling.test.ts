import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RollingLogFollower } from '../../../src/core/logs';
import { followerSuite, range, seqLine, seqNumbers, seqText, waitFor } from './helpers';

describe('RollingLogFollower', () => {
  const suite = followerSuite();
  let dir: string;
  let logs: string;
  const member = (day: string) => path.join(logs, `critical.log.${day}`);
  const append = (file: string, from: number, to: number) => fs.appendFileSync(file, seqText(from, to));

  function manual(initialLines = 200) {
    return suite.track(new RollingLogFollower({ logsDir: logs, initialLines, pollIntervalMs: 0, watch: false }));
  }

  beforeEach(() => {
    dir = suite.dir();
    logs = path.join(dir, 'logs');
  });

  it('starts on the newest member with its last lines', async () => {
    fs.mkdirSync(logs);
    append(member('2025-12-22'), 1, 10);
    append(member('2025-12-23'), 11, 20);
    const { follower, got } = manual(3);
    await follower.poll();
    assert.equal(path.basename(follower.file!), 'critical.log.2025-12-23');
    assert.deepEqual(seqNumbers(got.lines), [18, 19, 20]);
  });

  it('reads the rest of the old day, including its partial last line, before switching to the new day from its start', async () => {
    fs.mkdirSync(logs);
    append(member('2025-12-23'), 1, 5);
    const { follower, got } = manual(2);
    await follower.poll();
    append(member('2025-12-23'), 6, 7);
    fs.appendFileSync(member('2025-12-23'), seqLine(8)); // never completed: the appender moved on
    append(member('2025-12-24'), 9, 10);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [4, 5, 6, 7, 8, 9, 10]);
    assert.equal(path.basename(follower.file!), 'critical.log.2025-12-24');
    const rolled = got.notices.find((n) => n.kind === 'rolled');
    assert.ok(rolled);
    assert.match(rolled.message, /critical\.log\.2025-12-23 has rolled over; following critical\.log\.2025-12-24/);
  });

  it('waits for the folder and the first member, then reads it from the start', async () => {
    const { follower, got } = manual();
    await follower.poll();
    assert.deepEqual(got.kinds(), ['waiting']);
    fs.mkdirSync(logs);
    append(member('2025-12-24'), 1, 2);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [1, 2]);
  });

  it('stays on the current member when housekeeping deletes older ones, and never goes back', async () => {
    fs.mkdirSync(logs);
    append(member('2025-12-20'), 1, 1);
    append(member('2025-12-24'), 2, 3);
    const { follower, got } = manual();
    await follower.poll();
    fs.unlinkSync(member('2025-12-20'));
    append(member('2025-12-24'), 4, 4);
    await follower.poll();
    assert.equal(path.basename(follower.file!), 'critical.log.2025-12-24');
    // the current one deleted too: an older file must not be picked up again
    append(member('2025-12-21'), 100, 100);
    fs.unlinkSync(member('2025-12-24'));
    await follower.poll();
    append(member('2025-12-25'), 5, 5);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [2, 3, 4, 5]);
  });

  it('notices a new day through fs.watch on the folder', async () => {
    fs.mkdirSync(logs);
    append(member('2025-12-23'), 1, 1);
    const { follower, got } = suite.track(new RollingLogFollower({ logsDir: logs, pollIntervalMs: 60_000 }));
    follower.start();
    await waitFor('history', () => got.lines.length === 1);
    append(member('2025-12-24'), 2, 2);
    await waitFor('the new day', () => got.lines.length === 2, 3000);
    assert.deepEqual(seqNumbers(got.lines), [1, 2]);
  });

  it('reads every member that appeared since the last look, in order, when several days roll at once', async () => {
    fs.mkdirSync(logs);
    append(member('2025-12-20'), 1, 3);
    const { follower, got } = manual();
    await follower.poll();
    append(member('2025-12-20'), 4, 4);
    append(member('2025-12-21'), 5, 6);
    append(member('2025-12-22'), 7, 8);
    append(member('2025-12-23'), 9, 10);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(1, 10));
    assert.equal(got.kinds().filter((k) => k === 'rolled').length, 3);
    assert.equal(follower.file, member('2025-12-23'));
  });
});
