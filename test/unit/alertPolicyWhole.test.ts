// The alert policy (src/core/alertPolicy.ts), every alert whole (severity, message, actions, key)
// against test/fixtures/alert-policy.expected.json, read alert by alert when written: crash loops
// (with the stderr cause, the counted window, Open config.toml only for a config cause), config
// errors, not found (CODE_HOME missing with Create Folder), attach failures said once, panics,
// config warnings (Open config.toml only when about it), approvals, settings, log panics and
// bursts (where, when, masked). Written from the sampled mutation run of src/core; it found one
// fault, fixed: "within 1 minutes" for a one-minute window.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { approvalTimeoutAlert, configWarningAlert, logAlert, mentionsConfig, panicAlert, settingsAlert, transitionAlert } from '../../src/core/alertPolicy';
import type { ServerSnapshot, StateChange } from '../../src/core/appServer/types';
import type { SettingsProblem } from '../../src/core/settings';

const expected = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../fixtures/alert-policy.expected.json'), 'utf8')) as Record<string, unknown>;
const snap = (o: object) => o as ServerSnapshot;
const change = (o: object) => o as StateChange;
const problem = (o: object) => o as SettingsProblem;
const base = { ruleId: 'panic', severity: 'critical', title: 't', file: '/l/critical.log.2026-12-01', source: 'critical', burstWindowSeconds: 60 } as const;

const CASES: Record<string, () => unknown> = {
  'loop': () => transitionAlert(change({ from: 'crashed', to: 'crash-loop', reason: 'exited 4 times within 10 minutes. Last failure: exited (code 1)', at: 0 }), snap({ restartsInWindow: 4, lastError: 'x' }), { lastStderr: 'Error: failed to bind: address already in use' }),
  'loop1': () => transitionAlert(change({ from: 'crashed', to: 'crash-loop', reason: 'more than 3 restarts', at: 0 }), snap({ restartsInWindow: 1 }), {}),
  'loopcfg': () => transitionAlert(change({ from: 'crashed', to: 'crash-loop', reason: 'x within 1 minute. Last failure: y', at: 0 }), snap({ restartsInWindow: 2, lastError: 'error loading config.toml' }), { lastStderr: 'y' }),
  'cfg': () => transitionAlert(change({ from: 'starting', to: 'config-error', reason: 'r', at: 0 }), snap({ lastError: 'Error: error loading config: bad' }), { lastStderr: 'Error: error loading config: bad' }),
  'cfg2': () => transitionAlert(change({ from: 'starting', to: 'config-error', reason: 'r.', at: 0 }), undefined, { lastStderr: 'other line' }),
  'nf': () => transitionAlert(change({ from: 'stopped', to: 'not-found', reason: '/x does not exist.', at: 0 }), snap({ blocker: { setting: 'codeOps.codeHome', createFolder: '/h' } }), {}),
  'nf2': () => transitionAlert(change({ from: 'stopped', to: 'not-found', reason: 'no binary', at: 0 }), undefined, {}),
  'sock': () => transitionAlert(change({ from: 'starting', to: 'crashed', reason: 'No socket at /s.', at: 0 }), snap({ mode: 'socket' }), {}),
  'sock2': () => transitionAlert(change({ from: 'starting', to: 'crashed', reason: 'x', at: 0 }), snap({ mode: 'socket' }), { socketFailureShown: true }),
  'crash': () => transitionAlert(change({ from: 'healthy', to: 'crashed', reason: 'x', at: 0 }), snap({ mode: 'stdio' }), {}),
  'healthy': () => transitionAlert(change({ from: 'starting', to: 'healthy', reason: 'x', at: 0 }), undefined, {}),
  'panic': () => panicAlert('p'.repeat(310)),
  'cw': () => configWarningAlert({ summary: 'Invalid configuration', details: 'in config.toml' }),
  'cw2': () => configWarningAlert({ summary: 'Sandbox unavailable' }),
  'cw3': () => configWarningAlert(null),
  'ap': () => approvalTimeoutAlert('run ls'),
  'set0': () => settingsAlert([problem({ severity: 'info', key: 'a', message: 'm' })]),
  'set1': () => settingsAlert([problem({ severity: 'warning', key: 'codeOps.x', message: 'x replaced' })]),
  'set2': () => settingsAlert([problem({ severity: 'warning', key: 'codeOps.x', message: 'x replaced' }), problem({ severity: 'warning', key: 'codeOps.y', message: 'y' })]),
  'lpanic': () => logAlert({ ...base, line: '2026-12-01T10:05:00.123Z ERROR main Panic occurred: boom token=sk-abcdefghijklmnopqrstuvwx', lineNumber: 7 }, () => 'POST'),
  'lpanic2': () => logAlert({ ...base, line: 'Panic occurred at start', source: 'code-tui', file: '/l/code-tui.log', timestampMs: Date.parse('2026-12-01T11:00:00Z'), summary: 'panicked at a.rs:1:2: boom' }, () => 'POST'),
  'lpanic3': () => logAlert({ ...base, line: 'no marker here' }, () => 'POST'),
  'burst': () => logAlert({ ...base, ruleId: 'error-burst', severity: 'warning', title: 'Burst of errors', line: 'x', count: 12, lineNumber: 99 }, () => ''),
  'other': () => logAlert({ ...base, ruleId: 'custom', severity: 'error', title: 'Custom thing', line: 'x' }, () => ''),
};

describe('alert policy, every alert whole', () => {
  it('every case has its expectation and no expectation lacks a case', () => {
    assert.deepEqual(Object.keys(CASES).sort(), Object.keys(expected).filter((k) => k !== 'mc').sort());
  });
  for (const [name, make] of Object.entries(CASES)) {
    it(name, () => assert.deepEqual(JSON.parse(JSON.stringify(make() ?? null)) as unknown, expected[name]));
  }
  it('which texts name a config cause', () => {
    assert.deepEqual([mentionsConfig('error loading config: missing field'), mentionsConfig('configuration invalid', undefined), mentionsConfig('[otel] bad'), mentionsConfig('bwrap missing'), mentionsConfig(undefined), mentionsConfig('reconfigure load')], expected.mc);
  });
});
