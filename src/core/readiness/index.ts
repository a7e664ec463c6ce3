/** The readiness checklist: model, automatic checks, sign-off state, report (plain Node: the CLI uses it too). */
import { promises as fs } from 'node:fs';
import { bindChecks } from './catalog';
import { BUILTIN_CHECKLIST, BUILTIN_CHECKLIST_NAME } from './checklistText';
import { parseChecklist } from './markdown';
import type { Checklist } from './model';

export * from './model';
export * from './catalog';
export * from './checks';
export * from './state';
export * from './report';
export * from './progress';
export * from './posts';
export { parseChecklist, setTaskChecked, githubAnchor, slug } from './markdown';
export { applyPermissionsFix } from './fixes';
export { listTarEntries, TarFormatError } from './tar';
export { globFiles } from './glob';
export { BUILTIN_CHECKLIST, BUILTIN_CHECKLIST_NAME } from './checklistText';

/** The built-in checklist with its checks bound. */
export function builtinChecklist(): Checklist {
  return bindChecks(parseChecklist(BUILTIN_CHECKLIST, 'built-in, Beacon v2'));
}

/** A Markdown checklist file with its checks bound; its text comes back too for write-back. */
export async function loadChecklistFile(file: string): Promise<{ checklist: Checklist; text: string }> {
  const text = await fs.readFile(file, 'utf8');
  return { checklist: bindChecks(parseChecklist(text, file)), text };
}

export const BUILTIN_SOURCE_NAME = BUILTIN_CHECKLIST_NAME;
