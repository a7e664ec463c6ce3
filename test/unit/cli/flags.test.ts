import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli';

async function runCli(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d) => out.push(String(d)));
  stderr.on('data', (d) => err.push(String(d)));
  const code = await main(args, { stdout, stderr, env, cwd });
  return { code, out: out.join(''), err: err.join('') };
}

describe('every CLI flag with a bad value is exit 2 with a clear message', function () {
  this.timeout(20_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-cli-hardening-'));
  const codeHome = path.join(dir, 'home');
  const aFile = path.join(dir, 'a-file');
  fs.mkdirSync(codeHome);
  fs.writeFileSync(aFile, 'x');
  const env = { CODE_HOME: codeHome, PATH: process.env.PATH };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cases: Array<[string[], RegExp]> = [
    [['probe', '--timeout', '0'], /--timeout takes a whole number of milliseconds from 1 to 600000, not '0'/],
    [['probe', '--timeout=-5'], /--timeout takes a whole number .* not '-5'/],
    [['probe', '--timeout', '1e9'], /not '1e9'/],
    [['probe', '--timeout', ''], /not ''/],
    [['probe', '--code-home', ''], /--code-home needs a folder; it is empty/],
    [['probe', '--code-home', aFile], /--code-home .*a-file is a file, not a folder/],
    [['probe', '--command', ''], /--command needs a command line; it is empty/],
    [['probe', '--command', '   '], /--command needs a command line; it is empty/],
    [['probe', '--socket', ''], /--socket needs the path of a Unix socket; it is empty/],
    [['probe', '--command', '"unterminated'], /unterminated " quote in --command/],
    [['tail', '--lines=-5'], /--lines takes a whole number of lines from 0 to 100000, not '-5'/],
    [['tail', '--lines', '-5'], /--lines needs a value, and the next word starts with '-'\. If that is the value, write --lines=VALUE\./],
    [['tail', '--lines', '1000000000'], /not '1000000000'/],
    [['tail', '--lines', '1.5'], /not '1\.5'/],
    [['tail', '--poll-ms', '0'], /--poll-ms takes a whole number of milliseconds from 10 to 60000, not '0'/],
    [['tail', '--code-home', ''], /--code-home needs a folder; it is empty/],
    [['tail', '--code-home', aFile], /is a file, not a folder/],
    [['validate', '--code-home', ''], /--code-home needs a folder; it is empty/],
    [['validate', ''], /FILE is empty/],
    [['validate', '--dialect', 'beacon2'], /--dialect must be beacon or codex, not 'beacon2'/],
    [['check', '--code-home', ''], /--code-home needs a folder; it is empty/],
    [['check', '--command', ''], /--command needs an executable; it is empty/],
    [['check', '--socket', ''], /--socket needs the path of a Unix socket/],
    [['check', '--checklist', ''], /--checklist needs a Markdown file/],
    [['check', '--report', ' '], /--report needs a file name/],
    [['check', '--backup-glob', 'backups/{a,b'], /--backup-glob 'backups\/\{a,b' has a \{ without \}/],
    [['check', '--backup-max-age-days', '-1'], /--backup-max-age-days needs a value, and the next word starts with '-'/],
    [['check', '--backup-max-age-days=-1'], /must be a number of days from 0 to 36500, not '-1'/],
    [['check', '--backup-max-age-days', ''], /must be a number of days from 0 to 36500, not ''/],
    [['probe', '--frobnicate'], /unknown option --frobnicate\. The options are: --command, --socket, --timeout, --code-home, --json, --verbose, --help\./],
    [['probe', 'extra'], /unexpected argument 'extra': this command takes options only/],
    [['probe', '--timeout'], /--timeout needs a value; none was given\./],
    [['probe', '--json=yes'], /--json is a switch and takes no value; write --json alone\./],
    [['check', '--target', 'prod'], /--target must be one of production, staging, development/],
  ];
  for (const [args, message] of cases) {
    it(`${args.map((a) => (a === '' ? '""' : a.includes(dir) ? '<file>' : a)).join(' ')} → exit 2`, async () => {
      const r = await runCli(args, env, dir);
      assert.equal(r.code, 2, `stdout: ${r.out}\nstderr: ${r.err}`);
      assert.match(r.err, message);
      assert.match(r.err, new RegExp(`^code-ops ${args[0]}: `));
      assert.equal(r.out, '', 'nothing on stdout for a usage error');
    });
  }

  it('the edges that are allowed still work: tail --lines 0 and --poll-ms 10 on an empty CODE_HOME', async () => {
    const r = await runCli(['tail', '--lines', '0', '--poll-ms', '10'], env, dir);
    assert.equal(r.code, 0, r.err);
  });

  it('check with a checklist that is a folder: exit 2 and says it is a folder', async () => {
    const r = await runCli(['check', '--checklist', dir, '--code-home', codeHome], env, dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read the checklist .*: .* is a folder, not a Markdown file/);
  });
});
