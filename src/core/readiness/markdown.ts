import type { Checklist, ChecklistItem, ChecklistSection, ItemCommand, MessageTemplate } from './model';

/**
 * Reads a Markdown checklist: `##`/`###` headings become sections, `- [ ]`
 * task-list items become checklist items (nested ones nested), and sections
 * without any checkbox become reference items that carry their commands,
 * snippets and message templates. Only the subset of Markdown checklists
 * actually use is understood; anything else is kept as text.
 */

interface RawSection {
  title: string;
  level: number;
  line: number;
  /** 0-based line numbers of the section's own body (up to the next heading) */
  bodyStart: number;
  bodyEnd: number;
  children: RawSection[];
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const BULLET = /^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$/;
const TASK = /^\[( |x|X)\]\s+(.*)$/;
const BOLD_LABEL = /^\*\*(.+?)\*\*\s*:?\s*(.*)$/;

export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/);
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[`*_]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'item'
  );
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Plain one-line text of a Markdown fragment (emphasis markers dropped, code kept). */
export function plainText(md: string): string {
  return md
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/(^|\W)_(.+?)_(?=\W|$)/g, '$1$2')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A shell command inside inline code: a lower-case program name followed by arguments. */
export function looksLikeCommand(code: string): boolean {
  return /^[a-z][\w.-]*(\s+\S+)+$/.test(code.trim()) && !/^(or|and|if|the|a|an)\s/.test(code.trim());
}

function inlineCode(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/`([^`]+)`/g)) out.push(m[1]);
  return out;
}

function scanSections(lines: string[]): { title: string; top: RawSection[]; preambleEnd: number } {
  let title = '';
  const top: RawSection[] = [];
  let current: RawSection | undefined;
  let parent: RawSection | undefined;
  let fence: string | undefined;
  let preambleEnd = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const f = FENCE.exec(line);
    if (f) {
      if (!fence) fence = f[2][0];
      else if (f[2][0] === fence && line.trim().replace(/[`~]/g, '') === '') fence = undefined;
      continue;
    }
    if (fence) continue;
    const h = HEADING.exec(line);
    if (!h) continue;
    const level = h[1].length;
    if (current) current.bodyEnd = i;
    if (level === 1) {
      if (!title) title = h[2];
      current = undefined;
      continue;
    }
    if (preambleEnd === lines.length) preambleEnd = i;
    const section: RawSection = { title: h[2], level: Math.min(level, 3), line: i, bodyStart: i + 1, bodyEnd: lines.length, children: [] };
    if (level === 2 || !parent) {
      top.push(section);
      parent = section;
      section.level = 2;
    } else {
      parent.children.push(section);
    }
    current = section;
  }
  return { title, top, preambleEnd };
}

function hasTasks(lines: string[], s: RawSection): boolean {
  if (ownLines(lines, s).some((l) => isTaskLine(l.text))) return true;
  return s.children.some((c) => hasTasks(lines, c));
}

function isTaskLine(line: string): boolean {
  const b = BULLET.exec(line);
  return !!b && TASK.test(b[2]);
}

interface NumberedLine {
  text: string;
  index: number;
  inFence: boolean;
}

/** The section's own body lines (up to its first subsection), with fence membership. */
function ownLines(lines: string[], s: RawSection): NumberedLine[] {
  const end = s.children.length ? s.children[0].line : s.bodyEnd;
  const out: NumberedLine[] = [];
  let fence: string | undefined;
  for (let i = s.bodyStart; i < end; i++) {
    const f = FENCE.exec(lines[i]);
    if (f) {
      const closing = fence && f[2][0] === fence && lines[i].trim().replace(/[`~]/g, '') === '';
      out.push({ text: lines[i], index: i, inFence: true });
      if (!fence) fence = f[2][0];
      else if (closing) fence = undefined;
      continue;
    }
    out.push({ text: lines[i], index: i, inFence: !!fence });
  }
  return out;
}

function indentOf(line: string): number {
  const m = /^[ \t]*/.exec(line)![0];
  return m.replace(/\t/g, '    ').length;
}

class IdAllocator {
  private readonly used = new Set<string>();
  take(base: string): string {
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}-${n}`;
    this.used.add(id);
    return id;
  }
}

function newItem(fields: Partial<ChecklistItem> & Pick<ChecklistItem, 'id' | 'label' | 'line' | 'sectionId'>): ChecklistItem {
  return {
    text: '',
    markdown: '',
    checkbox: false,
    checkedInSource: false,
    commands: [],
    checks: [],
    kind: 'reference',
    templates: [],
    children: [],
    ...fields,
  };
}

function splitLabel(text: string): { label: string; rest: string } {
  const m = BOLD_LABEL.exec(text.trim());
  if (m) return { label: plainText(m[1]).replace(/`/g, ''), rest: m[2] };
  return { label: shorten(plainText(text).replace(/`/g, '')), rest: text };
}

function shorten(plain: string): string {
  return plain.length > 60 ? `${plain.slice(0, 57).replace(/\s+\S*$/, '')}…` : plain;
}

function dedupeCommands(cmds: ItemCommand[]): ItemCommand[] {
  const seen = new Set<string>();
  return cmds.filter((c) => (seen.has(c.text) ? false : (seen.add(c.text), true)));
}

/** Commands, snippets and templates from fenced blocks and inline code. */
function extractActions(body: NumberedLine[], inlineSnippets: boolean): { commands: ItemCommand[]; templates: MessageTemplate[] } {
  const commands: ItemCommand[] = [];
  const templates: MessageTemplate[] = [];
  let lastBold: string | undefined;
  let bulletLabel: string | undefined;
  for (let i = 0; i < body.length; i++) {
    const { text, inFence } = body[i];
    const f = inFence ? FENCE.exec(text) : null;
    if (f) {
      const lang = f[3].toLowerCase();
      const fenceIndent = f[1].length;
      const content: string[] = [];
      let j = i + 1;
      for (; j < body.length; j++) {
        const close = FENCE.exec(body[j].text);
        if (close && close[2][0] === f[2][0] && body[j].text.trim().replace(/[`~]/g, '') === '') break;
        content.push(body[j].text.slice(Math.min(fenceIndent, indentOf(body[j].text))));
      }
      i = j;
      if (['bash', 'sh', 'shell', 'zsh', 'console'].includes(lang)) {
        commands.push(...shellCommands(content, lang === 'console'));
      } else {
        const snippet = content.join('\n').trimEnd();
        if (!snippet) continue;
        const label = lastBold ?? (lang ? `${lang} snippet` : 'Snippet');
        commands.push({ label, text: snippet, runnable: false });
        if (lastBold && !lang) {
          const kind = /resol/i.test(lastBold) || /^RESOLVED\b/.test(snippet) ? 'resolution' : /incident/i.test(lastBold) || /^INCIDENT\b/.test(snippet) ? 'incident' : 'other';
          templates.push({ name: lastBold, kind, text: snippet });
        }
      }
      lastBold = undefined;
      continue;
    }
    const bold = /^\s*\*\*(.+?)\*\*/.exec(text);
    if (bold && !BULLET.test(text)) lastBold = plainText(bold[1]);
    else if (text.trim() && !bold) lastBold = BULLET.test(text) ? undefined : lastBold;
    const b = BULLET.exec(text);
    if (b) {
      const bold = BOLD_LABEL.exec(b[2].replace(TASK, '$2'));
      bulletLabel = bold ? plainText(bold[1]) : undefined;
    }
    for (const code of inlineCode(text)) {
      if (looksLikeCommand(code)) commands.push({ label: code, text: code, runnable: true });
      else if (inlineSnippets && /\s/.test(code.trim())) commands.push({ label: bulletLabel ?? code, text: code, runnable: false });
    }
  }
  return { commands: dedupeCommands(commands), templates };
}

function shellCommands(content: string[], consolePrompt: boolean): ItemCommand[] {
  const out: ItemCommand[] = [];
  let comment: string | undefined;
  let pending = '';
  for (const raw of content) {
    let line = raw.trim();
    if (consolePrompt) {
      if (!line.startsWith('$ ') && !pending) continue;
      line = line.replace(/^\$ /, '');
    }
    if (!pending && line.startsWith('#')) {
      comment = line.replace(/^#+\s*/, '') || comment;
      continue;
    }
    if (!line && !pending) {
      comment = undefined;
      continue;
    }
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      continue;
    }
    const cmd = `${pending}${line}`.trim();
    pending = '';
    if (cmd) out.push({ label: comment ?? cmd, text: cmd, runnable: true });
  }
  if (pending.trim()) out.push({ label: comment ?? pending.trim(), text: pending.trim(), runnable: true });
  return out;
}

interface ParseState {
  lines: string[];
  ids: IdAllocator;
  templates: MessageTemplate[];
}

/** Task-list items of a section body, nested by indentation; plain bullets under a task fold into its text. */
function parseTaskItems(state: ParseState, body: NumberedLine[], sectionId: string): ChecklistItem[] {
  const roots: ChecklistItem[] = [];
  // Stack of open list entries: a task item, or a plain bullet (owner = the task item it belongs to).
  const stack: Array<{ indent: number; item?: ChecklistItem; owner?: ChecklistItem }> = [];
  const bodies = new Map<ChecklistItem, NumberedLine[]>();
  const ownText = new Map<ChecklistItem, string[]>();
  let last: { item?: ChecklistItem; owner?: ChecklistItem; indent: number } | undefined;

  for (const nl of body) {
    if (nl.inFence) {
      const owner = last?.item ?? last?.owner;
      if (owner) bodies.get(owner)!.push(nl);
      continue;
    }
    const b = BULLET.exec(nl.text);
    if (!b) {
      if (!nl.text.trim()) continue;
      // Continuation of the last bullet when indented; otherwise the list ended.
      if (last && indentOf(nl.text) > last.indent) {
        const owner = last.item ?? last.owner;
        if (owner) {
          bodies.get(owner)!.push(nl);
          if (last.item) ownText.get(last.item)!.push(nl.text.trim());
        }
      } else {
        stack.length = 0;
        last = undefined;
      }
      continue;
    }
    const indent = indentOf(nl.text);
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const parentEntry = stack[stack.length - 1];
    const parentItem = parentEntry ? (parentEntry.item ?? parentEntry.owner) : undefined;
    const task = TASK.exec(b[2]);
    if (task) {
      const { label } = splitLabel(task[2]);
      const base = parentItem ? `${parentItem.id}/${slug(label)}` : `${sectionId}/${slug(label)}`;
      const item = newItem({
        id: state.ids.take(base),
        label,
        line: nl.index,
        sectionId,
        checkbox: true,
        checkedInSource: task[1] !== ' ',
        kind: 'manual',
      });
      bodies.set(item, [nl]);
      ownText.set(item, [task[2]]);
      if (parentItem) parentItem.children.push(item);
      else roots.push(item);
      stack.push({ indent, item });
      last = { item, indent };
    } else {
      if (parentItem) bodies.get(parentItem)!.push(nl);
      stack.push({ indent, owner: parentItem });
      last = { owner: parentItem, indent };
    }
  }
  for (const [item, lines] of bodies) {
    const own = ownText.get(item)!.join(' ');
    const { rest } = splitLabel(own);
    item.text = plainText(rest);
    item.markdown = dedent(lines.map((l) => l.text));
    const actions = extractActions(lines, false);
    item.commands = actions.commands.filter((c) => c.runnable);
    item.templates = actions.templates;
    state.templates.push(...actions.templates);
  }
  return roots;
}

function dedent(lines: string[]): string {
  const indents = lines.filter((l) => l.trim()).map(indentOf);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines
    .map((l) => l.slice(Math.min(min, indentOf(l))))
    .join('\n')
    .trim();
}

function referenceItem(state: ParseState, id: string, label: string, body: NumberedLine[], sectionId: string, line: number): ChecklistItem {
  const actions = extractActions(body, true);
  state.templates.push(...actions.templates);
  const markdown = dedent(body.map((l) => l.text));
  return newItem({
    id: state.ids.take(id),
    label,
    line,
    sectionId,
    text: plainText(body.filter((l) => !l.inFence && l.text.trim()).map((l) => l.text.replace(BULLET, '$2')).join(' ')).slice(0, 200),
    markdown,
    commands: actions.commands,
    templates: actions.templates,
    kind: 'reference',
  });
}

/** Every line of a raw section including its subsections (for a reference item made of a whole subsection). */
function allLinesOf(lines: string[], s: RawSection): NumberedLine[] {
  const flat: RawSection = { ...s, children: [] };
  const out = ownLines(lines, flat);
  return out;
}

function buildSection(state: ParseState, raw: RawSection): ChecklistSection {
  const id = slug(raw.title);
  const section: ChecklistSection = { id, title: raw.title, level: raw.level, line: raw.line, anchor: githubAnchor(raw.title), items: [], sections: [] };
  const own = ownLines(state.lines, raw);
  const ownHasTasks = own.some((l) => !l.inFence && isTaskLine(l.text));
  if (ownHasTasks) {
    section.items.push(...parseTaskItems(state, own, id));
  } else {
    const content = own.filter((l) => l.text.trim());
    if (content.length) {
      const onlyBullets = !content.some((l) => l.inFence) && content.every((l) => BULLET.test(l.text) || indentOf(l.text) > 0);
      if (onlyBullets) {
        // One reference item per top-level bullet (e.g. each alerting rule).
        let group: NumberedLine[] = [];
        const flush = () => {
          if (!group.length) return;
          const b = BULLET.exec(group[0].text)!;
          const label = shorten(plainText(b[2]).replace(/`/g, ''));
          const item = referenceItem(state, `${id}/${slug(plainText(b[2]).slice(0, 60))}`, label, group, id, group[0].index);
          item.text = plainText(b[2]);
          section.items.push(item);
          group = [];
        };
        for (const l of content) {
          if (BULLET.test(l.text) && indentOf(l.text) === 0) flush();
          group.push(l);
        }
        flush();
      } else {
        section.items.push(referenceItem(state, `${id}/overview`, raw.title, own, id, raw.line));
      }
    }
  }
  for (const child of raw.children) {
    if (hasTasks(state.lines, child)) {
      section.sections.push(buildSection(state, child));
    } else {
      const body = allLinesOf(state.lines, child);
      if (body.some((l) => l.text.trim())) section.items.push(referenceItem(state, `${id}/${slug(child.title)}`, child.title, body, id, child.line));
    }
  }
  return section;
}

export function parseChecklist(text: string, source = 'built-in'): Checklist {
  const lines = splitLines(text);
  const { title, top } = scanSections(lines);
  const state: ParseState = { lines, ids: new IdAllocator(), templates: [] };
  const sections = top.map((raw) => buildSection(state, raw));
  return { title: title || 'Checklist', sections, templates: state.templates, source };
}

/**
 * Ticks or unticks the task-list item on `line` (0-based) and changes nothing
 * else: not the line endings, not the BOM, not a trailing newline.
 */
export function setTaskChecked(text: string, line: number, checked: boolean): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) throw new Error(`The file has no line ${line + 1}.`);
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  const lineText = text.slice(start, end < 0 ? text.length : end);
  const m = /^(\uFEFF?[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[)( |x|X)\]/.exec(lineText);
  if (!m) throw new Error(`Line ${line + 1} is not a task-list item any more.`);
  const current = m[2] !== ' ';
  if (current === checked) return text;
  const at = start + m[1].length;
  return text.slice(0, at) + (checked ? 'x' : ' ') + text.slice(at + 1);
}
