import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isRunning } from '../../src/core/appServer/groups';
import { FAKE_SERVER, sleep, tempCodeHome } from '../unit/appServer/helpers';

/** The CLI as a real process, from its sources (no build needed). */
const CLI = path.resolve(__dirname, '../../src/cli.ts');
const TSX = require.resolve('tsx/cjs');
const MIB = 1024 * 1024;

interface Run {
  pid: number;
  /** stdout so far */
  output(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; peakKiB: number }>;
}

/** Starts `code-ops ARGS`; `done` also gives the peak resident memory seen in /proc (VmHWM). */
function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Run {
  const child = spawn(process.execPath, ['-r', TSX, CLI, ...args], { env: { PATH: process.env.PATH, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
    } catch {
      // exited
    }
  }, 25);
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; peakKiB: number }>((resolve) => {
    child.once('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stdout, stderr, peakKiB });
    });
  });
  return { pid: child.pid!, done, output: () => stdout };
}

async function waitForPid(file: string, withinMs = 15_000): Promise<number> {
  const until = Date.now() + withinMs;
  while (!fs.existsSync(file) || !fs.readFileSync(file, 'utf8').trim()) {
    if (Date.now() > until) throw new Error(`${file} did not appear`);
    await sleep(25);
  }
  return Number(fs.readFileSync(file, 'utf8'));
}

async function assertGone(pid: number, withinMs = 1000): Promise<void> {
  const until = Date.now() + withinMs;
  while (await isRunning(pid)) {
    if (Date.now() > until) throw new Error(`server ${pid} is still running`);
    await sleep(20);
  }
}

/** Signals `run` and returns how long it took to end. */
async function interrupt(run: Run, signal: NodeJS.Signals) {
  const t0 = Date.now();
  process.kill(run.pid, signal);
  const r = await run.done;
  return { ...r, ms: Date.now() - t0 };
}

const exitedBy = (r: { code: number | null; signal: NodeJS.Signals | null }, signal: NodeJS.Signals) =>
  r.signal === signal || r.code === (signal === 'SIGINT' ? 130 : 143);

describe('hostile: the CLI under signals, closed pipes and a flooding server (real processes)', function () {
  this.timeout(120_000);
  const fakeCommand = `"${process.execPath}" "${FAKE_SERVER}"`;

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`probe of a server that hangs: ${signal} ends it within 2 s and the server's group is gone`, async () => {
      const dir = tempCodeHome();
      const pidFile = path.join(dir, 'server.pid');
      const run = cli(['probe', '--command', fakeCommand, '--timeout', '60000'], { FAKE_SCENARIO: 'hang', FAKE_PID_FILE: pidFile }, dir);
      const server = await waitForPid(pidFile);
      await sleep(100);
      const r = await interrupt(run, signal);
      assert.ok(r.ms < 2000, `took ${r.ms} ms`);
      // It stopped the server itself and said so.
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^NOT healthy \(interrupted\): Interrupted; the server was stopped\./);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
      await assertGone(server);
    });
  }

  it('probe of a server that ignores SIGTERM and stdin EOF: SIGTERM still ends both within 2 s', async () => {
    const dir = tempCodeHome();
    const pidFile = path.join(dir, 'server.pid');
    const run = cli(['probe', '--command', fakeCommand, '--timeout', '60000'], { FAKE_SCENARIO: 'ignore-sigterm', FAKE_INIT_DELAY_MS: '60000', FAKE_PID_FILE: pidFile }, dir);
    const server = await waitForPid(pidFile);
    await sleep(100);
    const r = await interrupt(run, 'SIGTERM');
    assert.ok(r.ms < 2000, `took ${r.ms} ms`);
    await assertGone(server);
  });

  it('check --probe with a hanging server: SIGTERM ends it within 2 s, no server left', async () => {
    const dir = tempCodeHome();
    const pidFile = path.join(dir, 'server.pid');
    const run = cli(['check', '--code-home', dir, '--probe', '--command', process.execPath, '--arg', FAKE_SERVER], { FAKE_SCENARIO: 'hang', FAKE_PID_FILE: pidFile }, dir);
    const server = await waitForPid(pidFile);
    await sleep(100);
    const r = await interrupt(run, 'SIGTERM');
    assert.ok(r.ms < 2000, `took ${r.ms} ms`);
    // check does not listen for the signal: the guard stopped the server's group and ended by the signal.
    assert.ok(exitedBy(r, 'SIGTERM'), `code ${r.code} signal ${r.signal}`);
    await assertGone(server);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`tail --follow: ${signal} ends it within 2 s`, async () => {
      const dir = tempCodeHome();
      fs.mkdirSync(path.join(dir, 'log'));
      fs.writeFileSync(path.join(dir, 'log', 'code-tui.log'), '2026-01-01T00:00:00Z INFO hello\n');
      const run = cli(['tail', '--follow', '--code-home', dir], {}, dir);
      // It is following once the history line is out.
      const until = Date.now() + 15_000;
      while (!run.output().includes('hello') && Date.now() < until) await sleep(25);
      await sleep(200);
      const r = await interrupt(run, signal);
      assert.ok(r.ms < 2000, `took ${r.ms} ms`);
      assert.match(r.stdout, /hello/);
      assert.equal(r.code, 0, 'tail ends normally when interrupted');
    });
  }

  it('validate of a FIFO nobody writes: refused at once (not a regular file), exit 2, no wait', async function () {
    const dir = tempCodeHome();
    const fifo = path.join(dir, 'config.toml');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const r = await cli(['validate', fifo], {}, dir).done;
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.ok(Date.now() - started < 10_000, 'no wait for a writer');
    assert.match(r.stdout + r.stderr, /FIFO|not a regular file/);
  });

  it('`code-ops tail … | head -1` ends quietly: one line, no EPIPE stack trace', async () => {
    const dir = tempCodeHome();
    fs.mkdirSync(path.join(dir, 'log'));
    const lines = Array.from({ length: 100_000 }, (_, i) => `2026-01-01T00:00:00Z INFO line ${i}`).join('\n');
    fs.writeFileSync(path.join(dir, 'log', 'code-tui.log'), `${lines}\n`);
    const script = `"${process.execPath}" -r "${TSX}" "${CLI}" tail --code-home "${dir}" --lines 100000 | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const out = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      const sh = spawn('bash', ['-c', script], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      sh.stdout.on('data', (d) => (stdout += String(d)));
      sh.stderr.on('data', (d) => (stderr += String(d)));
      sh.once('close', () => resolve({ stdout, stderr }));
    });
    assert.equal(out.stdout.trim().split('\n').length, 1, out.stdout.slice(0, 200));
    assert.match(out.stderr, /status=(141|0)\n$/, out.stderr);
    // tail may say it waits for critical.log; never an EPIPE or a stack trace.
    assert.doesNotMatch(out.stderr, /EPIPE|Error|\n\s+at /, out.stderr);
  });

  it('probe of a server writing one 600 MB line: no crash, the line is cut and reported, the process grows < 256 MiB', async () => {
    const dir = tempCodeHome();
    const base = await cli(['probe', '--json', '--command', fakeCommand, '--timeout', '60000'], { FAKE_SCENARIO: 'healthy' }, dir).done;
    assert.equal(base.code, 0, base.stderr);
    const r = await cli(['probe', '--json', '--command', fakeCommand, '--timeout', '60000'], { FAKE_SCENARIO: 'huge-line', FAKE_HUGE_MB: '600' }, dir).done;
    assert.doesNotMatch(r.stderr, /ERR_STRING_TOO_LONG|Invalid string length/);
    const json = JSON.parse(r.stdout);
    assert.equal(json.healthy, true, r.stdout);
    assert.equal(json.skippedLines.tooLong, 1);
    assert.match(json.skippedLines.first, /line longer than 16777216 bytes: cut and skipped: x+… \(629145600 bytes\)/);
    const growthMiB = (r.peakKiB - base.peakKiB) / 1024;
    console.log(`      peak RSS: healthy probe ${(base.peakKiB / 1024).toFixed(0)} MiB, 600 MB line ${(r.peakKiB / 1024).toFixed(0)} MiB (growth ${growthMiB.toFixed(0)} MiB)`);
    assert.ok(r.peakKiB * 1024 - base.peakKiB * 1024 < 256 * MIB, `grew by ${growthMiB.toFixed(0)} MiB`);
  });
});

/** The built CLI (dist/ is built by the root hook): `code-ops mcp` loads dist/mcp.js, a separate bundle. */
const DIST_CLI = path.resolve(__dirname, '../../dist/cli.js');

/** Starts the built `code-ops ARGS` with a writable stdin; `done` as in cli(). */
function distCli(args: string[], cwd: string) {
  const child = spawn(process.execPath, [DIST_CLI, ...args], { env: { PATH: process.env.PATH }, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, output: () => stdout };
}

/** A hostile server script in `dir`; it writes its pid, and those of the children it starts, to pids.txt. */
function hostileServer(dir: string, body: string): string {
  const file = path.join(dir, 'hostile.mjs');
  fs.writeFileSync(
    file,
    `import { spawn } from 'node:child_process';\nimport { appendFileSync } from 'node:fs';\nconst note = (pid) => appendFileSync(${JSON.stringify(path.join(dir, 'pids.txt'))}, pid + '\\n');\nnote(process.pid);\n${body}\n`,
  );
  return file;
}

/** A server child in its own session (setsid), as a daemon would; it is noted in pids.txt. */
const ESCAPE = `const esc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true }); note(esc.pid); esc.unref();`;

function notedPids(dir: string): number[] {
  const file = path.join(dir, 'pids.txt');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
}

async function waitForPids(dir: string, n: number): Promise<number[]> {
  const until = Date.now() + 15_000;
  while (notedPids(dir).length < n) {
    if (Date.now() > until) throw new Error(`${n} pids were not noted`);
    await sleep(25);
  }
  return notedPids(dir);
}

describe('hostile, second round: floods, deep JSON, SIGHUP, mcp clients that vanish, terminal controls (real processes)', function () {
  this.timeout(120_000);

  // 100k+ lines a second of `x`: an exception per line used to take the event loop for seconds per OS read
  const FLOOD = `const chunk = Buffer.from('x\\n'.repeat(50000));\nconst go = () => { while (process.stdout.write(chunk)); process.stdout.once('drain', go); };\ngo();\nprocess.stdin.resume();`;

  it('probe of a server flooding tiny non-JSON lines: the deadline still ends it, memory flat, the server gone', async () => {
    const dir = tempCodeHome();
    const server = hostileServer(dir, FLOOD);
    const t0 = Date.now();
    const r = await cli(['probe', '--json', '--timeout', '1500', '--command', `"${process.execPath}" "${server}"`], {}, dir).done;
    const ms = Date.now() - t0;
    const json = JSON.parse(r.stdout);
    console.log(`      flood: ended after ${ms} ms, ${json.skippedLines.count} lines skipped, peak RSS ${(r.peakKiB / 1024).toFixed(0)} MiB`);
    assert.equal(json.state, 'unresponsive', r.stdout);
    assert.ok(json.skippedLines.count > 1000, 'the flood was read');
    assert.ok(ms < 15_000, `took ${ms} ms`);
    assert.ok(r.peakKiB * 1024 < 256 * MIB, `peak ${r.peakKiB} KiB`);
    for (const pid of notedPids(dir)) await assertGone(pid);
  });

  it('probe of a flooding server: SIGTERM ends it within 2 s and the server is gone', async () => {
    const dir = tempCodeHome();
    const server = hostileServer(dir, FLOOD);
    const run = cli(['probe', '--timeout', '60000', '--command', `"${process.execPath}" "${server}"`], {}, dir);
    await waitForPids(dir, 1);
    await sleep(1500);
    const r = await interrupt(run, 'SIGTERM');
    assert.ok(r.ms < 2000, `took ${r.ms} ms`);
    for (const pid of notedPids(dir)) await assertGone(pid);
  });

  it('probe of a server answering with JSON nested 5 million deep: skipped unparsed, growth < 256 MiB', async () => {
    const dir = tempCodeHome();
    const server = hostileServer(
      dir,
      `import readline from 'node:readline';\nreadline.createInterface({ input: process.stdin }).on('line', (l) => { const m = JSON.parse(l); if (m.id !== undefined) process.stdout.write('{"id":' + JSON.stringify(m.id) + ',"result":' + '['.repeat(5e6) + ']'.repeat(5e6) + '}\\n'); });`,
    );
    const r = await cli(['probe', '--json', '--timeout', '3000', '--command', `"${process.execPath}" "${server}"`], {}, dir).done;
    const json = JSON.parse(r.stdout);
    console.log(`      5M-deep JSON: peak RSS ${(r.peakKiB / 1024).toFixed(0)} MiB`);
    assert.match(json.skippedLines.first, /JSON nested deeper than 512 levels/);
    assert.ok(r.peakKiB * 1024 < 256 * MIB, `peak ${r.peakKiB} KiB`);
  });

  it('SIGHUP (the terminal closed) during probe: ends within 2 s, the server and its setsid child are gone and reported', async () => {
    const dir = tempCodeHome();
    const server = hostileServer(dir, `${ESCAPE}\nprocess.stdin.resume();`);
    const run = cli(['probe', '--timeout', '60000', '--command', `"${process.execPath}" "${server}"`], {}, dir);
    const pids = await waitForPids(dir, 2);
    await sleep(300);
    const r = await interrupt(run, 'SIGHUP');
    assert.ok(r.ms < 2000, `took ${r.ms} ms`);
    assert.match(r.stdout, /interrupted/);
    assert.match(r.stdout, new RegExp(`escaped processes .*${pids[1]}`));
    for (const pid of pids) await assertGone(pid);
  });

  const MCP_INIT = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'server_status', arguments: {} } },
  ];

  it('code-ops mcp whose client closes stdin mid-request: exits within 2 s, the probed server is gone', async () => {
    const dir = tempCodeHome();
    const server = hostileServer(dir, `${ESCAPE}\nprocess.stdin.resume();`);
    const run = distCli(['mcp', '--code-home', dir, '--command', process.execPath, '--arg', server, '--timeout', '60000'], dir);
    for (const m of MCP_INIT) run.child.stdin.write(`${JSON.stringify(m)}\n`);
    const pids = await waitForPids(dir, 2);
    const t0 = Date.now();
    run.child.stdin.end();
    const r = await run.done;
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    assert.equal(r.code, 0, r.stderr);
    for (const pid of pids) await assertGone(pid);
  });

  it('code-ops mcp killed mid-request (SIGTERM): no server left behind (the mcp bundle shares the group registry)', async () => {
    const dir = tempCodeHome();
    const server = hostileServer(dir, `${ESCAPE}\nprocess.stdin.resume();`);
    const run = distCli(['mcp', '--code-home', dir, '--command', process.execPath, '--arg', server, '--timeout', '60000'], dir);
    for (const m of MCP_INIT) run.child.stdin.write(`${JSON.stringify(m)}\n`);
    const pids = await waitForPids(dir, 2);
    const t0 = Date.now();
    run.child.kill('SIGTERM');
    await run.done;
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
    for (const pid of pids) await assertGone(pid);
  });

  it('terminal controls in a log line (ESC sequences, a bare CR, C1, bidi) are printed as escapes, human and JSON', async () => {
    const dir = tempCodeHome();
    fs.mkdirSync(path.join(dir, 'log'));
    const evil = '2026-01-01T00:00:00Z INFO a \u001b]0;pwned\u0007 b \u001b[2J c \u009b31m d \u202etxt.exe e \r f';
    fs.writeFileSync(path.join(dir, 'log', 'code-tui.log'), `${evil}\n`);
    const human = await cli(['tail', '--code-home', dir], {}, dir).done;
    const raw = /[\u001b\u0007\u009b\u202e\r]/; // eslint-disable-line no-control-regex
    assert.doesNotMatch(human.stdout, raw);
    assert.match(human.stdout, /a \\u001b\]0;pwned\\u0007 b \\u001b\[2J c \\u009b31m d \\u202etxt\.exe e \\u000d f/);
    const json = await cli(['tail', '--code-home', dir, '--json'], {}, dir).done;
    assert.doesNotMatch(json.stdout, raw);
    assert.equal(JSON.parse(json.stdout.trim()).line, evil, 'JSON still carries the exact text');
  });

  it('otel-test --json with ?key= and ?code= in the endpoint prints neither', async () => {
    const dir = tempCodeHome();
    const secret = 'Zq8wX3vB7nM2kL9pR4tY6';
    fs.writeFileSync(path.join(dir, 'config.toml'), `[otel]\nenvironment = "prod"\nexporter = { otlp-http = { endpoint = "http://127.0.0.1:9/v1/logs?key=${secret}1&code=${secret}2", protocol = "json", headers = {} } }\n`);
    const r = await cli(['otel-test', '--json', '--code-home', dir, '--timeout', '300'], {}, dir).done;
    assert.match(r.stdout, /"endpoint": "http:\/\/127\.0\.0\.1:9\/v1\/logs\?key=\*{4}&code=\*{4}"/);
    assert.ok(!(r.stdout + r.stderr).includes(secret));
  });
});
