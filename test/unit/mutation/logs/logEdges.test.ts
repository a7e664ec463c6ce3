// Log edges, exactly: logs-present for each layout and what is missing (src/core/logs/layout.ts),
// long lines cut with a marker (followerParts.ts cutLongLines), an ERROR word at the very start of
// a chunk, and a panic whose server-hook line has no location taking the default hook's. Written
// from the sampled mutation run of src/core/logs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeHomePaths } from '../../../../src/core/codeHome';
import { AlertScanner, defaultAlertRules, PanicAssembler, type PanicEvent } from '../../../../src/core/logs';
import { cutLongLines } from '../../../../src/core/logs/followerParts';
import { logsPresentVerdict } from '../../../../src/core/logs/layout';

describe('log edges, exactly', () => {
  it('logs-present for each layout and what is missing', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const cases: Array<[string[], string, string]> = [
      [[], 'fail', 'No logs under CODE_HOME: expected log/code-tui.log and logs/critical.log.YYYY-MM-DD (log/ and logs/ (Beacon)).'],
      [['log/code-tui.log'], 'fail', 'Layout log/ and logs/ (Beacon): missing logs/critical.log.YYYY-MM-DD; found log/code-tui.log.'],
      [[`logs/critical.log.${today}`], 'fail', `Layout log/ and logs/ (Beacon): missing log/code-tui.log; found 1 critical.log file, newest logs/critical.log.${today}.`],
      [['log/code-tui.log', `logs/critical.log.${today}`], 'pass', `Layout log/ and logs/ (Beacon): found log/code-tui.log and 1 critical.log file, newest logs/critical.log.${today}.`],
      [['log/codex-tui.log', `logs/critical.log.${today}`], 'warn', `Layout log/ and logs/ (Beacon): only the legacy name log/codex-tui.log; 1 critical.log file, newest logs/critical.log.${today}.`],
      [[`debug_logs/critical.log.${today}`], 'warn', `Layout debug_logs/ (Code since 2026): 1 critical.log file, newest debug_logs/critical.log.${today}; no codex-tui.log (Code writes it only with --debug).`],
      [['debug_logs/codex-tui.log', `debug_logs/critical.log.${today}`], 'pass', `Layout debug_logs/ (Code since 2026): found debug_logs/codex-tui.log and 1 critical.log file, newest debug_logs/critical.log.${today}.`],
    ];
    for (const [files, status, detail] of cases) {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-layout-'));
      try {
        for (const f of files) {
          fs.mkdirSync(path.dirname(path.join(home, f)), { recursive: true });
          fs.writeFileSync(path.join(home, f), '');
        }
        assert.deepEqual(await logsPresentVerdict(codeHomePaths(home)), { status, detail }, files.join(', '));
      } finally {
        fs.rmSync(home, { recursive: true, force: true });
      }
    }
  });

  it('cutLongLines (given complete lines): each line over the limit cut with a marker, the rest untouched', () => {
    const text = Buffer.from(`short\n${'x'.repeat(12)}\nok\n${'y'.repeat(11)}\n`);
    assert.equal(cutLongLines(text, 10).toString(), `short\n${'x'.repeat(10)} … [line cut at 10 bytes]\nok\n${'y'.repeat(10)} … [line cut at 10 bytes]\n`);
    const exact = Buffer.from(`${'z'.repeat(10)}\nab\n`);
    assert.equal(cutLongLines(exact, 10), exact, 'a line of exactly the limit is kept, and the same buffer returned');
    const small = Buffer.from('abc');
    assert.equal(cutLongLines(small, 10), small);
  });

  it('an ERROR word at the very start of a chunk is not a level field', () => {
    const scanner = new AlertScanner(defaultAlertRules(), { sinceMs: 0 });
    assert.equal(scanner.scan('code-tui', { file: '/x/code-tui.log', offset: 0, bytes: Buffer.from('ERROR at the start\n'), history: false }).counts.errors, 0);
  });

  it("a server-hook panic without a location takes the default hook's", () => {
    const out: PanicEvent[] = [];
    const a = new PanicAssembler((e) => out.push(e), { source: 'stderr', settleMs: 0, now: () => 1 });
    a.push('Panic occurred: PanicHookInfo { payload: Any { .. } }');
    a.push("thread 'main' panicked at src/a.rs:3:4:");
    a.push('boom');
    a.flush();
    assert.deepEqual(out.map((e) => [e.forms, e.location, e.thread, e.message]), [[['hook-debug', 'default-hook'], { file: 'src/a.rs', line: 3, column: 4 }, 'main', 'boom']]);
  });
});
