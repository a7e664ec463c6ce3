import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'code-ops.code-ops';

interface LogsSnapshot {
  following: boolean;
  status: Record<string, string>;
  channels: Record<'code-tui' | 'critical', string[]>;
  alerts: Array<{ severity: string; message: string; file: string; lineNumber?: number }>;
  stats: { errorsSinceActivation: number; panicsSinceActivation: number; lastPanicLine?: string };
}

const snapshot = () => vscode.commands.executeCommand<LogsSnapshot>('codeOps.logs.testHook', 'snapshot');

async function eventually(what: string, check: (s: LogsSnapshot) => boolean, timeoutMs = 15000): Promise<LogsSnapshot> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await snapshot();
    if (check(s)) return s;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(s).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Code Ops logs in a real VS Code host', () => {
  const home = process.env.CODE_OPS_TEST_CODE_HOME ?? process.env.CODE_HOME ?? '';
  const tui = path.join(home, 'log', 'code-tui.log');
  const stamp = () => new Date().toISOString().replace('Z', '000Z');

  before(async function () {
    this.timeout(60000);
    assert.ok(home, 'the harness gives the host a CODE_HOME');
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await eventually('followers started', (s) => s.following);
  });

  it('appends new code-tui.log lines to the "Code: code-tui.log" channel', async () => {
    fs.mkdirSync(path.dirname(tui), { recursive: true });
    const marker = `integration-${Date.now()}`;
    fs.appendFileSync(tui, `${stamp()}  INFO run_auto_loop{goal=integration}: hello marker=${marker}\n`);
    const s = await eventually('the line in the channel', (x) => x.channels['code-tui'].some((l) => l.includes(marker)));
    assert.equal(s.channels['code-tui'].filter((l) => l.includes(marker)).length, 1, 'shown once');
  });

  it('raises a critical alert for a panic line and counts it for the status bar', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const critical = path.join(home, 'logs', `critical.log.${day}`);
    fs.mkdirSync(path.dirname(critical), { recursive: true });
    const marker = `boom-${Date.now()}`;
    const before = (await snapshot()).stats;
    fs.appendFileSync(critical, `${stamp()} ERROR main ThreadId(01) Panic occurred: ${marker} api_key=sk-abcdefghijklmnopqrstuv\n`);
    const s = await eventually('the panic alert', (x) => x.alerts.some((a) => a.severity === 'critical' && a.message.includes(marker)));
    const alert = s.alerts.find((a) => a.message.includes(marker))!;
    assert.equal(path.basename(alert.file), `critical.log.${day}`);
    assert.equal(alert.lineNumber, 1);
    assert.ok(!alert.message.includes('abcdefghijklmnop'), 'secrets are masked in the alert');
    assert.equal(s.stats.panicsSinceActivation, before.panicsSinceActivation + 1);
    assert.ok(s.stats.errorsSinceActivation >= before.errorsSinceActivation + 1);
    assert.match(s.stats.lastPanicLine ?? '', new RegExp(marker));
    assert.ok(s.channels.critical.some((l) => l.includes(marker) && !l.includes('abcdefghijklmnop')));
  });

  it('opens the log files themselves in the code-log language', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(tui));
    assert.equal(doc.languageId, 'code-log');
  });

  it('pauses and resumes without losing lines', async () => {
    await vscode.commands.executeCommand('codeOps.logs.pause');
    const marker = `paused-${Date.now()}`;
    fs.appendFileSync(tui, `${stamp()}  WARN while paused marker=${marker}\n`);
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(!(await snapshot()).channels['code-tui'].some((l) => l.includes(marker)));
    await vscode.commands.executeCommand('codeOps.logs.resume');
    await eventually('the line written while paused', (x) => x.channels['code-tui'].some((l) => l.includes(marker)));
  });
});
