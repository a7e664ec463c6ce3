import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeHomePaths } from '../../../src/core/codeHome';
import { describeLogLayout, detectLogLayout, logsPresentVerdict } from '../../../src/core/logs';
import { tempDir } from './helpers';

/**
 * The two layouts (beacon code-rs/core/src/config.rs `log_dir`; just-every code-rs/core/src/config.rs
 * `log_dir` and `migrate_legacy_log_dirs`, which moves log/ and logs/ into debug_logs/).
 */
describe('log layouts', () => {
  let home: string;
  beforeEach(() => (home = tempDir('code-ops-layout-unit-')));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));
  const write = (rel: string, text = 'x\n') => {
    fs.mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
    fs.writeFileSync(path.join(home, rel), text);
  };
  const today = `critical.log.${new Date().toISOString().slice(0, 10)}`;

  it('nothing there: Beacon paths expected, logs-present fails naming them', async () => {
    const p = codeHomePaths(home);
    const l = detectLogLayout(p);
    assert.deepEqual([l.kind, l.found, l.tuiLog], ['beacon', false, p.tuiLog]);
    const v = await logsPresentVerdict(p);
    assert.equal(v.status, 'fail');
    assert.match(v.detail, /log\/code-tui\.log and logs\/critical\.log\.YYYY-MM-DD/);
  });

  it('Beacon: log/code-tui.log + logs/critical.log.DATE pass, legacy codex-tui.log warns', async () => {
    write('log/code-tui.log');
    write(`logs/${today}`);
    const p = codeHomePaths(home);
    assert.equal(detectLogLayout(p).kind, 'beacon');
    assert.equal((await logsPresentVerdict(p)).status, 'pass');
    assert.match(describeLogLayout(p), /log\/ and logs\/ \(Beacon\)/);
    fs.renameSync(p.tuiLog, p.legacyTuiLog);
    assert.equal((await logsPresentVerdict(p)).status, 'warn');
  });

  it('Code since 2026: debug_logs/ wins; codex-tui.log preferred, code-tui.log (migrated) accepted; no TUI log only warns', async () => {
    write('log/code-tui.log');
    write(`debug_logs/${today}`);
    const p = codeHomePaths(home);
    let l = detectLogLayout(p);
    assert.deepEqual([l.kind, path.relative(home, l.tuiLog), path.relative(home, l.logsDir)], ['debug-logs', 'debug_logs/codex-tui.log', 'debug_logs']);
    const v = await logsPresentVerdict(p);
    assert.equal(v.status, 'warn');
    assert.match(v.detail, /--debug/);
    write('debug_logs/code-tui.log');
    l = detectLogLayout(p);
    assert.equal(path.basename(l.tuiLog), 'code-tui.log');
    write('debug_logs/codex-tui.log');
    l = detectLogLayout(p);
    assert.equal(path.basename(l.tuiLog), 'codex-tui.log');
    assert.equal((await logsPresentVerdict(p)).status, 'pass');
    assert.match(describeLogLayout(p), /debug_logs\/ \(Code since 2026\)/);
  });
});
