import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { forgetExportResults, recordExportResult } from '../../../../src/core/otel/exportTest/check';
import type { OtelTestResult, SignalResult } from '../../../../src/core/otel/exportTest/types';
import { otelExportReachable } from '../../../../src/core/readiness/checks/export';
import { contextFor, makeCodeHome, tempDir } from '../../readiness/helpers';

// The readiness check reads the verdict kept for this CODE_HOME, with the managed layer the
// settings name: a result recorded for these paths must be found through the check's context,
// and a managed layer written after the run must make it stale.

/** A stored outcome as runOtelTest returns it (accepted over HTTP). */
function accepted(at: string): OtelTestResult {
  const url = 'http://127.0.0.1:4318/v1/logs';
  const signal = (name: SignalResult['signal'], latencyMs: number): SignalResult => ({ signal: name, ok: true, reached: true, status: 'HTTP 200', httpStatus: 200, latencyMs, error: null, url });
  return {
    exporter: 'otlp-http',
    endpoint: url,
    protocol: 'binary',
    ok: true,
    status: 'HTTP 200',
    latencyMs: 3,
    error: null,
    hint: null,
    signals: [signal('logs', 2), signal('metrics', 1)],
    headersSent: [],
    headersDropped: [],
    resource: {},
    warnings: [],
    exitCode: 0,
    at,
  };
}

describe('readiness otel-export-reachable through the check context', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
    forgetExportResults();
  });
  afterEach(() => {
    forgetExportResults();
    tmp.cleanup();
  });

  it('finds the result kept for this CODE_HOME and the managed layer the settings name', async () => {
    const home = makeCodeHome(tmp.dir, { files: { 'config.toml': '[otel]\nenvironment = "production"\n' } });
    // The managed layer is a real file away from /etc/code: only the override finds it.
    const managed = path.join(tmp.dir, 'elsewhere', 'managed_config.toml');
    fs.mkdirSync(path.dirname(managed));
    fs.writeFileSync(managed, '[otel]\nlog_user_prompt = false\n');
    const ctx = contextFor(home, { settings: { managedConfig: managed } });
    const at = '2026-12-02T06:00:00.000Z';
    await recordExportResult({ root: home, configToml: path.join(home, 'config.toml'), managedConfigToml: managed }, accepted(at));

    const v = await otelExportReachable(ctx);
    assert.equal(v.status, 'pass', v.detail);
    assert.ok(v.detail.includes(at), v.detail);

    // Another home has no result of its own.
    const other = makeCodeHome(path.join(tmp.dir, 'other'));
    assert.equal((await otelExportReachable(contextFor(other, { settings: { managedConfig: managed } }))).status, 'skip');

    // The managed layer the settings name changes: the kept verdict is stale.
    fs.appendFileSync(managed, '# edited\n');
    const stale = await otelExportReachable(ctx);
    assert.equal(stale.status, 'skip');
    assert.match(stale.detail, /config changed/);
  });

  it('a relative managedConfig is resolved against the context cwd', async () => {
    const home = makeCodeHome(tmp.dir);
    const managed = path.join(tmp.dir, 'managed_config.toml');
    fs.writeFileSync(managed, '[otel]\n');
    await recordExportResult({ root: home, configToml: path.join(home, 'config.toml'), managedConfigToml: managed }, accepted('2026-12-02T06:01:00.000Z'));
    // cwd is tmp.dir (contextFor uses the home's parent), so the relative name is that same file.
    const ctx = contextFor(home, { settings: { managedConfig: 'managed_config.toml' } });
    assert.equal(ctx.cwd, tmp.dir);
    assert.equal((await otelExportReachable(ctx)).status, 'pass');
  });
});
