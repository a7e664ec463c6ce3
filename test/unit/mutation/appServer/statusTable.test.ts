// What the status bar offers and shows (src/core/appServer/status.ts), exactly: the actions of
// every server state (the table is keyed by ServerState, so a new state does not compile until it
// is listed here), the not-found variants, the number formats at their boundaries, and a whole
// tooltip. Written from the sampled mutation run of src/core/appServer.
import * as assert from 'node:assert/strict';
import { actionsFor, formatDuration, formatMs, renderStatus } from '../../../../src/core/appServer/status';
import type { ServerSnapshot, ServerState } from '../../../../src/core/appServer/types';

/** [label, action, description] of each action, in order. */
const ACTIONS: Record<ServerState, Array<[string, unknown, string | null]>> = {
  "stopped": [["$(play) Start App Server", {"kind": "startServer"}, null], ["$(output) Show App Server Output", {"kind": "showServerOutput"}, null], ["$(go-to-file) Open config.toml", {"kind": "openConfig"}, null]],
  "starting": [["$(debug-restart) Restart Now", {"kind": "restartServer"}, null], ["$(debug-stop) Stop App Server", {"kind": "stopServer"}, null], ["$(output) Show App Server Output", {"kind": "showServerOutput"}, null]],
  "healthy": [["$(send) Send Request…", {"kind": "sendRequest"}, null], ["$(debug-restart) Restart App Server", {"kind": "restartServer"}, null], ["$(debug-stop) Stop App Server", {"kind": "stopServer"}, null], ["$(output) Show App Server Output", {"kind": "showServerOutput"}, null]],
  "unresponsive": [["$(send) Send Request…", {"kind": "sendRequest"}, null], ["$(debug-restart) Restart App Server", {"kind": "restartServer"}, null], ["$(debug-stop) Stop App Server", {"kind": "stopServer"}, null], ["$(output) Show App Server Output", {"kind": "showServerOutput"}, null]],
  "crashed": [["$(debug-restart) Restart Now", {"kind": "restartServer"}, null], ["$(debug-stop) Stop App Server", {"kind": "stopServer"}, null], ["$(output) Show App Server Output", {"kind": "showServerOutput"}, null]],
  "backing-off": [["$(debug-restart) Restart Now", {"kind": "restartServer"}, null], ["$(debug-stop) Stop App Server", {"kind": "stopServer"}, null], ["$(output) Show App Server Output", {"kind": "showServerOutput"}, null]],
  "crash-loop": [["$(output) Show App Server Output", {"kind": "showServerOutput"}, null], ["$(debug-restart) Restart Anyway", {"kind": "restartServer"}, null], ["$(go-to-file) Open config.toml", {"kind": "openConfig"}, null]],
  "not-found": [["$(settings-gear) Set the App Server Command", {"kind": "openSetting", "setting": "codeOps.appServer.command"}, "codeOps.appServer.command"], ["$(output) Show App Server Output", {"kind": "showServerOutput"}, null], ["$(play) Start App Server", {"kind": "startServer"}, null]],
  "config-error": [["$(go-to-file) Open config.toml", {"kind": "openConfig"}, null], ["$(output) Show App Server Output", {"kind": "showServerOutput"}, null], ["$(play) Start App Server", {"kind": "startServer"}, null]],
};

describe('status bar actions and text, exactly', () => {
  for (const [state, expected] of Object.entries(ACTIONS) as Array<[ServerState, Array<[string, unknown, string | null]>]>) {
    it(`actions when ${state}`, () => {
      assert.deepEqual(
        actionsFor(state).map((a) => [a.label, a.action, a.description ?? null]),
        expected,
      );
    });
  }

  it('not found because of CODE_HOME: Create Folder (then start) first, and the setting that names it', () => {
    assert.deepEqual(actionsFor('not-found', { setting: 'codeOps.codeHome', createFolder: '/h/.code' } as ServerSnapshot['blocker']), [
      { label: '$(new-folder) Create Folder', action: { kind: 'createFolder', path: '/h/.code', then: { kind: 'startServer' } }, description: '/h/.code' },
      { label: '$(settings-gear) Open Settings', action: { kind: 'openSetting', setting: 'codeOps.codeHome' }, description: 'codeOps.codeHome' },
      { label: '$(output) Show App Server Output', action: { kind: 'showServerOutput' } },
      { label: '$(play) Start App Server', action: { kind: 'startServer' } },
    ]);
  });

  it('number formats at their boundaries', () => {
    assert.deepEqual([0.42, 9.94, 10, 999.4, 1000, 12345].map(formatMs), ['0.4 ms', '9.9 ms', '10 ms', '999 ms', '1.0 s', '12.3 s']);
    assert.deepEqual([0, 59_999, 60_000, 3_599_999, 3_600_000, 7_384_000, -5].map(formatDuration), ['0s', '59s', '1m 0s', '59m 59s', '1h 0m', '2h 3m', '0s']);
  });

  it('a healthy server attached to a socket: the whole tooltip, Markdown-escaped where the server wrote it', () => {
    const snapshot = { state: 'healthy', reason: 'initialize answered', pid: 42, startedAt: 0, lastProbeMs: 0.42, restartsInWindow: 1, panics: [], mode: 'socket', userAgent: 'codex_cli_rs/0.46.0 (Linux)', codexHome: '/h' } as unknown as ServerSnapshot;
    const view = renderStatus(snapshot, { codeHome: '/h', logErrorsSinceActivation: 2, now: 125_000, lastProbeAt: 120_000, panics24h: 0 });
    assert.equal(view.text, "$(pulse) Code: healthy, probe 0.4 ms");
    assert.equal(view.severity, 'ok');
    assert.equal(view.tooltip, "**Code app server: healthy** (attached to a socket)\n\ninitialize answered\n\n- server version: 0\\.46\\.0\n- pid: 42\n- uptime: 2m 5s\n- restarts in the last 10 minutes: 1\n- last probe: 0.4 ms, 5s ago\n- panics in the last 24 h: 0\n- log errors since activation: 2\n- CODE_HOME: /h\n- user agent: codex\\_cli\\_rs/0\\.46\\.0 \\(Linux\\)");
    assert.deepEqual(view.actions.map((a) => a.label), ACTIONS.healthy.map(([label]) => label));
  });
});
