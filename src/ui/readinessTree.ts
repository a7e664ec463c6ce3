import * as vscode from 'vscode';
import {
  checkInfo,
  progressOf,
  worstStatus,
  type CheckId,
  type CheckResult,
  type CheckStatus,
  type Checklist,
  type ChecklistItem,
  type ChecklistSection,
  type ItemCommand,
  type SignOff,
} from '../core/readiness/index';
import { maskSecrets } from '../core/mask';

/** The nodes of the Readiness tree; the tree only renders what the controller holds. */
export type ReadinessNode =
  | { type: 'problem'; key: string; message: string; detail?: string }
  | { type: 'section'; key: string; section: ChecklistSection }
  | { type: 'item'; key: string; item: ChecklistItem }
  | { type: 'check'; key: string; item: ChecklistItem; check: CheckId }
  | { type: 'command'; key: string; item: ChecklistItem; command: ItemCommand };

/** What the tree reads from the controller. */
export interface ReadinessSource {
  readonly checklist: Checklist;
  /** Rendered instead of the checklist when nothing is configured yet (the welcome shows then). */
  readonly showWelcome: boolean;
  /** Settles when the checklist and sign-offs were first loaded. */
  readonly ready: Promise<void>;
  readonly problems: ReadonlyArray<{ key: string; message: string; detail?: string }>;
  result(id: CheckId): CheckResult | undefined;
  running(id: CheckId): boolean;
  isChecked(item: ChecklistItem): boolean;
  signOff(id: string): SignOff | undefined;
}

const ICON: Record<CheckStatus, [string, string]> = {
  pass: ['pass-filled', 'testing.iconPassed'],
  fail: ['error', 'testing.iconFailed'],
  warn: ['warning', 'problemsWarningIcon.foreground'],
  skip: ['circle-slash', 'disabledForeground'],
};

function statusIcon(status: CheckStatus | undefined, running: boolean): vscode.ThemeIcon {
  if (running) return new vscode.ThemeIcon('loading~spin');
  if (!status) return new vscode.ThemeIcon('circle-large-outline');
  const [id, color] = ICON[status];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}

/** The short word a tree row shows for a verdict; the sentence is in the tooltip. */
export const VERDICT_WORD: Record<CheckStatus, string> = { pass: 'pass', fail: 'fails', warn: 'warning', skip: 'skipped' };
/** The same, after a count ("2 pass · 1 failing"). */
const COUNT_WORD: Record<CheckStatus, string> = { pass: 'pass', fail: 'failing', warn: 'warning', skip: 'skipped' };

function verdictWord(r: CheckResult | undefined, running: boolean): string {
  if (running) return 'running';
  return r ? VERDICT_WORD[r.status] : 'not run';
}

/** The codicon of a verdict, for Markdown with theme icons. */
function iconText(r: CheckResult | undefined, running: boolean): string {
  if (running) return '$(loading~spin)';
  return r ? `$(${ICON[r.status][0]})` : '$(circle-large-outline)';
}

/** One check in a tooltip: icon, verdict, id, title, the whole sentence (masked) and when it was reached. */
function checkMarkdown(id: CheckId, r: CheckResult | undefined, running: boolean): string {
  const head = `${iconText(r, running)} **${verdictWord(r, running)}** \`${id}\` ${escapeMd(checkInfo(id).title)}`;
  if (!r) return head;
  const when = new Date(r.at);
  const at = Number.isFinite(when.getTime()) ? `\n\n*Checked ${when.toLocaleString()} (${ago(when.toISOString())})*` : '';
  return `${head}\n\n${escapeMd(maskSecrets(r.detail))}${at}${r.fix ? `\n\nFix: ${escapeMd(r.fix.label)}` : ''}`;
}

function ago(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const min = Math.round(ms / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** `viewItem` flags the menus in package.json match on (`viewItem =~ /:fix\b/`). */
export function contextFlags(node: ReadinessNode, src: ReadinessSource): string {
  const flags: string[] = [];
  const checks = node.type === 'check' ? [node.check] : node.type === 'item' ? node.item.checks : [];
  if (checks.length) flags.push('check');
  if (checks.some((id) => src.result(id)?.fix && src.result(id)?.status !== 'pass')) flags.push('fix');
  const commands = node.type === 'command' ? [node.command] : node.type === 'item' ? node.item.commands : [];
  if (commands.some((c) => c.runnable)) flags.push('run');
  if (commands.length) flags.push('copy');
  if (node.type === 'item' || node.type === 'section') flags.push('docs');
  if (node.type === 'item' && node.item.checkbox) flags.push('note');
  if (node.type === 'item' && node.item.templates.some((t) => t.kind === 'incident')) flags.push('incident');
  if (node.type === 'item' && node.item.templates.some((t) => t.kind === 'resolution')) flags.push('resolution');
  return `readiness.${node.type}${flags.map((f) => `:${f}`).join('')}`;
}

export class ReadinessTreeProvider implements vscode.TreeDataProvider<ReadinessNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReadinessNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Node objects by key, so the tree keeps identity (and expansion) across refreshes. */
  private readonly nodes = new Map<string, ReadinessNode>();

  constructor(private readonly src: ReadinessSource) {}

  refresh(): void {
    this.nodes.clear();
    this.changed.fire(undefined);
  }

  private node<T extends ReadinessNode>(n: T): T {
    const existing = this.nodes.get(n.key);
    if (existing) Object.assign(existing, n);
    else this.nodes.set(n.key, n);
    return (existing ?? n) as T;
  }

  async getChildren(parent?: ReadinessNode): Promise<ReadinessNode[]> {
    if (!parent) await this.src.ready;
    return this.childrenOf(parent);
  }

  /** Synchronous children, for rendering decisions and test snapshots once loaded. */
  childrenOf(parent?: ReadinessNode): ReadinessNode[] {
    const src = this.src;
    if (!parent) {
      if (src.showWelcome) return [];
      return [
        ...src.problems.map((p) => this.node({ type: 'problem' as const, key: `problem:${p.key}`, message: p.message, detail: p.detail })),
        ...src.checklist.sections.map((s) => this.node({ type: 'section' as const, key: `section:${s.id}`, section: s })),
      ];
    }
    if (parent.type === 'section') {
      return [
        ...parent.section.items.map((i) => this.node({ type: 'item' as const, key: `item:${i.id}`, item: i })),
        ...parent.section.sections.map((s) => this.node({ type: 'section' as const, key: `section:${s.id}`, section: s })),
      ];
    }
    if (parent.type === 'item') {
      const item = parent.item;
      const out: ReadinessNode[] = [];
      if (item.checks.length > 1) out.push(...item.checks.map((c) => this.node({ type: 'check' as const, key: `check:${item.id}:${c}`, item, check: c })));
      out.push(...item.children.map((c) => this.node({ type: 'item' as const, key: `item:${c.id}`, item: c })));
      if (item.commands.length > 1 || (item.commands.length === 1 && item.children.length))
        out.push(...item.commands.map((c, i) => this.node({ type: 'command' as const, key: `command:${item.id}:${i}`, item, command: c })));
      return out;
    }
    return [];
  }

  getTreeItem(node: ReadinessNode): vscode.TreeItem {
    switch (node.type) {
      case 'problem':
        return this.problemItem(node);
      case 'section':
        return this.sectionItem(node.section, node);
      case 'item':
        return this.itemItem(node.item, node);
      case 'check':
        return this.checkItem(node.check, node);
      case 'command':
        return this.commandItem(node.command, node);
    }
  }

  private problemItem(node: Extract<ReadinessNode, { type: 'problem' }>): vscode.TreeItem {
    const t = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
    t.id = node.key;
    t.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    t.tooltip = node.detail ?? node.message;
    t.contextValue = 'readiness.problem';
    t.command = { command: 'codeOps.readiness.resolveProblem', title: 'Resolve', arguments: [node.key] };
    return t;
  }

  private sectionItem(section: ChecklistSection, node: ReadinessNode): vscode.TreeItem {
    const t = new vscode.TreeItem(section.title, vscode.TreeItemCollapsibleState.Expanded);
    t.id = node.key;
    const p = progressOf(section, (i) => this.src.isChecked(i));
    const statuses = this.checksIn(section).map((id) => this.src.result(id)?.status).filter((s): s is CheckStatus => !!s);
    const worst = worstStatus(statuses);
    const parts: string[] = [];
    if (p.total) parts.push(`${p.done}/${p.total}`);
    const failing = statuses.filter((s) => s === 'fail').length;
    if (failing) parts.push(`${failing} failing`);
    t.description = parts.join(' · ');
    t.iconPath = worst === 'fail' || worst === 'warn' ? statusIcon(worst, false) : new vscode.ThemeIcon(p.total && p.done === p.total ? 'checklist' : 'list-tree');
    t.tooltip = `${section.title}${p.total ? `: ${p.done} of ${p.total} signed off` : ''}${failing ? `; ${failing} automatic check(s) fail` : ''}`;
    t.contextValue = contextFlags(node, this.src);
    return t;
  }

  private checksIn(section: ChecklistSection): CheckId[] {
    const out: CheckId[] = [];
    const walk = (items: ChecklistItem[]) => {
      for (const i of items) {
        out.push(...i.checks);
        walk(i.children);
      }
    };
    walk(section.items);
    for (const s of section.sections) out.push(...this.checksIn(s));
    return out;
  }

  private itemItem(item: ChecklistItem, node: ReadinessNode): vscode.TreeItem {
    const hasChildren = this.childrenOf(node).length > 0;
    const t = new vscode.TreeItem(item.label, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    t.id = node.key;
    const results = item.checks.map((id) => this.src.result(id));
    const running = item.checks.some((id) => this.src.running(id));
    const desc: string[] = [];
    if (item.checks.length === 1) desc.push(verdictWord(results[0], running));
    else if (item.checks.length > 1) {
      const counts = new Map<CheckStatus, number>();
      for (const r of results) if (r) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
      desc.push(running ? 'running' : counts.size ? [...counts].map(([s, n]) => `${n} ${COUNT_WORD[s]}`).join(' · ') : 'not run');
    }
    const sign = this.src.signOff(item.id);
    if (item.checkbox) {
      const checked = this.src.isChecked(item);
      t.checkboxState = {
        state: checked ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
        tooltip: checked ? 'Withdraw the sign-off' : 'Sign this item off',
        accessibilityInformation: { label: `Sign off ${item.label}` },
      };
      if (checked && sign?.by) desc.unshift(`✓ ${sign.by} ${ago(sign.at)}`);
      if (sign?.note) desc.push('note');
    } else if (!item.checks.length && item.commands.length === 1) {
      desc.push(item.commands[0].text.split('\n')[0]);
    }
    t.description = desc.filter(Boolean).join(' — ');
    if (item.checks.length) t.iconPath = statusIcon(worstStatus(results.filter((r): r is CheckResult => !!r).map((r) => r.status)), running);
    else if (!item.checkbox) t.iconPath = new vscode.ThemeIcon(item.templates.length ? 'megaphone' : item.commands.some((c) => c.runnable) ? 'terminal' : 'book');
    t.tooltip = this.itemTooltip(item, sign);
    t.contextValue = contextFlags(node, this.src);
    if (!item.checkbox && !hasChildren && item.commands.length === 0 && item.checks.length === 0) {
      t.command = { command: 'codeOps.readiness.openDocs', title: 'Open Docs Section', arguments: [node] };
    }
    return t;
  }

  private itemTooltip(item: ChecklistItem, sign: SignOff | undefined): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    md.supportThemeIcons = true;
    md.appendMarkdown(`**${escapeMd(item.label)}** — ${kindText(item)}\n\n`);
    if (item.markdown) md.appendMarkdown(`${item.markdown.length > 1500 ? `${item.markdown.slice(0, 1500)}…` : item.markdown}\n\n`);
    if (item.checkbox) {
      if (this.src.isChecked(item)) md.appendMarkdown(`$(check) Signed off${sign?.by ? ` by ${escapeMd(sign.by)}` : ''}${sign?.at ? ` on ${new Date(sign.at).toUTCString()}` : ''}\n\n`);
      else md.appendMarkdown('$(circle-large-outline) Not signed off\n\n');
      if (sign?.note) md.appendMarkdown(`$(note) ${escapeMd(sign.note)}\n\n`);
    }
    for (const id of item.checks) md.appendMarkdown(`${checkMarkdown(id, this.src.result(id), this.src.running(id))}\n\n`);
    return md;
  }

  private checkItem(id: CheckId, node: ReadinessNode): vscode.TreeItem {
    const t = new vscode.TreeItem(checkInfo(id).title, vscode.TreeItemCollapsibleState.None);
    t.id = node.key;
    const r = this.src.result(id);
    const running = this.src.running(id);
    t.description = verdictWord(r, running);
    t.iconPath = statusIcon(r?.status, running);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(checkMarkdown(id, r, running));
    t.tooltip = md;
    t.contextValue = contextFlags(node, this.src);
    return t;
  }

  private commandItem(command: ItemCommand, node: ReadinessNode): vscode.TreeItem {
    const t = new vscode.TreeItem(command.label, vscode.TreeItemCollapsibleState.None);
    t.id = node.key;
    if (command.label !== command.text) t.description = command.text.split('\n')[0];
    t.iconPath = new vscode.ThemeIcon(command.runnable ? 'terminal' : 'clippy');
    const md = new vscode.MarkdownString();
    md.appendCodeblock(command.text, command.runnable ? 'shellscript' : '');
    t.tooltip = md;
    t.contextValue = contextFlags(node, this.src);
    return t;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function kindText(item: ChecklistItem): string {
  switch (item.kind) {
    case 'manual':
      return 'signed off by a person';
    case 'automatic':
      return 'verified by Code Ops';
    case 'both':
      return 'signed off by a person, verified by Code Ops';
    default:
      return 'reference';
  }
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|$]/g, '\\$&');
}
