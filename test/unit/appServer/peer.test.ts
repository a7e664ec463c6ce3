import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { requirePeer } from '../../peer';
import { AppServerSupervisor } from '../../../src/core/appServer/supervisor';
import { probeOnce } from '../../../src/core/appServer/probe';
import { main } from '../../../src/cli';
import { buildServerEnv } from '../../../src/core/appServer/env';
import { assertGone, FAST, sleep, states, tempCodeHome, waitForState } from './helpers';

/** A CODEX_HOME outside /tmp-only quirks: a fresh folder with an optional config.toml. */
function codexHome(config?: string): string {
  const dir = tempCodeHome();
  if (config !== undefined) fs.writeFileSync(path.join(dir, 'config.toml'), config);
  return dir;
}

const BAD_OTEL = '[otel.exporter.otlp-http]\nendpoint = "http://localhost:4318/v1/logs"\n';

function peerEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, CODEX_HOME: home, RUST_LOG: 'info', CODE_SECURE_MODE: '1' };
}

describe('the real peer: upstream codex app-server', function () {
  this.timeout(30_000);
  let bin: string;
  before(function () {
    bin = requirePeer(this);
  });

  it('supervisor: handshake, probes, configWarning for a bad config.toml, graceful stop with no process left', async () => {
    const home = codexHome(BAD_OTEL);
    const supervisor = new AppServerSupervisor({
      command: bin,
      args: ['app-server'],
      env: peerEnv(home),
      cwd: home,
      clientInfo: { name: 'code-ops-test', title: 'Code Ops tests', version: '1.2.3' },
      timings: { ...FAST, probeIntervalMs: 100, probeTimeoutMs: 2000, initializeTimeoutMs: 10_000 },
    });
    const warnings: unknown[] = [];
    supervisor.onNotification((n) => n.method === 'configWarning' && warnings.push(n.params));
    try {
      await supervisor.start();
      await waitForState(supervisor, 'healthy', 10_000);
      const snap = supervisor.snapshot();
      assert.match(snap.userAgent ?? '', /^code-ops-test\/\d+\.\d+\.\d+ .*\(code-ops-test; 1\.2\.3\)/);
      await sleep(400);
      const after = supervisor.snapshot();
      assert.ok(after.lastProbeMs !== undefined && after.lastProbeMs < 100, `probe latency ${after.lastProbeMs}`);
      assert.equal(after.state, 'healthy');
      const summaries = warnings.map((w) => (w as { summary: string; details?: string }).summary + ' ' + (w as { details?: string }).details);
      assert.ok(summaries.some((s) => /Invalid configuration; using defaults\..*missing field `protocol`/.test(s)), summaries.join('\n'));
      // stderr is ANSI-free even without NO_COLOR.
      assert.ok(supervisor.recentStderr().every((l) => !l.includes('\u001b[')));
      await supervisor.stop();
      assert.deepEqual(states(supervisor), ['stopped', 'starting', 'healthy', 'stopped']);
      assert.equal(supervisor.snapshot().exitCode, 0, 'exited on stdin EOF');
      await assertGone(snap.pid!);
    } finally {
      await supervisor.shutdown();
    }
  });

  it('supervisor: --strict-config with a bad config.toml is config-error', async () => {
    const home = codexHome(BAD_OTEL);
    const supervisor = new AppServerSupervisor({ command: bin, args: ['app-server', '--strict-config'], env: peerEnv(home), cwd: home, clientInfo: { name: 't', title: 't', version: '1' }, timings: FAST });
    try {
      await supervisor.start();
      await waitForState(supervisor, 'config-error', 10_000);
      assert.deepEqual(states(supervisor), ['stopped', 'starting', 'config-error']);
      assert.match(supervisor.snapshot().lastError ?? '', /config\.toml:1:1: missing field `protocol`/);
    } finally {
      await supervisor.shutdown();
    }
  });

  it('probeOnce and `code-ops probe --json` report it healthy', async () => {
    const home = codexHome();
    const r = await probeOnce({ command: bin, args: ['app-server'], env: peerEnv(home), cwd: home, timeoutMs: 10_000 });
    assert.equal(r.healthy, true, JSON.stringify(r));
    assert.equal(r.exitCode, 0);
    assert.ok(r.probeMs! < 100);
    const stdout = new PassThrough();
    const chunks: string[] = [];
    stdout.on('data', (d) => chunks.push(String(d)));
    const code = await main(['probe', '--json', '--command', `"${bin}" app-server`], { stdout, stderr: new PassThrough(), env: peerEnv(home), cwd: home });
    assert.equal(code, 0, chunks.join(''));
    const json = JSON.parse(chunks.join(''));
    assert.equal(json.healthy, true);
    assert.match(json.userAgent, /^code-ops\//);
  });

  describe('the home it really uses and the config warnings it sends', () => {
    const client = { name: 'code-ops-test', title: 'Code Ops tests', version: '1' };
    /** Only what Code Ops itself would pass: CODE_HOME via the resolved home, nothing set by hand. */
    const launchEnv = (home: string, overrides?: Record<string, string>) => buildServerEnv({ base: { PATH: process.env.PATH, HOME: process.env.HOME }, codeHome: home, overrides });

    async function healthySupervisor(home: string, env: NodeJS.ProcessEnv) {
      const supervisor = new AppServerSupervisor({ command: bin, args: ['app-server'], env, cwd: home, codeHome: home, clientInfo: client, timings: { ...FAST, probeTimeoutMs: 2000, initializeTimeoutMs: 10_000 } });
      await supervisor.start();
      await waitForState(supervisor, 'healthy', 10_000);
      return supervisor;
    }

    it('launched by Code Ops, codex uses the checked home (CODEX_HOME is set too): codexHome matches, no mismatch', async () => {
      const home = codexHome();
      const supervisor = await healthySupervisor(home, launchEnv(home));
      try {
        const snap = supervisor.snapshot();
        assert.equal(snap.serverHome, home);
        assert.equal(snap.homeMismatch, undefined);
      } finally {
        await supervisor.shutdown();
      }
    });

    it('when codeOps.appServer.env points CODEX_HOME elsewhere, the snapshot carries the mismatch with both folders', async () => {
      const home = codexHome();
      const other = codexHome();
      const supervisor = await healthySupervisor(home, launchEnv(home, { CODEX_HOME: other }));
      try {
        const snap = supervisor.snapshot();
        assert.equal(snap.state, 'healthy');
        assert.equal(snap.serverHome, other);
        assert.match(snap.homeMismatch ?? '', new RegExp(`The server uses ${other} as its home, but Code Ops checks ${home}`));
      } finally {
        await supervisor.shutdown();
      }
    });

    it('a broken config.toml: healthy, and the snapshot carries the config warning with its path and range', async () => {
      const home = codexHome(BAD_OTEL);
      const supervisor = await healthySupervisor(home, launchEnv(home));
      try {
        await sleep(300);
        const warnings = supervisor.snapshot().configWarnings ?? [];
        const aboutFile = warnings.filter((w) => w.path !== null);
        assert.equal(aboutFile.length, 1, JSON.stringify(warnings));
        assert.equal(aboutFile[0].path, path.join(home, 'config.toml'));
        assert.equal(aboutFile[0].summary, 'Invalid configuration; using defaults.');
        assert.match(aboutFile[0].details ?? '', /missing field `protocol`/);
        assert.deepEqual(aboutFile[0].range?.start, { line: 1, column: 1 });
        assert.equal(supervisor.snapshot().state, 'healthy');
      } finally {
        await supervisor.shutdown();
      }
    });

    async function probeCli(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
      const stdout = new PassThrough();
      const chunks: string[] = [];
      stdout.on('data', (d) => chunks.push(String(d)));
      const code = await main(['probe', '--json', '--command', `"${bin}" app-server`, ...args], { stdout, stderr: new PassThrough(), env, cwd });
      return { code, json: JSON.parse(chunks.join('')) };
    }

    it('code-ops probe: a broken config.toml is exit 1 with configWarnings; warnings without a path (bubblewrap) are listed but pass', async () => {
      const bad = codexHome(BAD_OTEL);
      const env = { PATH: process.env.PATH, HOME: process.env.HOME };
      const broken = await probeCli(['--code-home', bad], env, bad);
      assert.equal(broken.code, 1, JSON.stringify(broken.json));
      assert.equal(broken.json.healthy, true);
      const withPath = broken.json.configWarnings.filter((w: { path: string | null }) => w.path);
      assert.equal(withPath.length, 1);
      assert.equal(withPath[0].path, path.join(bad, 'config.toml'));
      const good = codexHome('');
      const fine = await probeCli(['--code-home', good], env, good);
      assert.equal(fine.code, 0, JSON.stringify(fine.json));
      assert.ok(fine.json.configWarnings.every((w: { path: string | null }) => w.path === null), JSON.stringify(fine.json.configWarnings));
    });

    it('code-ops probe --code-home with only that flag: the server reports that folder as codexHome; CODE_HOME alone in the environment is passed on as CODEX_HOME too', async () => {
      const home = codexHome();
      const viaFlag = await probeCli(['--code-home', home], { PATH: process.env.PATH, HOME: process.env.HOME }, home);
      assert.equal(viaFlag.code, 0, JSON.stringify(viaFlag.json));
      assert.equal(viaFlag.json.codexHome, home);
      assert.equal(viaFlag.json.homeMismatch, null);
      const viaEnv = await probeCli([], { PATH: process.env.PATH, HOME: process.env.HOME, CODE_HOME: home }, home);
      assert.equal(viaEnv.json.codexHome, home, JSON.stringify(viaEnv.json));
    });
  });
});
