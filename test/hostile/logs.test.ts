import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeHomePaths } from '../../src/core/codeHome';
import { CodeLogFollowers, FileFollower, findPanics, listCriticalLogs, RollingLogFollower, type SourcedChunk } from '../../src/core/logs';
import { chunkLines } from '../../src/core/logs/lineChunk';
import { tracingPanic } from '../fixtures/logs/panicShapes';
import { Collector, range, seqLine, seqNumbers, tempDir, waitFor } from '../unit/logs/helpers';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves with the promise, or rejects when it takes longer than ms: a hang fails the test instead of the run. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Only whole lines (seqLine's timestamp repeats the number, so a line cut at either end shows):
 * a housekeeping cut leaves a partial first line, and a partial line held when the cut removed its
 * rest is passed on as it was.
 */
function seqOnly(lines: string[]): number[] {
  return seqNumbers(lines.filter((l) => {
    const m = /^2025-12-24T13:51:20\.(\d{6})Z {2}INFO run_auto_loop\{goal=test\}: seq=(\d+)$/.exec(l);
    return m !== null && Number(m[1]) === Number(m[2]) % 1_000_000;
  }));
}

function assertIncreasing(nums: number[]): void {
  for (let i = 1; i < nums.length; i++) assert.ok(nums[i] > nums[i - 1], `repeated or out of order at ${i}: ${nums[i - 1]} then ${nums[i]}`);
}

describe('hostile file events: followers recover, lose nothing, repeat nothing', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir('code-ops-hostile-logs-')));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('a far-future critical.log member', () => {
    it('does not capture the follower: today\'s file is followed and its panics found', async () => {
      const logs = path.join(dir, 'logs');
      fs.mkdirSync(logs);
      const now = Date.now();
      fs.writeFileSync(path.join(logs, 'critical.log.2999-01-01'), 'planted\n');
      fs.writeFileSync(path.join(logs, 'critical.log.2025-02-30'), 'not a day\n');
      fs.mkdirSync(path.join(logs, `critical.log.${day(now + 86_400_000)}`)); // tomorrow's name, but a folder
      const today = path.join(logs, `critical.log.${day(now)}`);
      fs.writeFileSync(today, `${seqLine(1)}\n`);
      assert.deepEqual(await listCriticalLogs(logs), [today]);
      const follower = new RollingLogFollower({ logsDir: logs, pollIntervalMs: 0, watch: false });
      const got = new Collector();
      follower.onChunk(got.onChunk);
      try {
        await follower.poll();
        fs.appendFileSync(today, `${seqLine(2)}\n`);
        fs.appendFileSync(path.join(logs, 'critical.log.2999-01-01'), 'more planted\n');
        await follower.poll();
        assert.equal(follower.file, today);
        assert.deepEqual(seqNumbers(got.lines), [1, 2]);
      } finally {
        follower.dispose();
      }
      fs.appendFileSync(today, tracingPanic(now));
      const hits = await findPanics(codeHomePaths(dir), now - 60_000);
      assert.equal(hits.length, 1);
      assert.equal(hits[0].file, today);
    });

    it('tomorrow\'s member (UTC) still counts', async () => {
      const logs = path.join(dir, 'logs');
      fs.mkdirSync(logs);
      const now = Date.now();
      for (const d of [day(now), day(now + 86_400_000)]) fs.writeFileSync(path.join(logs, `critical.log.${d}`), '');
      assert.equal(path.basename((await listCriticalLogs(logs)).at(-1)!), `critical.log.${day(now + 86_400_000)}`);
    });
  });

  describe('the followed path replaced by something that is not a regular file', () => {
    async function replaceAndRecover(replace: (file: string) => void): Promise<{ got: Collector; follower: FileFollower }> {
      const file = path.join(dir, 'code-tui.log');
      fs.writeFileSync(file, `${seqLine(1)}\n${seqLine(2)}\n`);
      const follower = new FileFollower({ file, pollIntervalMs: 0, watch: false });
      const got = new Collector();
      follower.onChunk(got.onChunk);
      follower.onNotice(got.onNotice);
      await within(2000, 'first read', follower.poll());
      fs.appendFileSync(file, `${seqLine(3)}\n`);
      fs.rmSync(file);
      replace(file);
      // several passes: none may hang, flood or stick
      for (let i = 0; i < 5; i++) await within(2000, `pass ${i} over the replaced path`, follower.poll());
      assert.ok(follower.bytesRead < 1 << 20, `read ${follower.bytesRead} bytes`);
      assert.equal(follower.status, 'error');
      // a regular file again: picked up from its first line
      fs.rmSync(file, { recursive: true, force: true });
      fs.writeFileSync(file, `${seqLine(4)}\n${seqLine(5)}\n`);
      await within(2000, 'recovery', follower.poll());
      await within(2000, 'recovery', follower.poll());
      assert.deepEqual(seqNumbers(got.lines), range(1, 5));
      assert.equal(follower.status, 'following');
      return { got, follower };
    }

    it('by a folder: says so and does not stick on EISDIR', async () => {
      const { got, follower } = await replaceAndRecover((file) => fs.mkdirSync(file));
      follower.dispose();
      assert.ok(got.notices.some((n) => /is a folder, not a regular file/.test(n.message)), JSON.stringify(got.notices));
    });

    it('by a FIFO with no writer: does not hang', async () => {
      const { got, follower } = await replaceAndRecover((file) => assert.equal(spawnSync('mkfifo', [file]).status, 0));
      follower.dispose();
      assert.ok(got.notices.some((n) => /FIFO/.test(n.message)), JSON.stringify(got.notices));
    });

    it('by a symlink to /dev/zero: does not flood', async () => {
      const { got, follower } = await replaceAndRecover((file) => fs.symlinkSync('/dev/zero', file));
      follower.dispose();
      assert.ok(got.notices.some((n) => /character device/.test(n.message)), JSON.stringify(got.notices));
    });

    it('a FIFO or /dev/zero already there when following starts is refused at once', async () => {
      const fifo = path.join(dir, 'fifo.log');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const zero = path.join(dir, 'zero.log');
      fs.symlinkSync('/dev/zero', zero);
      for (const file of [fifo, zero]) {
        const f = new FileFollower({ file, pollIntervalMs: 0, watch: false });
        await within(2000, `following ${path.basename(file)}`, f.poll());
        assert.equal(f.status, 'error');
        assert.equal(f.bytesRead, 0);
        f.dispose();
      }
      assert.deepEqual(await within(2000, 'findPanics', findPanics({ ...codeHomePaths(dir), tuiLog: zero }, 0)), []);
    });
  });

  it('a rewrite in place that keeps the tail, racing the follower, repeats no line', async function () {
    this.timeout(60_000);
    const file = path.join(dir, 'code-tui.log');
    fs.writeFileSync(file, '');
    const follower = new FileFollower({ file, pollIntervalMs: 1, watch: true, readChunkBytes: 512 });
    const got = new Collector();
    follower.onChunk(got.onChunk);
    follower.start();
    // a separate process writes and rewrites, so the rewrite really races the reads
    const writer = `
      const fs = require('node:fs');
      const file = process.argv[1];
      const line = (n) => '2025-12-24T13:51:20.' + String(n % 1e6).padStart(6, '0') + 'Z  INFO run_auto_loop{goal=test}: seq=' + n + '\\n';
      let n = 0;
      for (let round = 0; round < 40; round++) {
        for (let i = 0; i < 200; i++) fs.appendFileSync(file, line(++n));
        // housekeeping: keep the last 6000 bytes in place (same inode), first kept line partial
        const fd = fs.openSync(file, 'r+');
        const size = fs.fstatSync(fd).size;
        const keep = Math.min(6000, size);
        const tail = Buffer.alloc(keep);
        fs.readSync(fd, tail, 0, keep, size - keep);
        fs.writeSync(fd, tail, 0, keep, 0);
        fs.ftruncateSync(fd, keep);
        fs.closeSync(fd);
        const until = Date.now() + 20; while (Date.now() < until) {}
      }
      for (let i = 0; i < 20; i++) fs.appendFileSync(file, line(++n));
      process.stdout.write(String(n));
    `;
    const child = spawn(process.execPath, ['-e', writer, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const total = Number(out);
    assert.equal(total, 8020);
    try {
      await waitFor('the last line', () => seqOnly(got.lines).at(-1) === total, 20_000);
      await sleep(100);
      const seen = seqOnly(got.lines);
      assertIncreasing(seen);
      // every complete line still on disk was shown
      const onDisk = seqOnly(fs.readFileSync(file, 'utf8').split('\n').slice(1, -1));
      const seenSet = new Set(seen);
      for (const n of onDisk) assert.ok(seenSet.has(n), `line ${n} is on disk but was not shown`);
      assert.ok(seen.length > 1000, `saw ${seen.length} lines`);
    } finally {
      follower.dispose();
    }
  });

  it('an unreadable read (the file closed under it) is closed and looked at again, continuing where it stopped', async () => {
    const file = path.join(dir, 'code-tui.log');
    fs.writeFileSync(file, `${seqLine(1)}\n`);
    const follower = new FileFollower({ file, pollIntervalMs: 0, watch: false });
    const got = new Collector();
    follower.onChunk(got.onChunk);
    follower.onNotice(got.onNotice);
    try {
      await follower.poll();
      // pull the descriptor away under the follower: its next read fails with EBADF
      const handle = (follower as unknown as { handle: fs.promises.FileHandle }).handle;
      fs.closeSync(handle.fd);
      fs.appendFileSync(file, `${seqLine(2)}\n`);
      await follower.poll();
      assert.ok(got.kinds().includes('error'), got.kinds().join());
      fs.appendFileSync(file, `${seqLine(3)}\n`);
      await follower.poll();
      await follower.poll();
      assert.deepEqual(seqNumbers(got.lines), [1, 2, 3]);
    } finally {
      follower.dispose();
    }
  });
});

describe('log layouts: Code moves log/ and logs/ into debug_logs/ while we follow', () => {
  let home: string;
  beforeEach(() => (home = tempDir('code-ops-layout-')));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('switches to debug_logs/ and then to codex-tui.log without losing or repeating a line', async function () {
    this.timeout(30_000);
    const p = codeHomePaths(home);
    fs.mkdirSync(p.logDir);
    fs.mkdirSync(p.logsDir);
    const today = `critical.log.${day(Date.now())}`;
    let tui = p.tuiLog;
    let critical = path.join(p.logsDir, today);
    let n = 0;
    let m = 100_000;
    const write = (count: number) => {
      for (let i = 0; i < count; i++) {
        fs.appendFileSync(tui, `${seqLine(++n)}\n`);
        fs.appendFileSync(critical, `${seqLine(++m)}\n`);
      }
    };
    write(50);
    const logs = new CodeLogFollowers({ paths: p, pollIntervalMs: 10, initialLines: 1000, rules: [] });
    const bySource: Record<string, string[]> = { 'code-tui': [], critical: [] };
    const notes: string[] = [];
    logs.onChunk((c: SourcedChunk) => bySource[c.source].push(...chunkLines(c)));
    logs.onNotice((x) => notes.push(x.message));
    logs.start();
    try {
      assert.equal(logs.layout.kind, 'beacon');
      await waitFor('history', () => bySource['code-tui'].length === 50 && bySource.critical.length === 50);
      write(30);
      // Code starts: it moves the contents of log/ and logs/ into debug_logs/ and removes them
      const debug = path.join(home, 'debug_logs');
      fs.mkdirSync(debug);
      fs.renameSync(p.tuiLog, path.join(debug, 'code-tui.log'));
      fs.renameSync(critical, path.join(debug, today));
      fs.rmdirSync(p.logDir);
      fs.rmdirSync(p.logsDir);
      tui = path.join(debug, 'code-tui.log');
      critical = path.join(debug, today);
      write(30); // the writers still hold the moved files
      await waitFor('the switch', () => logs.layout.kind === 'debug-logs', 10_000);
      write(30);
      // then, with --debug, the TUI writes codex-tui.log
      tui = path.join(debug, 'codex-tui.log');
      write(30);
      await waitFor('every line', () => bySource['code-tui'].length >= n && bySource.critical.length >= m - 100_000, 10_000);
      await sleep(100);
      assert.deepEqual(seqNumbers(bySource['code-tui']), range(1, n));
      assert.deepEqual(seqNumbers(bySource.critical), range(100_001, m));
      assert.equal(logs.layout.tuiLog, tui);
      assert.ok(notes.some((x) => /debug_logs/.test(x)), notes.join('\n'));
    } finally {
      logs.dispose();
    }
  });
});

describe('code-ops tail output hygiene, panics and layout', () => {
  let home: string;
  beforeEach(() => (home = tempDir('code-ops-tail-hostile-')));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  /** Runs the real CLI as a child process and returns its output. */
  function tail(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../src/cli.ts'), 'tail', '--code-home', home, ...args], { encoding: 'utf8', timeout: 20_000, maxBuffer: 64 << 20 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('a 2 GB sparse log without a newline: tail --lines 5 reads a bounded tail (cut line with a marker), quickly', () => {
    fs.mkdirSync(path.join(home, 'log'));
    const file = path.join(home, 'log', 'code-tui.log');
    fs.closeSync(fs.openSync(file, 'w'));
    fs.truncateSync(file, 2 * 1024 * 1024 * 1024);
    fs.appendFileSync(file, `\n${seqLine(1)}\n`);
    const t0 = Date.now();
    const r = tail(['--lines', '5']);
    const ms = Date.now() - t0;
    console.log(`      2 GB sparse log: ${ms} ms`);
    // the whole file used to be scanned backwards, then read forwards: 12 s here
    assert.ok(ms < 6000, `took ${ms} ms`);
    const out = r.stdout.split('\n').filter(Boolean);
    assert.equal(out.length, 2, r.stderr);
    assert.match(out[0], /^code-tui │ (\\u0000)+ … \[line cut at 65536 bytes\]$/);
    assert.equal(out[1], `code-tui │ ${seqLine(1)}`);
  });

  it('prints a last line that has no newline, in human and JSON output', () => {
    fs.mkdirSync(path.join(home, 'log'));
    fs.writeFileSync(path.join(home, 'log', 'code-tui.log'), `${seqLine(1)}\n${seqLine(2)}`);
    const human = tail(['--lines', '5']);
    assert.equal(human.status, 0, human.stderr);
    assert.deepEqual(human.stdout.split('\n').filter(Boolean).map((l) => l.replace('code-tui │ ', '')), [seqLine(1), seqLine(2)]);
    const json = tail(['--lines', '1', '--json']);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.line), [seqLine(2)]);
  });

  it('--lines N prints at most N lines; a giant line is cut with a marker, not split', () => {
    fs.mkdirSync(path.join(home, 'log'));
    const giant = `2025-12-24T13:51:20.000000Z ERROR ${'x'.repeat(5 << 20)}`;
    fs.writeFileSync(path.join(home, 'log', 'code-tui.log'), `${seqLine(1)}\n${seqLine(2)}\n${giant}\n${seqLine(3)}\n${giant}`);
    for (const n of [1, 2, 3]) {
      const r = tail(['--lines', String(n)]);
      assert.equal(r.status, 0, r.stderr);
      const out = r.stdout.split('\n').filter(Boolean);
      assert.equal(out.length, n, `--lines ${n} printed ${out.length} lines`);
      for (const l of out) assert.ok(l.length < 70 * 1024, `a line of ${l.length} characters`);
    }
    const three = tail(['--lines', '3']).stdout.split('\n').filter(Boolean);
    assert.match(three[0], /… \[line cut at 65536 bytes\]$/);
    assert.match(three[1], /seq=3$/);
    assert.match(three[2], /… \[line cut at 65536 bytes\]$/);
  });

  it('marks panic: true on the line that starts a panic in each form, and names the debug_logs/ layout', () => {
    const debug = path.join(home, 'debug_logs');
    fs.mkdirSync(debug);
    const now = Date.now();
    const text = tracingPanic(now, undefined, 'tui') + "thread 'main' panicked at src/main.rs:1:2:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n" + 'Panic occurred: PanicHookInfo { payload: Any { .. }, location: Location { file: "a.rs", line: 1, col: 1 }, can_unwind: true, force_no_backtrace: false }\n';
    fs.writeFileSync(path.join(debug, 'codex-tui.log'), text);
    const r = tail(['--json', '--lines', '20']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => l.panic),
      [true, false, true, false, false, true],
    );
    assert.ok(lines.every((l) => l.layout === 'debug-logs'));
    assert.match(r.stderr, /Log layout: debug_logs\/ \(Code since 2026\): debug_logs\/codex-tui\.log/);
    const human = tail(['--lines', '20']);
    assert.equal((human.stdout.match(/‼ PANIC/g) ?? []).length, 3);
  });

  it('masks secrets in what it prints (human and JSON)', () => {
    fs.mkdirSync(path.join(home, 'log'));
    fs.writeFileSync(path.join(home, 'log', 'code-tui.log'), '2025-12-24T13:51:20Z  WARN retry OPENAI_API_KEY=sk-live0123456789abcdef X-Auth-Token: tok0123456789 https://u:p4ssw0rd123@h/x\n');
    for (const args of [[], ['--json']]) {
      const out = tail(args).stdout;
      for (const s of ['sk-live0123456789abcdef', 'tok0123456789', 'p4ssw0rd123']) assert.ok(!out.includes(s), out);
    }
  });
});
