// Pre-start checks (src/core/appServer/preflight.ts) with real files, exactly: CODE_HOME and the
// working folder missing, a file, fine; what is a program (ELF, #!, Mach-O, a one-byte "#", text);
// each socket failure in words (nothing there, a folder, a file, a stale socket, permission, other);
// timings made sane. Written from the sampled mutation run of src/core/appServer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFolders, explainSocketFailure, isCannotRunExit, MAX_TIMER_MS, notAProgram, saneMs } from '../../../../src/core/appServer/preflight';

describe('pre-start checks, exactly', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-preflight-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('CODE_HOME and the working folder: missing (with Create Folder), a file, present', async () => {
    const file = path.join(dir, 'file');
    fs.writeFileSync(file, '');
    const missing = path.join(dir, 'missing');
    assert.deepEqual(await checkFolders(missing, undefined), {
      reason: `CODE_HOME ${missing} does not exist, and Code refuses to start without it. Create the folder or point codeOps.codeHome at the right one.`,
      blocker: { setting: 'codeOps.codeHome', createFolder: missing },
    });
    assert.deepEqual(await checkFolders(path.join(file, 'x'), undefined), {
      reason: `CODE_HOME ${path.join(file, 'x')} does not exist, and Code refuses to start without it. Create the folder or point codeOps.codeHome at the right one.`,
      blocker: { setting: 'codeOps.codeHome', createFolder: path.join(file, 'x') },
    });
    assert.deepEqual(await checkFolders(file, undefined), { reason: `CODE_HOME ${file} is a file, not a folder. Point codeOps.codeHome (or CODE_HOME) at a folder.`, blocker: { setting: 'codeOps.codeHome' } });
    assert.deepEqual(await checkFolders(dir, missing), { reason: `The working folder ${missing} does not exist (codeOps.appServer.cwd).`, blocker: { setting: 'codeOps.appServer.cwd', createFolder: missing } });
    assert.deepEqual(await checkFolders(undefined, file), { reason: `The working folder ${file} is a file, not a folder (codeOps.appServer.cwd).`, blocker: { setting: 'codeOps.appServer.cwd' } });
    assert.equal(await checkFolders(dir, dir), undefined);
    assert.equal(await checkFolders(undefined, undefined), undefined);
  });

  it('what is a program: ELF, #!, Mach-O; a lone "#" or text is not; unreadable is not judged', async () => {
    const write = (name: string, bytes: Buffer | string) => {
      fs.writeFileSync(path.join(dir, name), bytes, { mode: 0o755 });
      return path.join(dir, name);
    };
    assert.equal(await notAProgram(write('elf', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02]))), undefined);
    assert.equal(await notAProgram(write('script', '#!/bin/sh\n')), undefined);
    assert.equal(await notAProgram(write('macho', Buffer.from([0xcf, 0xfa, 0xed, 0xfe]))), undefined);
    assert.equal(await notAProgram(write('fat', Buffer.from([0xca, 0xfe, 0xba, 0xbe]))), undefined);
    const sentence = (f: string) => `${f} is not a program (no #! line and no executable header), so the system ran it as a shell script. Point codeOps.appServer.command at the code-app-server binary.`;
    for (const [name, bytes] of [['hash', '#'], ['hashspace', '# !'], ['bang', '!#x'], ['text', 'just notes'], ['empty', ''], ['elfish', Buffer.from([0x7f, 0x45, 0x4c])]] as const) {
      const f = write(name, bytes);
      assert.equal(await notAProgram(f), sentence(f), name);
    }
    assert.equal(await notAProgram(path.join(dir, 'nothing')), undefined);
    assert.deepEqual([125, 126, 127, 128, null].map(isCannotRunExit), [false, true, true, false, false]);
  });

  it('socket failures in words', async () => {
    const none = path.join(dir, 'none.sock');
    assert.equal(await explainSocketFailure(none, 'x', 'ENOENT'), `No socket at ${none}: nothing exists there. Is the deployed app server (its socat listener) running? Check codeOps.appServer.socket.`);
    assert.equal(await explainSocketFailure(dir, 'x', 'ENOTSOCK'), `${dir} is a folder, not a socket. Point codeOps.appServer.socket at the socket file inside it.`);
    const file = path.join(dir, 'plain');
    fs.writeFileSync(file, '');
    assert.equal(await explainSocketFailure(file, 'x', 'ECONNREFUSED'), `${file} is a regular file, not a socket. Point codeOps.appServer.socket at the server's socket.`);
    const sock = path.join(dir, 's.sock');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      assert.equal(await explainSocketFailure(sock, 'connect ECONNREFUSED', 'ECONNREFUSED'), `Nobody listens on ${sock}: the socket file is left over from a server that stopped. Start the deployed server again.`);
      assert.equal(await explainSocketFailure(sock, 'denied', 'EACCES'), `Permission denied connecting to ${sock}: this user may not use the socket.`);
      assert.equal(await explainSocketFailure(sock, 'weird', 'EOTHER'), `Cannot connect to ${sock}: weird`);
    } finally {
      server.close();
    }
    assert.match(await explainSocketFailure(path.join(file, 'x'), 'm', undefined), /^No socket at /);
  });

  it('timings: not a positive finite number takes the fallback; others are rounded and kept within [min, the timer limit]', () => {
    assert.deepEqual([undefined, Number.NaN, Infinity, -1, 0].map((v) => saneMs(v, 42)), [42, 42, 42, 42, 42]);
    assert.equal(saneMs(1.4, 42), 1);
    assert.equal(saneMs(1.6, 42), 2);
    assert.equal(saneMs(5, 42, 100), 100);
    assert.equal(saneMs(1e12, 42), MAX_TIMER_MS);
    assert.equal(MAX_TIMER_MS, 2 ** 31 - 1);
  });
});
