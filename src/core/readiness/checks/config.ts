import type { LabeledAction } from '../../actions';
import { maskSecrets } from '../../mask';
import type { ConfigLayers, LoadedConfig } from '../../otel/load';
import { fix, short, type CheckContext, type RunShared, type Verdict } from '../checkTypes';

/** The checks of config.toml and the managed layer (read once per run, see RunShared.configs). */

/** Codes the dedicated checks report, so config-valid does not report them twice. */
const OWNED_ELSEWHERE = new Set(['otel/environment-not-production', 'otel/log-user-prompt', 'otel/literal-secret', 'otel/missing-section', 'otel/exporter-in-dev']);

function openAt(file: string, pos: { line: number; character: number } | undefined, label: string): LabeledAction {
  return fix({ kind: 'openConfig', file, line: pos?.line ?? 0, character: pos?.character ?? 0 }, label);
}

function firstOf(cfg: ConfigLayers, severity: 'error' | 'warning', verdict: 'fail' | 'warn', noun: string): Verdict | undefined {
  for (const f of cfg.files) {
    const found = f.result.diagnostics.filter((d) => d.severity === severity && !OWNED_ELSEWHERE.has(d.code));
    if (!found.length) continue;
    const d = found[0];
    return {
      status: verdict,
      detail: `${f.name}:${d.range.start.line + 1}: ${short(d.message)}${found.length > 1 ? ` (+${found.length - 1} more)` : ''}`,
      fix: openAt(f.file, d.range.start, `Open ${f.name} at the ${noun}`),
    };
  }
  return undefined;
}

export async function configValid(ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  const cfg = await shared.configs();
  if (cfg.errors.length) return { status: 'fail', detail: `Could not read the config: ${cfg.errors.join('; ')}` };
  if (!cfg.files.length) return { status: 'warn', detail: 'No config.toml: Code runs with defaults (no OTEL export).', fix: openAt(ctx.paths.configToml, undefined, 'Create config.toml') };
  const problem = firstOf(cfg, 'error', 'fail', 'error') ?? firstOf(cfg, 'warning', 'warn', 'warning');
  if (problem) return problem;
  return { status: 'pass', detail: `${cfg.files.map((f) => f.name).join(' and ')} parse${cfg.files.length === 1 ? 's' : ''}; [otel] is valid.` };
}

/** The [otel] value that applies: the managed layer overrides config.toml key by key. */
function effective<K extends 'exporterKind' | 'environment' | 'logUserPrompt'>(cfg: ConfigLayers, key: K) {
  let found: { file: LoadedConfig; value: LoadedConfig['result']['otel'][K] } | undefined;
  for (const f of cfg.files) if (!f.result.syntaxError && f.result.otel[key] !== undefined) found = { file: f, value: f.result.otel[key] };
  return found;
}

function configSyntaxBlocks(ctx: CheckContext, cfg: ConfigLayers): Verdict | undefined {
  const broken = cfg.files.find((f) => f.result.syntaxError);
  if (broken) return { status: 'fail', detail: `${broken.name} does not parse (see config-valid).`, fix: openAt(broken.file, broken.result.diagnostics[0]?.range.start, `Open ${broken.name}`) };
  if (!cfg.files.length) return { status: 'fail', detail: 'No config.toml, so no [otel] section.', fix: openAt(ctx.paths.configToml, undefined, 'Create config.toml') };
  return undefined;
}

export async function otelExporter(ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  const cfg = await shared.configs();
  const blocked = configSyntaxBlocks(ctx, cfg);
  if (blocked) return blocked;
  const value = effective(cfg, 'exporterKind');
  if (!value || value.value === 'none') {
    const where = value?.file ?? cfg.files[0];
    return {
      status: ctx.settings.target === 'production' ? 'fail' : 'warn',
      detail: value ? `${where.name}: exporter = "none": nothing is exported.` : 'No [otel] exporter configured: nothing is exported.',
      fix: openAt(where.file, value?.file.result.otel.exporterRange?.start, 'Open config.toml at [otel]'),
    };
  }
  return { status: 'pass', detail: `Exporter ${value.value} (${value.file.name}).` };
}

export async function otelEnvironment(ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  const cfg = await shared.configs();
  const blocked = configSyntaxBlocks(ctx, cfg);
  if (blocked) return blocked;
  const value = effective(cfg, 'environment');
  const actual = value?.value ?? 'dev';
  const wanted = ctx.settings.target;
  if (actual === wanted) return { status: 'pass', detail: `environment = "${actual}".` };
  const where = value?.file ?? cfg.files[0];
  return {
    status: wanted === 'production' ? 'fail' : 'warn',
    detail: `environment is "${actual}"${value ? '' : ' (default)'}; the target is "${wanted}".`,
    fix: openAt(where.file, value?.file.result.otel.environmentRange?.start, 'Open config.toml at environment'),
  };
}

export async function otelLogUserPrompt(_ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  const cfg = await shared.configs();
  const broken = cfg.files.find((f) => f.result.syntaxError);
  if (broken) return { status: 'fail', detail: `${broken.name} does not parse (see config-valid).` };
  const value = effective(cfg, 'logUserPrompt');
  if (value?.value === true) {
    return {
      status: 'fail',
      detail: `${value.file.name}: log_user_prompt = true exports every prompt's text.`,
      fix: openAt(value.file.file, value.file.result.otel.logUserPromptRange?.start, 'Open config.toml at log_user_prompt'),
    };
  }
  return { status: 'pass', detail: value ? 'log_user_prompt = false.' : 'log_user_prompt is absent (false).' };
}

function literalSecrets(f: LoadedConfig): Array<{ what: string; line: number; character: number }> {
  const found: Array<{ what: string; line: number; character: number }> = [];
  for (const h of f.result.otel.literalSecretHeaders) found.push({ what: `header ${h.key}`, line: h.range.start.line, character: h.range.start.character });
  // Anything else the masker recognises as a secret (API keys in provider tables, tokens).
  f.text.split(/\r?\n/).forEach((line, i) => {
    if (line.trimStart().startsWith('#') || found.some((x) => x.line === i)) return;
    // An environment reference (`${OTEL_API_KEY}`) is the recommended form, not a secret.
    const withoutRefs = line.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, '');
    if (maskSecrets(withoutRefs) !== withoutRefs) {
      const key = /^\s*([\w."-]+)\s*=/.exec(line)?.[1];
      found.push({ what: key ? `key ${key}` : 'a value', line: i, character: Math.max(0, line.search(/\S/)) });
    }
  });
  return found;
}

export async function secretsInConfig(_ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  const cfg = await shared.configs();
  if (!cfg.files.length) return { status: 'skip', detail: 'No config.toml.' };
  const found = cfg.files.flatMap((f) => literalSecrets(f).map((s) => ({ ...s, file: f })));
  if (!found.length) return { status: 'pass', detail: 'No literal secret found in config.toml.' };
  const first = found[0];
  // Names and line numbers only: never the value.
  return {
    status: 'fail',
    detail: `${first.file.name}:${first.line + 1}: ${first.what} holds a literal secret${found.length > 1 ? ` (+${found.length - 1} more)` : ''}; use an environment variable or a secret store.`,
    fix: openAt(first.file.file, first, `Open ${first.file.name} at the secret`),
  };
}

/** Beacon's production baseline for the managed layer (docs/production_checklist.md, "Security baseline"). */
const BASELINE: ReadonlyArray<{ key: string[]; shown: string; ok(v: unknown): boolean; want: string }> = [
  { key: ['approval_policy'], shown: 'approval_policy', ok: (v) => v === 'untrusted', want: '"untrusted"' },
  { key: ['sandbox_mode'], shown: 'sandbox_mode', ok: (v) => v === 'workspace-write', want: '"workspace-write"' },
  { key: ['auto_upgrade_enabled'], shown: 'auto_upgrade_enabled', ok: (v) => v === false, want: 'false (pinned)' },
  { key: ['forced_login_method'], shown: 'forced_login_method', ok: (v) => v === 'chatgpt' || v === 'api', want: '"chatgpt" or "api"' },
  { key: ['sandbox_workspace_write', 'network_access'], shown: '[sandbox_workspace_write] network_access', ok: (v) => v === false, want: 'false' },
];

export async function managedBaseline(ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  const cfg = await shared.configs();
  const file = cfg.managedFile;
  const layer = cfg.files.find((f) => f.file === file);
  const create = openAt(file, undefined, 'Open the managed layer');
  if (!layer) {
    const unreadable = cfg.errors.find((e) => e.includes(file));
    if (unreadable) return { status: 'fail', detail: short(unreadable) };
    return { status: ctx.settings.target === 'production' ? 'warn' : 'skip', detail: `No managed layer at ${file}: the production baseline (approval_policy, sandbox_mode, auto_upgrade_enabled, forced_login_method, network_access) is not enforced.`, fix: create };
  }
  if (layer.result.syntaxError) return { status: 'fail', detail: `${layer.name} does not parse (see config-valid).`, fix: create };
  const problems: Array<{ text: string; line: number; character: number }> = [];
  for (const rule of BASELINE) {
    const found = ctx.deps.configValue(layer, rule.key);
    if (found && rule.ok(found.value)) continue;
    const now = found === undefined ? 'is not set' : `is ${short(JSON.stringify(found.value) ?? String(found.value), 40)}`;
    problems.push({ text: `${rule.shown} ${now} (want ${rule.want})`, line: found?.line ?? 0, character: found?.character ?? 0 });
  }
  if (problems.length) {
    return {
      status: ctx.settings.target === 'production' ? 'fail' : 'warn',
      detail: `${layer.file}: ${problems.map((p) => p.text).join('; ')}.`,
      fix: openAt(layer.file, problems[0], `Open ${layer.name} at ${problems[0].text.split(' ')[0]}`),
    };
  }
  return { status: 'pass', detail: `${layer.file} pins the production baseline (untrusted approvals, workspace-write sandbox without network, no auto-upgrade, forced login).` };
}
