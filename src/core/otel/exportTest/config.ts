import * as path from 'node:path';
import { FILE_CAPS, FileReadError, readRegularFile } from '../../fsSafe';
import { maskSecrets } from '../../mask';
import type { Dialect } from '../api';
import { validateConfigBytes } from '../bytes';
import { validateConfigText } from '../validate';
import { detectDialect } from '../dialect';
import { parseToml, type TomlEntry } from '../toml';
import type { EffectiveOtel, ExportTarget, HttpProtocol, TlsFiles } from './types';

/**
 * The effective [otel] for the test export: config.toml, then the managed
 * layer merged over it table by table (the later file wins key by key, as the
 * server merges its layers). Each file goes through the [otel] validation
 * engine first: an error there is an error the server stops on, so the config
 * is reported unusable instead of tested.
 */

export interface LoadOptions {
  /** config.toml; required (a missing one is reported). */
  configFile: string;
  /** managed_config.toml; optional. */
  managedFile?: string;
  dialect?: Dialect | 'auto';
  serverCommand?: string;
  env?: NodeJS.ProcessEnv;
}

type Plain = string | number | boolean | Plain[] | { [key: string]: Plain };
type Table = { [key: string]: Plain };

function plain(entry: TomlEntry): Plain {
  if (entry.kind === 'table') {
    const out: Table = {};
    for (const [k, v] of entry.children ?? []) out[k] = plain(v);
    return out;
  }
  if (entry.kind === 'array') return (entry.items ?? []).map(plain);
  return entry.value ?? '';
}

function isTable(v: Plain | undefined): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `overlay` over `base`: tables merge key by key, anything else replaces. */
export function mergeLayers(base: Table, overlay: Table): Table {
  const out: Table = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    const b = out[k];
    out[k] = isTable(b) && isTable(v) ? mergeLayers(b, v) : v;
  }
  return out;
}

interface ReadLayer {
  file: string;
  table?: Table;
  errors: string[];
  warnings: string[];
}

/** Keys a layer may leave to another one: only the merged [otel] must have them. */
const LAYER_MAY_OMIT = new Set(['otel/missing-endpoint', 'otel/missing-protocol', 'otel/missing-headers']);

/** TOML text of a merged table (strings, numbers, booleans, arrays, inline tables), for validating the merge. */
function tomlValue(v: Plain): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(', ')}]`;
  return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} = ${tomlValue(x)}`).join(', ')} }`;
}

/** One layer read, validated and parsed; where it fails, the sentences say why (masked). */
export async function readLayer(file: string, dialectSetting: Dialect | 'auto', env: NodeJS.ProcessEnv, serverCommand?: string, layered = false): Promise<ReadLayer | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, FILE_CAPS.config);
  } catch (err) {
    if (err instanceof FileReadError && err.code === 'ENOENT') return undefined;
    return { file, errors: [err instanceof Error ? err.message : String(err)], warnings: [] };
  }
  const dialect = detectDialect({ setting: dialectSetting, filePath: file, serverCommand, env });
  // `development`: whether the environment suits production is the readiness checks' business, not this test's.
  const result = validateConfigBytes(bytes, { dialect, target: 'development', filePath: file });
  const name = path.basename(file);
  const where = (d: { range: { start: { line: number; character: number } } }) => `${name}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
  const errors = result.diagnostics.filter((d) => d.severity === 'error' && !(layered && LAYER_MAY_OMIT.has(d.code))).map((d) => maskSecrets(`${where(d)}: ${d.message} [${d.code}]`));
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map((d) => maskSecrets(`${where(d)}: ${d.message} [${d.code}]`));
  if (result.syntaxError) return { file, errors, warnings };
  const parsed = parseToml(bytes.toString('utf8'));
  const root = parsed.root ? plain(parsed.root) : {};
  return { file, table: isTable(root) ? root : {}, errors, warnings };
}

function str(v: Plain | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function headersOf(v: Plain | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (isTable(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

function tlsOf(v: Plain | undefined, base: string): TlsFiles | undefined {
  if (!isTable(v)) return undefined;
  const at = (key: string) => {
    const s = str(v[key]);
    return s ? path.resolve(base, s) : undefined;
  };
  const tls: TlsFiles = { caCertificate: at('ca-certificate'), clientCertificate: at('client-certificate'), clientPrivateKey: at('client-private-key') };
  return tls.caCertificate || tls.clientCertificate || tls.clientPrivateKey ? tls : undefined;
}

/** The exporter of the merged [otel] table; an error sentence when it cannot be built. */
export function exporterOf(otel: Table, base: string): { target?: ExportTarget; name?: string; error?: string } {
  const exporter = otel.exporter;
  if (exporter === undefined) return {};
  if (typeof exporter === 'string') return { name: exporter };
  if (!isTable(exporter)) return { error: '[otel] exporter is neither a string nor a table.' };
  const kinds = Object.keys(exporter);
  if (kinds.length !== 1) {
    return { error: `[otel] exporter names ${kinds.length} exporter kinds (${kinds.join(', ') || 'none'}) once the layers are merged; exactly one is allowed.` };
  }
  const kind = kinds[0];
  const table = exporter[kind];
  if (kind !== 'otlp-http' && kind !== 'otlp-grpc') return { error: `[otel] exporter kind \`${kind}\` is not an OTLP exporter; only otlp-http and otlp-grpc can be tested.` };
  if (!isTable(table)) return { error: `[otel.exporter."${kind}"] is not a table.` };
  const endpoint = str(table.endpoint);
  if (!endpoint) return { error: `[otel.exporter."${kind}"] has no endpoint.` };
  const target: ExportTarget = { kind, endpoint, headers: headersOf(table.headers), tls: tlsOf(table.tls, base) };
  if (kind === 'otlp-http') {
    const protocol = str(table.protocol);
    if (protocol !== 'binary' && protocol !== 'json') return { error: `[otel.exporter."otlp-http"] protocol must be "binary" or "json".` };
    target.protocol = protocol as HttpProtocol;
  }
  return { target };
}

/**
 * The single place this feature reads the config: the validation engine and
 * TOML reader of src/core/otel, called through this one function.
 */
export async function loadEffectiveOtel(options: LoadOptions): Promise<EffectiveOtel> {
  const env = options.env ?? process.env;
  const setting = options.dialect ?? 'auto';
  const files = [options.configFile, options.managedFile].filter((f): f is string => !!f);
  const layered = !!options.managedFile && (await readRegularFile(options.managedFile, FILE_CAPS.config).then(() => true, () => false));
  const out: EffectiveOtel = { files: [], environment: 'dev', errors: [], warnings: [] };
  let merged: Table = {};
  for (const file of files) {
    const layer = await readLayer(file, setting, env, options.serverCommand, layered);
    if (!layer) {
      if (file === options.configFile) out.warnings.push(`${file} does not exist: the server runs with defaults and exports nothing.`);
      continue;
    }
    out.files.push(file);
    out.errors.push(...layer.errors);
    out.warnings.push(...layer.warnings);
    if (layer.table) merged = mergeLayers(merged, layer.table);
  }
  const otel = isTable(merged.otel) ? merged.otel : {};
  if (layered && !out.errors.length && isTable(otel.exporter)) {
    // What a layer may omit must be present once merged: validate the merged [otel].
    const dialect = detectDialect({ setting, filePath: options.configFile, serverCommand: options.serverCommand, env });
    const text = `[otel]\n${Object.entries(otel).map(([k, v]) => `${JSON.stringify(k)} = ${tomlValue(v)}`).join('\n')}\n`;
    const merged = validateConfigText(text, { dialect, target: 'development' });
    for (const d of merged.diagnostics) if (d.severity === 'error' && LAYER_MAY_OMIT.has(d.code)) out.errors.push(maskSecrets(`merged [otel] of config.toml and the managed layer: ${d.message} [${d.code}]`));
  }
  out.environment = str(otel.environment) ?? 'dev';
  const ex = exporterOf(otel, path.dirname(options.configFile));
  if (ex.error) out.errors.push(maskSecrets(ex.error));
  out.exporterName = ex.name;
  out.target = ex.target;
  return out;
}
