import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { skipOnPlatform } from '../../unit/setup/skips.cjs';

const EXTENSION_ID = 'code-ops.code-ops';

interface SnapNode {
  key: string;
  type: string;
  label: string;
  description?: string;
  /** The tooltip's Markdown source */
  tooltip?: string;
  /** The codicon id of the row's icon */
  icon?: string;
  contextValue?: string;
  checked?: boolean;
  children: SnapNode[];
}

interface Snapshot {
  /** done/total, shown in the view's title */
  progress?: string;
  title?: string;
  badge?: number;
  stateFile: string;
  results: Record<string, { status: string; detail: string; fix?: string }>;
  roots: SnapNode[];
}

const hook = <T>(action: string, ...args: unknown[]) => vscode.commands.executeCommand<T>('codeOps.readiness.testHook', action, ...args);
const snapshot = () => hook<Snapshot>('snapshot');

function find(nodes: SnapNode[], pred: (n: SnapNode) => boolean): SnapNode | undefined {
  for (const n of nodes) {
    if (pred(n)) return n;
    const inner = find(n.children, pred);
    if (inner) return inner;
  }
  return undefined;
}

/** Whether a package.json `when` clause of the form `... && viewItem =~ /re/` admits a contextValue. */
function menuAdmits(command: string, contextValue: string): boolean {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const menus: Array<{ command: string; when: string; group?: string }> = ext.packageJSON.contributes.menus['view/item/context'];
  return menus.some((m) => {
    if (m.command !== command) return false;
    const re = /viewItem =~ \/(.+)\/$/.exec(m.when);
    return !!re && new RegExp(re[1]).test(contextValue);
  });
}

describe('Readiness view', () => {
  const codeHome = process.env.CODE_OPS_TEST_CODE_HOME!;
  const CI_ITEM = '1-pre-deployment-verification/ci-pipeline';

  before(async () => {
    assert.ok(codeHome && fs.existsSync(codeHome), 'the host has a temp CODE_HOME');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.codeOps');
    await hook('reload');
  });

  it('shows the checklist sections and sign-off progress', async () => {
    await hook('run');
    const snap = await snapshot();
    const titles = snap.roots.filter((n) => n.type === 'section').map((n) => n.label);
    assert.deepEqual(titles.slice(0, 4), ['1. Pre-Deployment Verification', '2. Deployment', '3. Rollback Procedure', '4. Observability']);
    assert.equal(titles.length, 7);
    assert.match(snap.progress ?? '', /^\d+\/20$/);
    assert.equal(snap.title, `Readiness ${snap.progress}`);
    assert.match(snap.roots.find((n) => n.label === '2. Deployment')!.description ?? '', /^\d+\/8/);
    const env = find(snap.roots, (n) => n.key === '2-2-app-server-optional/environment')!;
    assert.equal(env.checked, false);
    assert.deepEqual(
      env.children.map((c) => c.type),
      ['check', 'check'],
    );
    for (const c of env.children) assert.ok(['pass', 'fails', 'warning', 'skipped'].includes(c.description ?? ''), `a check row shows a verdict word, not "${c.description}"`);
    assert.equal(Object.keys(snap.results).length, 18);
  });

  it('keeps a ticked checkbox across a reload of the view', async () => {
    await hook('setChecked', CI_ITEM, true);
    const snap = await snapshot();
    const json = JSON.parse(fs.readFileSync(snap.stateFile, 'utf8'));
    assert.equal(json.items[CI_ITEM].checked, true);
    assert.ok(json.items[CI_ITEM].by, 'the signer is recorded');
    await hook('reload');
    const after = await snapshot();
    assert.equal(find(after.roots, (n) => n.key === CI_ITEM)?.checked, true);
    assert.match(find(after.roots, (n) => n.key === CI_ITEM)?.description ?? '', /^✓ /);
    const [done] = (after.progress ?? '0/0').split('/').map(Number);
    assert.ok(done >= 1);
    await hook('setChecked', CI_ITEM, false);
    await hook('reload');
    assert.equal(find((await snapshot()).roots, (n) => n.key === CI_ITEM)?.checked, false);
  });

  it('shows Fix on a failing permissions check and the fix tightens CODE_HOME', async function () {
    if (process.platform === 'win32') skipOnPlatform(this, 'POSIX file modes');
    fs.chmodSync(codeHome, 0o755);
    fs.writeFileSync(path.join(codeHome, 'auth.json'), '{}', { mode: 0o644 });
    fs.chmodSync(path.join(codeHome, 'auth.json'), 0o644);
    await hook('run');
    const snap = await snapshot();
    assert.equal(snap.results['code-home-permissions'].status, 'fail');
    const item = find(snap.roots, (n) => n.key === '1-pre-deployment-verification/state-backup')!;
    assert.match(item.contextValue ?? '', /:fix\b/);
    assert.ok(menuAdmits('codeOps.readiness.fix', item.contextValue!), 'the Fix action is on the item\'s menu');
    // The row says the verdicts in words (it binds code-home-permissions and housekeeping-retention) and shows the
    // worst as a codicon; the whole sentences, with their time, are in the tooltip.
    assert.match(item.description ?? '', /^1 failing · 1 (skipped|pass|warning)$/);
    assert.equal(item.icon, 'error');
    assert.match(item.tooltip ?? '', /\$\(error\) \*\*fails\*\* `code-home-permissions`/);
    assert.match(item.tooltip ?? '', /CODE\\_HOME is 0755/);
    assert.match(item.tooltip ?? '', /\*Checked .+\(just now\)\*/);
    assert.doesNotMatch(item.tooltip ?? '', /[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}\u{231A}-\u{23FF}]/u, 'no emoji in the Markdown');
    const row = item.children.find((c) => c.key.endsWith(':code-home-permissions'))!;
    assert.equal(row.type, 'check');
    assert.equal(row.description, 'fails');
    assert.equal(row.icon, 'error');
    assert.match(row.tooltip ?? '', /CODE\\_HOME is 0755; auth\.json is 0644/);
    assert.ok((snap.badge ?? 0) >= 1);

    await vscode.commands.executeCommand('codeOps.readiness.fix', '1-pre-deployment-verification/state-backup');
    assert.equal(fs.statSync(codeHome).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(codeHome, 'auth.json')).mode & 0o777, 0o600);
    const after = await snapshot();
    assert.equal(after.results['code-home-permissions'].status, 'pass');
    const passed = find(after.roots, (n) => n.key === '1-pre-deployment-verification/state-backup')!;
    assert.match(passed.description ?? '', /^1 pass · 1 (skipped|pass|warning)$|^2 pass$/);
    assert.equal(passed.icon, 'pass-filled');
    assert.doesNotMatch(find(after.roots, (n) => n.key === '1-pre-deployment-verification/state-backup')!.contextValue ?? '', /:fix\b/);
  });

  it('writes a Markdown report with the date, CODE_HOME and every item', async () => {
    const report = await hook<string>('report');
    assert.match(report, /^# Production readiness report/);
    assert.ok(report.includes(`\`${codeHome}\``));
    assert.match(report, /- \[ \] \*\*CI Pipeline\*\* — not signed off/);
    assert.match(report, /`code-home-permissions` \*\*pass\*\*/);
  });
});
