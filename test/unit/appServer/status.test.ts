import * as assert from 'node:assert/strict';
import { renderStatus, formatDuration, serverVersion } from '../../../src/core/appServer/status';
import type { ServerSnapshot } from '../../../src/core/appServer/types';

const base: ServerSnapshot = { state: 'stopped', reason: 'not started', mode: 'spawn', restartsInWindow: 0, panics: [] };
const extras = { codeHome: '/home/op/.code', logErrorsSinceActivation: 4, now: 100_000 };

describe('status bar rendering', () => {
  it('healthy shows the probe latency, pid, uptime, restarts, log errors and CODE_HOME', () => {
    const v = renderStatus({ ...base, state: 'healthy', reason: 'initialize answered', pid: 42, startedAt: 100_000 - 125_000, lastProbeMs: 0.42, restartsInWindow: 1 }, extras);
    assert.equal(v.text, '$(pulse) Code: healthy, probe 0.4 ms');
    assert.equal(v.severity, 'ok');
    for (const part of ['- pid: 42', '- uptime: 2m 5s', '- restarts in the last 10 minutes: 1', '- last probe: 0.4 ms', '- log errors since activation: 4', '- CODE_HOME: /home/op/\\.code']) {
      assert.ok(v.tooltip.includes(part), `${part} in\n${v.tooltip}`);
    }
    assert.deepEqual(v.actions[0].action, { kind: 'sendRequest' });
  });
  it('critical states have an error background and their own actions', () => {
    const loop = renderStatus({ ...base, state: 'crash-loop', reason: 'more than 3 restarts' }, extras);
    assert.equal(loop.text, '$(error) Code: crash loop');
    assert.equal(loop.severity, 'error');
    assert.deepEqual(loop.actions.map((a) => a.action.kind), ['showServerOutput', 'restartServer', 'openConfig']);
    assert.equal(renderStatus({ ...base, state: 'config-error', reason: 'x' }, extras).text, '$(error) Code: config error');
    assert.equal(renderStatus({ ...base, state: 'not-found', reason: 'x' }, extras).severity, 'error');
  });
  it('degraded states have a warning background; backing-off says when', () => {
    assert.equal(renderStatus({ ...base, state: 'unresponsive', reason: 'missed' }, extras).severity, 'warning');
    assert.equal(renderStatus({ ...base, state: 'backing-off', reason: 'r', nextRetryInMs: 2000 }, extras).text, '$(history) Code: restarting in 2.0 s');
  });
  it('a panic of the running process turns the item critical', () => {
    const v = renderStatus({ ...base, state: 'healthy', reason: 'ok', startedAt: 1, panics: [{ at: 5, line: 'Panic occurred: boom' }] }, extras);
    assert.equal(v.text, '$(flame) Code: healthy, panicked');
    assert.equal(v.severity, 'error');
    assert.match(v.tooltip, /latest panic: Panic occurred: boom/);
  });
  it('escapes server text in the Markdown tooltip', () => {
    const v = renderStatus({ ...base, state: 'crashed', reason: 'exit [x](command:evil)' }, extras);
    assert.ok(!v.tooltip.includes('[x](command:evil)'));
  });
  it('the hover: server version, the home it reports, last probe with its age, panics in 24 h, each latency once', () => {
    const v = renderStatus(
      {
        ...base,
        state: 'healthy',
        reason: 'probe answered in 0.42 ms',
        pid: 7,
        startedAt: 40_000,
        initializeMs: 3.2,
        lastProbeMs: 0.42,
        userAgent: 'codex_cli_rs/0.46.0 (Linux 6.1; x86_64) code-ops/0.1.0',
        serverHome: '/srv/code',
      },
      { ...extras, panics24h: 2, lastProbeAt: 95_000 },
    );
    for (const part of ['- server version: 0\\.46\\.0', '- home the server reports: /srv/code', '- pid: 7', '- uptime: 1m 0s (initialize took 3.2 ms)', '- last probe: 0.4 ms, 5s ago', '- panics in the last 24 h: 2']) {
      assert.ok(v.tooltip.includes(part), `${part} in\n${v.tooltip}`);
    }
    // the reason only repeated the probe latency: it is not a line of its own
    assert.equal(v.tooltip.match(/0\.4 ms/g)?.length, 1, v.tooltip);
    assert.equal(serverVersion('no version here'), undefined);
  });
  it('a missing CODE_HOME is named in the status text, with Create Folder first', () => {
    const v = renderStatus({ ...base, state: 'not-found', reason: 'CODE_HOME /x does not exist', blocker: { setting: 'codeOps.codeHome', createFolder: '/x' } }, extras);
    assert.equal(v.text, '$(error) Code: CODE_HOME missing');
    assert.deepEqual(v.actions.map((a) => a.action.kind), ['createFolder', 'openSetting', 'showServerOutput', 'startServer']);
  });
  it('formats durations', () => {
    assert.deepEqual([formatDuration(5_000), formatDuration(3_725_000)], ['5s', '1h 2m']);
  });

  it('healthy with a config file not applied or another home: a warning, with each concern in the tooltip', () => {
    // Shape of codex 0.169's configWarning params (see app-server-protocol.md, "Notifications seen").
    const fileWarning = { summary: 'Invalid configuration; using defaults.', details: '/h/config.toml:1:1: missing field `protocol`', path: '/h/config.toml', range: { start: { line: 1, column: 1 }, end: { line: 1, column: 25 } } };
    const machineWarning = { summary: 'Codex could not find bubblewrap on PATH.', details: null, path: null };
    const healthy = { ...base, state: 'healthy' as const, reason: 'ok', lastProbeMs: 1 };
    const plain = renderStatus({ ...healthy, configWarnings: [machineWarning] }, extras);
    assert.equal(plain.severity, 'ok', 'a warning without a path does not turn the status');
    assert.match(plain.tooltip.replace(/\\/g, ''), /server warning: Codex could not find bubblewrap/);
    const cfg = renderStatus({ ...healthy, configWarnings: [fileWarning, machineWarning] }, extras);
    assert.equal(cfg.text, '$(warning) Code: healthy, config not applied');
    assert.equal(cfg.severity, 'warning');
    assert.match(cfg.tooltip.replace(/\\/g, ''), /warning: The server did not apply \/h\/config\.toml: Invalid configuration; using defaults\./);
    const home = renderStatus({ ...healthy, serverHome: '/root/.codex', homeMismatch: 'The server uses /root/.codex as its home, but Code Ops checks /home/op/.code' }, extras);
    assert.equal(home.text, '$(warning) Code: healthy, other home');
    assert.match(home.tooltip.replace(/\\/g, ''), /home the server reports: \/root\/\.codex/);
  });
  it('panics already in the logs of the last 24 h show in the text at once, counted, with a warning background', () => {
    const snap = { ...base, state: 'healthy' as const, reason: 'ok', lastProbeMs: 1 };
    const none = renderStatus(snap, extras);
    assert.equal(none.severity, 'ok');
    const two = renderStatus(snap, { ...extras, panics24h: 2 });
    assert.equal(two.text, '$(flame) Code: healthy, 2 panics in 24 h');
    assert.equal(two.severity, 'warning');
    assert.match(two.tooltip, /panics in the last 24 h: 2/);
    assert.equal(renderStatus(snap, { ...extras, panics24h: 1 }).text, '$(flame) Code: healthy, 1 panic in 24 h');
    // A crash stays a crash: the count does not hide the state.
    assert.match(renderStatus({ ...base, state: 'crashed' as const, reason: 'exit 1' }, { ...extras, panics24h: 2 }).text, /crashed/);
  });
});
