import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { mkdirs } from '../core/mkdirs';

/**
 * The editor's care around checklist commands and the report: a command is
 * shown whole and run only when a person says so; the report is a real file.
 */

/** A checklist command without control characters (a bare `\r` would act as Enter in a terminal); tabs become spaces. */
export function checklistCommandText(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .replace(/\t/g, ' ')
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, '')
    .trim();
}

/** Shows the exact full text of a command and asks. Returns 'run', 'paste' (into the terminal, not run) or undefined. */
export async function confirmRun(label: string, text: string, runnable: boolean): Promise<'run' | 'paste' | undefined> {
  const run = 'Run';
  const paste = 'Paste Without Running';
  const why = runnable ? '' : '\n\nIt has placeholders to fill in, or the workspace is not trusted: it is pasted, not run.';
  const pick = await vscode.window.showWarningMessage(`Run "${label}" in a terminal?`, { modal: true, detail: `${text}${why}` }, ...(runnable ? [run, paste] : [paste]));
  if (pick === run) return 'run';
  if (pick === paste) return 'paste';
  return undefined;
}

/** Writes the report to `<storage>/readiness-report.md` (0600) and returns its URI. */
export async function reportFile(storage: string, text: string): Promise<vscode.Uri> {
  await mkdirs(storage);
  const file = path.join(storage, 'readiness-report.md');
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text, { encoding: 'utf8', mode: 0o600 });
  await fs.rename(tmp, file);
  return vscode.Uri.file(file);
}

