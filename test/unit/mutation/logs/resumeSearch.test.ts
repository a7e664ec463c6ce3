// The two functions FileFollower's truncation handling rests on, tested
// directly: findResume (where the content already shown continues in a
// truncated file: the last full occurrence of the fingerprint, else the
// longest overlap of at least 32 bytes at the file's start, else nothing) and
// readStillValid (whether a read came from the file as it was known), the
// latter against a real file. Written from the survivors of
// `npm run mutation -- --mutate src/core/logs/followerParts.ts`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findResume, readStillValid, type ReadRange } from '../../../../src/core/logs/followerParts';

/** A ReadRange over `data` that records each read and refuses one past the end. */
function reader(data: Buffer) {
  const reads: Array<[number, number]> = [];
  const read: ReadRange = async (at, n) => {
    assert.ok(at >= 0 && n >= 0 && at + n <= data.length, `read ${at}+${n} of ${data.length}`);
    reads.push([at, n]);
    return data.subarray(at, at + n);
  };
  return { read, reads };
}

const filler = (n: number, seed = 0) => Buffer.from(Array.from({ length: n }, (_, i) => 97 + ((i * 7 + seed) % 26)));
const probe = Buffer.from('line 41 of the log: the last one shown\n'); // 39 bytes

describe('findResume', () => {
  it('finds nothing to resume after with an empty fingerprint, without reading', async () => {
    const { read, reads } = reader(filler(100));
    assert.deepEqual(await findResume(read, 100, Buffer.alloc(0), 16), { offset: 0, kind: 'none' });
    assert.equal(reads.length, 0);
  });

  it('resumes right after the last full occurrence, in the last block', async () => {
    const data = Buffer.concat([filler(50), probe, filler(30), probe, filler(20, 3)]);
    const { read, reads } = reader(data);
    assert.deepEqual(await findResume(read, data.length, probe, 4096), { offset: 50 + 39 + 30 + 39, kind: 'full' });
    assert.deepEqual(reads, [[0, data.length]]);
  });

  it('finds an occurrence as the file\'s very end and at its very start', async () => {
    const atEnd = Buffer.concat([filler(10), probe]);
    assert.deepEqual(await findResume(reader(atEnd).read, atEnd.length, probe, 8), { offset: atEnd.length, kind: 'full' });
    const atStart = Buffer.concat([probe, filler(500)]);
    assert.deepEqual(await findResume(reader(atStart).read, atStart.length, probe, 8), { offset: 39, kind: 'full' });
  });

  it('searches backwards in blocks of max(read size, 4 × fingerprint), each overlapping the next by fingerprint − 1 bytes', async () => {
    const data = Buffer.concat([filler(100), probe, filler(1000, 5)]);
    const size = data.length; // 1139
    const { read, reads } = reader(data);
    assert.deepEqual(await findResume(read, size, probe, 8), { offset: 139, kind: 'full' });
    const block = 4 * probe.length; // 156
    const expected: Array<[number, number]> = [];
    for (let end = size; ; ) {
      const start = Math.max(0, end - block);
      expected.push([start, Math.min(size, end + probe.length - 1) - start]);
      if (start <= 100) break;
      end = start;
    }
    assert.deepEqual(reads, expected);
    const big = reader(data);
    assert.deepEqual(await findResume(big.read, size, probe, 300), { offset: 139, kind: 'full' });
    assert.deepEqual(big.reads.slice(0, 2), [[size - 300, 300], [size - 600, 300 + 38]]);
  });

  it('finds a fingerprint that straddles two blocks', async () => {
    const block = 4 * probe.length;
    // The occurrence starts 10 bytes before the boundary of the last block.
    const tail = filler(block - 29, 9);
    const data = Buffer.concat([filler(400), probe, tail]);
    assert.equal(data.length - block, 400 + 10);
    assert.deepEqual(await findResume(reader(data).read, data.length, probe, 1), { offset: 439, kind: 'full' });
  });

  it('resumes after the longest part of the fingerprint the file starts with, at least 32 bytes', async () => {
    for (const kept of [38, 33, 32]) {
      const data = Buffer.concat([probe.subarray(probe.length - kept), filler(20)]);
      const { read, reads } = reader(data);
      assert.deepEqual(await findResume(read, data.length, probe, 4096), { offset: kept, kind: 'partial' }, `${kept}`);
      assert.deepEqual(reads.at(-1), [0, 38]);
    }
    const short = Buffer.concat([probe.subarray(probe.length - 31), filler(20)]);
    assert.deepEqual(await findResume(reader(short).read, short.length, probe, 4096), { offset: 0, kind: 'none' });
  });

  it('reads no further than the file for the overlap when it is shorter than the fingerprint', async () => {
    const data = probe.subarray(probe.length - 34);
    const { read, reads } = reader(data);
    assert.deepEqual(await findResume(read, data.length, probe, 4096), { offset: 34, kind: 'partial' });
    assert.deepEqual(reads.at(-1), [0, 34]);
  });

  it('prefers the longest overlap when a shorter one also fits', async () => {
    const unit = Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789ABCD'); // 40 bytes
    const p = Buffer.concat([unit, unit]); // 80: its last 40 bytes are also its first 40
    const data = Buffer.concat([p.subarray(p.length - 79 + 1), Buffer.from('\nnew\n')]); // the last 78 bytes
    assert.deepEqual(await findResume(reader(data).read, data.length, p, 4096), { offset: 78, kind: 'partial' });
  });

  it('gives none when nothing of the fingerprint is in the file', async () => {
    const data = filler(2000, 11);
    assert.deepEqual(await findResume(reader(data).read, data.length, probe, 64), { offset: 0, kind: 'none' });
  });
});

describe('readStillValid (a real file)', () => {
  let dir: string;
  let fd: number;
  const file = () => path.join(dir, 'f.log');
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-valid-'));
    fs.writeFileSync(file(), '0123456789abcdefghij');
    fd = fs.openSync(file(), 'r');
  });
  afterEach(() => {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is true when the file is long enough and the bytes before the read are the fingerprint', () => {
    assert.equal(readStillValid(fd, 10, 20, Buffer.from('56789')), true);
    assert.equal(readStillValid(fd, 10, 15, Buffer.from('xx0123456789')), true, 'a fingerprint longer than the offset is compared by its tail');
    assert.equal(readStillValid(fd, 0, 20, Buffer.from('zzz')), true, 'nothing before offset 0 to compare');
    assert.equal(readStillValid(fd, 10, 20, Buffer.alloc(0)), true, 'no fingerprint yet');
  });

  it('is false when the file became shorter than the end of the read', () => {
    assert.equal(readStillValid(fd, 10, 21, Buffer.from('56789')), false);
    fs.truncateSync(file(), 12);
    assert.equal(readStillValid(fd, 10, 20, Buffer.from('56789')), false);
    assert.equal(readStillValid(fd, 10, 12, Buffer.from('56789')), true);
  });

  it('is false when the bytes before the read changed', () => {
    assert.equal(readStillValid(fd, 10, 20, Buffer.from('56780')), false);
    assert.equal(readStillValid(fd, 10, 20, Buffer.from('X6789')), false);
    fs.writeFileSync(file(), 'X123456789abcdefghij');
    assert.equal(readStillValid(fd, 10, 20, Buffer.from('0123456789')), false);
    assert.equal(readStillValid(fd, 10, 20, Buffer.from('123456789')), true);
  });
});
