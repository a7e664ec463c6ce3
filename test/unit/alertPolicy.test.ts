import * as assert from 'node:assert/strict';
import { configWarningAlert, logAlert, settingsAlert, transitionAlert } from '../../src/core/alertPolicy';
import { lastMeaningfulStderrLine } from '../../src/core/appServer/lastStderr';
import type { ServerSnapshot, StateChange } from '../../src/core/appServer/types';
import { fakeSupervisor, waitForState } from './appServer/helpers';

const snap = (over: Partial<ServerSnapshot>): ServerSnapshot => ({ state: 'stopped', reason: '', mode: 'spawn', restartsInWindow: 0, panics: [], ...over });
const change = (to: StateChange['to'], reason: string): StateChange => ({ from: 'crashed', to, reason, at: 0 });
const kinds = (a: { actions: Array<{ action: { kind: string } }> } | undefined) => a?.actions.map((x) => x.action.kind);

describe('alert policy: causes in the text, buttons that fit them', () => {
  it('a real crash loop (fake server dying at start-up): the last stderr line and the counter the status bar shows', async function () {
    this.timeout(15_000);
    const { supervisor } = fakeSupervisor('exit-at-start');
    try {
      let loop: StateChange | undefined;
      supervisor.onDidTransition((c) => {
        if (c.to === 'crash-loop') loop = c;
      });
      await supervisor.start('test');
      await waitForState(supervisor, 'crash-loop', 10_000);
      const s = supervisor.snapshot();
      const stderrLine = lastMeaningfulStderrLine(supervisor.recentStderr());
      assert.equal(stderrLine, 'Error: could not bind the session store');
      const alert = transitionAlert(loop!, s, { lastStderr: stderrLine })!;
      assert.equal(alert.severity, 'critical');
      // the number in the text is the snapshot's (what the hover shows as "restarts in the last … minutes")
      assert.match(alert.message, new RegExp(`after ${s.restartsInWindow} restarts within 1 minute`));
      assert.ok(alert.message.includes('could not bind the session store'), alert.message);
      // nothing about config.toml in the cause: no Open config.toml
      assert.deepEqual(kinds(alert), ['showServerOutput', 'restartServer']);
    } finally {
      await supervisor.shutdown();
    }
  });

  it('a crash loop caused by config.toml offers Open config.toml', () => {
    const alert = transitionAlert(change('crash-loop', 'more than 3 restarts within 10 minutes; not restarting. Last failure: exit 1'), snap({ restartsInWindow: 3 }), {
      lastStderr: 'Error: error loading config: TOML parse error at line 3',
    });
    assert.deepEqual(kinds(alert), ['showServerOutput', 'restartServer', 'openConfig']);
    assert.match(alert!.message, /after 3 restarts within 10 minutes/);
  });

  it('a missing CODE_HOME is said as such, with Create Folder that then starts the server', () => {
    const alert = transitionAlert(change('not-found', 'CODE_HOME /x does not exist'), snap({ state: 'not-found', blocker: { setting: 'codeOps.codeHome', createFolder: '/x' } }))!;
    assert.match(alert.message, /CODE_HOME is missing/);
    assert.deepEqual(alert.actions.map((a) => a.label), ['Create Folder', 'Open Settings', 'Show Logs']);
    assert.deepEqual(alert.actions[0].action, { kind: 'createFolder', path: '/x', then: { kind: 'startServer' } });
  });

  it('a sandbox warning gets no Open config.toml; an invalid configuration does', () => {
    assert.deepEqual(kinds(configWarningAlert({ summary: 'Sandbox is unavailable on this host; commands run without it.' })), ['showServerOutput']);
    assert.deepEqual(kinds(configWarningAlert({ summary: 'Invalid configuration; using defaults.', details: '/h/config.toml:1:1: missing field `protocol`' })), ['openConfig', 'showServerOutput']);
  });

  it('an attach failure is said once; healthy states raise nothing', () => {
    const attach = change('crashed', 'connect ENOENT');
    const s = snap({ mode: 'socket' });
    assert.ok(transitionAlert({ ...attach, from: 'starting' }, s));
    assert.equal(transitionAlert({ ...attach, from: 'starting' }, s, { socketFailureShown: true }), undefined);
    assert.equal(transitionAlert(change('healthy', 'ok'), snap({})), undefined);
  });

  it('settings problems: one alert per change; log panics carry where and when and an incident post', () => {
    assert.equal(settingsAlert([{ key: 'codeOps.x', message: 'm', severity: 'info' }]), undefined);
    assert.deepEqual(settingsAlert([{ key: 'codeOps.x', message: 'codeOps.x is bad', severity: 'warning' }])!.actions[0].action, { kind: 'openSetting', setting: 'codeOps.x' });
    const a = logAlert(
      { ruleId: 'panic', severity: 'critical', title: 'panic', line: '2026-01-02T03:04:05Z ERROR Panic occurred: boom', file: '/h/log/code-tui.log', source: 'code-tui', lineNumber: 7, burstWindowSeconds: 60 },
      () => 'POST',
    );
    assert.equal(a.message, 'Code panicked (code-tui.log:7, 2026-01-02 03:04:05 UTC): Panic occurred: boom');
    assert.deepEqual(a.actions.map((x) => x.action), [{ kind: 'showLog', log: 'tui' }, { kind: 'copyIncidentPost', text: 'POST' }]);
  });

  it('the last meaningful stderr line skips backtraces, notes and info logging', () => {
    const lines = [
      '2026-01-02T03:04:05Z INFO starting',
      '2026-01-02T03:04:05Z ERROR failed to bind: address already in use',
      'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
      '',
      '2026-01-02T03:04:06Z INFO shutting down',
    ];
    assert.equal(lastMeaningfulStderrLine(lines), 'failed to bind: address already in use');
    assert.equal(lastMeaningfulStderrLine(['just words']), 'just words');
    assert.equal(lastMeaningfulStderrLine(['', '   ']), undefined);
  });
});
