import type { LabeledAction } from '../actions';
import { allItems, type Checklist, type ChecklistItem, type ChecklistSection } from './model';
import type { CheckContext, RunShared, Verdict } from './checkTypes';
import { codeHomePermissions, logsPresent } from './checks/home';
import { configValid, managedBaseline, otelEnvironment, otelExporter, otelLogUserPrompt, secretsInConfig } from './checks/config';
import { appServerBinary, appServerLiveness, housekeepingRetention, noCrashLoop, noPanics, oneServerPerHome, rustLog, secureMode } from './checks/server';
import { backupRecent } from './checks/backup';
import { otelExportReachable } from './checks/export';

/**
 * The automatic checks as data: one entry per check, with what it verifies,
 * where it belongs in a checklist, which events make it run again, and the
 * function that reaches its verdict. Adding a check is one entry here and one
 * function in checks/.
 */

/** What makes a check run again (the editor maps its events and settings to these). */
export type CheckTrigger = 'config' | 'server' | 'logs' | 'serverSettings' | 'backupSettings';

/** Quiet time before the checks of a trigger run, so a burst of events runs them once. */
export const TRIGGER_DELAY_MS: Readonly<Record<CheckTrigger, number>> = { config: 300, server: 250, logs: 2000, serverSettings: 300, backupSettings: 300 };

/** Settings (prefixes) and the trigger their change fires; `reload` re-reads the checklist. */
export const SETTING_TRIGGERS: ReadonlyArray<{ setting: string; trigger: CheckTrigger | 'reload' }> = [
  { setting: 'codeOps.readiness.checklistFile', trigger: 'reload' },
  { setting: 'codeOps.readiness.backupGlob', trigger: 'backupSettings' },
  { setting: 'codeOps.readiness.backupMaxAgeDays', trigger: 'backupSettings' },
  { setting: 'codeOps.readiness.target', trigger: 'config' },
  { setting: 'codeOps.config.dialect', trigger: 'config' },
  { setting: 'codeOps.config.managedConfig', trigger: 'config' },
  { setting: 'codeOps.appServer', trigger: 'serverSettings' },
];

export interface CheckDefinition {
  id: string;
  title: string;
  /**
   * Where the check belongs in a checklist: the first item (in document order)
   * whose label and text match a pattern, trying the patterns in order.
   */
  bindTo: RegExp[];
  triggers: readonly CheckTrigger[];
  run(ctx: CheckContext, shared: RunShared): Promise<Verdict> | Verdict;
}

const OTEL = [/^otel\b/i, /\bexporter\b/i];

/** The automatic checks, in the order they run and are listed. */
export const CHECKS = [
  { id: 'code-home-permissions', title: 'CODE_HOME and secrets are private', bindTo: [/^state\s*&\s*backup\b/i, /\bCODE_HOME\b/], triggers: [], run: codeHomePermissions },
  { id: 'backup-recent', title: 'A recent backup of CODE_HOME exists', bindTo: [/\bback up\b.*auth\.json/i, /\bbackup created\b/i, /\bback ?up\b/i], triggers: ['backupSettings'], run: backupRecent },
  { id: 'housekeeping-retention', title: 'Housekeeping keeps state at least as long as the backup window', bindTo: [/\bhousekeeping\b/i, /\bCODE_CLEANUP_/, /^retention\b/i, /\bback ?up\b/i], triggers: ['server', 'serverSettings', 'backupSettings'], run: housekeepingRetention },
  { id: 'app-server-binary', title: 'The app-server binary resolves and reports a version', bindTo: [/^binary name\b/i, /\bcode-app-server\b.*binary/i], triggers: ['serverSettings'], run: appServerBinary },
  { id: 'app-server-liveness', title: 'The app server answers initialize', bindTo: [/^liveness\b/i, /^health check\b/i, /\binitialize\b/i], triggers: ['server', 'serverSettings'], run: appServerLiveness },
  { id: 'secure-mode', title: 'CODE_SECURE_MODE=1 for the app server', bindTo: [/\bCODE_SECURE_MODE\b/], triggers: ['server', 'serverSettings'], run: secureMode },
  { id: 'rust-log', title: 'RUST_LOG is set for the app server', bindTo: [/\bRUST_LOG\b/], triggers: ['server', 'serverSettings'], run: rustLog },
  { id: 'one-server-per-home', title: 'One app server per CODE_HOME', bindTo: [/^state isolation\b/i, /\bsecond instance\b.*CODE_HOME/i, /^runtime\b/i], triggers: ['server'], run: oneServerPerHome },
  { id: 'no-crash-loop', title: 'No crash loop (fewer than 4 restarts in 10 minutes)', bindTo: [/restarts in 10 minutes/i, /\bcrash loop\b/i], triggers: ['server'], run: noCrashLoop },
  { id: 'logs-present', title: 'code-tui.log and critical.log.* exist', bindTo: [/\bcode-tui\.log\b/, /\bcritical\.log\b/, /^logs\b/i], triggers: ['logs'], run: logsPresent },
  { id: 'config-valid', title: 'config.toml parses and its [otel] section is valid', bindTo: [/^otel\b/i, /\bconfig\.toml\b/], triggers: ['config'], run: configValid },
  { id: 'managed-baseline', title: 'The managed layer pins the production baseline', bindTo: [/\bmanaged config baseline\b/i, /\bmanaged_config\.toml\b/, /^otel\b/i, /\bconfig\.toml\b/], triggers: ['config'], run: managedBaseline },
  { id: 'otel-exporter', title: 'An OTEL exporter is configured', bindTo: OTEL, triggers: ['config'], run: otelExporter },
  { id: 'otel-environment', title: 'OTEL environment matches the target', bindTo: OTEL, triggers: ['config'], run: otelEnvironment },
  { id: 'otel-log-user-prompt', title: 'User prompts are not exported (log_user_prompt)', bindTo: OTEL, triggers: ['config'], run: otelLogUserPrompt },
  { id: 'secrets-in-config', title: 'No literal secrets in config.toml', bindTo: OTEL, triggers: ['config'], run: secretsInConfig },
  { id: 'otel-export-reachable', title: 'A test record reaches the OTLP collector (runs when asked: it sends data)', bindTo: OTEL, triggers: ['config'], run: otelExportReachable },
  { id: 'no-panics', title: 'No "Panic occurred" in stderr or the last 24 h of logs', bindTo: [/Panic occurred/], triggers: ['server', 'logs'], run: noPanics },
] as const satisfies readonly CheckDefinition[];

export type CheckId = (typeof CHECKS)[number]['id'];

/** Every check id, in catalog order. */
export const CHECK_IDS: readonly CheckId[] = CHECKS.map((c) => c.id);

export type CheckInfo = CheckDefinition & { id: CheckId };

export function checkInfo(id: CheckId): CheckInfo {
  return CHECKS.find((c) => c.id === id)! as CheckInfo;
}

export function isCheckId(value: string): value is CheckId {
  return (CHECK_IDS as readonly string[]).includes(value);
}

/** The checks a trigger re-runs. */
export function checksFor(trigger: CheckTrigger): CheckId[] {
  return CHECKS.filter((c) => (c.triggers as readonly CheckTrigger[]).includes(trigger)).map((c) => c.id);
}

/** A Fix as data: the words on its button and the action it dispatches. */
export type CheckFix = LabeledAction;

export const AUTOMATIC_SECTION_ID = 'automatic-checks';

/**
 * Attaches every automatic check to the checklist item it verifies and sets
 * each item's kind. Checks no item mentions (a custom checklist) are gathered
 * in a trailing "Automatic checks" section so none is ever hidden.
 */
export function bindChecks(list: Checklist): Checklist {
  const items = [...allItems(list)];
  const unbound: CheckId[] = [];
  for (const check of CHECKS) {
    let target: ChecklistItem | undefined;
    for (const re of check.bindTo) {
      target = items.find((i) => re.test(i.label) || re.test(`${i.label} ${i.text} ${i.markdown}`));
      if (target) break;
    }
    if (target) target.checks.push(check.id);
    else unbound.push(check.id);
  }
  // Keep the catalog order inside each item so lists read the same everywhere.
  for (const item of items) item.checks.sort((a, b) => CHECK_IDS.indexOf(a) - CHECK_IDS.indexOf(b));
  if (unbound.length) {
    const section: ChecklistSection = {
      id: AUTOMATIC_SECTION_ID,
      title: 'Automatic checks',
      level: 2,
      line: -1,
      anchor: '',
      sections: [],
      items: unbound.map((id) => ({
        id: `${AUTOMATIC_SECTION_ID}/${id}`,
        label: checkInfo(id).title,
        text: '',
        markdown: '',
        checkbox: false,
        checkedInSource: false,
        line: -1,
        sectionId: AUTOMATIC_SECTION_ID,
        commands: [],
        checks: [id],
        kind: 'automatic',
        templates: [],
        children: [],
      })),
    };
    list.sections.push(section);
  }
  for (const item of allItems(list)) {
    if (item.checkbox) item.kind = item.checks.length ? 'both' : 'manual';
    else item.kind = item.checks.length ? 'automatic' : 'reference';
  }
  return list;
}

/** Section (top-level title) each check is listed under, for the CLI's JSON. */
export function sectionOfCheck(list: Checklist): Map<CheckId, { section: string; itemId: string }> {
  const out = new Map<CheckId, { section: string; itemId: string }>();
  for (const top of list.sections) {
    for (const item of allItems(top)) for (const id of item.checks) out.set(id, { section: top.title, itemId: item.id });
  }
  return out;
}
