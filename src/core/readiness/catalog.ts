import { allItems, CHECK_IDS, type CheckId, type Checklist, type ChecklistItem, type ChecklistSection } from './model';

export interface CheckInfo {
  id: CheckId;
  title: string;
  /**
   * Where the check belongs in a checklist: the first item (in document order)
   * whose label and text match a pattern, trying the patterns in order.
   */
  bindTo: RegExp[];
}

/** The automatic checks, in the order they run and are listed. */
export const CHECKS: readonly CheckInfo[] = [
  { id: 'code-home-permissions', title: 'CODE_HOME and secrets are private', bindTo: [/^state\s*&\s*backup\b/i, /\bCODE_HOME\b/] },
  { id: 'backup-recent', title: 'A recent backup of CODE_HOME exists', bindTo: [/\bback up\b.*auth\.json/i, /\bbackup created\b/i, /\bback ?up\b/i] },
  { id: 'app-server-binary', title: 'The app-server binary resolves and reports a version', bindTo: [/^binary name\b/i, /\bcode-app-server\b.*binary/i] },
  { id: 'app-server-liveness', title: 'The app server answers initialize', bindTo: [/^liveness\b/i, /^health check\b/i, /\binitialize\b/i] },
  { id: 'secure-mode', title: 'CODE_SECURE_MODE=1 for the app server', bindTo: [/\bCODE_SECURE_MODE\b/] },
  { id: 'rust-log', title: 'RUST_LOG is set for the app server', bindTo: [/\bRUST_LOG\b/] },
  { id: 'no-crash-loop', title: 'No crash loop (fewer than 4 restarts in 10 minutes)', bindTo: [/restarts in 10 minutes/i, /\bcrash loop\b/i] },
  { id: 'logs-present', title: 'code-tui.log and critical.log.* exist', bindTo: [/\bcode-tui\.log\b/, /\bcritical\.log\b/, /^logs\b/i] },
  { id: 'config-valid', title: 'config.toml parses and its [otel] section is valid', bindTo: [/^otel\b/i, /\bconfig\.toml\b/] },
  { id: 'otel-exporter', title: 'An OTEL exporter is configured', bindTo: [/^otel\b/i, /\bexporter\b/i] },
  { id: 'otel-environment', title: 'OTEL environment matches the target', bindTo: [/^otel\b/i, /\bexporter\b/i] },
  { id: 'otel-log-user-prompt', title: 'User prompts are not exported (log_user_prompt)', bindTo: [/^otel\b/i, /\bexporter\b/i] },
  { id: 'secrets-in-config', title: 'No literal secrets in config.toml', bindTo: [/^otel\b/i, /\bexporter\b/i] },
  { id: 'otel-export-reachable', title: 'A test record reaches the OTLP collector (runs when asked: it sends data)', bindTo: [/^otel\b/i, /\bexporter\b/i] },
  { id: 'no-panics', title: 'No "Panic occurred" in stderr or the last 24 h of logs', bindTo: [/Panic occurred/] },
];

export function checkInfo(id: CheckId): CheckInfo {
  return CHECKS.find((c) => c.id === id)!;
}

export function isCheckId(value: string): value is CheckId {
  return (CHECK_IDS as readonly string[]).includes(value);
}

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
