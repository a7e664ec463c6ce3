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

/** Larger than any checklist; reading more would only stall the view. */
const MAX_CHECKLIST_BYTES = 4 * 1024 * 1024;

/**
 * A Markdown checklist file with its checks bound; its text comes back too for write-back.
 * Rejects with a sentence a person can act on when the path is missing, a folder, huge or not text.
 */
export async function loadChecklistFile(file: string): Promise<{ checklist: Checklist; text: string }> {
  let bytes: Buffer;
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new Error(`${file} is a folder, not a Markdown file`);
    if (st.size > MAX_CHECKLIST_BYTES) throw new Error(`${file} is ${(st.size / 1024 / 1024).toFixed(1)} MB, too large for a checklist (at most 4 MB)`);
    bytes = await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new Error(`${file} does not exist`, { cause: err });
    if (code === 'EACCES' || code === 'EPERM') throw new Error(`${file} cannot be read (permission denied)`, { cause: err });
    throw err;
  }
  // A NUL byte never appears in Markdown: this is a binary file (an archive, an image…).
  if (bytes.subarray(0, 8192).includes(0)) throw new Error(`${file} is not a text file (it holds binary data)`);
  const text = bytes.toString('utf8');
  return { checklist: bindChecks(parseChecklist(text, file)), text };
}

export const BUILTIN_SOURCE_NAME = BUILTIN_CHECKLIST_NAME;
