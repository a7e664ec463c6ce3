// managed-baseline against real managed layers, through the real loader (no replaced deps)
// (configValue under it: test/unit/mutation/otel/configValue.test.ts). Written because the mutation sample found the check without
// a covering test; running it on a real file showed it failed every managed layer that set the
// keys ("approval_policy is undefined"): configValue took values from the positioned tree, which
// holds values for [otel] only. Now values come from the whole-file reading.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runChecks } from '../../../../src/core/readiness/checks';
import type { CheckId } from '../../../../src/core/readiness/model';
import { contextFor, makeCodeHome, tempDir } from '../../readiness/helpers';

const GOOD = [
  'approval_policy = "untrusted"',
  'sandbox_mode = "workspace-write"',
  'auto_upgrade_enabled = false',
  'forced_login_method = "api"',
  '[sandbox_workspace_write]',
  'network_access = false',
  '',
].join('\n');
const BASELINE_KEYS = 'the production baseline (approval_policy, sandbox_mode, auto_upgrade_enabled, forced_login_method, network_access) is not enforced.';

describe('managed-baseline on real managed layers', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  async function verdict(name: string, managed: string | null, settings: { target?: 'production' | 'staging' } = {}) {
    const files: Record<string, string> = { 'config.toml': '[otel]\nenvironment = "production"\n' };
    if (managed !== null) files['managed_config.toml'] = managed;
    const home = makeCodeHome(path.join(tmp.dir, name), { files });
    const [r] = await runChecks(contextFor(home, { settings }), ['managed-baseline' as CheckId]);
    const file = path.join(home, 'managed_config.toml');
    return { status: r.status, detail: r.detail.replaceAll(home, '<HOME>'), fix: r.fix && JSON.parse(JSON.stringify(r.fix).replaceAll(file, '<FILE>')) };
  }

  it('passes a layer that pins the baseline ("chatgpt" login too)', async () => {
    assert.deepEqual(await verdict('good', GOOD), {
      status: 'pass',
      detail: '<HOME>/managed_config.toml pins the production baseline (untrusted approvals, workspace-write sandbox without network, no auto-upgrade, forced login).',
      fix: undefined,
    });
    assert.equal((await verdict('chatgpt', GOOD.replace('"api"', '"chatgpt"'))).status, 'pass');
  });

  it('names every value that is wrong, with what it should be, and opens the first', async () => {
    const bad = 'approval_policy = "never"\nsandbox_mode = "danger-full-access"\nauto_upgrade_enabled = true\nforced_login_method = "x"\n[sandbox_workspace_write]\nnetwork_access = true\n';
    assert.deepEqual(await verdict('bad', bad), {
      status: 'fail',
      detail:
        '<HOME>/managed_config.toml: approval_policy is "never" (want "untrusted"); sandbox_mode is "danger-full-access" (want "workspace-write"); auto_upgrade_enabled is true (want false (pinned)); forced_login_method is "x" (want "chatgpt" or "api"); [sandbox_workspace_write] network_access is true (want false).',
      fix: { label: 'Open managed_config.toml at approval_policy', action: { kind: 'openConfig', file: '<FILE>', line: 0, character: 0 } },
    });
    // only the network left open: the fix opens at its table
    const network = await verdict('network', GOOD.replace('network_access = false', 'network_access = true'));
    assert.equal(network.detail, '<HOME>/managed_config.toml: [sandbox_workspace_write] network_access is true (want false).');
    assert.deepEqual(network.fix, { label: 'Open managed_config.toml at [sandbox_workspace_write]', action: { kind: 'openConfig', file: '<FILE>', line: 4, character: 1 } });
    const long = await verdict('long', GOOD.replace('"untrusted"', `"${'x'.repeat(100)}"`));
    assert.equal(long.detail, `<HOME>/managed_config.toml: approval_policy is "${'x'.repeat(38)}… (want "untrusted").`);
  });

  it('outside production a gap warns and a missing layer is skipped; a layer that does not parse fails', async () => {
    assert.deepEqual(await verdict('staging', 'approval_policy = "never"\n', { target: 'staging' }), {
      status: 'warn',
      detail:
        '<HOME>/managed_config.toml: approval_policy is "never" (want "untrusted"); sandbox_mode is not set (want "workspace-write"); auto_upgrade_enabled is not set (want false (pinned)); forced_login_method is not set (want "chatgpt" or "api"); [sandbox_workspace_write] network_access is not set (want false).',
      fix: { label: 'Open managed_config.toml at approval_policy', action: { kind: 'openConfig', file: '<FILE>', line: 0, character: 0 } },
    });
    const open = { label: 'Open the managed layer', action: { kind: 'openConfig', file: '<FILE>', line: 0, character: 0 } };
    assert.deepEqual(await verdict('none', null), { status: 'warn', detail: `No managed layer at <HOME>/managed_config.toml: ${BASELINE_KEYS}`, fix: open });
    assert.deepEqual(await verdict('none-staging', null, { target: 'staging' }), { status: 'skip', detail: `No managed layer at <HOME>/managed_config.toml: ${BASELINE_KEYS}`, fix: open });
    assert.deepEqual(await verdict('syntax', '[oops\n'), { status: 'fail', detail: 'managed_config.toml does not parse (see config-valid).', fix: open });
  });
});
