import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileFollower, RollingLogFollower } from '../../../src/core/logs';
import { Collector, range, seqLine, seqNumbers, tempDir, truncateInPlace, waitFor } from './helpers';

const tick = () => new Promise((r) => setTimeout(r, 2));

/**
 * Live followers (real fs.watch plus a short polling interval) against a
 * writer that appends numbered lines, sometimes split in two writes, while
 * the file is truncated in place, rotated by rename, deleted and re-created,
 * and the critical family rolls to a new day. Every line must arrive exactly
 * once and in order.
 */
describe('followers lose and repeat no line across truncation, rotation, deletion and rolling', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('code-tui.log by name', async function () {
    this.timeout(30000);
    const file = path.join(dir, 'code-tui.log');
    const follower = new FileFollower({ file, pollIntervalMs: 15 });
    const got = new Collector();
    follower.onChunk(got.onChunk);
    follower.onNotice(got.onNotice);
    follower.start();
    try {
      let n = 0;
      let rotated = 0;
      const write = (count: number) => {
        for (let i = 0; i < count; i++) {
          const line = seqLine(++n) + '\n';
          if (n % 7 === 0) {
            // a line in two writes: the follower may see the first half alone
            fs.appendFileSync(file, line.slice(0, 25));
            fs.appendFileSync(file, line.slice(25));
          } else fs.appendFileSync(file, line);
        }
      };
      for (let round = 0; round < 40; round++) {
        write(60);
        await tick();
        switch (round % 5) {
          case 1:
            // keeps more than the follower may be behind (20 lines): lines not yet read survive and must appear once
            await waitFor('the follower close behind', () => got.lines.length >= n - 20);
            write(10);
            truncateInPlace(file, 3 * 1024);
            break;
          case 2:
            await waitFor('catch-up before rotating', () => got.lines.length === n);
            fs.renameSync(file, path.join(dir, `code-tui.log.${++rotated}`));
            write(5); // a missing name for a moment: nothing can be written to it meanwhile
            break;
          case 3:
            await waitFor('catch-up before deleting', () => got.lines.length === n);
            fs.unlinkSync(file);
            await tick();
            break;
          default:
            break;
        }
      }
      write(3);
      await waitFor('every line', () => got.lines.length >= n, 10000);
      await new Promise((r) => setTimeout(r, 100)); // any duplicate would arrive now
      assert.deepEqual(seqNumbers(got.lines), range(1, n));
      const kinds = new Set(got.kinds());
      for (const k of ['truncated', 'deleted']) assert.ok(kinds.has(k), `saw a ${k} notice: ${[...kinds]}`);
      assert.ok(kinds.has('replaced') || kinds.has('moved'), 'saw the rotation');
    } finally {
      follower.dispose();
    }
  });

  it('the critical.log family rolling through the days', async function () {
    this.timeout(30000);
    const logs = path.join(dir, 'logs');
    fs.mkdirSync(logs);
    const follower = new RollingLogFollower({ logsDir: logs, pollIntervalMs: 15 });
    const got = new Collector();
    follower.onChunk(got.onChunk);
    follower.start();
    try {
      let n = 0;
      for (let day = 1; day <= 12; day++) {
        const file = path.join(logs, `critical.log.2025-12-${String(day).padStart(2, '0')}`);
        for (let i = 0; i < 30; i++) {
          fs.appendFileSync(file, seqLine(++n) + '\n');
          if (i % 10 === 0) await tick();
        }
        // housekeeping by age, while following: it deletes files days old, which a live follower has
        // long finished; on a loaded machine make sure the follower is at least past yesterday's file
        const written = n;
        if (day > 3) await waitFor('the follower past the file housekeeping deletes', () => got.lines.length >= written - 30, 10000);
        if (day > 3) fs.rmSync(path.join(logs, `critical.log.2025-12-${String(day - 3).padStart(2, '0')}`), { force: true });
      }
      await waitFor('every line', () => got.lines.length >= n, 10000);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(seqNumbers(got.lines), range(1, n));
    } finally {
      follower.dispose();
    }
  });
});
