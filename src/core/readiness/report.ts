import { maskSecrets } from '../mask';
import { checkInfo } from './catalog';
import { summarize } from './checks';
import type { CheckId, CheckResult, CheckStatus, Checklist, ChecklistItem, ChecklistSection } from './model';
import type { SignOff, StateProblem } from './state';
import { progressOf } from './progress';

/** A Markdown report of the readiness state, fit to paste into a release ticket. */

export interface ReportInput {
  checklist: Checklist;
  results: ReadonlyMap<CheckId, CheckResult>;
  signOff(itemId: string): SignOff | undefined;
  /** Whether an item counts as ticked (the state file, or `[x]` in a workspace checklist file). */
  isChecked(item: ChecklistItem): boolean;
  now: Date;
  codeHome: string;
  /** e.g. `codex-cli 0.169.0` */
  serverVersion?: string;
  /** e.g. `healthy (pid 123)` */
  serverState?: string;
  target: string;
  stateFile?: string;
  stateProblems?: readonly StateProblem[];
  corruptState?: string;
}

/** Words, not emoji: emoji render as empty boxes in many Linux fonts. */
export const STATUS_MARK: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

/** A hand-edited field on one line: line breaks and control characters become spaces, so it cannot forge report lines. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return text.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

export function utcStamp(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function signOffText(item: ChecklistItem, input: ReportInput): string {
  const s = input.signOff(item.id);
  const checked = input.isChecked(item);
  let text: string;
  if (checked) {
    const at = s?.at ? utcStamp(new Date(s.at)) : undefined;
    text = s?.by ? `signed off by ${oneLine(s.by)}${at ? `, ${at}` : ''}` : 'ticked';
  } else text = 'not signed off';
  if (s?.note) text += `. Note: ${oneLine(s.note)}`;
  return text;
}

function checkLines(item: ChecklistItem, input: ReportInput, indent: string): string[] {
  return item.checks.map((id) => {
    const r = input.results.get(id);
    if (!r) return `${indent}- \`${id}\` not run: ${checkInfo(id).title}`;
    return `${indent}- \`${id}\` **${r.status}**: ${oneLine(r.detail)}`;
  });
}

function itemLines(item: ChecklistItem, input: ReportInput, depth: number): string[] {
  if (!item.checkbox && !item.checks.length && !item.children.length) return [];
  const indent = '  '.repeat(depth);
  const lines: string[] = [];
  if (item.checkbox) {
    const box = input.isChecked(item) ? '[x]' : '[ ]';
    lines.push(`${indent}- ${box} **${item.label}** — ${signOffText(item, input)}`);
  } else {
    lines.push(`${indent}- **${item.label}** (automatic)`);
  }
  lines.push(...checkLines(item, input, `${indent}  `));
  for (const c of item.children) lines.push(...itemLines(c, input, depth + 1));
  return lines;
}

function sectionLines(section: ChecklistSection, input: ReportInput): string[] {
  const body: string[] = [];
  for (const item of section.items) body.push(...itemLines(item, input, 0));
  const subs: string[] = [];
  for (const s of section.sections) subs.push(...sectionLines(s, input));
  if (!body.length && !subs.length) return [];
  const p = progressOf(section, input.isChecked);
  const heading = `${'#'.repeat(Math.min(section.level, 4))} ${section.title}${p.total ? ` (${p.done}/${p.total})` : ''}`;
  return [heading, '', ...body, ...(body.length ? [''] : []), ...subs];
}

export function renderReport(input: ReportInput): string {
  const counts = summarize([...input.results.values()]);
  const p = progressOf(input.checklist.sections, input.isChecked);
  const lines = [
    `# Production readiness report`,
    '',
    `- **Date**: ${utcStamp(input.now)}`,
    `- **CODE_HOME**: \`${input.codeHome}\``,
    `- **Server**: ${input.serverVersion ?? 'version unknown'}${input.serverState ? ` — ${input.serverState}` : ''}`,
    `- **Target**: ${input.target}`,
    `- **Checklist**: ${input.checklist.title} (${input.checklist.source})`,
    `- **Sign-off**: ${p.done}/${p.total} items`,
    `- **Automatic checks**: ${counts.pass} pass, ${counts.fail} fail, ${counts.warn} warn, ${counts.skip} skip`,
    ...(input.stateFile ? [`- **Sign-off file**: \`${input.stateFile}\``] : []),
    '',
  ];
  for (const s of input.checklist.sections) lines.push(...sectionLines(s, input));
  if (input.corruptState || input.stateProblems?.length) {
    lines.push('## Sign-off file problems', '');
    if (input.corruptState) lines.push(`- The sign-off file could not be read: ${input.corruptState}. Sign-offs above may be missing.`);
    for (const prob of input.stateProblems ?? []) lines.push(`- ${oneLine(prob.message)}`);
    lines.push('');
  }
  return maskSecrets(`${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`);
}
