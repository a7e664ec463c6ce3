import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileFollower, type FileFollowerOptions } from '../../../src/core/logs';
import { Collector, followerSuite, range, seqLine, seqNumbers, seqText, truncateInPlace, waitFor } from './helpers';
import { killAfterTest } from '../setup/children';

const append = (file: string, from: number, to: number): void => fs.appendFileSync(file, seqText(from, to));

/** A folder other users can reach even when TMPDIR is private: under the git-ignored test-results/. */
function dirOtherUsersCanReach(): string {
  const base = path.resolve('test-results');
  fs.mkdirSync(base, { recursive: true, mode: 0o755 });
  const made = fs.mkdtempSync(path.join(base, 'code-ops-logs-'));
  fs.chmodSync(made, 0o755);
  return made;
}

function writableByAll(folder: string): string {
  fs.mkdirSync(folder, { recursive: true });
  fs.chmodSync(folder, 0o1777);
  return folder;
}

describe('FileFollower', () => {
  const suite = followerSuite();
  let dir: string;
  let file: string;

  /** A follower read only when the test calls poll(): each step of a scenario is deterministic. */
  function manual(options: Partial<FileFollowerOptions> = {}): { follower: FileFollower; got: Collector } {
    return suite.track(new FileFollower({ file, pollIntervalMs: 0, watch: false, ...options }));
  }

  beforeEach(() => {
    dir = suite.dir();
    file = path.join(dir, 'code-tui.log');
  });

  it('starts with the last initialLines lines and marks them as history', async () => {
    append(file, 1, 500);
    const { follower, got } = manual({ initialLines: 200 });
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(301, 500));
    assert.ok(got.chunks.every((c) => c.history));
    append(file, 501, 502);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(301, 502));
    assert.equal(got.chunks.at(-1)!.history, false);
  });

  it('shows the whole file when it has fewer lines than initialLines, and nothing with initialLines 0', async () => {
    append(file, 1, 5);
    const a = manual({ initialLines: 200 });
    await a.follower.poll();
    assert.deepEqual(seqNumbers(a.got.lines), range(1, 5));
    const b = manual({ initialLines: 0 });
    await b.follower.poll();
    assert.deepEqual(b.got.lines, []);
    append(file, 6, 6);
    await b.follower.poll();
    assert.deepEqual(seqNumbers(b.got.lines), [6]);
  });

  it('holds a partial last line until its newline arrives and passes it on once', async () => {
    append(file, 1, 3);
    fs.appendFileSync(file, seqLine(4).slice(0, 20));
    const { follower, got } = manual({ initialLines: 2 });
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [2, 3]);
    fs.appendFileSync(file, seqLine(4).slice(20, 40));
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [2, 3]);
    fs.appendFileSync(file, seqLine(4).slice(40) + '\n' + seqLine(5).slice(0, 10));
    await follower.poll();
    fs.appendFileSync(file, seqLine(5).slice(10) + '\n');
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [2, 3, 4, 5]);
  });

  it('waits for a file that does not exist yet and reads it from its first line', async () => {
    const { follower, got } = manual();
    await follower.poll();
    assert.equal(follower.status, 'waiting');
    assert.deepEqual(got.kinds(), ['waiting']);
    await follower.poll();
    assert.deepEqual(got.kinds(), ['waiting'], 'the waiting notice is not repeated');
    append(file, 1, 3);
    await follower.poll();
    assert.equal(follower.status, 'following');
    assert.deepEqual(seqNumbers(got.lines), [1, 2, 3]);
    assert.equal(got.chunks[0].history, false);
  });

  it('after an in-place truncation resumes where new content starts instead of replaying the kept tail', async () => {
    append(file, 1, 1000);
    const { follower, got } = manual({ initialLines: 10 });
    await follower.poll();
    truncateInPlace(file, 5000); // keeps a partial line and ~60 whole lines already shown
    append(file, 1001, 1003);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(991, 1003));
    const notice = got.notices.find((n) => n.kind === 'truncated');
    assert.ok(notice, 'the truncation is noted');
    assert.match(notice.message, /truncated in place/);
  });

  it('shows lines written after the last read that the truncation kept, exactly once', async () => {
    append(file, 1, 1000);
    const { follower, got } = manual({ initialLines: 5 });
    await follower.poll();
    append(file, 1001, 1020); // not read yet
    truncateInPlace(file, 4000);
    append(file, 1021, 1022);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(996, 1022));
  });

  it('notices a truncation even when the file grew past the old size before the next read', async () => {
    append(file, 1, 100);
    const { follower, got } = manual({ initialLines: 3 });
    await follower.poll();
    truncateInPlace(file, 500);
    append(file, 101, 300); // now larger than before
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(98, 300));
    assert.ok(got.kinds().includes('truncated'));
  });

  it('continues a held partial line across a truncation that kept it', async () => {
    append(file, 1, 50);
    fs.appendFileSync(file, seqLine(51).slice(0, 30));
    const { follower, got } = manual({ initialLines: 2 });
    await follower.poll();
    truncateInPlace(file, 700);
    fs.appendFileSync(file, seqLine(51).slice(30) + '\n');
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [49, 50, 51]);
  });

  it('reads everything after truncation to zero (copytruncate), also when the kept tail is written back later', async () => {
    append(file, 1, 20);
    const { follower, got } = manual({ initialLines: 5 });
    await follower.poll();
    fs.truncateSync(file, 0);
    await follower.poll();
    append(file, 21, 22);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(16, 22));
    // truncate to zero, then housekeeping writes the kept tail back (already shown) plus new lines
    const kept = fs.readFileSync(file).subarray(-100);
    fs.truncateSync(file, 0);
    await follower.poll();
    fs.appendFileSync(file, kept);
    append(file, 23, 24);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(16, 24));
  });

  it('follows rotation by rename: reads what is still written to the old file, then the new one from its start', async () => {
    append(file, 1, 10);
    const { follower, got } = manual({ initialLines: 3 });
    await follower.poll();
    fs.renameSync(file, file + '.1');
    fs.appendFileSync(file + '.1', seqLine(11) + '\n' + seqLine(12).slice(0, 15));
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [8, 9, 10, 11]);
    assert.ok(got.kinds().includes('moved'));
    append(file, 13, 14); // re-created
    fs.appendFileSync(file + '.1', seqLine(12).slice(15) + '\n');
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [8, 9, 10, 11, 12, 13, 14]);
    assert.ok(got.kinds().includes('replaced'));
    append(file, 15, 15);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(8, 15));
  });

  it('survives deletion and later re-creation', async () => {
    append(file, 1, 4);
    const { follower, got } = manual({ initialLines: 2 });
    await follower.poll();
    append(file, 5, 5);
    fs.unlinkSync(file);
    await follower.poll();
    assert.equal(follower.status, 'waiting');
    assert.ok(got.kinds().includes('deleted'));
    append(file, 6, 7);
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [3, 4, 5, 6, 7]);
  });

  it('replaces invalid UTF-8 and strips CR from CRLF line ends', async () => {
    fs.writeFileSync(file, Buffer.concat([Buffer.from('2025-12-24T13:51:20Z  INFO bad \xff\xfe bytes\r\n', 'latin1'), Buffer.from('ünïcode ✓\r\nplain\n')]));
    const { follower, got } = manual();
    await follower.poll();
    assert.deepEqual(got.lines, ['2025-12-24T13:51:20Z  INFO bad \ufffd\ufffd bytes', 'ünïcode ✓', 'plain']);
  });

  it('does not split a multi-byte character that arrives in two writes', async () => {
    const bytes = Buffer.from('€ euro\n');
    const { follower, got } = manual();
    await follower.poll();
    fs.writeFileSync(file, bytes.subarray(0, 1));
    await follower.poll();
    fs.appendFileSync(file, bytes.subarray(1));
    await follower.poll();
    assert.deepEqual(got.lines, ['€ euro']);
  });

  it('starts at the end of a 1 GiB file reading only its tail', async function () {
    this.timeout(20000);
    // sparse: 1 GiB of holes, then real lines at the end
    const fd = fs.openSync(file, 'w');
    fs.ftruncateSync(fd, 1 << 30);
    fs.writeSync(fd, '\n' + range(1, 1000).map((n) => seqLine(n) + '\n').join(''), 1 << 30);
    fs.closeSync(fd);
    const { follower, got } = manual({ initialLines: 200 });
    const started = Date.now();
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(801, 1000));
    assert.ok(follower.bytesRead < 256 * 1024, `read ${follower.bytesRead} bytes`);
    assert.ok(Date.now() - started < 2000);
  });

  it('passes an endless line on in bounded pieces', async () => {
    fs.writeFileSync(file, 'x'.repeat(300_000));
    const { follower, got } = manual({ maxLineBytes: 100_000, readChunkBytes: 64 * 1024 });
    await follower.poll();
    assert.ok(got.lines.length >= 2);
    assert.equal(got.lines.join(''), 'x'.repeat(got.lines.join('').length));
    assert.ok(got.lines.every((l) => l.length <= 100_000 + 64 * 1024));
  });

  it('reports permission denied clearly and picks the file up once it is readable', async function () {
    this.timeout(15000);
    const asOther = process.getuid?.() === 0;
    if (asOther) {
      // The other user must reach the file even when TMPDIR is private (0700).
      fs.rmSync(dir, { recursive: true, force: true });
      dir = dirOtherUsersCanReach();
      file = path.join(dir, 'code-tui.log');
    }
    fs.chmodSync(dir, 0o755);
    append(file, 1, 3);
    fs.chmodSync(file, 0o600);
    if (!asOther) {
      // not root: chmod alone denies us
      fs.chmodSync(file, 0o000);
      const { follower, got } = manual();
      await follower.poll();
      assert.equal(follower.status, 'permission-denied');
      assert.match(got.notices[0].message, /permission denied/);
      fs.chmodSync(file, 0o600);
      await follower.poll();
      assert.deepEqual(seqNumbers(got.lines), [1, 2, 3]);
      return;
    }
    // root reads anything: follow as the unprivileged user instead
    const child = killAfterTest(spawn(process.execPath, ['--import', 'tsx', path.resolve('test/fixtures/logs/followAs.ts'), file, '50', '4000'], {
      uid: 65534,
      gid: 65534,
      cwd: process.cwd(),
      // its own TMPDIR: the loader's cache must be writable by that user
      env: { ...process.env, HOME: dir, TMPDIR: writableByAll(path.join(dir, 'tmp')) },
    }));
    const events: Array<{ notice?: string; message?: string; status?: string; line?: string }> = [];
    let buffered = '';
    child.stdout.on('data', (d) => {
      buffered += String(d);
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buffered.slice(0, nl)));
        buffered = buffered.slice(nl + 1);
      }
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor('the permission notice', () => events.some((e) => e.notice === 'permission-denied'), 8000);
    const denied = events.find((e) => e.notice === 'permission-denied')!;
    assert.equal(denied.status, 'permission-denied');
    assert.match(denied.message!, /Cannot read .*code-tui\.log: permission denied \(EACCES\).*Retrying every 50 ms/);
    fs.chmodSync(file, 0o644);
    await waitFor('the lines after access was granted', () => events.filter((e) => e.line).length === 3, 8000);
    assert.ok(events.some((e) => e.notice === 'recovered'));
    assert.deepEqual(seqNumbers(events.filter((e) => e.line).map((e) => e.line!)), [1, 2, 3]);
    child.kill();
    await exited;
  });

  it('reacts to appends through fs.watch well before the polling interval', async () => {
    append(file, 1, 1);
    const { follower, got } = suite.track(new FileFollower({ file, pollIntervalMs: 60_000 }));
    follower.start();
    await waitFor('history', () => got.lines.length === 1);
    const t = Date.now();
    append(file, 2, 2);
    await waitFor('the appended line', () => got.lines.length === 2, 3000);
    assert.ok(Date.now() - t < 1000);
  });

  it('falls back to polling when there are no file-system events', async () => {
    const { follower, got } = suite.track(new FileFollower({ file, pollIntervalMs: 20, watch: false }));
    follower.start();
    append(file, 1, 2);
    await waitFor('polled lines', () => got.lines.length === 2, 3000);
    assert.deepEqual(seqNumbers(got.lines), [1, 2]);
  });

  it('pauses without losing lines and catches up on resume', async () => {
    append(file, 1, 1);
    const { follower, got } = manual();
    await follower.poll();
    follower.pause();
    append(file, 2, 3);
    await follower.poll();
    assert.equal(follower.status, 'paused');
    assert.deepEqual(seqNumbers(got.lines), [1]);
    follower.resume();
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [1, 2, 3]);
  });

  it('says disposed after dispose, even when a step under way then finds the file missing', async () => {
    const follower = new FileFollower({ file: `${file}.not-there`, pollIntervalMs: 0, watch: false });
    const step = follower.poll();
    // a few microtasks: the step has begun and its stat is under way (it cannot finish before the event loop turns)
    for (let i = 0; i < 5; i++) await Promise.resolve();
    follower.dispose();
    await step;
    assert.equal(follower.status, 'disposed');
  });

  it('leaves no timer or watcher behind after dispose', async () => {
    const follower = new FileFollower({ file, pollIntervalMs: 10 });
    const got = new Collector();
    follower.onChunk(got.onChunk);
    follower.start();
    await new Promise((r) => setTimeout(r, 50));
    follower.dispose();
    append(file, 1, 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(got.lines, []);
    assert.equal(follower.status, 'disposed');
  });
});
