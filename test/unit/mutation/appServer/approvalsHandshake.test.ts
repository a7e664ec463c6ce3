// Approval requests in words and their replies in each dialect (src/core/appServer/approvals.ts),
// and what the handshake and configWarning notifications tell (src/core/appServer/handshakeInfo.ts),
// exactly. Shapes from the servers' protocols: Beacon's execCommandApproval / applyPatchApproval,
// upstream's item/commandExecution/requestApproval / item/fileChange/requestApproval, and the
// configWarning notification. Written from the sampled mutation run of src/core/appServer.
import * as assert from 'node:assert/strict';
import { approvalReply, describeApproval, isApprovalMethod, type ApprovalDecision } from '../../../../src/core/appServer/approvals';
import {
  addWarning,
  concernsConfigFile,
  describeWarning,
  homeMismatch,
  MAX_CONFIG_WARNINGS,
  parseConfigWarning,
  serverConcerns,
  serverHomeOf,
  userAgentOf,
  type ConfigWarning,
} from '../../../../src/core/appServer/handshakeInfo';
import type { InitializeResult } from '../../../../src/core/appServer/connection';

describe('approval requests, exactly', () => {
  it('a Beacon command: quoted arguments, folder, reason, conversation', () => {
    const r = describeApproval('execCommandApproval', { command: ['git', 'commit', '-m', "it's done"], cwd: '/w', reason: 'needs it', conversationId: 'c1' });
    assert.deepEqual(
      r && { kind: r.kind, dialect: r.dialect, title: r.title, detail: r.detail },
      { kind: 'command', dialect: 'beacon', title: "The app server asks to run: git commit -m 'it'\\''s done'", detail: "Command: git commit -m 'it'\\''s done'\nIn: /w\nReason: needs it\nConversation: c1" },
    );
  });

  it('an upstream command given as text, its title cut at 120 characters; without a command', () => {
    const long = `echo ${'x'.repeat(200)}`;
    const r = describeApproval('item/commandExecution/requestApproval', { command: long, threadId: 't9', cwd: '  ' });
    assert.equal(r?.dialect, 'upstream');
    assert.equal(r?.title, `The app server asks to run: ${long.slice(0, 120)}…`);
    assert.equal(r?.detail, `Command: ${long}\nThread: t9`);
    const bare = describeApproval('execCommandApproval', null);
    assert.deepEqual(bare && [bare.title, bare.detail], ['The app server asks to run a command.', '']);
  });

  it('patches: one file, many files (20 listed, the rest counted), the grant root; a long detail cut at 2000', () => {
    const one = describeApproval('applyPatchApproval', { fileChanges: { 'a.txt': { add: {} } }, grantRoot: '/w' });
    assert.deepEqual(one && [one.kind, one.title, one.detail], ['patch', 'The app server asks to change 1 file.', 'add: a.txt\nGrants write access under: /w']);
    const changes = Object.fromEntries(Array.from({ length: 23 }, (_, i) => [`f${i}.txt`, { update: {} }]));
    const many = describeApproval('item/fileChange/requestApproval', { changes, reason: 'r' });
    assert.equal(many?.title, 'The app server asks to change 23 files.');
    const lines = many!.detail.split('\n');
    assert.deepEqual([lines.length, lines[0], lines[19], lines[20], lines[21]], [22, 'update: f0.txt', 'update: f19.txt', '… and 3 more', 'Reason: r']);
    const none = describeApproval('applyPatchApproval', { fileChanges: 'x' });
    assert.equal(none?.title, 'The app server asks to apply a patch.');
    const plain = describeApproval('applyPatchApproval', { fileChanges: { 'b.txt': 'text' } });
    assert.equal(plain?.detail, 'b.txt');
    const huge = describeApproval('execCommandApproval', { command: 'x'.repeat(3000) });
    assert.equal(huge?.detail, `Command: ${'x'.repeat(3000)}`.slice(0, 2000) + '…');
    const exact = describeApproval('execCommandApproval', { command: 'x'.repeat(2000 - 'Command: '.length) });
    assert.equal(exact?.detail.length, 2000, 'exactly 2000 characters are kept whole');
  });

  it('other methods are not approvals; replies in each dialect', () => {
    assert.equal(describeApproval('item/agentMessage/delta', {}), undefined);
    assert.equal(isApprovalMethod('execCommandApproval'), true);
    assert.equal(isApprovalMethod('execCommand'), false);
    const decisions: ApprovalDecision[] = ['approve', 'approveForSession', 'decline', 'cancel'];
    assert.deepEqual(decisions.map((d) => approvalReply({ dialect: 'beacon' }, d).decision), ['approved', 'approved_for_session', 'denied', 'abort']);
    assert.deepEqual(decisions.map((d) => approvalReply({ dialect: 'upstream' }, d).decision), ['accept', 'acceptForSession', 'decline', 'cancel']);
  });
});

describe('handshake facts and config warnings, exactly', () => {
  it('parses a configWarning: masked texts, a range only with two valid positions', () => {
    const w = parseConfigWarning({ summary: 'Invalid configuration', details: 'token=sk-abcdefghijklmnopqrstuvwx', path: '/h/config.toml', range: { start: { line: 3, column: 1 }, end: { line: 3, column: 9 } } });
    assert.deepEqual(w, { summary: 'Invalid configuration', details: 'token=****', path: '/h/config.toml', range: { start: { line: 3, column: 1 }, end: { line: 3, column: 9 } } });
    assert.deepEqual(parseConfigWarning({ summary: 's', range: { start: { line: 1, column: 1 }, end: { line: -1, column: 2 } } }), { summary: 's', details: null, path: null });
    assert.deepEqual(parseConfigWarning({ summary: 's', range: { start: { line: 1.5, column: 1 }, end: { line: 2, column: 2 } } }), { summary: 's', details: null, path: null });
    assert.deepEqual(parseConfigWarning({ summary: 's', details: '  ', path: 7 }), { summary: 's', details: null, path: null });
    for (const bad of [null, [], 'x', {}, { summary: '   ' }, { summary: 3 }]) assert.equal(parseConfigWarning(bad), undefined, JSON.stringify(bad));
    assert.equal(parseConfigWarning({ summary: 'y'.repeat(2500) })?.summary, `${'y'.repeat(2000)}… (cut)`);
  });

  it('keeps each warning once and at most 20; describes them for people', () => {
    const w = (n: number): ConfigWarning => ({ summary: `w${n}`, details: null, path: null });
    let list: ConfigWarning[] = [];
    for (let i = 0; i < 25; i++) list = addWarning(list, w(i));
    assert.equal(list.length, MAX_CONFIG_WARNINGS);
    assert.deepEqual([list[0].summary, list[19].summary], ['w5', 'w24']);
    assert.equal(addWarning(list, w(24)).length, 20);
    assert.notEqual(addWarning(list, w(24)), list, 'a copy, not the same array');
    const file: ConfigWarning = { summary: 'Invalid configuration', details: 'unknown variant', path: '/h/config.toml', range: { start: { line: 3, column: 1 }, end: { line: 3, column: 2 } } };
    assert.equal(describeWarning(file), 'Invalid configuration unknown variant (/h/config.toml:3:1)');
    assert.equal(describeWarning({ ...file, range: undefined }), 'Invalid configuration unknown variant (/h/config.toml)');
    assert.equal(describeWarning({ summary: 'sandbox unavailable: bwrap missing', details: 'bwrap missing', path: null }), 'sandbox unavailable: bwrap missing');
    assert.equal(concernsConfigFile(file), true);
    assert.equal(concernsConfigFile({ ...file, path: null }), false);
    assert.deepEqual(serverConcerns({ homeMismatch: 'home differs', configWarnings: [file, { ...file, path: null }] }), ['home differs', 'The server did not apply /h/config.toml: Invalid configuration unknown variant (/h/config.toml:3:1)']);
    assert.deepEqual(serverConcerns({}), []);
    assert.deepEqual(serverConcerns({ homeMismatch: null }), []);
  });

  it('user agent masked, the home the server reports, and a mismatch in words', () => {
    assert.equal(userAgentOf({ userAgent: 'codex/1.0 key=sk-abcdefghijklmnopqrstuvwx' } as InitializeResult), 'codex/1.0 key=sk-****');
    assert.equal(userAgentOf({} as InitializeResult), undefined);
    assert.equal(serverHomeOf({ codexHome: '/h/.codex' } as InitializeResult), '/h/.codex');
    assert.equal(serverHomeOf({ codexHome: '  ' } as InitializeResult), undefined);
    assert.equal(serverHomeOf({ codexHome: 3 } as unknown as InitializeResult), undefined);
    assert.equal(homeMismatch('/a/', '/a'), undefined, 'a trailing slash is the same folder');
    assert.equal(homeMismatch('/a/b/../c', '/a/c'), undefined);
    assert.equal(homeMismatch(undefined, '/a'), undefined);
    assert.equal(homeMismatch('/a', undefined), undefined);
    assert.equal(
      homeMismatch('/srv/.codex', '/srv/.code'),
      'The server uses /srv/.codex as its home, but Code Ops checks /srv/.code: its config, logs and readiness results are not about this server. Set CODEX_HOME (and CODE_HOME) in codeOps.appServer.env to the same folder, or point codeOps.codeHome at /srv/.codex.',
    );
    assert.notEqual(homeMismatch('/A', '/a'), undefined, 'case matters off Windows');
  });
});
