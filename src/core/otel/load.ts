import * as path from 'node:path';
import type { DetectDialectOptions, Dialect, DialectSetting, OtelSummary, ReadinessTarget, ValidationResult } from './api';
import { validateConfigBytes } from './bytes';
import { detectDialect } from './dialect';
import { FILE_CAPS, FileReadError, readRegularFile, readRegularFileSync } from '../fsSafe';
import { lookup, parseToml, type TomlEntry } from './toml';

/**
 * The one way Code Ops reads a config file: a bounded, non-blocking read of a
 * regular file (fsSafe), the dialect picked for it, the validation, and, for
 * the two layers the server reads, the managed layer merged over config.toml.
 * The CLI (`validate`), the language server and the readiness checks all call
 * this, so a file reads the same everywhere.
 */

export interface ConfigLoadOptions {
  /** `codeOps.config.dialect` or `--dialect`; `auto` detects from the command and the path. */
  dialect?: DialectSetting;
  /** `codeOps.appServer.command`: decides the dialect under `auto`. */
  serverCommand?: string;
  env?: NodeJS.ProcessEnv;
  target?: ReadinessTarget;
}

export interface LoadedConfig {
  file: string;
  /** Base name, for messages. */
  name: string;
  dialect: Dialect;
  result: ValidationResult;
  text: string;
}

/** Which server's rules apply to `file` under these options. */
export function dialectForFile(file: string, options: ConfigLoadOptions): Dialect {
  const opts: DetectDialectOptions = { setting: options.dialect, filePath: file, serverCommand: options.serverCommand, env: options.env };
  return detectDialect(opts);
}

/** Validates bytes already read (an open editor buffer goes through validateConfigText instead). */
export function validateLoaded(file: string, bytes: Uint8Array, options: ConfigLoadOptions): LoadedConfig {
  const dialect = dialectForFile(file, options);
  const result = validateConfigBytes(bytes, { dialect, target: options.target ?? 'production', filePath: file });
  return { file, name: path.basename(file), dialect, result, text: Buffer.from(bytes).toString('utf8') };
}

/** Reads and validates one config file. Throws FileReadError (missing, a FIFO, a folder, too big…). */
export async function loadConfigFile(file: string, options: ConfigLoadOptions = {}): Promise<LoadedConfig> {
  return validateLoaded(file, await readRegularFile(file, FILE_CAPS.config), options);
}

/** The synchronous twin of loadConfigFile (the CLI). */
export function loadConfigFileSync(file: string, options: ConfigLoadOptions = {}): LoadedConfig {
  return validateLoaded(file, readRegularFileSync(file, FILE_CAPS.config), options);
}

export { managedConfigPath } from './managedPath';

export interface ConfigLayers {
  /** config.toml first, then the managed layer, each when it exists and could be read. */
  files: LoadedConfig[];
  /** config.toml does not exist. */
  missing: boolean;
  /** Files that exist but could not be read (a FIFO, a folder, too big, no permission). */
  errors: string[];
  /** The managed layer's path, read or not. */
  managedFile: string;
}

/** Reads config.toml and the managed layer the server reads on top of it. Never throws. */
export async function loadConfigLayers(files: { config: string; managed: string }, options: ConfigLoadOptions = {}): Promise<ConfigLayers> {
  const out: ConfigLayers = { files: [], missing: false, errors: [], managedFile: files.managed };
  for (const [file, required] of [
    [files.config, true],
    [files.managed, false],
  ] as const) {
    try {
      out.files.push(await loadConfigFile(file, options));
    } catch (err) {
      if (err instanceof FileReadError && err.code === 'ENOENT') {
        if (required) out.missing = true;
        continue;
      }
      out.errors.push(err instanceof Error ? err.message : String(err));
    }
  }
  return out;
}

type MergedKey = 'exporterKind' | 'environment' | 'logUserPrompt';

/** The [otel] value that applies: the managed layer overrides config.toml key by key. Files that do not parse are skipped. */
export function effectiveOtel<K extends MergedKey>(layers: Pick<ConfigLayers, 'files'>, key: K): { file: LoadedConfig; value: OtelSummary[K] } | undefined {
  let found: { file: LoadedConfig; value: OtelSummary[K] } | undefined;
  for (const f of layers.files) if (!f.result.syntaxError && f.result.otel[key] !== undefined) found = { file: f, value: f.result.otel[key] };
  return found;
}

/** A value at a key path of a loaded file with its 0-based position; undefined when absent or the file does not parse. */
export function configValue(file: LoadedConfig, keyPath: readonly string[]): { value: unknown; line: number; character: number } | undefined {
  if (file.result.syntaxError) return undefined;
  const parsed = parsedOf(file);
  // The value from the whole-file reading: the positioned tree holds values for [otel] only
  // (top-level keys such as approval_policy are there by name and kind).
  let value: unknown = parsed.doc;
  for (const key of keyPath) {
    if (!isTable(value) || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = value[key];
  }
  // Where: the deepest entry of the tree on the path (a key inside another table: its table's name).
  let entry: TomlEntry | undefined;
  for (let n = keyPath.length; n > 0 && !entry; n--) entry = lookup(parsed.root, keyPath.slice(0, n));
  const at = entry ? parsed.lines.position((entry.keyRange ?? entry.valueRange)[0]) : { line: 0, character: 0 };
  return { value: plain(value), line: at.line, character: at.character };
}

/** One reading per loaded file: a check asks for several keys of the same layer. */
const parsedFiles = new WeakMap<LoadedConfig, ReturnType<typeof parseToml>>();
function parsedOf(file: LoadedConfig): ReturnType<typeof parseToml> {
  let parsed = parsedFiles.get(file);
  if (!parsed) parsedFiles.set(file, (parsed = parseToml(file.text)));
  return parsed;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** As the tree gives values: a table as `{}`, dates as ISO text, arrays item by item. */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  return isTable(v) ? {} : v;
}
