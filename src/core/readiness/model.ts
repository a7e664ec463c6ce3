/**
 * The readiness checklist as data: sections, items, the automatic checks bound
 * to them, and what a check can say. No editor types here; the tree view and
 * the CLI both render these.
 */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export const CHECK_IDS = [
  'code-home-permissions',
  'config-valid',
  'otel-exporter',
  'otel-environment',
  'otel-log-user-prompt',
  'secrets-in-config',
  'secure-mode',
  'rust-log',
  'app-server-binary',
  'app-server-liveness',
  'no-panics',
  'no-crash-loop',
  'logs-present',
  'backup-recent',
  'otel-export-reachable',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** What a Fix button does. The core can apply the file-system kinds itself (see fixes.ts). */
export type FixAction =
  /** chmod (and mkdir for a missing CODE_HOME) to the given modes */
  | { kind: 'permissions'; label: string; targets: Array<{ path: string; mode: number; directory?: boolean; create?: boolean }> }
  /** open a config file at a 0-based position (the editor runs `codeOps.config.open`) */
  | { kind: 'openConfig'; label: string; file: string; line: number; character: number }
  /** open any file at a 0-based line */
  | { kind: 'openFile'; label: string; file: string; line: number }
  /** open the Settings editor filtered to a setting */
  | { kind: 'openSetting'; label: string; setting: string }
  /** run an editor command */
  | { kind: 'command'; label: string; command: string; args?: unknown[] }
  /** send the test telemetry (otel-export-reachable's Run) */
  | { kind: 'sendTestTelemetry'; label: string };

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** One line, secrets masked. */
  detail: string;
  fix?: FixAction;
  /** The server's `--version` line (app-server-binary only), for the report. */
  version?: string;
  /** ms since epoch when the verdict was reached */
  at: number;
  durationMs: number;
}

/** A command or snippet an item carries (smoke checks, rollback commands, queries, templates). */
export interface ItemCommand {
  /** Short label (a preceding comment, a bold title, or the text itself). */
  label: string;
  text: string;
  /** true for shell commands (Run in Terminal); false for snippets to copy (TOML, YAML, queries). */
  runnable: boolean;
}

/** `manual`: a person signs it off; `automatic`: the machine verifies it; `both`: verdict beside sign-off; `reference`: read and act. */
export type ItemKind = 'manual' | 'automatic' | 'both' | 'reference';

export interface ChecklistItem {
  /** Stable id used as the key of the sign-off state. */
  id: string;
  /** Bold label (`**CI Pipeline**:`) or the first words of the text. */
  label: string;
  /** The item's text without the label and Markdown list syntax (one line, whitespace collapsed). */
  text: string;
  /** Raw Markdown of the item and its non-checkbox lines (for tooltips). */
  markdown: string;
  /** true for `- [ ]` items */
  checkbox: boolean;
  /** `[x]` in the source file */
  checkedInSource: boolean;
  /** 0-based line of the item (the checkbox line) in the source. */
  line: number;
  /** Id of the section the item belongs to. */
  sectionId: string;
  commands: ItemCommand[];
  /** Automatic checks bound to this item (filled by bindChecks). */
  checks: CheckId[];
  kind: ItemKind;
  /** Message templates written in this item (the on-call communication templates). */
  templates: MessageTemplate[];
  children: ChecklistItem[];
}

export interface ChecklistSection {
  id: string;
  /** Heading text, e.g. `2.1 CLI (npm/Homebrew/archives)` */
  title: string;
  /** 2 for `##`, 3 for `###` */
  level: number;
  /** 0-based line of the heading */
  line: number;
  /** GitHub-style anchor of the heading, for links into the rendered document. */
  anchor: string;
  items: ChecklistItem[];
  sections: ChecklistSection[];
}

export interface MessageTemplate {
  /** e.g. `Initial Incident Post` */
  name: string;
  kind: 'incident' | 'resolution' | 'other';
  text: string;
}

export interface Checklist {
  title: string;
  sections: ChecklistSection[];
  templates: MessageTemplate[];
  /** Where the text came from: the built-in checklist or a file path. */
  source: string;
}

/** Depth-first walk over every item of a checklist (sections, then nested items). */
export function* allItems(list: Checklist | ChecklistSection | ChecklistSection[]): Generator<ChecklistItem> {
  const sections = Array.isArray(list) ? list : 'level' in list ? [list] : list.sections;
  for (const s of sections) {
    for (const item of s.items) yield* walkItem(item);
    yield* allItems(s.sections);
  }
}

function* walkItem(item: ChecklistItem): Generator<ChecklistItem> {
  yield item;
  for (const c of item.children) yield* walkItem(c);
}

export function findItem(list: Checklist, id: string): ChecklistItem | undefined {
  for (const item of allItems(list)) if (item.id === id) return item;
  return undefined;
}

export function findSection(list: Checklist, id: string): ChecklistSection | undefined {
  const walk = (sections: ChecklistSection[]): ChecklistSection | undefined => {
    for (const s of sections) {
      if (s.id === id) return s;
      const inner = walk(s.sections);
      if (inner) return inner;
    }
    return undefined;
  };
  return walk(list.sections);
}

/** Worst first: fail > warn > pass > skip, so a section shows its most urgent verdict. */
export function worstStatus(statuses: Iterable<CheckStatus>): CheckStatus | undefined {
  const rank: Record<CheckStatus, number> = { fail: 3, warn: 2, pass: 1, skip: 0 };
  let worst: CheckStatus | undefined;
  for (const s of statuses) if (worst === undefined || rank[s] > rank[worst]) worst = s;
  return worst;
}
