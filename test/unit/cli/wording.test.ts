import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commands } from '../../../src/cli';
import { problemCount } from '../../../src/cli/validate';
import { flagsForSettings } from '../../../src/cli/wording';
import { plural } from '../../../src/core/plural';
import { baseEnv, runPiped, tempHome } from './run';

const ROOT = path.resolve(__dirname, '../../..');
const FAKE_SERVER = path.join(ROOT, 'test/fixtures/fakeAppServer.mjs');
const PKG_VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('CLI: speaks CLI', function () {
  this.timeout(60_000);
  const t = tempHome('code-ops-cli-words-');
  after(t.cleanup);

  describe('--version', () => {
    it('code-ops --version and -V print the package version, exit 0, from the bundle and from the sources', () => {
      for (const flag of ['--version', '-V']) {
        const r = runPiped([flag], baseEnv());
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, `${PKG_VERSION}\n`);
      }
      const fromSources = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), '--version'], { encoding: 'utf8', env: baseEnv(), cwd: ROOT });
      assert.equal(fromSources.stdout, `${PKG_VERSION}\n`, fromSources.stderr);
    });

    it('a command with --version prints it too', () => {
      assert.equal(runPiped(['probe', '--version'], baseEnv()).stdout, `${PKG_VERSION}\n`);
    });
  });

  describe('argument errors in our words', () => {
    it('an unknown top-level option or command: one sentence naming the commands, exit 2, nothing on stdout', () => {
      for (const [arg, said] of [['--bogus', 'unknown option --bogus'], ['frobnicate', "unknown command 'frobnicate'"]]) {
        const r = runPiped([arg], baseEnv());
        assert.equal(r.status, 2);
        assert.equal(r.stdout, '');
        assert.ok(r.stderr.startsWith(`code-ops: ${said}. The commands are: validate, probe, check, tail, otel-test, mcp`), r.stderr);
        assert.ok(!/ERR_PARSE_ARGS|TypeError|at .*\(node:/.test(r.stderr), r.stderr);
      }
    });

    for (const command of commands) {
      it(`${command.name}: an unknown option and a missing value are sentences, not Node's errors`, () => {
        const unknown = runPiped([command.name, '--no-such-flag'], baseEnv({ CODE_HOME: t.home }));
        assert.equal(unknown.status, 2);
        assert.match(unknown.stderr, new RegExp(`^code-ops ${command.name}: unknown option --no-such-flag\\. The options are: `));
        assert.ok(!/ERR_PARSE_ARGS|Unknown option '/.test(unknown.stderr), unknown.stderr);
        const stringFlag = Object.entries(command.options).find(([, o]) => o.type === 'string')![0];
        const missing = runPiped([command.name, `--${stringFlag}`], baseEnv({ CODE_HOME: t.home }));
        assert.equal(missing.status, 2);
        assert.match(missing.stderr, new RegExp(`--${stringFlag} needs a value; none was given\\.`));
      });
    }
  });

  describe('--help lists every flag', () => {
    for (const command of commands) {
      it(`${command.name} --help has one line per option it accepts`, () => {
        const r = runPiped([command.name, '--help'], baseEnv());
        assert.equal(r.status, 0);
        for (const [name, option] of Object.entries(command.options)) {
          const short = 'short' in option && option.short ? `-${option.short}, ` : '';
          assert.match(r.stdout, new RegExp(`^  ${short}--${name}\\b`, 'm'), `${command.name} --help does not list --${name}`);
        }
        assert.match(r.stdout, /^ {2}-h, --help\b/m);
      });
    }

    it('check and otel-test list --managed-config', () => {
      for (const name of ['check', 'otel-test']) assert.match(runPiped([name, '--help'], baseEnv()).stdout, /^ {2}--managed-config FILE +\S/m);
    });
  });

  describe('flags named, not VS Code settings', () => {
    it('the table maps every setting a core sentence names', () => {
      assert.equal(flagsForSettings('Install it or set codeOps.appServer.command to its full path.'), 'Install it or set --command to its full path.');
      assert.equal(flagsForSettings('Set codeOps.readiness.backupGlob to check backups of CODE_HOME.'), 'Set --backup-glob to check backups of CODE_HOME.');
      assert.equal(flagsForSettings('Check codeOps.appServer.socket.'), 'Check --socket.');
      assert.equal(
        flagsForSettings('Set CODEX_HOME (and CODE_HOME) in codeOps.appServer.env to the same folder, or point codeOps.codeHome at /h.'),
        'Set CODEX_HOME (and CODE_HOME) in the environment of code-ops to the same folder, or point --code-home at /h.',
      );
      assert.equal(flagsForSettings('does not exist (codeOps.appServer.cwd).'), 'does not exist (the folder code-ops runs in).');
    });

    it('check: details name --backup-glob and --command, never a codeOps.* setting; text and JSON alike', () => {
      const env = baseEnv({ CODE_HOME: t.home });
      const r = runPiped(['check', '--command', 'no-such-app-server-xyz'], env);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stdout, /^skip +backup-recent +Set --backup-glob to check backups/m);
      assert.match(r.stdout, /^fail +app-server-binary +'no-such-app-server-xyz' was not found on PATH .*set --command to its full path\./m);
      assert.match(r.stdout, /^skip +otel-export-reachable +.*Run `code-ops otel-test`\.$/m);
      assert.ok(!/codeOps\./.test(r.stdout + r.stderr), r.stdout);
      const json = runPiped(['check', '--json', '--command', 'no-such-app-server-xyz'], env);
      assert.ok(!/codeOps\./.test(json.stdout), json.stdout);
      assert.match(json.stdout, /set --command to its full path/);
    });

    it('probe: a missing socket says --socket', () => {
      const r = runPiped(['probe', '--socket', path.join(t.dir, 'no.sock')], baseEnv({ CODE_HOME: t.home }));
      assert.equal(r.status, 1);
      assert.match(r.stdout, /Check --socket\./);
      assert.ok(!r.stdout.includes('codeOps.'), r.stdout);
    });

    it('CODE_HOME says where it came from: --code-home, CODE_HOME, CODEX_HOME, or the default', () => {
      const first = (r: { stdout: string }) => r.stdout.split('\n')[0];
      assert.equal(first(runPiped(['check', '--code-home', t.home], baseEnv({ CODE_HOME: '/elsewhere' }))), `CODE_HOME ${t.home} (from --code-home)`);
      assert.equal(first(runPiped(['check'], baseEnv({ CODE_HOME: t.home }))), `CODE_HOME ${t.home} (from CODE_HOME)`);
      assert.equal(first(runPiped(['check'], baseEnv({ CODEX_HOME: t.home }))), `CODE_HOME ${t.home} (from CODEX_HOME)`);
      assert.equal(first(runPiped(['check'], baseEnv({ HOME: t.dir }))), `CODE_HOME ${path.join(t.dir, '.code')} (default ~/.code)`);
      assert.match(runPiped(['--help'], baseEnv({ HOME: t.dir })).stdout, /^CODE_HOME: .*\.code \(default ~\/\.code\)$/m);
    });
  });

  describe('counts in the right number', () => {
    it('plural and the validate summary', () => {
      assert.equal(plural(0, 'error'), '0 errors');
      assert.equal(plural(1, 'error'), '1 error');
      assert.equal(plural(2, 'error'), '2 errors');
      assert.equal(problemCount([]), 'no problems');
      assert.equal(problemCount([{ severity: 'error' }]), '1 error, 0 warnings');
      assert.equal(problemCount([{ severity: 'error' }, { severity: 'error' }, { severity: 'warning' }, { severity: 'hint' }]), '2 errors, 1 warning, 1 hint');
    });

    it('validate on a file with one error says "1 error, 0 warnings"', () => {
      // test/fixtures/config/bare-otlp-grpc-string.toml: one bare exporter string, an error
      const r = runPiped(['validate', path.join(ROOT, 'test/fixtures/config/bare-otlp-grpc-string.toml')], baseEnv({ CODE_HOME: t.home }));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /: 1 error, 0 warnings \(beacon dialect\)\.\n$/);
    });

    it('no "(s)" in what the CLI prints: check, probe, validate', () => {
      const env = baseEnv({ CODE_HOME: t.home, FAKE_SCENARIO: 'healthy' });
      const outputs = [
        runPiped(['check'], env),
        runPiped(['probe', '--verbose', '--command', `${process.execPath} ${FAKE_SERVER}`], env),
        runPiped(['validate', path.join(ROOT, 'test/fixtures/config/bare-otlp-grpc-string.toml')], env),
      ];
      for (const r of outputs) assert.ok(!/\w\(s\)/.test(r.stdout + r.stderr), r.stdout + r.stderr);
      assert.match(outputs[0].stdout, /^18 checks: /m);
      assert.match(outputs[1].stdout, /^last \d+ stderr lines:$/m);
    });
  });

  describe('probe: a short summary; the server\'s stderr with --verbose or on failure', () => {
    const command = `${process.execPath} ${FAKE_SERVER}`;

    it('healthy: state, latency, user agent, home; no stderr lines', () => {
      const r = runPiped(['probe', '--command', command, '--code-home', t.home], baseEnv({ FAKE_SCENARIO: 'healthy' }));
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0], /^healthy: .* answered initialize in [\d.]+ ms and a liveness probe in [\d.]+ ms\.$/);
      assert.ok(lines.some((l) => l.startsWith('user agent: ')), r.stdout);
      assert.ok(!r.stdout.includes('RUST_LOG='), 'the server\'s stderr is not in the summary');
      assert.ok(!r.stdout.includes('exit code after stop'), r.stdout);
      assert.match(r.stdout, /^\(\d+ stderr lines not shown; --verbose shows them\)$/m);
      assert.ok(lines.length <= 5, r.stdout);
    });

    it('healthy with --verbose (and -v): the stderr lines and the exit code', () => {
      for (const flag of ['--verbose', '-v']) {
        const r = runPiped(['probe', flag, '--command', command, '--code-home', t.home], baseEnv({ FAKE_SCENARIO: 'healthy' }));
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /^last \d+ stderr lines:$/m);
        assert.match(r.stdout, /^ {2}env RUST_LOG=info CODE_SECURE_MODE=1 /m);
        assert.match(r.stdout, /^exit code after stop: /m);
      }
    });

    it('not healthy: the stderr lines without --verbose', () => {
      const r = runPiped(['probe', '--command', command, '--code-home', t.home], baseEnv({ FAKE_SCENARIO: 'config-error' }));
      assert.equal(r.status, 1);
      assert.match(r.stdout, /^NOT healthy \(config-error\)/);
      assert.match(r.stdout, /^ {2}Error: error loading config: TOML parse error/m);
    });
  });
});
