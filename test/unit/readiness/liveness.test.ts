import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runChecks, type CheckContext } from '../../../src/core/readiness/checks';
import type { CheckResult } from '../../../src/core/readiness/model';
import type { ServerSnapshot } from '../../../src/core/appServer/types';
import { main } from '../../../src/cli';
import { requirePeer } from '../../peer';
import { fakeSupervisor, FAKE_SERVER, waitForState } from '../appServer/helpers';
import { contextFor, makeCodeHome, tempDir } from './helpers';

/**
 * app-server-liveness when the server is up but not as Code Ops sees it: a
 * `configWarning` that names a file (the config is not what runs) or a home
 * that differs from the checked one. Both the supervised snapshot and the
 * probe (`code-ops check --probe`) are judged the same way.
 */

async function liveness(ctx: CheckContext): Promise<CheckResult> {
  const [r] = await runChecks(ctx, ['app-server-liveness']);
  return r;
}

/** A config.toml codex 0.169 rejects (`missing field protocol`, reported at 1:1 with the file's path). */
const BAD_OTEL = '[otel.exporter.otlp-http]\nendpoint = "http://localhost:4318/v1/logs"\n';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

describe('app-server-liveness: up, but not as configured', function () {
  this.timeout(20_000);
  let tmp: { dir: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  describe('from the supervised server', () => {
    it('a config warning with a path warns, names the file and opens it at the place the server gives', async () => {
      const { supervisor, codeHome } = fakeSupervisor('healthy', { env: { FAKE_CONFIG_WARNING: '1', FAKE_CONFIG_WARNING_PATH: '/srv/code/config.toml' } });
      try {
        await supervisor.start();
        await waitForState(supervisor, 'healthy');
        for (let i = 0; i < 50 && !(supervisor.snapshot().configWarnings ?? []).length; i++) await sleep(20);
        const r = await liveness(contextFor(codeHome, { server: { snapshot: supervisor.snapshot(), recentStderr: [] } }));
        assert.equal(r.status, 'warn', r.detail);
        assert.match(r.detail, /^Answered initialize in \d+ ms.*, but:/);
        assert.match(r.detail, /The server did not apply \/srv\/code\/config\.toml: Invalid configuration; using defaults\./);
        assert.deepEqual(r.fix, { label: 'Open config.toml', action: { kind: 'openConfig', file: '/srv/code/config.toml', line: 2, character: 38 } });
      } finally {
        await supervisor.shutdown();
      }
    });

    it('a warning without a path (bubblewrap) is listed but passes', async () => {
      const { supervisor, codeHome } = fakeSupervisor('healthy', { env: { FAKE_CONFIG_WARNING: '1' } });
      try {
        await supervisor.start();
        await waitForState(supervisor, 'healthy');
        for (let i = 0; i < 50 && !(supervisor.snapshot().configWarnings ?? []).length; i++) await sleep(20);
        assert.equal((supervisor.snapshot().configWarnings ?? []).length, 1);
        const r = await liveness(contextFor(codeHome, { server: { snapshot: supervisor.snapshot(), recentStderr: [] } }));
        assert.equal(r.status, 'pass', r.detail);
        assert.match(r.detail, /Server warning: Invalid configuration; using defaults\. config\.toml:1:1: missing field `protocol`/);
      } finally {
        await supervisor.shutdown();
      }
    });

    it('a home the server reports that differs from the checked one warns and offers the server environment', async () => {
      const home = makeCodeHome(tmp.dir);
      const snapshot: ServerSnapshot = {
        state: 'healthy',
        reason: 'initialize answered',
        mode: 'spawn',
        restartsInWindow: 0,
        panics: [],
        serverHome: '/elsewhere',
        homeMismatch: `The server uses /elsewhere as its home, but Code Ops checks ${home}: its config, logs and readiness results are not about this server.`,
      };
      const r = await liveness(contextFor(home, { server: { snapshot, recentStderr: [] } }));
      assert.equal(r.status, 'warn', r.detail);
      assert.match(r.detail, /The server uses \/elsewhere as its home/);
      assert.equal(r.fix?.action.kind, 'openSetting');
      const fine = await liveness(contextFor(home, { server: { snapshot: { ...snapshot, homeMismatch: undefined }, recentStderr: [] } }));
      assert.equal(fine.status, 'pass', fine.detail);
    });
  });

  describe('from a probe (check --probe)', () => {
    it('the fake server naming a file warns; the same server without one passes', async () => {
      const home = makeCodeHome(tmp.dir);
      const file = path.join(home, 'config.toml');
      const settings = { serverCommand: process.execPath, serverArgs: [FAKE_SERVER], probeTimeoutMs: 3000 };
      const bad = await liveness(contextFor(home, { probe: true, settings: { ...settings, serverEnv: { FAKE_CONFIG_WARNING: '1', FAKE_CONFIG_WARNING_PATH: file } } }));
      assert.equal(bad.status, 'warn', bad.detail);
      assert.match(bad.detail, /^Probe answered initialize in \d+ ms/);
      assert.ok(bad.detail.includes(`The server did not apply ${file}`), bad.detail);
      assert.equal(bad.fix?.action.kind, 'openConfig');
      const good = await liveness(contextFor(home, { probe: true, settings }));
      assert.equal(good.status, 'pass', good.detail);
    });

    it('the real codex with a broken config.toml warns naming it; `code-ops check --probe --json` says the same', async function () {
      const bin = requirePeer(this);
      this.timeout(60_000);
      const home = makeCodeHome(tmp.dir, { files: { 'config.toml': BAD_OTEL } });
      const file = path.join(home, 'config.toml');
      const r = await liveness(contextFor(home, { probe: true, env: { PATH: process.env.PATH, HOME: process.env.HOME }, settings: { serverCommand: bin, serverArgs: ['app-server'], probeTimeoutMs: 10_000 } }));
      assert.equal(r.status, 'warn', r.detail);
      assert.ok(r.detail.includes(`The server did not apply ${file}`), r.detail);
      assert.match(r.detail, /missing field `protocol`/);
      assert.deepEqual(r.fix?.action, { kind: 'openConfig', file, line: 0, character: 0 });

      const stdout = new PassThrough();
      const chunks: string[] = [];
      stdout.on('data', (d) => chunks.push(String(d)));
      const env = { PATH: process.env.PATH, HOME: process.env.HOME };
      await main(['check', '--probe', '--json', '--code-home', home, '--command', bin, '--arg', 'app-server'], { stdout, stderr: new PassThrough(), env, cwd: tmp.dir });
      const rows = JSON.parse(chunks.join('')) as Array<{ id: string; status: string; detail: string }>;
      const row = rows.find((x) => x.id === 'app-server-liveness');
      assert.equal(row?.status, 'warn', JSON.stringify(row));
      assert.ok(row?.detail.includes(file), row?.detail);
    });

    it('the real codex told to use another CODEX_HOME: the probe sees the home mismatch and warns', async function () {
      const bin = requirePeer(this);
      this.timeout(30_000);
      const home = makeCodeHome(tmp.dir);
      const other = path.join(tmp.dir, 'other-home');
      fs.mkdirSync(other, { mode: 0o700 });
      const r = await liveness(
        contextFor(home, { probe: true, env: { PATH: process.env.PATH, HOME: process.env.HOME }, settings: { serverCommand: bin, serverArgs: ['app-server'], serverEnv: { CODEX_HOME: other }, probeTimeoutMs: 10_000 } }),
      );
      assert.equal(r.status, 'warn', r.detail);
      assert.ok(r.detail.includes(`The server uses ${other} as its home, but Code Ops checks ${home}`), r.detail);
    });
  });
});
