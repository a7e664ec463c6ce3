// The config checks of the readiness view (src/core/readiness/checks/config.ts) over one scenario
// each: no config.toml, a good one, one with the managed layer, errors, a warning, a syntax error,
// exporter "none" or absent, environment dev (set, or by default for staging), log_user_prompt =
// true, literal secrets (a commented one and a ${REF} are not), a folder where config.toml should
// be. Every verdict whole (status, detail, fix), against test/fixtures/readiness/
// config-checks.expected.json, read verdict by verdict when written. Through the real loader and
// real files. Written from the survivors of a full mutation run of src/core/readiness/checks.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChecks } from '../../../../src/core/readiness/checks';
import type { CheckId } from '../../../../src/core/readiness/model';
import type { CheckSettings } from '../../../../src/core/readiness/checks';
import { contextFor, FIXTURES, makeCodeHome, tempDir } from '../../readiness/helpers';

const IDS = ['config-valid', 'otel-exporter', 'otel-environment', 'otel-log-user-prompt', 'secrets-in-config'] as CheckId[];
const GOOD = '[otel]\nenvironment = "production"\nlog_user_prompt = false\n[otel.exporter."otlp-http"]\nendpoint = "https://c:4318/v1/logs"\nprotocol = "binary"\nheaders = { "x-api-key" = "${OTEL_KEY}" }\n';
const scenarios: Record<string, { config?: string; managed?: string; dir?: boolean; settings?: Partial<CheckSettings> }> = {
  'no-config': {},
  good: { config: GOOD },
  'good+managed': { config: GOOD, managed: '[otel]\nlog_user_prompt = false\n' },
  'two-errors': { config: '[otel]\nenvironment = "production"\nexporter = { otlp-http = { endpoint = "https://c:4318/v1/logs" } }\n' },
  warning: { config: '[otel]\nenvironment = "production"\nexporter = { otlp-http = { endpoint = "https://c:4318", protocol = "binary", headers = {} } }\n' },
  syntax: { config: '[otel\nenvironment = "production"\n' },
  'exporter-none': { config: '[otel]\nenvironment = "production"\nexporter = "none"\n' },
  'exporter-absent': { config: '[otel]\nenvironment = "production"\n' },
  'dev-explicit': { config: GOOD.replace('"production"', '"dev"') },
  'env-absent-staging': { config: GOOD.replace('environment = "production"\n', ''), settings: { target: 'staging' } },
  'prompt-true': { config: GOOD.replace('log_user_prompt = false', 'log_user_prompt = true') },
  secrets: { config: GOOD.replace('"${OTEL_KEY}"', '"abc123literal"') + '# api_key = "sk-abcdefghijklmnopqrstuvwx"\n[model_providers.x]\n  api_key = "sk-abcdefghijklmnopqrstuvwx"\n' },
  unreadable: { dir: true },
};

describe('readiness config checks, whole verdicts per scenario', () => {
  const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'config-checks.expected.json'), 'utf8')) as Record<string, unknown>;
  let tmp: ReturnType<typeof tempDir>;
  before(() => {
    tmp = tempDir();
  });
  after(() => tmp.cleanup());

  it('every scenario has its expectations and no expectation lacks a scenario', () => {
    assert.deepEqual(Object.keys(expected).sort(), Object.keys(scenarios).sort());
  });

  for (const [name, s] of Object.entries(scenarios)) {
    it(name, async () => {
      const files: Record<string, string> = {};
      if (s.config !== undefined) files['config.toml'] = s.config;
      if (s.managed !== undefined) files['managed_config.toml'] = s.managed;
      const home = makeCodeHome(path.join(tmp.dir, name), { files });
      if (s.dir) fs.mkdirSync(path.join(home, 'config.toml'));
      const results = await runChecks(contextFor(home, { settings: s.settings ?? {} }), IDS);
      const got = JSON.parse(JSON.stringify(results.map((r) => [r.id, r.status, r.detail, r.fix ?? null])).replaceAll(home, '<HOME>')) as unknown;
      assert.deepEqual(got, expected[name]);
    });
  }
});
