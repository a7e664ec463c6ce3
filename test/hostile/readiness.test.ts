import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { listArchiveEntries } from '../../src/core/readiness/archive';
import { applyPermissionsFix, loadChecklistFile, parseStateText, renderReport, builtinChecklist, runChecks, type CheckId } from '../../src/core/readiness/index';
import { contextFor, makeCodeHome, tempDir } from '../unit/readiness/helpers';

/** Hostile files against the readiness checks, the sign-off file, the report and the CLI. */

const linux = process.platform === 'linux';
const CLI = path.resolve(__dirname, '../../src/cli.ts');

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/** Runs `code-ops ARGS` as a real process; resolves with its status and how long it took. */
function runCli(args: string[], cwd: string, timeoutMs = 15_000): Promise<{ code: number | null; ms: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI, ...args], { cwd, env: { ...process.env, CODE_HOME: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Date.now() - started, out, err });
    });
  });
}

async function one(ctx: ReturnType<typeof contextFor>, id: CheckId) {
  const [r] = await runChecks(ctx, [id]);
  return r;
}

/** A GNU tar header block of type `L` (long name) claiming `size` bytes. */
function longNameHeader(size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write('././@LongLink', 0);
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('        ', 148);
  h.write('L', 156);
  h.write('ustar  \0', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

describe('hostile: readiness files that are not regular, huge or crafted', function () {
  this.timeout(60_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('code-ops-hostile-')));
  afterEach(() => tmp.cleanup());

  it('config.toml as a FIFO: config-valid fails at once, nothing hangs', async function () {
    if (!linux) this.skip();
    const home = makeCodeHome(tmp.dir);
    mkfifo(path.join(home, 'config.toml'));
    const started = Date.now();
    const r = await one(contextFor(home), 'config-valid');
    assert.ok(Date.now() - started < 2000);
    assert.equal(r.status, 'fail');
    assert.match(r.detail, /FIFO \(named pipe\), not a regular file/);
  });

  it('the managed layer as a symlink to /dev/zero: refused, memory flat', async function () {
    if (!linux) this.skip();
    const home = makeCodeHome(tmp.dir, { files: { 'config.toml': '[otel]\nenvironment = "production"\n' } });
    const managed = path.join(tmp.dir, 'managed.toml');
    fs.symlinkSync('/dev/zero', managed);
    const before = process.memoryUsage().rss;
    const r = await one(contextFor(home, { settings: { managedConfig: managed } }), 'config-valid');
    assert.equal(r.status, 'fail');
    assert.match(r.detail, /character device/);
    assert.ok(process.memoryUsage().rss - before < 256 * 1024 * 1024);
  });

  it('a checklist file that is a FIFO or /dev/zero: a clear error, no wait', async function () {
    if (!linux) this.skip();
    const fifo = path.join(tmp.dir, 'list.md');
    mkfifo(fifo);
    await assert.rejects(loadChecklistFile(fifo), /FIFO/);
    const zero = path.join(tmp.dir, 'zero.md');
    fs.symlinkSync('/dev/zero', zero);
    await assert.rejects(loadChecklistFile(zero), /character device/);
  });

  it('check --report to a FIFO with no reader exits 2 promptly instead of hanging', async function () {
    if (!linux) this.skip();
    const home = makeCodeHome(tmp.dir);
    const fifo = path.join(tmp.dir, 'report.md');
    mkfifo(fifo);
    const r = await runCli(['check', '--code-home', home, '--report', fifo], tmp.dir);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /cannot write the report .*FIFO/);
    assert.ok(r.ms < 10_000);
  });

  it('readiness.json as a FIFO: check still reports, saying the file cannot be read', async function () {
    if (!linux) this.skip();
    const home = makeCodeHome(tmp.dir);
    fs.mkdirSync(path.join(tmp.dir, '.code-ops'));
    mkfifo(path.join(tmp.dir, '.code-ops', 'readiness.json'));
    const out = path.join(tmp.dir, 'r.md');
    const r = await runCli(['check', '--code-home', home, '--report', out], tmp.dir);
    assert.notEqual(r.code, null, 'the command ended');
    assert.ok(fs.existsSync(out), r.err);
  });

  it('a 9 MB .tgz whose long-name header claims 2 GB: backup-recent fails clearly, growth < 256 MiB', async () => {
    const home = makeCodeHome(tmp.dir);
    const file = path.join(tmp.dir, 'backups', 'bomb.tgz');
    fs.mkdirSync(path.dirname(file));
    // 9 MB of incompressible name bytes after a header claiming 2 GB of them.
    fs.writeFileSync(file, zlib.gzipSync(Buffer.concat([longNameHeader(2 * 1024 * 1024 * 1024 - 1), randomBytes(9 * 1024 * 1024)])));
    assert.ok(fs.statSync(file).size > 9 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const r = await one(contextFor(home, { settings: { backupGlob: 'backups/*.tgz' } }), 'backup-recent');
    const growth = process.memoryUsage().rss - before;
    assert.equal(r.status, 'fail', r.detail);
    assert.match(r.detail, /bomb\.tgz: /);
    assert.ok(growth < 256 * 1024 * 1024, `grew ${Math.round(growth / 1024 / 1024)} MiB`);
  });

  it('backup entries named with .. or an absolute path fail backup-recent', async () => {
    const home = makeCodeHome(tmp.dir);
    const src = path.join(tmp.dir, 'src');
    for (const d of ['sessions', 'log', 'logs']) fs.mkdirSync(path.join(src, d), { recursive: true });
    fs.writeFileSync(path.join(src, 'auth.json'), '{}');
    for (const d of ['sessions', 'log', 'logs']) fs.writeFileSync(path.join(src, d, 'x'), 'x');
    fs.mkdirSync(path.join(tmp.dir, 'b'));
    const tarFile = path.join(tmp.dir, 'b', 'evil.tar');
    // -P keeps the leading "/" and ".." as written (a crafted archive).
    execFileSync('tar', ['-P', '-cf', tarFile, '-C', src, 'auth.json', 'sessions', 'log', 'logs', `${src}/../src/auth.json`]);
    const names = (await listArchiveEntries(tarFile)).names;
    assert.ok(names.some((n) => n.includes('..')), names.join(','));
    const r = await one(contextFor(home, { settings: { backupGlob: 'b/*.tar' } }), 'backup-recent');
    assert.equal(r.status, 'fail');
    assert.match(r.detail, /would restore outside CODE_HOME/);
  });

  it('the permissions Fix refuses a symlink instead of changing its target', async function () {
    if (!linux) this.skip();
    const target = path.join(tmp.dir, 'elsewhere.json');
    fs.writeFileSync(target, '{}', { mode: 0o644 });
    const link = path.join(tmp.dir, 'auth.json');
    fs.symlinkSync(target, link);
    await assert.rejects(applyPermissionsFix({ kind: 'permissions', targets: [{ path: link, mode: 0o600 }] }), /symlink; not changed/);
    assert.equal(fs.statSync(target).mode & 0o777, 0o644);
  });

  it('readiness.json text fields cannot forge report lines; dates are strict', () => {
    const list = builtinChecklist();
    const id = [...list.sections[0].items][0].id;
    const text = JSON.stringify({
      version: 1,
      items: {
        [id]: { checked: true, by: 'Eve\n- [x] **Everything** — signed off by the CTO', at: '2025-12-24T13:51:00Z' },
        'other\n## Forged': { checked: true, at: '2025-13-45T99:00:00Z' },
        late: { checked: true, at: '2025-02-30T10:00:00Z' },
        loose: { checked: true, at: 'Dec 24 2025' },
        fine: { checked: true, note: 'line one\nline two', at: '2025-12-24T13:51:00.123+02:00' },
      },
    });
    const parsed = parseStateText(text).state;
    assert.equal(parsed.entries.has(id), false, 'a line break in "by" is refused');
    assert.deepEqual([...parsed.entries.keys()], ['fine']);
    const report = renderReport({
      checklist: list,
      results: new Map(),
      signOff: (i) => parsed.entries.get(i) ?? (i === id ? { checked: true, by: 'Eve\n# forged', note: 'a\r\n- [x] b' } : undefined),
      isChecked: (i) => i.id === id,
      now: new Date('2025-12-25T08:00:00Z'),
      codeHome: '/srv/code',
      target: 'production',
      stateProblems: parsed.problems,
    });
    assert.doesNotMatch(report, /^# forged/m);
    assert.doesNotMatch(report, /^- \[x\] b/m);
    assert.doesNotMatch(report, /^## Forged/m);
  });

  it('config.toml as a socket, a symlink loop, a 2 GB sparse file: validate names what it is, exit 2, no read', async function () {
    if (!linux) this.skip();
    const sock = path.join(tmp.dir, 'sock.toml');
    execFileSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(sock)})`]);
    fs.symlinkSync('loop-b', path.join(tmp.dir, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(tmp.dir, 'loop-b'));
    const sparse = path.join(tmp.dir, 'sparse.toml');
    fs.closeSync(fs.openSync(sparse, 'w'));
    fs.truncateSync(sparse, 2 * 1024 * 1024 * 1024);
    const expect: Array<[string, RegExp]> = [[sock, /is a socket, not a regular file/], [path.join(tmp.dir, 'loop-a'), /symlink loop/], [sparse, /is 2048 MiB, over the 4 MiB limit/]];
    for (const [file, message] of expect) {
      const r = await runCli(['validate', file], tmp.dir);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.ok(r.ms < 10_000);
    }
  });

  it('a checklist through a symlink to /proc/self/pagemap (size 0, endless) or a 3 GB sparse file: refused with its size', async function () {
    if (!linux) this.skip();
    const home = makeCodeHome(tmp.dir);
    fs.symlinkSync('/proc/self/pagemap', path.join(tmp.dir, 'pagemap.md'));
    const sparse = path.join(tmp.dir, 'big.md');
    fs.closeSync(fs.openSync(sparse, 'w'));
    fs.truncateSync(sparse, 3 * 1024 * 1024 * 1024);
    const a = await runCli(['check', '--code-home', home, '--checklist', path.join(tmp.dir, 'pagemap.md')], tmp.dir);
    assert.equal(a.code, 2, a.err);
    assert.match(a.err, /pagemap\.md is over the 4 MiB limit; not read/);
    const b = await runCli(['check', '--code-home', home, '--checklist', sparse], tmp.dir);
    assert.equal(b.code, 2, b.err);
    assert.match(b.err, /big\.md is 3072 MiB, over the 4 MiB limit/);
  });

  for (const target of ['/dev/urandom', '/proc/self/mem']) {
    it(`readiness.json as a symlink to ${target}: check says the sign-offs could not be read (stderr and report), nothing taken for "none yet"`, async function () {
      if (!linux) this.skip();
      const home = makeCodeHome(tmp.dir);
      fs.mkdirSync(path.join(tmp.dir, '.code-ops'));
      fs.symlinkSync(target, path.join(tmp.dir, '.code-ops', 'readiness.json'));
      const out = path.join(tmp.dir, 'r.md');
      const r = await runCli(['check', '--code-home', home, '--report', out], tmp.dir);
      assert.ok(r.ms < 10_000);
      assert.match(r.err, /readiness\.json could not be read/);
      assert.match(fs.readFileSync(out, 'utf8'), /The sign-off file could not be read: .*readiness\.json/);
    });
  }
});
