// A sample CODE_HOME and workspace that show what Code Ops does: a config.toml
// with typical [otel] mistakes, Code's logs (with a panic), a readiness
// sign-off file, and settings that point the supervisor at a real or fake
// app server. Used by the demo (scripts/demo.mjs) and the UI click-through.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.mjs';

/** The fake app server fixture (a real process speaking JSONL). */
export const fakeAppServer = join(repoRoot, 'test', 'fixtures', 'fakeAppServer.mjs');

/** The real upstream `codex` binary installed by scripts/install-peer.mjs (same lookup as test/peer.ts). */
export function codexBinary() {
  const fromEnv = process.env.CODE_OPS_CODEX_BIN;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const candidate = join(repoRoot, '.vscode-test/peer/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex');
  return existsSync(candidate) ? candidate : undefined;
}

/** Supervisor settings: the real codex app-server when installed, else the fake one under Node. */
export function appServerSettings({ preferReal = true } = {}) {
  const codex = preferReal ? codexBinary() : undefined;
  if (codex) return { 'codeOps.appServer.command': codex, 'codeOps.appServer.args': ['app-server'] };
  return { 'codeOps.appServer.command': 'node', 'codeOps.appServer.args': [fakeAppServer] };
}

const CONFIG_TOML = `# Sample CODE_HOME config with two [otel] mistakes Code Ops points out.
model = "gpt-5"

[otel]
# Typo: Code ignores unknown keys, so this quietly falls back to "dev".
enviroment = "production"
log_user_prompt = false

# otlp-http needs endpoint, headers AND protocol: Code refuses to start without protocol.
[otel.exporter.otlp-http]
endpoint = "https://otlp.example.com/v1/logs"

[otel.exporter.otlp-http.headers]
x-api-key = "demo-secret-value-not-real-0123456789"
`;

function isoAt(base, offsetMs) {
  return new Date(base.getTime() + offsetMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Writes config.toml, log/code-tui.log and logs/critical.log.<UTC date> into `dir`. */
export function writeSampleCodeHome(dir, { now = new Date() } = {}) {
  mkdirSync(join(dir, 'log'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'config.toml'), CONFIG_TOML, { mode: 0o600 });
  const t = (s) => isoAt(now, -s * 1000);
  writeFileSync(
    join(dir, 'log', 'code-tui.log'),
    [
      `${t(420)}  INFO codex_core::config: loaded config profile=default model=gpt-5 sandbox=workspace-write`,
      `${t(360)}  INFO run_auto_loop{goal=fix flaky tests derive_goal=false}: codex_core::codex: turn started turn=1`,
      `${t(300)}  INFO run_auto_loop{goal=fix flaky tests derive_goal=false}: close time.busy=54.2µs time.idle=12.1µs`,
      `${t(240)}  WARN failed to persist rollout event: No space left on device (os error 28)`,
      `${t(210)}  WARN codex_core::exec: command timed out timeout_ms=10000 cmd="cargo test --workspace"`,
      `${t(180)} ERROR failed to record rollout items: failed to queue rollout items: channel closed`,
      `${t(120)}  WARN run_auto_loop{goal=fix flaky tests derive_goal=false}: Failed to persist token usage: database is locked`,
      `${t(90)} ERROR codex_core::mcp: MCP server exited server=search status=1`,
      `${t(60)}  INFO app-server: session started`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const day = now.toISOString().slice(0, 10);
  writeFileSync(
    join(dir, 'logs', `critical.log.${day}`),
    [
      `${t(180)} ERROR main ThreadId(01) failed to record rollout items: failed to queue rollout items: channel closed`,
      `${t(90)} ERROR main ThreadId(01) Panic occurred: panicked at core/src/rollout.rs:214:9: called \`Option::unwrap()\` on a \`None\` value`,
      '',
    ].join('\n'),
  );
  return { config: join(dir, 'config.toml'), tuiLog: join(dir, 'log', 'code-tui.log'), criticalLog: join(dir, 'logs', `critical.log.${day}`) };
}

/** Writes `.code-ops/readiness.json` with two sign-offs and `.vscode/settings.json` with `settings` into `dir`. */
export function writeSampleWorkspace(dir, { settings = {}, now = new Date() } = {}) {
  mkdirSync(join(dir, '.code-ops'), { recursive: true });
  mkdirSync(join(dir, '.vscode'), { recursive: true });
  const signedAt = (hours) => new Date(now.getTime() - hours * 3600_000).toISOString();
  writeFileSync(
    join(dir, '.code-ops', 'readiness.json'),
    `${JSON.stringify(
      {
        version: 1,
        items: {
          '1-pre-deployment-verification/ci-pipeline': {
            checked: true,
            by: 'sam.oncall',
            at: signedAt(26),
            title: 'CI Pipeline',
            note: 'Release build #418 green on all targets.',
          },
          '3-rollback-procedure/trigger': {
            checked: true,
            by: 'rivera',
            at: signedAt(3),
            title: 'Trigger',
            note: 'Rollback trigger agreed with the release owner.',
          },
        },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(dir, '.vscode', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  writeFileSync(join(dir, 'README.md'), '# Sample service\n\nA workspace for trying Code Ops.\n');
}

/** The `git config user.name` the UI run gives the host, so sign-offs name a person, not this machine's user. */
export const SAMPLE_SIGNER = 'jordan.sre';

/** Writes a global git config with `user.name = SAMPLE_SIGNER` to `file` (for GIT_CONFIG_GLOBAL); returns `file`. */
export function writeGitIdentity(file) {
  writeFileSync(file, `[user]\n\tname = ${SAMPLE_SIGNER}\n\temail = ${SAMPLE_SIGNER}@example.com\n`);
  return file;
}

/** User settings that keep the workbench quiet and uncluttered for screenshots and demos. */
export const CALM_WORKBENCH_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  // The demo workspace lives inside this repository: do not offer to open the parent repository.
  'git.openRepositoryInParentFolders': 'never',
};
