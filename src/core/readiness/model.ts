/**
 * The readiness checklist as data: sections, items, the automatic checks bound
 * to them, and what a check can say. No editor types here; the tree view and
 * the CLI both render these.
 */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

import type { LabeledAction } from '../actions';
import type { CheckId } from './catalog';

export type { CheckId };

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** One line, secrets masked. */
  detail: string;
  /** What the Fix button does, as data (src/ui dispatches it). */
  fix?: LabeledAction;
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
