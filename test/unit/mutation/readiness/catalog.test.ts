// The check catalog as data: where each check binds (every bindTo pattern by a
// sample that matches it, the patterns' priority, look-alikes that must not
// bind), the built-in checklist's binding, triggers, delays and the trailing
// "Automatic checks" section. Written from the survivors of
// `npm run mutation -- --mutate src/core/readiness/catalog.ts`.
import * as assert from 'node:assert/strict';
import { AUTOMATIC_SECTION_ID, bindChecks, CHECK_IDS, CHECKS, checkInfo, checksFor, isCheckId, sectionOfCheck, SETTING_TRIGGERS, TRIGGER_DELAY_MS, type CheckId, type CheckTrigger } from '../../../../src/core/readiness/catalog';
import { builtinChecklist } from '../../../../src/core/readiness/checklistFile';
import { parseChecklist } from '../../../../src/core/readiness/markdown';
import { allItems, type Checklist } from '../../../../src/core/readiness/model';

const OTEL_SAMPLES = ['OTel export to the collector', 'Pick an exporter'];

/** For each check, one item label per bindTo pattern, in the same order, each matching its pattern. */
const SAMPLES: Record<CheckId, string[]> = {
  'code-home-permissions': ['State & backup', 'Keep CODE_HOME private'],
  'backup-recent': ['Back up the sessions and auth.json', 'Backup created before the upgrade', 'Take a backup'],
  'housekeeping-retention': ['Housekeeping enabled', 'Set CODE_CLEANUP_LOG_RETENTION_DAYS', 'Retention of sessions', 'Back up nightly'],
  'app-server-binary': ['Binary name is fixed', 'Install code-app-server as a binary'],
  'app-server-liveness': ['Liveness probe', 'Health check every minute', 'The server answers initialize'],
  'secure-mode': ['Set CODE_SECURE_MODE'],
  'rust-log': ['Set RUST_LOG'],
  'one-server-per-home': ['State isolation per user', 'No second instance on one CODE_HOME', 'Runtime user'],
  'no-crash-loop': ['More than 3 restarts in 10 minutes', 'Crash loop alert'],
  'logs-present': ['code-tui.log rotates', 'critical.log kept', 'Logs shipped'],
  'config-valid': ['OTel export to the collector', 'Edit config.toml'],
  'managed-baseline': ['Managed config baseline', 'Ship managed_config.toml', 'OTel export to the collector', 'Edit config.toml'],
  'otel-exporter': OTEL_SAMPLES,
  'otel-environment': OTEL_SAMPLES,
  'otel-log-user-prompt': OTEL_SAMPLES,
  'secrets-in-config': OTEL_SAMPLES,
  'otel-export-reachable': OTEL_SAMPLES,
  'no-panics': ['Alert on Panic occurred'],
};

/** Labels that look like a pattern of the check but must not bind it (anchors, word edges, letter case, escaped dots). */
const NOT_BOUND: Array<[string, CheckId[]]> = [
  ['Disable otel', ['config-valid', 'managed-baseline', 'otel-exporter', 'otel-environment', 'otel-log-user-prompt', 'secrets-in-config', 'otel-export-reachable']],
  ['otelcol setup', ['config-valid', 'otel-exporter', 'secrets-in-config']],
  ['exporters listed', ['otel-exporter', 'otel-export-reachable']],
  ['code_secure_mode lower case', ['secure-mode']],
  ['MY_CODE_SECURE_MODE_X', ['secure-mode']],
  ['rust_log lower case', ['rust-log']],
  ['code_home lower case', ['code-home-permissions']],
  ['the state & backup', ['code-home-permissions']],
  ['panic occurred lower case', ['no-panics']],
  ['CODE-TUI.LOG and code-tuixlog', ['logs-present']],
  ['criticalxlog', ['logs-present']],
  ['the logs', ['logs-present']],
  ['configxtoml and config.TOML', ['config-valid', 'managed-baseline']],
  ['the liveness', ['app-server-liveness']],
  ['the health check', ['app-server-liveness']],
  ['reinitialized', ['app-server-liveness']],
  ['the binary name', ['app-server-binary']],
  ['my-code-app-server binaries', ['app-server-binary']],
  ['the runtime', ['one-server-per-home']],
  ['the state isolation', ['one-server-per-home']],
  ['the retention', ['housekeeping-retention']],
  ['housekeepingx', ['housekeeping-retention']],
  ['code_cleanup_x', ['housekeeping-retention']],
  ['backups rotated', ['backup-recent', 'housekeeping-retention']],
  ['crash looping', ['no-crash-loop']],
  ['managed_configxtoml', ['managed-baseline']],
];

function checklistOf(labels: string[]): Checklist {
  return bindChecks(parseChecklist(`# T\n\n## Section\n\n${labels.map((l) => `- [ ] ${l}`).join('\n')}\n`));
}

/** The label of the item a check was bound to in `list` (the automatic section's own item when unbound). */
function boundTo(list: Checklist, id: CheckId): string {
  const item = [...allItems(list)].find((i) => i.checks.includes(id));
  assert.ok(item, id);
  return item.sectionId === AUTOMATIC_SECTION_ID ? '(unbound)' : item.label;
}

describe('check catalog: binding to checklist items', () => {
  it('has a sample for every pattern of every check', () => {
    for (const c of CHECKS) assert.equal(SAMPLES[c.id].length, c.bindTo.length, c.id);
    assert.deepEqual(Object.keys(SAMPLES).sort(), [...CHECK_IDS].sort());
  });

  for (const c of CHECKS) {
    it(`${c.id}: each pattern binds alone, and the first pattern wins whatever the document order`, () => {
      for (const sample of SAMPLES[c.id]) assert.equal(boundTo(checklistOf([sample]), c.id), sample, sample);
      assert.equal(boundTo(checklistOf([...SAMPLES[c.id]].reverse()), c.id), SAMPLES[c.id][0]);
      // Within one pattern, the first item in document order wins.
      assert.equal(boundTo(checklistOf([SAMPLES[c.id][0], `${SAMPLES[c.id][0]} again`]), c.id), SAMPLES[c.id][0]);
    });
  }

  for (const [label, ids] of NOT_BOUND) {
    it(`does not bind ${ids.join(', ')} to "${label}"`, () => {
      const list = checklistOf([label]);
      for (const id of ids) assert.equal(boundTo(list, id), '(unbound)', id);
    });
  }

  it('matches the item text as well as its label', () => {
    const list = bindChecks(parseChecklist('# T\n\n## Section\n\n- [ ] **Environment**: export RUST_LOG=info before starting\n'));
    const item = [...allItems(list)].find((i) => i.checks.includes('rust-log'))!;
    assert.equal(item.sectionId, 'section');
  });

  it('binds the built-in checklist as the checklist reads', () => {
    const where = sectionOfCheck(builtinChecklist());
    const itemOf = Object.fromEntries([...where].map(([id, w]) => [id, w.itemId]));
    assert.deepEqual(itemOf, {
      'code-home-permissions': '1-pre-deployment-verification/state-backup',
      'housekeeping-retention': '1-pre-deployment-verification/state-backup',
      'backup-recent': '1-pre-deployment-verification/state-backup/if-you-need-to-preserve-auth-session-history-back-up',
      'app-server-binary': '2-2-app-server-optional/binary-name',
      'one-server-per-home': '2-2-app-server-optional/runtime',
      'app-server-liveness': '2-2-app-server-optional/liveness',
      'secure-mode': '2-2-app-server-optional/environment',
      'rust-log': '2-2-app-server-optional/environment',
      'logs-present': '4-observability/cli-logs',
      'config-valid': '4-observability/otel',
      'managed-baseline': '4-observability/otel',
      'otel-exporter': '4-observability/otel',
      'otel-environment': '4-observability/otel',
      'otel-log-user-prompt': '4-observability/otel',
      'secrets-in-config': '4-observability/otel',
      'otel-export-reachable': '4-observability/otel',
      'no-panics': '5-alerting-only-if-running-app-server/critical-any-panic-occurred-log-line',
      'no-crash-loop': '5-alerting-only-if-running-app-server/critical-crash-loop-3-restarts-in-10-minutes',
    });
    assert.equal(where.get('no-crash-loop')?.section, '5. Alerting (only if running app-server)');
  });

  it('gathers unbound checks in a trailing Automatic checks section, in catalog order, and sets every kind', () => {
    const list = bindChecks(parseChecklist('# T\n\n## Section\n\n- [ ] Set RUST_LOG\n- [ ] Set CODE_SECURE_MODE\n- [ ] Water the plants\n\n### Edit config.toml\n\nSome text.\n\n### Nothing to see\n\nMore text.\n'));
    const items = [...allItems(list)];
    const kinds = Object.fromEntries(items.filter((i) => i.sectionId === 'section').map((i) => [i.label, [i.kind, i.checks.join(',')]]));
    assert.equal(kinds['Set RUST_LOG'][0], 'both');
    assert.equal(kinds['Water the plants'][0], 'manual');
    const auto = list.sections.at(-1)!;
    assert.deepEqual({ ...auto, items: [] }, { id: AUTOMATIC_SECTION_ID, title: 'Automatic checks', level: 2, line: -1, anchor: '', sections: [], items: [] });
    const unbound = CHECK_IDS.filter((id) => !items.some((i) => i.sectionId === 'section' && i.checks.includes(id)));
    assert.deepEqual(auto.items.map((i) => i.checks[0]), unbound);
    assert.deepEqual(auto.items[0], {
      id: `${AUTOMATIC_SECTION_ID}/${unbound[0]}`,
      label: checkInfo(unbound[0]).title,
      text: '',
      markdown: '',
      checkbox: false,
      checkedInSource: false,
      line: -1,
      sectionId: AUTOMATIC_SECTION_ID,
      commands: [],
      checks: [unbound[0]],
      kind: 'automatic',
      templates: [],
      children: [],
    });
    assert.deepEqual(kinds['Edit config.toml'], ['automatic', 'config-valid,managed-baseline']);
    assert.deepEqual(kinds['Nothing to see'], ['reference', '']);
  });

  it('adds no Automatic checks section when every check is bound, and keeps catalog order inside an item', () => {
    const list = checklistOf([...new Set([...CHECK_IDS].reverse().map((id) => SAMPLES[id][0]))]);
    assert.deepEqual(list.sections.map((s) => s.id), ['section']);
    const both = checklistOf(['Set RUST_LOG and CODE_SECURE_MODE']);
    assert.deepEqual([...allItems(both)][0].checks, ['secure-mode', 'rust-log']);
  });
});

describe('check catalog: ids, triggers and delays', () => {
  it('knows its ids', () => {
    assert.deepEqual([...CHECK_IDS], CHECKS.map((c) => c.id));
    assert.equal(CHECK_IDS.length, 18);
    assert.equal(isCheckId('rust-log'), true);
    assert.equal(isCheckId('rust-logs'), false);
    assert.equal(isCheckId(''), false);
    assert.equal(checkInfo('no-panics').title, 'No "Panic occurred" in stderr or the last 24 h of logs');
  });

  it('re-runs the checks each trigger concerns', () => {
    const expected: Record<CheckTrigger, CheckId[]> = {
      config: ['config-valid', 'managed-baseline', 'otel-exporter', 'otel-environment', 'otel-log-user-prompt', 'secrets-in-config', 'otel-export-reachable'],
      server: ['housekeeping-retention', 'app-server-liveness', 'secure-mode', 'rust-log', 'one-server-per-home', 'no-crash-loop', 'no-panics'],
      logs: ['logs-present', 'no-panics'],
      serverSettings: ['housekeeping-retention', 'app-server-binary', 'app-server-liveness', 'secure-mode', 'rust-log'],
      backupSettings: ['backup-recent', 'housekeeping-retention'],
    };
    for (const [trigger, ids] of Object.entries(expected)) assert.deepEqual(checksFor(trigger as CheckTrigger), ids, trigger);
    assert.deepEqual(TRIGGER_DELAY_MS, { config: 300, server: 250, logs: 2000, serverSettings: 300, backupSettings: 300 });
  });

  it('maps each setting to its trigger', () => {
    assert.deepEqual(SETTING_TRIGGERS, [
      { setting: 'codeOps.readiness.checklistFile', trigger: 'reload' },
      { setting: 'codeOps.readiness.backupGlob', trigger: 'backupSettings' },
      { setting: 'codeOps.readiness.backupMaxAgeDays', trigger: 'backupSettings' },
      { setting: 'codeOps.readiness.target', trigger: 'config' },
      { setting: 'codeOps.config.dialect', trigger: 'config' },
      { setting: 'codeOps.config.managedConfig', trigger: 'config' },
      { setting: 'codeOps.appServer', trigger: 'serverSettings' },
    ]);
  });
});
