// Truncation handling of FileFollower, the cases `npm run mutation -- --mutate
// src/core/logs/follower.ts` found untested: the notice's numbers, a file
// rewritten in place with different content, a truncation that kept nothing
// already shown, and a truncation to empty that is written again later.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileFollower } from '../../../../src/core/logs';
import { Collector, followerSuite, range, seqNumbers, seqText, truncateInPlace } from '../../logs/helpers';

const lines = seqText;

describe('FileFollower truncation handling', () => {
  const suite = followerSuite();
  let file: string;
  function follow(initialLines = 1000, readChunkBytes?: number): { follower: FileFollower; got: Collector } {
    return suite.track(new FileFollower({ file, pollIntervalMs: 0, watch: false, initialLines, readChunkBytes }));
  }
  beforeEach(() => {
    file = path.join(suite.dir(), 'code-tui.log');
  });

  it('says how many bytes the file had and has after an in-place truncation', async () => {
    fs.writeFileSync(file, lines(1, 100));
    const before = fs.statSync(file).size;
    const { follower, got } = follow();
    await follower.poll();
    truncateInPlace(file, 500);
    await follower.poll();
    const notice = got.notices.find((n) => n.kind === 'truncated');
    assert.ok(notice);
    assert.equal(notice.message, `code-tui.log was truncated in place (${before} → 500 bytes); continuing after the last line already shown.`);
    assert.deepEqual(seqNumbers(got.lines), range(1, 100), 'nothing shown twice');
  });

  it('notices a file rewritten in place with other content of a larger size, and shows all of it', async () => {
    fs.writeFileSync(file, lines(1, 10));
    const { follower, got } = follow();
    await follower.poll();
    fs.writeFileSync(file, lines(500, 600)); // same name and inode, larger, none of it seen
    await follower.poll();
    const notices = got.notices.filter((n) => n.kind === 'truncated').map((n) => n.message);
    assert.equal(notices[0], 'code-tui.log was rewritten in place; continuing after the last line already shown.');
    assert.match(notices[1], /^Lines removed by the truncation before they were read are lost; showing the \d+ bytes that were kept\.$/);
    assert.deepEqual(seqNumbers(got.lines), [...range(1, 10), ...range(500, 600)]);
  });

  it('shows everything a truncation kept when none of it was shown before', async () => {
    fs.writeFileSync(file, lines(1, 50));
    const { follower, got } = follow();
    await follower.poll();
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, lines(900, 903)); // written after the truncation, before the next read
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [...range(1, 50), ...range(900, 903)]);
    const kept = got.notices.find((n) => /were kept/.test(n.message));
    assert.ok(kept, got.notices.map((n) => n.message).join('\n'));
    assert.match(kept.message, new RegExp(`showing the ${fs.statSync(file).size} bytes that were kept`));
  });

  it('waits through a truncation to empty and reads what is written afterwards once', async () => {
    fs.writeFileSync(file, lines(1, 20));
    const { follower, got } = follow();
    await follower.poll();
    fs.truncateSync(file, 0);
    await follower.poll();
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(1, 20), 'nothing new while empty');
    fs.appendFileSync(file, lines(21, 25));
    await follower.poll();
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(1, 25));
  });

  it('an unchanged file polled again gives no notice and no lines', async () => {
    fs.writeFileSync(file, lines(1, 30));
    const { follower, got } = follow();
    await follower.poll();
    for (let i = 0; i < 3; i++) await follower.poll();
    assert.deepEqual(got.notices, []);
    assert.deepEqual(seqNumbers(got.lines), range(1, 30));
  });

  for (const chunk of [64, 100, 333]) {
    it(`finds where to resume after a truncation when the search spans many ${chunk}-byte reads`, async () => {
      fs.writeFileSync(file, lines(1, 400));
      const { follower, got } = follow(5, chunk);
      await follower.poll();
      truncateInPlace(file, 6000);
      fs.appendFileSync(file, lines(401, 405));
      await follower.poll();
      assert.deepEqual(seqNumbers(got.lines), range(396, 405));
    });

    it(`resumes after the part of the last read a truncation kept (${chunk}-byte reads)`, async () => {
      fs.writeFileSync(file, lines(1, 400));
      const { follower, got } = follow(5, chunk);
      await follower.poll();
      // keep less than the 1 KiB fingerprint: the file now starts inside what was read last
      truncateInPlace(file, 700);
      fs.appendFileSync(file, lines(401, 403));
      await follower.poll();
      assert.deepEqual(seqNumbers(got.lines), range(396, 403));
    });
  }

  it('a truncation to the same size with new content counts as rewritten, not as more of the same', async () => {
    fs.writeFileSync(file, lines(11, 20));
    const { follower, got } = follow();
    await follower.poll();
    const size = fs.statSync(file).size;
    const other = lines(31, 40);
    assert.equal(Buffer.byteLength(other), size, 'same length by construction');
    fs.writeFileSync(file, other);
    fs.appendFileSync(file, lines(41, 41));
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [...range(11, 20), ...range(31, 41)]);
  });
});
