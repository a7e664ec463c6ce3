import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli';
import { range, seqLine, seqNumbers, tempDir, truncateInPlace, waitFor } from './helpers';
import { killAfterTest } from '../setup/children';

function capture(env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { io: { stdout, stderr, env, cwd: process.cwd() }, out: () => out, err: () => err };
}

describe('code-ops tail', () => {
  let home: string;
  let tui: string;
  let critical: string;
  beforeEach(() => {
    home = tempDir('code-ops-tail-');
    fs.mkdirSync(path.join(home, 'log'));
    fs.mkdirSync(path.join(home, 'logs'));
    tui = path.join(home, 'log', 'code-tui.log');
    critical = path.join(home, 'logs', 'critical.log.2025-12-24');
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('prints the last N lines of both logs with their source and marks panics', async () => {
    fs.writeFileSync(tui, range(1, 10).map((n) => seqLine(n) + '\n').join(''));
    fs.writeFileSync(path.join(home, 'logs', 'critical.log.2025-12-23'), 'old day\n');
    fs.writeFileSync(critical, '2025-12-24T13:51:20.921652Z ERROR main ThreadId(01) Panic occurred: boom token=abcdef123456\n');
    const c = capture();
    assert.equal(await main(['tail', '--code-home', home, '--lines', '3'], c.io), 0);
    assert.equal(
      c.out(),
      [
        `code-tui │ ${seqLine(8)}`,
        `code-tui │ ${seqLine(9)}`,
        `code-tui │ ${seqLine(10)}`,
        'critical │ ‼ PANIC 2025-12-24T13:51:20.921652Z ERROR main ThreadId(01) Panic occurred: boom token=****',
        '',
      ].join('\n'),
    );
  });

  it('prints one JSON object per line with source, file, line, level, panic and layout', async () => {
    fs.writeFileSync(tui, '2025-12-24T13:51:20.921578Z  WARN careful\r\nno level here\n');
    fs.writeFileSync(critical, '2025-12-24T13:51:20.921652Z ERROR main ThreadId(01) Panic occurred\n');
    const c = capture({ CODE_HOME: home });
    assert.equal(await main(['tail', '--json'], c.io), 0);
    const objects = c.out().trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(objects, [
      { source: 'code-tui', file: tui, line: '2025-12-24T13:51:20.921578Z  WARN careful', level: 'WARN', panic: false, layout: 'beacon' },
      { source: 'code-tui', file: tui, line: 'no level here', level: null, panic: false, layout: 'beacon' },
      { source: 'critical', file: critical, line: '2025-12-24T13:51:20.921652Z ERROR main ThreadId(01) Panic occurred', level: 'ERROR', panic: true, layout: 'beacon' },
    ]);
  });

  it('says on stderr that a log does not exist yet, and exits 0', async () => {
    const c = capture();
    assert.equal(await main(['tail', '--code-home', home], c.io), 0);
    assert.equal(c.out(), '');
    assert.match(c.err(), /code-tui │ -- Waiting for .*code-tui\.log to be created/);
    assert.match(c.err(), /critical │ -- Waiting for .*critical\.log\.YYYY-MM-DD to be created/);
  });

  it('rejects a bad --lines with exit 2', async () => {
    const c = capture();
    assert.equal(await main(['tail', '--lines', 'many'], c.io), 2);
    assert.match(c.err(), /--lines takes a whole number/);
  });

  it('--follow prints every new line exactly once, in order per source, through truncation and a new day, until interrupted', async function () {
    this.timeout(20000);
    fs.writeFileSync(tui, range(1, 5).map((n) => seqLine(n) + '\n').join(''));
    fs.writeFileSync(critical, seqLine(1001) + '\n');
    const child = killAfterTest(spawn(process.execPath, ['--import', 'tsx', path.resolve('src/cli.ts'), 'tail', '--follow', '--json', '--lines', '2', '--poll-ms', '20', '--code-home', home], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }));
    const objects: Array<{ source: string; line: string }> = [];
    let buffered = '';
    child.stdout.on('data', (d) => {
      buffered += String(d);
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        objects.push(JSON.parse(buffered.slice(0, nl)));
        buffered = buffered.slice(nl + 1);
      }
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const of = (s: string) => seqNumbers(objects.filter((o) => o.source === s).map((o) => o.line));
    await waitFor('history', () => of('code-tui').length === 2 && of('critical').length === 1, 10000);
    fs.appendFileSync(tui, range(6, 40).map((n) => seqLine(n) + '\n').join(''));
    await waitFor('appended lines', () => of('code-tui').length === 37, 5000);
    truncateInPlace(tui, 600);
    fs.appendFileSync(tui, range(41, 45).map((n) => seqLine(n) + '\n').join(''));
    fs.appendFileSync(critical, seqLine(1002) + '\n');
    fs.writeFileSync(path.join(home, 'logs', 'critical.log.2025-12-25'), seqLine(1003) + '\n');
    await waitFor('lines after truncation and roll-over', () => of('code-tui').length === 42 && of('critical').length === 3, 5000);
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(of('code-tui'), range(4, 45));
    assert.deepEqual(of('critical'), [1001, 1002, 1003]);
    assert.match(stderr, /truncated in place/);
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });
});
