// What a log follower says when the file is not there or not a file (src/core/logs/follower.ts),
// exactly, driven step by step with poll(): waiting for a missing file, a folder and a FIFO in its
// place (never opened, so a FIFO cannot block), the file created afterwards read from its start,
// a notice said once per state, and the state it reports. Real files. Written from the sampled
// mutation run of src/core/logs (these paths were reached only by the hostile suite).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileFollower } from '../../../../src/core/logs';
import { followerSuite } from '../../logs/helpers';

describe('follower notices, exactly', () => {
  const suite = followerSuite();

  it('missing, then a folder, then a FIFO, then a real file: each said once, in words', async () => {
    const file = path.join(suite.dir(), 'code-tui.log');
    const { follower, got } = suite.track(new FileFollower({ file, pollIntervalMs: 0, watch: false, start: 'end' }));
    follower.start();
    await follower.poll();
    await follower.poll();
    assert.deepEqual(got.notices, [{ kind: 'waiting', file, message: `Waiting for ${file} to be created.` }], 'said once for two looks');
    assert.equal(follower.status, 'waiting');

    fs.mkdirSync(file);
    await follower.poll();
    await follower.poll();
    assert.deepEqual(got.notices.slice(1), [{ kind: 'error', file, message: `${file} is a folder, not a regular file; not read. Waiting for a regular file.` }]);
    assert.equal(follower.status, 'error');

    fs.rmdirSync(file);
    execFileSync('mkfifo', [file]);
    const started = Date.now();
    await follower.poll();
    assert.ok(Date.now() - started < 1000, 'a FIFO is never opened, so nothing blocks');
    assert.deepEqual(got.notices.slice(2), [{ kind: 'error', file, message: `${file} is a FIFO (named pipe), not a regular file; not read. Waiting for a regular file.` }]);

    fs.rmSync(file);
    fs.writeFileSync(file, 'first line\nsecond line\n');
    await follower.poll();
    assert.deepEqual(got.lines, ['first line', 'second line'], 'a file that appears later is read from its start, whatever `start` says');
    assert.equal(follower.status, 'following');
  });
});
