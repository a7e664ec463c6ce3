// Start-up failures in words (src/core/appServer/startup.ts), exactly: an exit with a config error
// on stderr, a crash with its last line, a signal, exit 127 and 126 from a wrapper, a text file
// with the execute bit; a spawn that fails for a missing program, a missing working folder, a
// missing socket; the stderr buffer keeps the config line and the last line, masked. Real files
// for the programs. Written from the sampled mutation run of src/core/appServer; writing it made
// the 126/127 sentence say the code once instead of twice.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifySpawnFailure, classifyStartupExit, StartupStderr } from '../../../../src/core/appServer/startup';
import type { ExitInfo } from '../../../../src/core/appServer/process';

const stderr = (...lines: string[]) => {
  const s = new StartupStderr();
  for (const l of lines) s.push(l);
  return s;
};
const exit = (code: number | null, signal: NodeJS.Signals | null = null) => ({ code, signal }) as ExitInfo;
const AGAIN = 'Restarting would fail the same way; fix codeOps.appServer.command.';

describe('start-up failures in words', () => {
  let dir: string;
  let prog: string;
  const env = { PATH: '/usr/bin:/bin' };
  const rel = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll(dir, '<DIR>')) as unknown;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-startup-'));
    prog = path.join(dir, 'server');
    fs.writeFileSync(prog, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('an exit: config error (masked line), crash with the last line, a signal', async () => {
    assert.deepEqual(await classifyStartupExit(exit(1), stderr('Error: error loading config: bad token=sk-abcdefghijklmnopqrstuvwx', 'bye'), { command: prog, env }), {
      state: 'config-error',
      reason: 'The app server exited (code 1) during start-up: it could not load its config. Fix config.toml and start it again.',
      lastError: 'Error: error loading config: bad token=****',
      exit: exit(1),
    });
    assert.deepEqual(await classifyStartupExit(exit(101), stderr('starting', 'thread main panicked'), { command: prog, env }), {
      state: 'crashed',
      reason: 'The app server exited (code 101) during start-up: thread main panicked',
      lastError: 'thread main panicked',
      exit: exit(101),
    });
    assert.deepEqual(await classifyStartupExit(exit(null, 'SIGKILL'), stderr(), { command: prog, env }), {
      state: 'crashed',
      reason: 'The app server exited (signal SIGKILL) during start-up',
      lastError: undefined,
      exit: exit(null, 'SIGKILL'),
    });
  });

  it('exits 127 and 126 and a text file run as a script are not-found with the command setting', async () => {
    assert.deepEqual(await classifyStartupExit(exit(127), stderr('sh: 1: codex: not found'), { command: prog, env }), {
      state: 'not-found',
      reason: `The app server exited (code 127) during start-up: a command it runs was not found (sh: 1: codex: not found). ${AGAIN}`,
      lastError: 'sh: 1: codex: not found',
      blocker: { setting: 'codeOps.appServer.command' },
      exit: exit(127),
    });
    const without = `The app server exited (code 126) during start-up: a program it runs cannot be executed. ${AGAIN}`;
    assert.deepEqual(await classifyStartupExit(exit(126), stderr(), { command: prog, env }), { state: 'not-found', reason: without, lastError: without, blocker: { setting: 'codeOps.appServer.command' }, exit: exit(126) });
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'just notes\n', { mode: 0o755 });
    assert.deepEqual(rel(await classifyStartupExit(exit(2), stderr('notes.txt: 1: just: not found'), { command: text, env })), {
      state: 'not-found',
      reason: '<DIR>/notes.txt is not a program (no #! line and no executable header), so the system ran it as a shell script. Point codeOps.appServer.command at the code-app-server binary.',
      lastError: 'notes.txt: 1: just: not found',
      blocker: { setting: 'codeOps.appServer.command' },
      exit: exit(2),
    });
  });

  it('a failed spawn: a missing program, a missing working folder, a missing socket', async () => {
    const enoent = Object.assign(new Error('spawn x ENOENT'), { code: 'ENOENT' });
    const missing = '<DIR>/missing does not exist.';
    assert.deepEqual(rel(await classifySpawnFailure(enoent, { command: path.join(dir, 'missing'), env })), { state: 'not-found', reason: missing, lastError: missing, blocker: { setting: 'codeOps.appServer.command' } });
    const cwd = 'The working folder <DIR>/nocwd does not exist (codeOps.appServer.cwd).';
    assert.deepEqual(rel(await classifySpawnFailure(enoent, { command: prog, env, cwd: path.join(dir, 'nocwd') })), { state: 'not-found', reason: cwd, lastError: cwd, blocker: { setting: 'codeOps.appServer.cwd' } });
    // an existing working folder: the OS message, masked
    const other = await classifySpawnFailure(new Error('spawn failed token=sk-abcdefghijklmnopqrstuvwx'), { command: prog, env, cwd: dir });
    assert.deepEqual(other, { state: 'not-found', reason: 'spawn failed token=****', lastError: 'spawn failed token=****', blocker: { setting: 'codeOps.appServer.command' } });
    assert.deepEqual(rel(await classifySpawnFailure(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }), { command: prog, env, socket: path.join(dir, 'x.sock') })), {
      state: 'crashed',
      reason: 'No socket at <DIR>/x.sock: nothing exists there. Is the deployed app server (its socat listener) running? Check codeOps.appServer.socket.',
    });
  });

  it('the stderr buffer: the last line and the config line, masked; reset forgets both', () => {
    const s = stderr('Error: error loading config: x', 'a', 'b key=sk-abcdefghijklmnopqrstuvwx');
    assert.equal(s.last, 'b key=sk-****');
    assert.equal(s.configError, 'Error: error loading config: x');
    s.reset();
    assert.equal(s.last, undefined);
    assert.equal(s.configError, undefined);
    const many = stderr(...Array.from({ length: 30 }, (_, i) => `line ${i}`));
    assert.equal(many.last, 'line 29');
  });
});
