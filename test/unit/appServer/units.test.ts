import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveExecutable } from '../../../src/core/appServer/resolve';
import { RestartPolicy } from '../../../src/core/appServer/restartPolicy';
import { approvalReply, describeApproval } from '../../../src/core/appServer/approvals';
import { isConfigErrorLine, isPanicLine, LineSplitter, stripAnsi } from '../../../src/core/appServer/stderr';
import { buildServerEnv } from '../../../src/core/appServer/env';
import { tempCodeHome } from './helpers';

describe('resolveExecutable', () => {
  const dir = tempCodeHome();
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'code-app-server'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'plain-file'), 'x', { mode: 0o644 });
  fs.mkdirSync(path.join(bin, 'a-dir'));

  it('finds a bare name on PATH', async () => {
    assert.deepEqual(await resolveExecutable('code-app-server', { PATH: `/nonexistent${path.delimiter}${bin}` }), { path: path.join(bin, 'code-app-server') });
  });
  it('resolves a relative path against cwd and an absolute path as is', async () => {
    assert.deepEqual(await resolveExecutable('./bin/code-app-server', {}, dir), { path: path.join(bin, 'code-app-server') });
    assert.deepEqual(await resolveExecutable(path.join(bin, 'code-app-server'), {}), { path: path.join(bin, 'code-app-server') });
  });
  it('explains a missing name, a directory, a non-executable file and an empty command', async () => {
    assert.match((await resolveExecutable('nope', { PATH: bin })).error!, /'nope' was not found on PATH \(1 folder searched\)/);
    assert.match((await resolveExecutable(path.join(bin, 'a-dir'), {})).error!, /is a directory/);
    assert.match((await resolveExecutable(path.join(bin, 'plain-file'), {})).error!, /is not executable.*chmod \+x/);
    assert.match((await resolveExecutable('plain-file', { PATH: bin })).error!, /not found as an executable on PATH: .*not executable/);
    assert.match((await resolveExecutable('./missing', {}, dir)).error!, /does not exist/);
    assert.match((await resolveExecutable('  ', {})).error!, /empty/);
  });
});

describe('RestartPolicy', () => {
  it('allows 3 restarts in the window with growing delays, then refuses; the window slides', () => {
    let now = 0;
    const p = new RestartPolicy({ maxRestarts: 3, windowMs: 600_000, baseDelayMs: 1000, maxDelayMs: 30_000, jitter: 0, now: () => now, random: () => 0.5 });
    const delays = [p.next(), p.next(), p.next()].map((d) => (d.restart ? d.delayMs : -1));
    assert.deepEqual(delays, [1000, 2000, 4000]);
    assert.deepEqual(p.next(), { restart: false, restartsInWindow: 3 });
    now = 600_001;
    assert.equal(p.restartsInWindow, 0);
    assert.equal(p.next().restart, true);
  });
  it('caps the delay and spreads it with jitter', () => {
    const lo = new RestartPolicy({ maxRestarts: 9, windowMs: 1, baseDelayMs: 1000, maxDelayMs: 5000, jitter: 0.2, random: () => 0 });
    const hi = new RestartPolicy({ maxRestarts: 9, windowMs: 1, baseDelayMs: 1000, maxDelayMs: 5000, jitter: 0.2, random: () => 0.999 });
    assert.equal(lo.delayFor(1), 800);
    assert.ok(hi.delayFor(1) > 1190 && hi.delayFor(1) <= 1200);
    assert.equal(hi.delayFor(10), 5000);
  });
  it('reset forgets restarts', () => {
    const p = new RestartPolicy({ maxRestarts: 1, windowMs: 60_000, baseDelayMs: 1, maxDelayMs: 1, jitter: 0 });
    p.next();
    assert.equal(p.next().restart, false);
    p.reset();
    assert.equal(p.next().restart, true);
  });
});

describe('approvals', () => {
  it('summarises a Beacon exec request and answers in its dialect', () => {
    const r = describeApproval('execCommandApproval', { conversationId: 'c1', command: ['rm', '-rf', 'a b'], cwd: '/w', reason: 'clean' })!;
    assert.equal(r.dialect, 'beacon');
    assert.equal(r.title, "The app server asks to run: rm -rf 'a b'");
    assert.match(r.detail, /In: \/w\nReason: clean\nConversation: c1/);
    assert.deepEqual(approvalReply(r, 'approve'), { decision: 'approved' });
    assert.deepEqual(approvalReply(r, 'approveForSession'), { decision: 'approved_for_session' });
    assert.deepEqual(approvalReply(r, 'decline'), { decision: 'denied' });
    assert.deepEqual(approvalReply(r, 'cancel'), { decision: 'abort' });
  });
  it('summarises patches and upstream requests', () => {
    const p = describeApproval('applyPatchApproval', { fileChanges: { 'a.ts': { update: {} }, 'b.ts': { add: {} } }, grantRoot: '/w' })!;
    assert.equal(p.title, 'The app server asks to change 2 files.');
    assert.match(p.detail, /update: a\.ts\nadd: b\.ts\nGrants write access under: \/w/);
    const u = describeApproval('item/fileChange/requestApproval', { threadId: 't', reason: 'r' })!;
    assert.equal(u.dialect, 'upstream');
    assert.equal(u.title, 'The app server asks to apply a patch.');
    assert.deepEqual(approvalReply(u, 'decline'), { decision: 'decline' });
    assert.deepEqual(approvalReply(u, 'approveForSession'), { decision: 'acceptForSession' });
    assert.equal(describeApproval('item/commandExecution/requestApproval', { command: 'ls -la' })!.title, 'The app server asks to run: ls -la');
    assert.equal(describeApproval('somethingElse', {}), undefined);
    assert.equal(describeApproval('execCommandApproval', null)!.title, 'The app server asks to run a command.');
  });
});

describe('stderr handling', () => {
  it('strips ANSI colours', () => {
    assert.equal(stripAnsi('\u001b[2m2026\u001b[0m \u001b[32m INFO\u001b[0m x \u001b]8;;http://a\u0007link\u001b]8;;\u0007'), '2026  INFO x link');
  });
  it('recognises panic and config-error lines', () => {
    assert.equal(isPanicLine('Panic occurred: PanicHookInfo { payload: Any { .. } }'), true);
    assert.equal(isPanicLine('thread main panicked'), false);
    assert.equal(isConfigErrorLine('Error: error loading config: TOML parse error'), true);
    assert.equal(isConfigErrorLine('{"error":{"data":{"reason":"configLoad"}}}'), true);
    assert.equal(isConfigErrorLine('INFO loaded config from /x/config.toml'), false);
  });
  it('splits lines across chunks, UTF-8 safe, CRLF tolerant', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    const b = Buffer.from('a ü\r\nb 🚀\nlast', 'utf8');
    s.push(b.subarray(0, 3));
    s.push(b.subarray(3, 10));
    s.push(b.subarray(10));
    s.end();
    assert.deepEqual(lines, ['a ü', 'b 🚀', 'last']);
  });
});

describe('buildServerEnv: the home the server really reads', () => {
  it('sets CODE_HOME and CODEX_HOME (upstream codex reads only CODEX_HOME) to the resolved home', () => {
    const env = buildServerEnv({ base: { CODEX_HOME: '/elsewhere', PATH: '/bin' }, codeHome: '/srv/code' });
    assert.equal(env.CODE_HOME, '/srv/code');
    assert.equal(env.CODEX_HOME, '/srv/code');
  });
  it("the user's codeOps.appServer.env wins, and null removes", () => {
    const env = buildServerEnv({ base: {}, codeHome: '/srv/code', overrides: { CODEX_HOME: '/other', CODE_HOME: null } });
    assert.equal(env.CODEX_HOME, '/other');
    assert.equal('CODE_HOME' in env, false);
  });
});
