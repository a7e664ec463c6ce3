// Two edges of FileFollower's truncation handling the mutation run left
// untested: a partial last line held when a truncation kept nothing already
// shown is passed on (not lost, not glued to the new content), and the exact
// notices of a truncation after starting at the end.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileFollower } from '../../../../src/core/logs';
import { Collector, followerSuite, range, seqNumbers, seqText } from '../../logs/helpers';

const lines = seqText;

describe('FileFollower truncation edges', () => {
  const suite = followerSuite();
  let file: string;
  function follow(start?: 'end' | 'tail'): { follower: FileFollower; got: Collector } {
    return suite.track(new FileFollower({ file, pollIntervalMs: 0, watch: false, initialLines: 1000, start }));
  }
  beforeEach(() => {
    file = path.join(suite.dir(), 'code-tui.log');
  });

  it('passes on the partial line it held when the truncation kept nothing it had shown', async () => {
    fs.writeFileSync(file, lines(1, 5) + 'partial line without its end');
    const { follower, got } = follow();
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), range(1, 5));
    fs.writeFileSync(file, lines(50, 52).slice(0, 10));
    fs.truncateSync(file, 0);
    fs.writeFileSync(file, lines(50, 52));
    await follower.poll();
    assert.equal(got.lines.length, 5 + 1 + 3, got.lines.join('\n'));
    assert.equal(got.lines[5], 'partial line without its end');
    assert.deepEqual(seqNumbers(got.lines.slice(6)), range(50, 52));
    assert.deepEqual(got.kinds(), ['truncated', 'truncated']);
  });

  it('after starting at the end, a truncation shows all that was written after it', async () => {
    fs.writeFileSync(file, lines(1, 20));
    const { follower, got } = follow('end');
    await follower.poll();
    assert.deepEqual(got.lines, []);
    fs.truncateSync(file, 0);
    fs.writeFileSync(file, lines(60, 61));
    await follower.poll();
    assert.deepEqual(seqNumbers(got.lines), [60, 61]);
    const size = Buffer.byteLength(lines(1, 20));
    assert.deepEqual(got.notices.map((n) => n.message), [
      `code-tui.log was truncated in place (${size} → ${Buffer.byteLength(lines(60, 61))} bytes); continuing after the last line already shown.`,
      `Lines removed by the truncation before they were read are lost; showing the ${Buffer.byteLength(lines(60, 61))} bytes that were kept.`,
    ]);
  });
});
