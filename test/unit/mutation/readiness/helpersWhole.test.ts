// Readiness helpers, exactly: the backup glob over a real folder tree (depth, `**`, braces, `~`,
// dot files, symlinks, a literal path), which command lines are app servers and which home each
// uses, the process list read from a /proc-shaped folder (uid, the server's own forks, unreadable
// entries), and the worst verdict of a section. Written from the survivors of
// `npm run mutation -- --per-folder --sample 10` (readiness).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { globFiles } from '../../../../src/core/readiness/glob';
import { worstStatus, type CheckStatus } from '../../../../src/core/readiness/model';
import { homeOf, inspectProcess, listServerProcesses, processEnvironment, sameFolder, serverKind } from '../../../../src/core/readiness/procs';

describe('backup glob', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-glob-'));
    for (const f of ['b/home-1.tgz', 'b/home-2.tgz', 'b/notes.txt', 'b/.hidden.tgz', 'b/deep/home-3.tgz', 'b/deep/deeper/home-4.tgz', 'c/x.tar.gz']) {
      fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), '');
    }
    fs.mkdirSync(path.join(dir, 'b/folder.tgz'));
    fs.symlinkSync(path.join(dir, 'b/home-1.tgz'), path.join(dir, 'b/link.tgz'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const rel = (files: string[]) => files.map((f) => path.relative(dir, f));

  it('one level: files only (a folder named like one is not), symlinks to files count, dot files do not', async () => {
    assert.deepEqual(rel(await globFiles('b/*.tgz', { cwd: dir })), ['b/home-1.tgz', 'b/home-2.tgz', 'b/link.tgz']);
  });

  it('two levels exactly, and any depth with **', async () => {
    assert.deepEqual(rel(await globFiles('b/*/*.tgz', { cwd: dir })), ['b/deep/home-3.tgz']);
    assert.deepEqual(rel(await globFiles('b/**/*.tgz', { cwd: dir })), ['b/deep/deeper/home-4.tgz', 'b/deep/home-3.tgz', 'b/home-1.tgz', 'b/home-2.tgz', 'b/link.tgz']);
  });

  it('braces and ?; an absolute pattern; ~ is the home folder given', async () => {
    assert.deepEqual(rel(await globFiles('{b,c}/*.t?z', { cwd: dir })), ['b/home-1.tgz', 'b/home-2.tgz', 'b/link.tgz']);
    assert.deepEqual(rel(await globFiles(`${dir}/c/*.tar.gz`, { cwd: '/' })), ['c/x.tar.gz']);
    assert.deepEqual(rel(await globFiles('~/b/home-?.tgz', { cwd: '/', homedir: dir })), ['b/home-1.tgz', 'b/home-2.tgz']);
    assert.deepEqual(rel(await globFiles('  ~/c/*.gz  ', { cwd: '/', homedir: dir })), ['c/x.tar.gz']);
  });

  it('a literal path: the file when it is one, nothing for a folder or a missing path', async () => {
    assert.deepEqual(rel(await globFiles('b/notes.txt', { cwd: dir })), ['b/notes.txt']);
    assert.deepEqual(await globFiles('b/folder.tgz', { cwd: dir }), []);
    assert.deepEqual(await globFiles('b/missing.tgz', { cwd: dir }), []);
    assert.deepEqual(await globFiles('missing/*.tgz', { cwd: dir }), []);
  });
});

describe('app server processes', () => {
  it('serverKind: by the kernel name, the program, a shell or node running it; codex only with app-server', () => {
    assert.equal(serverKind('code-app-server', []), 'code-app-server');
    assert.equal(serverKind('x', ['/usr/bin/code-app-server', '--flag']), 'code-app-server');
    assert.equal(serverKind('sh', ['/bin/sh', '/opt/code-app-server']), 'code-app-server');
    assert.equal(serverKind('node', ['node', 'x.js', 'code-app-server']), 'code-app-server');
    assert.equal(serverKind('python3', ['python3', 'code-app-server']), undefined, 'another interpreter is not ours');
    assert.equal(serverKind('codex', ['codex', 'app-server']), 'codex app-server');
    assert.equal(serverKind('node', ['node', '/usr/lib/node_modules/@openai/codex/bin/codex.js', 'app-server']), 'codex app-server');
    assert.equal(serverKind('MainThread', ['/opt/bin/codex', 'app-server']), 'codex app-server');
    assert.equal(serverKind('codex', ['codex', 'exec']), undefined);
    assert.equal(serverKind('node', ['node', 'other.js', 'app-server']), undefined);
    assert.equal(serverKind('bash', []), undefined);
  });

  it('homeOf: CODE_HOME, then CODEX_HOME, then ~/.code; codex reads CODEX_HOME or ~/.codex', () => {
    assert.equal(homeOf('code-app-server', { CODE_HOME: ' /a ', CODEX_HOME: '/b' }, '/h'), '/a');
    assert.equal(homeOf('code-app-server', { CODE_HOME: '  ', CODEX_HOME: '/b' }, '/h'), '/b');
    assert.equal(homeOf('code-app-server', { HOME: '/u' }, '/h'), '/u/.code');
    assert.equal(homeOf('code-app-server', {}, '/h'), '/h/.code');
    assert.equal(homeOf('codex app-server', { CODE_HOME: '/a', CODEX_HOME: '/b' }, '/h'), '/b');
    assert.equal(homeOf('codex app-server', { CODE_HOME: '/a' }, '/h'), '/h/.codex');
  });

  describe('from a /proc-shaped folder', () => {
    let proc: string;
    const write = (pid: number, files: Record<string, string>) => {
      fs.mkdirSync(path.join(proc, String(pid)), { recursive: true });
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(proc, String(pid), name), text);
    };
    const nul = (...parts: string[]) => `${parts.join('\0')}\0`;
    before(() => {
      proc = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-proc-'));
      write(100, { comm: 'code-app-server\n', cmdline: nul('/usr/bin/code-app-server'), environ: nul('CODE_HOME=/srv/code', 'PATH=/bin'), stat: '100 (code-app-server) S 1 100' });
      // its fork that has not exec'd yet: same name and environment, parent 100
      write(101, { comm: 'code-app-server\n', cmdline: nul('/usr/bin/code-app-server'), environ: nul('CODE_HOME=/srv/code'), stat: '101 (code app (x)) S 100 100' });
      write(200, { comm: 'codex\n', cmdline: nul('codex', 'app-server'), environ: nul('HOME=/home/u'), stat: '200 (codex) S 1 200' });
      write(300, { comm: 'bash\n', cmdline: nul('bash'), environ: nul('A=1'), stat: '300 (bash) S 1 300' });
      // a server whose environment cannot be read is not listed
      write(400, { comm: 'code-app-server\n', cmdline: nul('code-app-server'), stat: '400 (code-app-server) S 1 400' });
      fs.mkdirSync(path.join(proc, 'self'));
      fs.writeFileSync(path.join(proc, 'uptime'), '1 1');
    });
    after(() => fs.rmSync(proc, { recursive: true, force: true }));

    it('lists the servers with pid, kind, home and environment; a fork of a listed server is not a second one', async () => {
      const found = await listServerProcesses({ procRoot: proc, homedir: '/h' });
      assert.deepEqual(found, [
        { pid: 100, kind: 'code-app-server', home: '/srv/code', env: { CODE_HOME: '/srv/code', PATH: '/bin' } },
        { pid: 200, kind: 'codex app-server', home: '/home/u/.codex', env: { HOME: '/home/u' } },
      ]);
    });

    it('another uid is left out; a missing /proc is an empty list', async () => {
      assert.deepEqual(await listServerProcesses({ procRoot: proc, uid: process.getuid!() + 1 }), []);
      assert.deepEqual(await listServerProcesses({ procRoot: path.join(proc, 'missing') }), []);
    });

    it('inspectProcess and processEnvironment read one process', async () => {
      assert.deepEqual(await inspectProcess(200, proc, '/h'), { pid: 200, kind: 'codex app-server', home: '/home/u/.codex', env: { HOME: '/home/u' } });
      assert.equal(await inspectProcess(300, proc, '/h'), undefined);
      assert.equal(await inspectProcess(400, proc, '/h'), undefined);
      assert.deepEqual(await processEnvironment(100, proc), { CODE_HOME: '/srv/code', PATH: '/bin' });
      assert.equal(await processEnvironment(999, proc), undefined);
    });
  });

  it('sameFolder: through a symlink, and for paths that do not exist', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-same-'));
    try {
      fs.mkdirSync(path.join(d, 'real'));
      fs.symlinkSync(path.join(d, 'real'), path.join(d, 'link'));
      assert.equal(await sameFolder(path.join(d, 'link'), path.join(d, 'real')), true);
      assert.equal(await sameFolder(path.join(d, 'real'), d), false);
      assert.equal(await sameFolder(path.join(d, 'no', '..', 'x'), path.join(d, 'x')), true);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('worst verdict', () => {
  it('fail > warn > pass > skip, whatever the order; nothing for no verdicts', () => {
    const all: CheckStatus[] = ['skip', 'pass', 'warn', 'fail'];
    for (let i = 0; i < all.length; i++) {
      const upTo = all.slice(0, i + 1);
      assert.equal(worstStatus(upTo), all[i]);
      assert.equal(worstStatus([...upTo].reverse()), all[i]);
    }
    assert.equal(worstStatus(['pass', 'skip', 'pass']), 'pass');
    assert.equal(worstStatus([]), undefined);
  });
});
