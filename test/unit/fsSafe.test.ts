// Bounded reads of files someone else controls (src/core/fsSafe.ts) and the permissions fix
// (src/core/permissions.ts), with real files: a regular file at, under and over the cap, a folder,
// a FIFO with no writer (open must not block), a socket, a symlink loop, /dev/zero through a symlink,
// a missing path and a path through a file; each error's code and its whole sentence, for the async
// and the sync reader alike. The permissions fix on real files and folders, symlinks refused.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { FILE_CAPS, FileReadError, kindOf, readRegularFile, readRegularFileSync, readRegularText } from '../../src/core/fsSafe';
import { applyPermissionsFix } from '../../src/core/permissions';

type Reader = (file: string, max: number) => Promise<Buffer>;
const READERS: Array<[string, Reader]> = [
  ['readRegularFile', readRegularFile],
  ['readRegularFileSync', async (f, m) => readRegularFileSync(f, m)],
];

async function failure(read: Reader, file: string, max = 1024): Promise<FileReadError> {
  try {
    await read(file, max);
  } catch (e) {
    assert.ok(e instanceof FileReadError, `a FileReadError, got ${String(e)}`);
    assert.equal(e.name, 'FileReadError');
    assert.equal(e.file, file);
    return e;
  }
  assert.fail(`${file} was read`);
}

describe('bounded reads of files others control', () => {
  let dir: string;
  let server: net.Server | undefined;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-fssafe-'));
  });
  after(() => {
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the caps are 4 MiB each', () => {
    assert.deepEqual(FILE_CAPS, { config: 4 * 1024 * 1024, state: 4 * 1024 * 1024, checklist: 4 * 1024 * 1024 });
  });

  for (const [name, read] of READERS) {
    describe(name, () => {
      it('reads a regular file whole, also one of exactly the cap and one longer than a read chunk', async () => {
        const small = path.join(dir, `${name}-small`);
        fs.writeFileSync(small, 'héllo\n');
        assert.equal((await read(small, 1024)).toString('utf8'), 'héllo\n');
        assert.equal((await read(small, 7)).length, 7, 'exactly the cap is read');
        const big = path.join(dir, `${name}-big`);
        const data = Buffer.alloc(200 * 1024, 'ab');
        fs.writeFileSync(big, data);
        assert.ok((await read(big, 300 * 1024)).equals(data));
        const empty = path.join(dir, `${name}-empty`);
        fs.writeFileSync(empty, '');
        assert.equal((await read(empty, 10)).length, 0);
      });

      it('over the cap: ETOOBIG with the size and the limit in words', async () => {
        const f = path.join(dir, `${name}-over`);
        fs.writeFileSync(f, Buffer.alloc(3 * 1024 * 1024 + 512 * 1024));
        const e = await failure(read, f, 2 * 1024 * 1024);
        assert.equal(e.code, 'ETOOBIG');
        assert.equal(e.message, `${f} is 3.5 MiB, over the 2 MiB limit; not read.`);
        const k = path.join(dir, `${name}-over-k`);
        fs.writeFileSync(k, Buffer.alloc(1500));
        assert.equal((await failure(read, k, 1024)).message, `${k} is 2 KiB, over the 1 KiB limit; not read.`);
        assert.equal((await failure(read, k, 1499)).message, `${k} is 2 KiB, over the 2 KiB limit; not read.`);
      });

      it('/dev/zero through a symlink: refused as a character device, nothing read', async () => {
        const link = path.join(dir, `${name}-zero`);
        fs.symlinkSync('/dev/zero', link);
        const e = await failure(read, link);
        assert.equal(e.code, 'ENOTREG');
        assert.equal(e.message, `${link} is a character device, not a regular file; not read.`);
      });

      it('a folder, a FIFO without a writer, a socket, a symlink loop', async () => {
        const folder = path.join(dir, `${name}-folder`);
        fs.mkdirSync(folder);
        const ef = await failure(read, folder);
        assert.equal(ef.code, 'EISDIR');
        assert.equal(ef.message, `${folder} is a folder, not a file.`);

        const fifo = path.join(dir, `${name}-fifo`);
        execFileSync('mkfifo', [fifo]);
        const started = Date.now();
        const ep = await failure(read, fifo);
        assert.ok(Date.now() - started < 2000, 'opening a FIFO with no writer did not block');
        assert.equal(ep.code, 'ENOTREG');
        assert.equal(ep.message, `${fifo} is a FIFO (named pipe), not a regular file; not read.`);

        const sock = path.join(dir, `${name}.sock`);
        server?.close();
        server = net.createServer();
        await new Promise<void>((resolve) => server!.listen(sock, resolve));
        const es = await failure(read, sock);
        assert.equal(es.code, 'ENOTREG');
        assert.equal(es.message, `${sock} is a socket, not a regular file; not read.`);

        const loop = path.join(dir, `${name}-loop`);
        fs.symlinkSync(loop, loop);
        const el = await failure(read, loop);
        assert.equal(el.code, 'ENOTREG');
        assert.equal(el.message, `${loop} is a symlink loop.`);
      });

      it('missing, or under a path component that is a file: ENOENT "does not exist"', async () => {
        const missing = path.join(dir, `${name}-missing`);
        const e = await failure(read, missing);
        assert.equal(e.code, 'ENOENT');
        assert.equal(e.message, `${missing} does not exist.`);
        const file = path.join(dir, `${name}-plain`);
        fs.writeFileSync(file, 'x');
        const under = path.join(file, 'child');
        assert.equal((await failure(read, under)).code, 'ENOENT');
      });
    });
  }

  it('readRegularText decodes UTF-8 under the same rules', async () => {
    const f = path.join(dir, 'text');
    fs.writeFileSync(f, '[otel]\nenvironment = "prod"\n');
    assert.equal(await readRegularText(f, 100), '[otel]\nenvironment = "prod"\n');
    await assert.rejects(readRegularText(dir, 100), (e: FileReadError) => e.code === 'EISDIR');
  });

  it('kindOf names each kind of file', () => {
    assert.equal(kindOf(fs.statSync(dir)), 'a folder');
    assert.equal(kindOf(fs.statSync('/dev/null')), 'a character device');
    const f = path.join(dir, 'regular');
    fs.writeFileSync(f, '');
    assert.equal(kindOf(fs.statSync(f)), 'not a regular file');
    const blocks = fs.readdirSync('/dev').map((n) => `/dev/${n}`).filter((p) => {
      try {
        return fs.statSync(p).isBlockDevice();
      } catch {
        return false;
      }
    });
    if (blocks.length) assert.equal(kindOf(fs.statSync(blocks[0])), 'a block device');
  });
});

describe('the permissions fix', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-perms-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const mode = (p: string) => fs.statSync(p).mode & 0o777;

  it('creates a missing folder and chmods each target, saying what it did', async () => {
    const home = path.join(dir, 'home');
    const auth = path.join(dir, 'auth.json');
    fs.writeFileSync(auth, '{}', { mode: 0o644 });
    fs.chmodSync(auth, 0o644);
    const done = await applyPermissionsFix({
      kind: 'permissions',
      targets: [
        { path: home, mode: 0o700, directory: true, create: true },
        { path: auth, mode: 0o600 },
      ],
    });
    assert.deepEqual(done, [`${home} → 0700`, `${auth} → 0600`]);
    assert.equal(mode(home), 0o700);
    assert.equal(mode(auth), 0o600);
  });

  it('refuses a symlink, and a folder where a file is expected (and the reverse); stops at the first', async () => {
    const real = path.join(dir, 'real');
    fs.writeFileSync(real, '', { mode: 0o644 });
    fs.chmodSync(real, 0o644);
    const link = path.join(dir, 'link');
    fs.symlinkSync(real, link);
    await assert.rejects(applyPermissionsFix({ kind: 'permissions', targets: [{ path: link, mode: 0o600 }] }), {
      message: `${link} is a symlink; not changed (fix the file it points at by hand if you mean to).`,
    });
    assert.equal(mode(real), 0o644, 'the file behind the link is untouched');
    await assert.rejects(applyPermissionsFix({ kind: 'permissions', targets: [{ path: dir, mode: 0o600 }] }), { message: `${dir} is not a regular file; not changed.` });
    await assert.rejects(applyPermissionsFix({ kind: 'permissions', targets: [{ path: real, mode: 0o700, directory: true }] }), { message: `${real} is not a folder; not changed.` });
    const after = path.join(dir, 'after');
    fs.writeFileSync(after, '', { mode: 0o644 });
    fs.chmodSync(after, 0o644);
    await assert.rejects(applyPermissionsFix({ kind: 'permissions', targets: [{ path: link, mode: 0o600 }, { path: after, mode: 0o600 }] }));
    assert.equal(mode(after), 0o644, 'nothing after the refused target changes');
  });

  it('a target that does not exist and is not to be created: the chmod failure names the file', async () => {
    const missing = path.join(dir, 'missing');
    await assert.rejects(applyPermissionsFix({ kind: 'permissions', targets: [{ path: missing, mode: 0o600 }] }), (e: Error) => e.message.startsWith(`Could not chmod ${missing}: `) && /ENOENT/.test(e.message));
  });
});
