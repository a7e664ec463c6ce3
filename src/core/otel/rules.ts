import type { Range, Severity } from '../diagnostics';
import type { Dialect, OtelCode, OtelSummary, QuickFix, TextEdit } from './api';
import { lookup, type TomlEntry } from './toml';
import { schemaAt } from './schema';

/** What the rules below need from the validator. */
export interface RuleContext {
  add(severity: Severity, code: OtelCode, message: string, range: Range, fixes?: QuickFix[]): void;
  rangeOf(r: [number, number]): Range;
  keyOrValue(e: TomlEntry): Range;
  replace(r: [number, number], newText: string): TextEdit;
  fix(title: string, edit: TextEdit | undefined, preferred?: boolean): QuickFix[] | undefined;
}

export const EXPORTER_KEYS = ['exporter', 'trace_exporter', 'metrics_exporter'] as const;
const SIGNAL_PATH: Record<string, string> = { exporter: '/v1/logs', trace_exporter: '/v1/traces', metrics_exporter: '/v1/metrics' };

/** Values that look like credentials rather than configuration. */
const SECRET_HEADER_NAME = /(api[-_]?key|apikey|token|secret|passw(or)?d|auth|credential|access[-_]?key|signature|license|private|-team$|^x-.*-key$)/i;
const SECRET_SHAPES = [/^(bearer|basic)\s+\S{6,}/i, /^sk-[A-Za-z0-9_-]{8,}/, /^gh[pousr]_[A-Za-z0-9]{16,}/, /^xox[abpr]-/, /^AKIA[0-9A-Z]{16}$/];
/** `${VAR}` / `$VAR` references are names, not secrets. */
const ENV_REFERENCE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/;

export function looksLikeLiteralSecret(header: string, value: string): boolean {
  const v = value.trim();
  if (v.length === 0 || ENV_REFERENCE.test(v)) return false;
  if (SECRET_SHAPES.some((re) => re.test(v))) return true;
  if (SECRET_HEADER_NAME.test(header) && v.length >= 4) return true;
  // a long opaque token: letters and digits mixed, no spaces
  return v.length >= 24 && /^[A-Za-z0-9+/=_.-]+$/.test(v) && /[0-9]/.test(v) && /[A-Za-z]/.test(v);
}

/** Endpoints and header values of every otlp exporter. */
export function checkExporterTables(ctx: RuleContext, otel: TomlEntry, dialect: Dialect): void {
    for (const exporterKey of EXPORTER_KEYS) {
      const exporter = otel.children?.get(exporterKey);
      if (!exporter || exporter.kind !== 'table' || !schemaAt(dialect, ['otel', exporterKey])) continue;
      for (const kind of ['otlp-http', 'otlp-grpc']) {
        const table = exporter.children?.get(kind);
        if (!table || table.kind !== 'table') continue;
        const endpoint = table.children?.get('endpoint');
        if (endpoint?.kind === 'string') checkEndpoint(ctx, String(endpoint.value), endpoint, kind, exporterKey);
        const headers = table.children?.get('headers');
        if (headers?.kind === 'table') {
          for (const [name, value] of headers.children ?? []) {
            if (value.kind === 'string' && looksLikeLiteralSecret(name, String(value.value))) {
              ctx.add(
                'warning',
                'otel/literal-secret',
                `Header \`${name}\` holds what looks like a literal secret. Keep secrets out of config.toml: inject the header from a secret store or an environment variable (OTEL_EXPORTER_OTLP_HEADERS) at deploy time.`,
                ctx.rangeOf(value.valueRange),
              );
            }
          }
        }
      }
    }
  }

function checkEndpoint(ctx: RuleContext, value: string, entry: TomlEntry, kind: string, exporterKey: string): void {
    const range = ctx.rangeOf(entry.valueRange);
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      ctx.add('warning', 'otel/endpoint-not-url', `\`endpoint\` is not an http(s) URL: write it as \`https://host:${kind === 'otlp-grpc' ? '4317' : '4318/v1/logs'}\`.`, range);
      return;
    }
    if (kind === 'otlp-http' && (url.pathname === '' || url.pathname === '/')) {
      const signal = SIGNAL_PATH[exporterKey] ?? '/v1/logs';
      const fixed = `${value.replace(/\/+$/, '').replace(/([?#].*)?$/, '')}${signal}${url.search}${url.hash}`;
      ctx.add(
        'warning',
        'otel/endpoint-missing-signal-path',
        `The otlp-http endpoint has no signal path: it is used as is, so requests go to \`/\` instead of \`${signal}\`.`,
        range,
        ctx.fix(`Append ${signal}`, ctx.replace(entry.valueRange, JSON.stringify(fixed))),
      );
    }
    if (kind === 'otlp-grpc' && url.port === '4318') {
      ctx.add('warning', 'otel/port-mismatch', 'gRPC endpoint on port 4318, the conventional OTLP/HTTP port: otlp-grpc collectors usually listen on 4317.', range);
    } else if (kind === 'otlp-http' && url.port === '4317') {
      ctx.add('warning', 'otel/port-mismatch', 'HTTP endpoint on port 4317, the conventional OTLP/gRPC port: otlp-http collectors usually listen on 4318.', range);
    }
  }


/** JSON pointer segment escaping, as ajv writes `instancePath`. */
export function escapePointer(seg: string): string {
  return seg.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function expectedLabel(type: unknown): string {
  const one = (t: string) => (t === 'object' ? 'a table' : t === 'array' ? 'an array' : t === 'integer' ? 'an integer' : `a ${t}`);
  if (Array.isArray(type)) return type.map((t) => one(String(t))).join(' or ');
  return one(String(type));
}

/** What the readiness checks read about [otel]. */
export function fillSummary(ctx: RuleContext, otel: TomlEntry, summary: OtelSummary): void {
  const env = otel.children?.get('environment');
  if (env?.kind === 'string' || env?.kind === 'datetime') {
    summary.environment = String(env.value);
    summary.environmentRange = ctx.rangeOf(env.valueRange);
  }
  const prompt = otel.children?.get('log_user_prompt');
  if (prompt?.kind === 'boolean') {
    summary.logUserPrompt = Boolean(prompt.value);
    summary.logUserPromptRange = ctx.rangeOf(prompt.valueRange);
  }
  const exporter = otel.children?.get('exporter');
  if (exporter) {
    summary.exporterRange = ctx.keyOrValue(exporter);
    if (exporter.kind === 'string') summary.exporterKind = String(exporter.value);
    else if (exporter.kind === 'table') summary.exporterKind = [...(exporter.children?.keys() ?? [])][0];
  }
  for (const kind of ['otlp-http', 'otlp-grpc']) {
    const headers = lookup(exporter, [kind, 'headers']);
    for (const [name, value] of headers?.kind === 'table' ? (headers.children ?? []) : []) {
      if (value.kind === 'string' && looksLikeLiteralSecret(name, String(value.value))) {
        summary.literalSecretHeaders.push({ key: name, range: ctx.rangeOf(value.valueRange) });
      }
    }
  }
}
