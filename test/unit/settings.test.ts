import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BOOLEAN_DEFAULTS,
  DEFAULT_COMMAND,
  ENUM_RULES,
  NUMBER_RULES,
  RESTRICTED_SETTINGS,
  SETTING_KEYS,
  SETTING_EFFECTS,
  hasEffect,
  type RawSettings,
  type SettingKey,
  type SettingsEnvironment,
  type SettingsProblem,
} from '../../src/core/settings';
import { readSettings } from '../../src/core/settingsReader';

const WS = path.resolve('/tmp/ws-for-settings');
const HOME = path.resolve('/tmp/home-for-settings');
const ENV: SettingsEnvironment = { workspaceFolder: WS, trusted: true, env: {}, homedir: HOME };

/** Effective values only, as `get` returns them. */
function plain(values: Partial<Record<SettingKey, unknown>>): RawSettings {
  return Object.fromEntries(Object.entries(values).map(([k, value]) => [k, { value }]));
}

function read(values: Partial<Record<SettingKey, unknown>>, env: Partial<SettingsEnvironment> = {}) {
  return readSettings(plain(values), { ...ENV, ...env });
}

function problemFor(problems: SettingsProblem[], key: string) {
  return problems.filter((p) => p.key === `codeOps.${key}`);
}

describe('settings reader: every codeOps.* setting sanitised, problems said', () => {
  it('defaults: nothing set gives the package.json defaults and no problems', () => {
    const { settings, problems } = read({});
    assert.deepEqual(problems, []);
    assert.equal(settings.appServer.command, DEFAULT_COMMAND);
    assert.deepEqual(settings.appServer.args, []);
    assert.equal(settings.appServer.probeIntervalSeconds, 15);
    assert.equal(settings.logs.initialLines, 200);
    assert.equal(settings.config.dialect, 'auto');
    assert.equal(settings.codeHome.path, path.join(HOME, '.code'));
    assert.equal(settings.codeHome.source, 'default');
  });

  it('agrees with package.json: every key, default, range and enum', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
    const props: Record<string, { default: unknown; minimum?: number; maximum?: number; enum?: string[] }> = pkg.contributes.configuration.properties;
    const keys = Object.keys(props).map((k) => k.replace(/^codeOps\./, ''));
    assert.deepEqual([...keys].sort(), [...SETTING_KEYS].sort());
    for (const [key, rule] of Object.entries(NUMBER_RULES)) {
      const p = props[`codeOps.${key}`];
      assert.equal(rule.def, p.default, `${key} default`);
      if (p.minimum !== undefined) assert.equal(rule.min, p.minimum, `${key} minimum`);
      if (p.maximum !== undefined) assert.equal(rule.max, p.maximum, `${key} maximum`);
    }
    for (const [key, rule] of Object.entries(ENUM_RULES)) {
      assert.deepEqual([...rule.values], props[`codeOps.${key}`].enum, `${key} enum`);
      assert.equal(rule.def, props[`codeOps.${key}`].default);
    }
    for (const [key, def] of Object.entries(BOOLEAN_DEFAULTS)) assert.equal(def, props[`codeOps.${key}`].default, `${key} default`);
    assert.equal(props['codeOps.appServer.command'].default, DEFAULT_COMMAND);
    assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), RESTRICTED_SETTINGS.map((k) => `codeOps.${k}`).sort());
  });

  it('probe interval 0 is clamped to 1 s with the message the brief asks for', () => {
    const { settings, problems } = read({ 'appServer.probeIntervalSeconds': 0 });
    assert.equal(settings.appServer.probeIntervalSeconds, 1);
    assert.deepEqual(problemFor(problems, 'appServer.probeIntervalSeconds').map((p) => p.message), [
      'codeOps.appServer.probeIntervalSeconds is 0; using 1 s (allowed 1–3600).',
    ]);
  });

  it('absurd numbers: 1e9, negative, NaN, a string, Infinity are clamped or defaulted', () => {
    const { settings, problems } = read({
      'appServer.probeIntervalSeconds': 1e9,
      'appServer.initializeTimeoutMs': 0,
      'appServer.maxMissedProbes': 0,
      'appServer.approvals.timeoutSeconds': 1000,
      'logs.initialLines': -1,
      'logs.pollIntervalMs': 0,
      'logs.errorBurst.count': Number.NaN,
      'logs.errorBurst.windowSeconds': '60',
      'readiness.backupMaxAgeDays': Number.POSITIVE_INFINITY,
    });
    assert.equal(settings.appServer.probeIntervalSeconds, 3600);
    assert.equal(settings.appServer.initializeTimeoutMs, 100);
    assert.equal(settings.appServer.maxMissedProbes, 1);
    assert.equal(settings.appServer.approvals.timeoutSeconds, 280);
    assert.equal(settings.logs.initialLines, 0);
    assert.equal(settings.logs.pollIntervalMs, 100);
    assert.equal(settings.logs.errorBurst.count, 10);
    assert.equal(settings.logs.errorBurst.windowSeconds, 60);
    assert.equal(settings.readiness.backupMaxAgeDays, 7);
    assert.equal(problems.filter((p) => p.severity === 'warning').length, 9, problems.map((p) => p.message).join('\n'));
    assert.match(problemFor(problems, 'logs.errorBurst.count')[0].message, /is NaN, not a number; using the default 10/);
    assert.match(problemFor(problems, 'logs.errorBurst.windowSeconds')[0].message, /is "60", not a number/);
    assert.match(problemFor(problems, 'logs.initialLines')[0].message, /is -1; using 0 lines \(allowed 0–100000\)/);
  });

  it('1e9 initial lines is clamped to the maximum', () => {
    assert.equal(read({ 'logs.initialLines': 1e9 }).settings.logs.initialLines, 100_000);
  });

  it('a fractional count is rounded and noted, not warned', () => {
    const { settings, problems } = read({ 'appServer.maxMissedProbes': 2.6 });
    assert.equal(settings.appServer.maxMissedProbes, 3);
    assert.equal(problems[0].severity, 'info');
  });

  it('a probe timeout longer than the interval is kept and explained', () => {
    const { settings, problems } = read({ 'appServer.probeIntervalSeconds': 1, 'appServer.probeTimeoutMs': 5000 });
    assert.equal(settings.appServer.probeTimeoutMs, 5000);
    const [p] = problemFor(problems, 'appServer.probeTimeoutMs');
    assert.equal(p.severity, 'info');
    assert.match(p.message, /longer than the probe interval \(1 s\)/);
  });

  it('empty or whitespace command falls back to code-app-server with a problem', () => {
    for (const value of ['', '   ']) {
      const { settings, problems } = read({ 'appServer.command': value });
      assert.equal(settings.appServer.command, DEFAULT_COMMAND);
      assert.match(problemFor(problems, 'appServer.command')[0].message, /is empty; using "code-app-server"/);
    }
  });

  it('a command that is not a string falls back to the default', () => {
    const { settings, problems } = read({ 'appServer.command': 42 });
    assert.equal(settings.appServer.command, DEFAULT_COMMAND);
    assert.match(problems[0].message, /is 42, not a string/);
  });

  it('a relative command path is resolved against the workspace folder and said so; a bare name is left for PATH', () => {
    const { settings, problems } = read({ 'appServer.command': './bin/code-app-server' });
    assert.equal(settings.appServer.command, path.join(WS, 'bin', 'code-app-server'));
    assert.match(problems[0].message, /relative path "\.\/bin\/code-app-server"; using .*relative to the workspace folder/);
    assert.equal(read({ 'appServer.command': 'codex' }).settings.appServer.command, 'codex');
    assert.equal(read({ 'appServer.command': '~/bin/codex' }).settings.appServer.command, path.join(HOME, 'bin', 'codex'));
  });

  it('args: non-string entries are dropped with a problem; a lone string becomes a one-element list', () => {
    const a = read({ 'appServer.args': ['app-server', 7, null, { x: 1 }, '--flag'] });
    assert.deepEqual(a.settings.appServer.args, ['app-server', '--flag']);
    assert.match(a.problems[0].message, /dropped #2 \(7\), #3 \(null\), #4 \(an object\)/);
    const b = read({ 'appServer.args': 'app-server' });
    assert.deepEqual(b.settings.appServer.args, ['app-server']);
    assert.equal(b.problems.length, 1);
    assert.deepEqual(read({ 'appServer.args': 5 }).settings.appServer.args, []);
  });

  it('env: values other than strings and null are dropped, bad names too', () => {
    const { settings, problems } = read({ 'appServer.env': { RUST_LOG: 'debug', DROP: null, N: 5, B: true, 'A=B': 'x', '': 'y' } });
    assert.deepEqual(settings.appServer.env, { RUST_LOG: 'debug', DROP: null });
    assert.equal(problems.length, 1);
    for (const part of ['N (5', 'B (true', '"A=B" (not a variable name)', '"" (not a variable name)']) assert.ok(problems[0].message.includes(part), problems[0].message);
    assert.deepEqual(read({ 'appServer.env': ['x'] }).settings.appServer.env, {});
  });

  it('relative codeHome is resolved against the workspace folder and said so; without a folder it is ignored', () => {
    const a = read({ codeHome: 'state/.code' });
    assert.equal(a.settings.codeHome.path, path.join(WS, 'state', '.code'));
    assert.equal(a.settings.codeHome.source, 'setting');
    assert.match(a.problems[0].message, /relative path "state\/\.code"; using .* \(relative to the workspace folder\)/);
    const b = read({ codeHome: 'state/.code' }, { workspaceFolder: undefined, env: { CODE_HOME: '/srv/code' } });
    assert.equal(b.settings.codeHome.path, path.resolve('/srv/code'));
    assert.match(b.problems[0].message, /no folder is open .* using .*srv.code \(from CODE_HOME\)/);
    assert.equal(read({ codeHome: '~/x' }).settings.codeHome.path, path.join(HOME, 'x'));
    assert.deepEqual(read({ codeHome: '~/x' }).problems, []);
  });

  it('socket and cwd: relative paths resolve against the workspace folder, else CODE_HOME', () => {
    const a = read({ 'appServer.socket': 'run/app.sock', 'appServer.cwd': 'sub' });
    assert.equal(a.settings.appServer.socket, path.join(WS, 'run', 'app.sock'));
    assert.equal(a.settings.appServer.cwd, path.join(WS, 'sub'));
    const b = read({ 'appServer.socket': 'app.sock' }, { workspaceFolder: undefined, env: { CODE_HOME: '/srv/code' } });
    assert.equal(b.settings.appServer.socket, path.resolve('/srv/code/app.sock'));
    assert.equal(read({ 'appServer.socket': '  ' }).settings.appServer.socket, undefined);
  });

  it('healthUrl: not a URL or not http(s) is ignored with a problem', () => {
    for (const bad of ['localhost:8080/health', 'not a url', 'ftp://host/health']) {
      const { settings, problems } = read({ 'appServer.healthUrl': bad });
      assert.equal(settings.appServer.healthUrl, undefined, bad);
      assert.equal(problems.length, 1, bad);
      assert.match(problems[0].message, /not a(n http:\/\/ or https:\/\/)? URL; health checks over HTTP are off/);
    }
    assert.equal(read({ 'appServer.healthUrl': 'http://127.0.0.1:9/health' }).settings.appServer.healthUrl, 'http://127.0.0.1:9/health');
  });

  it('unknown enum values and non-booleans fall back to the defaults', () => {
    const { settings, problems } = read({ 'config.dialect': 'beacon2', 'readiness.target': 3, 'logs.follow': 'yes', 'appServer.autoStart': 1 });
    assert.equal(settings.config.dialect, 'auto');
    assert.equal(settings.readiness.target, 'production');
    assert.equal(settings.logs.follow, true);
    assert.equal(settings.appServer.autoStart, false);
    assert.equal(problems.length, 4);
    assert.match(problemFor(problems, 'config.dialect')[0].message, /is "beacon2"; using "auto" \(allowed "auto", "beacon", "codex"\)/);
  });

  it('config.files: bad globs and non-strings are dropped, relative patterns anchored', () => {
    const { settings, problems } = read({ 'config.files': ['{a,b', 'x]', '[abc', 5, '', '**/ok.toml', 'conf/*.toml', '/etc/code/*.toml'] });
    assert.deepEqual(settings.config.files, [`${WS}/x]`, '**/ok.toml', `${WS}/conf/*.toml`, '/etc/code/*.toml']);
    const warnings = problems.filter((p) => p.severity === 'warning').map((p) => p.message);
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.ok(warnings.some((m) => m.includes('"{a,b", which has a { without }')));
    assert.ok(warnings.some((m) => m.includes('"[abc", which has a [ without ]')));
    assert.ok(warnings.some((m) => m.includes('entry 5 that is not a glob pattern')));
    assert.ok(problems.some((p) => p.severity === 'info' && p.message.includes('relative pattern "conf/*.toml"')));
    assert.deepEqual(read({ 'config.files': 'x.toml' }).settings.config.files, []);
  });

  it('backupGlob with a broken pattern is dropped (the check is skipped) with a problem', () => {
    const { settings, problems } = read({ 'readiness.backupGlob': '/backups/{a,b/*.tgz' });
    assert.equal(settings.readiness.backupGlob, '');
    assert.match(problems[0].message, /backup check is skipped/);
  });

  it('checklistFile: relative to the workspace folder', () => {
    assert.equal(read({ 'readiness.checklistFile': 'docs/list.md' }).settings.readiness.checklistFile, path.join(WS, 'docs', 'list.md'));
    assert.equal(read({ 'readiness.checklistFile': '' }).settings.readiness.checklistFile, undefined);
  });

  it('untrusted workspace: workspace values of restricted settings are ignored with a problem, user values kept', () => {
    const raw: RawSettings = {
      'appServer.command': { value: '/ws/evil', workspaceValue: '/ws/evil', globalValue: '/usr/local/bin/code-app-server' },
      'appServer.args': { value: ['--evil'], workspaceFolderValue: ['--evil'] },
      'appServer.probeIntervalSeconds': { value: 5, workspaceValue: 5 },
    };
    const untrusted = readSettings(raw, { ...ENV, trusted: false });
    assert.equal(untrusted.settings.appServer.command, '/usr/local/bin/code-app-server');
    assert.deepEqual(untrusted.settings.appServer.args, []);
    assert.equal(untrusted.settings.appServer.probeIntervalSeconds, 5, 'an unrestricted setting keeps its workspace value');
    assert.deepEqual(untrusted.problems.map((p) => p.key).sort(), ['codeOps.appServer.args', 'codeOps.appServer.command']);
    assert.match(untrusted.problems[0].message, /untrusted workspace; its value is ignored/);
    const trusted = readSettings(raw, ENV);
    assert.equal(trusted.settings.appServer.command, '/ws/evil');
    assert.deepEqual(trusted.problems, []);
  });

  it('never throws, whatever the values are', () => {
    const junk: unknown[] = [undefined, null, 0, -1, 1e308, Number.NaN, '', ' ', 'x\0y', [], [null], {}, { a: {} }, true, () => 1, Symbol('s')];
    for (const key of SETTING_KEYS) {
      for (const value of junk) {
        const r = read({ [key]: value });
        assert.ok(r.settings.appServer.command.length > 0, `${key}=${String(value)}`);
        for (const p of r.problems) assert.ok(p.message.startsWith(p.key) && p.key.startsWith('codeOps.'), p.message);
      }
    }
  });

  it('what a change affects is data: every key is known; only settings the server reads at start restart it', () => {
    for (const [effect, keys] of Object.entries(SETTING_EFFECTS)) for (const k of keys) assert.ok(SETTING_KEYS.includes(k), `${effect}: ${k}`);
    assert.equal(hasEffect(new Set<SettingKey>(['appServer.autoStart']), 'serverRestart'), false);
    assert.equal(hasEffect(new Set<SettingKey>(['appServer.approvals.declineWhenUnfocused']), 'serverRestart'), false);
    assert.equal(hasEffect(new Set<SettingKey>(['appServer.probeTimeoutMs']), 'serverRestart'), true);
    assert.equal(hasEffect(new Set<SettingKey>(['logs.pollIntervalMs']), 'logFollowers'), true);
    assert.equal(hasEffect(new Set<SettingKey>(['logs.pollIntervalMs']), 'serverRestart'), false);
  });
});
