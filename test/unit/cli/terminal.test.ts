import * as assert from 'node:assert/strict';
import { cut, cutWidth, useColor } from '../../../src/cli/term';
import { skipOnPlatform } from '../setup/platform';
import { baseEnv, ESC, runOnTerminal, runPiped, scriptTool, tempHome } from './run';

/** A line as the terminal shows it: without the SGR (colour) sequences. */
function visible(line: string): string {
  return line.split(ESC).map((piece, i) => (i === 0 ? piece : piece.replace(/^\d+m/, ''))).join('');
}

describe('CLI: colour and width follow where stdout goes', function () {
  this.timeout(60_000);
  const t = tempHome('code-ops-cli-term-');
  after(t.cleanup);
  const env = (extra: Record<string, string> = {}) => baseEnv({ CODE_HOME: t.home, ...extra });
  /** check's table rows (STATUS CHECK DETAIL), without the header and the count line. */
  const rows = (stdout: string) => stdout.split('\n').filter((l) => /^(?:pass|fail|warn|skip)\b/.test(visible(l)));

  describe('the decisions', () => {
    it('colour: a terminal yes, a pipe no; NO_COLOR (non-empty) wins; FORCE_COLOR forces; TERM=dumb no', () => {
      const tty = { isTTY: true, columns: 80 };
      const pipe = { isTTY: false };
      assert.equal(useColor(tty, {}), true);
      assert.equal(useColor(pipe, {}), false);
      assert.equal(useColor(undefined, {}), false);
      assert.equal(useColor(tty, { NO_COLOR: '1' }), false);
      assert.equal(useColor(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR is unset (no-color.org)');
      assert.equal(useColor(tty, { NO_COLOR: '1', FORCE_COLOR: '1' }), false);
      assert.equal(useColor(pipe, { FORCE_COLOR: '1' }), true);
      assert.equal(useColor(tty, { FORCE_COLOR: '0' }), false);
      assert.equal(useColor(tty, { FORCE_COLOR: 'false' }), false);
      assert.equal(useColor(tty, { TERM: 'dumb' }), false);
    });

    it('cutting: only on a terminal of known width, never with --wide', () => {
      assert.equal(cutWidth({ isTTY: true, columns: 100 }, false), 100);
      assert.equal(cutWidth({ isTTY: true, columns: 100 }, true), undefined);
      assert.equal(cutWidth({ isTTY: false, columns: 100 }, false), undefined);
      assert.equal(cutWidth(undefined, false), undefined);
      assert.equal(cutWidth({ isTTY: true }, false), undefined);
      assert.equal(cut('abcdef', 4), 'abc…');
      assert.equal(cut('abcd', 4), 'abcd');
      assert.equal(cut('x'.repeat(500), undefined).length, 500);
    });
  });

  describe('a real process with stdout a pipe', () => {
    it('check: no escape codes and no row cut, however long', () => {
      const r = runPiped(['check'], env());
      assert.equal(r.status, 1, r.stderr);
      assert.ok(!r.stdout.includes(ESC), 'no colour into a pipe');
      const all = rows(r.stdout);
      assert.ok(all.length >= 10, r.stdout);
      assert.ok(all.some((l) => l.length > 120), 'a long detail stays whole');
      assert.ok(!all.some((l) => l.endsWith('…')), 'nothing cut');
    });

    it('FORCE_COLOR=1 colours a pipe; NO_COLOR=1 overrides it', () => {
      assert.ok(runPiped(['check'], env({ FORCE_COLOR: '1' })).stdout.includes(`${ESC}31mfail`));
      assert.ok(!runPiped(['check'], env({ FORCE_COLOR: '1', NO_COLOR: '1' })).stdout.includes(ESC));
    });
  });

  describe('a real process on a pseudo-terminal (util-linux script)', () => {
    before(function () {
      if (!scriptTool()) skipOnPlatform(this, 'util-linux script (a pseudo-terminal) is not installed');
    });

    it('check: coloured status words, rows cut to the 60 columns with an ellipsis', () => {
      const r = runOnTerminal(['check'], env(), 60);
      assert.equal(r.status, 1, r.stdout);
      assert.ok(r.stdout.includes(`${ESC}32mpass${ESC}0m    code-home-permissions`), JSON.stringify(r.stdout));
      assert.ok(r.stdout.includes(`${ESC}31mfail${ESC}0m    logs-present`), 'an empty CODE_HOME has no logs');
      assert.ok(r.stdout.includes(`${ESC}2mskip${ESC}0m`), 'skip is dim');
      const all = rows(r.stdout);
      assert.ok(all.length >= 10, r.stdout);
      assert.ok(all.every((l) => [...visible(l)].length <= 60), all.map(visible).join('\n'));
      assert.ok(all.some((l) => l.endsWith('…')), 'long rows are cut on a terminal');
    });

    it('check --wide on a terminal: nothing cut', () => {
      const r = runOnTerminal(['check', '--wide'], env(), 60);
      const all = rows(r.stdout);
      assert.ok(all.some((l) => visible(l).length > 120), r.stdout);
      assert.ok(!all.some((l) => l.endsWith('…')));
    });

    it('NO_COLOR=1 on a terminal: no escape codes, from check, validate and probe alike', () => {
      assert.ok(runOnTerminal(['check'], env(), 200).stdout.includes(ESC), 'colour without NO_COLOR');
      for (const args of [['check'], ['validate', '/nonexistent/config.toml'], ['probe', '--socket', '/nonexistent/sock']]) {
        const r = runOnTerminal(args, env({ NO_COLOR: '1' }), 200);
        assert.ok(!r.stdout.includes(ESC), `${args.join(' ')}: ${JSON.stringify(r.stdout)}`);
      }
    });

    it('probe on a terminal: the verdict is coloured', () => {
      const r = runOnTerminal(['probe', '--socket', '/nonexistent/sock'], env(), 200);
      assert.equal(r.status, 1);
      assert.ok(r.stdout.includes(`${ESC}31mNOT healthy (not-found)${ESC}0m`), JSON.stringify(r.stdout));
    });
  });
});
