import { bindChecks } from './catalog';
import { BUILTIN_CHECKLIST } from './checklistText';
import { parseChecklist } from './markdown';
import type { Checklist } from './model';
import { FILE_CAPS, FileReadError, readRegularFile } from '../fsSafe';

/** The built-in checklist with its checks bound. */
export function builtinChecklist(): Checklist {
  return bindChecks(parseChecklist(BUILTIN_CHECKLIST, 'built-in, Beacon v2'));
}

/**
 * A Markdown checklist file with its checks bound; its text comes back too for write-back.
 * Read through fsSafe (a FIFO, a device or a huge file is refused, never waited on);
 * rejects with a sentence a person can act on.
 */
export async function loadChecklistFile(file: string): Promise<{ checklist: Checklist; text: string }> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, FILE_CAPS.checklist);
  } catch (err) {
    if (err instanceof FileReadError) {
      if (err.code === 'ENOENT') throw new Error(`${file} does not exist`, { cause: err });
      if (err.code === 'EISDIR') throw new Error(`${file} is a folder, not a Markdown file`, { cause: err });
      if (err.code === 'EACCES') throw new Error(`${file} cannot be read (permission denied)`, { cause: err });
      throw new Error(`${err.message.replace(/\.$/, '')} (too large or not a file for a checklist)`, { cause: err });
    }
    throw err;
  }
  // A NUL byte never appears in Markdown: this is a binary file (an archive, an image…).
  if (bytes.subarray(0, 8192).includes(0)) throw new Error(`${file} is not a text file (it holds binary data)`);
  const text = bytes.toString('utf8');
  return { checklist: bindChecks(parseChecklist(text, file)), text };
}

