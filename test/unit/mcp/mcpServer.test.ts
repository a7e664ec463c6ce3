import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect, FAKE_SERVER, tempHome, textOf, ts, type Connected } from './helpers';

// `node dist/cli.js mcp` as a real child process, driven by the official MCP SDK client over stdio.
// Log lines follow the shapes in the reference notes on Code's panic hook (beacon code-rs/tui/src/lib.rs:
// `panic captured … panic=panicked at FILE:LINE:COL:` then the message on the next, untimestamped line)
// and tracing's fmt layout of code-tui.log and critical.log.YYYY-MM-DD.

const NOW = Date.now();
const PANIC_AT = NOW - 5 * 60_000;
const OLD_PANIC_AT = NOW - 3 * 24 * 60 * 60_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function tuiLog(): string {
  return [
    `${ts(10, NOW)}  INFO run_auto_loop{goal=ship}: started`,
    `${ts(9, NOW)}  WARN failed to persist rollout event: No space left on device (os error 28)`,
    `${new Date(OLD_PANIC_AT).toISOString()} ERROR panic captured thread_name="main" thread_id="ThreadId(1)" file="code-rs/tui/src/app.rs" line=77 column=5 panic=panicked at code-rs/tui/src/app.rs:77:5:`,
    'called `Option::unwrap()` on a `None` value',
    `${new Date(PANIC_AT).toISOString()} ERROR panic captured thread_name="tokio-runtime-worker" thread_id="ThreadId(3)" file="code-rs/core/src/codex.rs" line=812 column=21 panic=panicked at code-rs/core/src/codex.rs:812:21:`,
    'index out of bounds: the len is 0 but the index is 0',
    `${ts(2, NOW)}  INFO provider configured api_key=sk-livesecretvalue123456`,
    `${ts(1, NOW)} ERROR failed to record rollout items: channel closed`,
    '',
  ].join('\n');
}

function criticalLog(): string {
  return [
    `${new Date(PANIC_AT).toISOString()} ERROR tokio-runtime-worker ThreadId(03) panic captured thread_name="tokio-runtime-worker" thread_id="ThreadId(3)" file="code-rs/core/src/codex.rs" line=812 column=21 panic=panicked at code-rs/core/src/codex.rs:812:21:`,
    'index out of bounds: the len is 0 but the index is 0',
    '',
  ].join('\n');
}

const BAD_CONFIG = ['[otel]', 'environment = "staging"', '', '[otel.exporter.otlp-http]', 'endpoint = "http://localhost:4318/v1/logs"', '', '[otel.exporter.otlp-http.headers]', 'x-api-key = "hunter2-very-secret-key"', ''].join('\n');

function home(): string {
  return tempHome({
    'log/code-tui.log': tuiLog(),
    [`logs/critical.log.${day(PANIC_AT)}`]: criticalLog(),
    'config.toml': BAD_CONFIG,
  });
}

const fakeArgs = (codeHome: string) => ['--code-home', codeHome, '--command', process.execPath, '--arg', FAKE_SERVER, '--timeout', '4000'];

type Structured = Record<string, unknown>;
const structured = (r: unknown) => (r as { structuredContent: Structured }).structuredContent;
const isError = (r: unknown) => (r as { isError?: boolean }).isError === true;

describe('code-ops mcp over stdio (official SDK client, real child process)', function () {
  this.timeout(30_000);
  let conn: Connected;
  let codeHome: string;

  before(async () => {
    codeHome = home();
    conn = await connect(fakeArgs(codeHome), { FAKE_SCENARIO: 'healthy', FAKE_CONFIG_WARNING: '1' });
  });
  after(async () => {
    await conn?.close();
  });

  const call = (name: string, args: Record<string, unknown> = {}) => conn.client.callTool({ name, arguments: args });

  it('initialize: names itself and offers tools', () => {
    const info = conn.client.getServerVersion();
    assert.equal(info?.name, 'code-ops');
    assert.match(info?.version ?? '', /^\d+\.\d+\.\d+/);
    assert.ok(conn.client.getServerCapabilities()?.tools, 'tools capability');
    assert.match(conn.client.getInstructions() ?? '', /server_status/);
  });

  it('tools/list: the five tools, each described for a model with a closed input schema', async () => {
    const { tools } = await conn.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['readiness', 'recent_logs', 'recent_panics', 'server_status', 'validate_config']);
    for (const t of tools) {
      assert.ok((t.description ?? '').length > 120, `${t.name} has a real description`);
      assert.equal(t.inputSchema.type, 'object');
      assert.equal((t.inputSchema as { additionalProperties?: boolean }).additionalProperties, false, `${t.name} rejects unknown keys`);
      assert.equal(t.annotations?.readOnlyHint, true);
    }
  });

  it('server_status: probes the operator-configured server (fake) and reports latencies, user agent, config warnings', async () => {
    const r = await call('server_status');
    assert.equal(isError(r), false, textOf(r));
    const s = structured(r);
    assert.equal(s.healthy, true);
    assert.equal(s.state, 'healthy');
    assert.equal(typeof s.initializeMs, 'number');
    assert.equal(typeof s.probeMs, 'number');
    assert.match(String(s.userAgent), /fake/i);
    assert.equal(s.codeHome, codeHome);
    assert.ok((s.configWarnings as string[]).some((w) => /Invalid configuration; using defaults/.test(w)), JSON.stringify(s.configWarnings));
    assert.ok((s.stderrTail as string[]).some((l) => l.includes(`CODE_HOME=${codeHome}`)), 'the server got the CODE_HOME');
    assert.match(textOf(r), /^HEALTHY: /);
  });

  it('server_status: any input is refused (the command is never the caller\'s)', async () => {
    const r = await call('server_status', { command: '/bin/sh', args: ['-c', 'touch /tmp/pwned'] });
    assert.ok(isError(r));
    assert.match(textOf(r), /Invalid arguments for tool server_status/);
    assert.match(textOf(r), /command/);
  });

  it('readiness: one check id, a section, and bad input', async () => {
    const one = await call('readiness', { check: 'otel-environment' });
    assert.equal(isError(one), false, textOf(one));
    const checks = structured(one).checks as Array<{ id: string; status: string; detail: string }>;
    assert.deepEqual(checks.map((c) => c.id), ['otel-environment']);
    assert.equal(checks[0].status, 'fail');
    assert.match(checks[0].detail, /staging/);
    assert.match(textOf(one), /FAIL otel-environment/);

    const all = await call('readiness');
    assert.ok((structured(all).checks as unknown[]).length >= 10);
    const sections = [...new Set((structured(all).checks as Array<{ section: string }>).map((c) => c.section))].filter(Boolean);
    const pick = sections[0];
    const section = await call('readiness', { section: pick });
    const inSection = structured(section).checks as Array<{ section: string }>;
    assert.ok(inSection.length > 0 && inSection.every((c) => c.section === pick), `section ${pick}`);

    for (const [args, message] of [
      [{ check: 'no-such-check' }, /check/],
      [{ section: 'Nothing Like This' }, /No checklist section matches 'Nothing Like This'/],
      [{ probe: 'yes' }, /probe/],
      [{ section: '' }, /section/],
    ] as const) {
      const r = await call('readiness', args);
      assert.ok(isError(r), `${JSON.stringify(args)} is refused`);
      assert.match(textOf(r), message);
    }
  });

  it('validate_config: diagnostics with lines, effective values, secrets masked; bad target refused', async () => {
    const r = await call('validate_config');
    assert.equal(isError(r), false, textOf(r));
    const s = structured(r) as { errors: number; layers: Array<{ layer: string; present: boolean; diagnostics: Array<{ code: string; line: number }> }>; effective: { environment?: { value: string; from: string } } };
    const main = s.layers.find((l) => l.layer === 'config.toml')!;
    assert.ok(main.present);
    assert.ok(s.errors > 0);
    assert.ok(main.diagnostics.some((d) => d.line === 4), `a diagnostic on the exporter table (line 4): ${JSON.stringify(main.diagnostics)}`);
    assert.deepEqual(s.effective.environment, { value: 'staging', from: 'config.toml' });
    const text = textOf(r);
    assert.match(text, /config\.toml:4:\d+: error/);
    assert.doesNotMatch(JSON.stringify(r), /hunter2-very-secret-key/);

    const bad = await call('validate_config', { target: 'prod' });
    assert.ok(isError(bad));
    assert.match(textOf(bad), /target/);
  });

  it('recent_logs: last N, level filter, since, panic joined with its message, secrets masked', async () => {
    const last2 = await call('recent_logs', { lines: 2 });
    const entries = structured(last2).entries as Array<{ text: string; line: number; level: string; panic: boolean }>;
    assert.equal(entries.length, 2);
    assert.match(entries[0].text, /provider configured api_key=\*\*\*\*/);
    assert.doesNotMatch(JSON.stringify(last2), /livesecretvalue/);
    assert.equal(entries[1].line, 8);

    const errors = structured(await call('recent_logs', { level: 'ERROR' })).entries as Array<{ text: string; panic: boolean; level: string }>;
    assert.ok(errors.every((e) => e.level === 'ERROR'));
    const panic = errors.find((e) => e.panic && e.text.includes('codex.rs:812'))!;
    assert.ok(panic, 'the panic is among the errors');
    assert.match(panic.text, /panicked at code-rs\/core\/src\/codex\.rs:812:21:\nindex out of bounds/);

    // An ISO time relative to the fixture's clock (an age like 6m would drift while a long run loads other files first).
    const recent = structured(await call('recent_logs', { since: new Date(NOW - 6 * 60_000).toISOString() })).entries as Array<{ text: string }>;
    assert.equal(recent.length, 3, JSON.stringify(recent));

    const critical = await call('recent_logs', { log: 'critical' });
    assert.equal((structured(critical).entries as unknown[]).length, 1);
    assert.match(textOf(critical), /\[PANIC\] logs\/critical\.log\.\d{4}-\d{2}-\d{2}:1:/);

    for (const [args, message] of [
      [{ lines: 0 }, /lines/],
      [{ lines: 501 }, /lines/],
      [{ lines: 2.5 }, /lines/],
      [{ level: 'LOUD' }, /level/],
      [{ log: '/etc/passwd' }, /log/],
      [{ since: 'yesterday' }, /'yesterday' is not a time/],
      [{ file: '/etc/shadow' }, /file/],
    ] as const) {
      const r = await call('recent_logs', args as Record<string, unknown>);
      assert.ok(isError(r), `${JSON.stringify(args)} is refused`);
      assert.match(textOf(r), message);
    }
  });

  it('recent_panics: window, location, thread, message, file and line', async () => {
    const r = await call('recent_panics', { since: '1h' });
    assert.equal(isError(r), false, textOf(r));
    const panics = structured(r).panics as Array<{ location: string; thread: string; message: string; file: string; line: number; log: string }>;
    assert.equal(panics.length, 2, JSON.stringify(panics));
    for (const p of panics) {
      assert.equal(p.location, 'code-rs/core/src/codex.rs:812:21');
      assert.equal(p.thread, 'tokio-runtime-worker');
      assert.equal(p.message, 'index out of bounds: the len is 0 but the index is 0');
    }
    assert.deepEqual(panics.map((p) => [p.log, p.line]).sort(), [['critical', 1], ['tui', 5]]);

    const week = structured(await call('recent_panics', { since: '7d' })).panics as Array<{ location: string; message: string }>;
    assert.ok(week.some((p) => p.location === 'code-rs/tui/src/app.rs:77:5' && /Option::unwrap/.test(p.message)));
    const none = await call('recent_panics', { since: '3d', until: '1h' });
    assert.match(textOf(none), /^No panics between/);

    for (const [args, message] of [
      [{ since: 'garbage' }, /'garbage' is not a time/],
      [{ since: '1h', until: '2h' }, /is before since/],
      [{ max: 0 }, /max/],
      [{ since: 42 }, /since/],
    ] as const) {
      const bad = await call('recent_panics', args as Record<string, unknown>);
      assert.ok(isError(bad), `${JSON.stringify(args)} is refused`);
      assert.match(textOf(bad), message);
    }
  });

  it('an unknown tool is an MCP error, and the server keeps serving', async () => {
    const r = await call('rm_rf');
    assert.ok(isError(r));
    assert.match(textOf(r), /Tool rm_rf not found/);
    const again = await call('recent_logs', { lines: 1 });
    assert.equal(isError(again), false);
  });
});

describe('code-ops mcp: server_status of servers that fail', function () {
  this.timeout(30_000);

  it('config-error and not-found are answers, not crashes', async () => {
    const codeHome = tempHome();
    const conn = await connect(fakeArgs(codeHome), { FAKE_SCENARIO: 'config-error' });
    try {
      const r = await conn.client.callTool({ name: 'server_status', arguments: {} });
      const s = structured(r);
      assert.equal(s.healthy, false);
      assert.equal(s.state, 'config-error');
      assert.match(textOf(r), /NOT HEALTHY \(config-error\)/);
    } finally {
      await conn.close();
    }
    const missing = await connect(['--code-home', codeHome, '--command', path.join(codeHome, 'no-such-server')]);
    try {
      const r = await missing.client.callTool({ name: 'server_status', arguments: {} });
      assert.equal(structured(r).state, 'not-found');
      // the empty CODE_HOME has no logs: answers, not errors
      const logs = await missing.client.callTool({ name: 'recent_logs', arguments: {} });
      assert.match(textOf(logs), /No code-tui\.log file exists yet/);
      assert.ok(!fs.existsSync(path.join(codeHome, 'log')), 'reading created nothing');
    } finally {
      await missing.close();
    }
  });
});
