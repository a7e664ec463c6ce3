import type { Range, RelatedInformation, Severity } from '../diagnostics';
import type { Dialect, OtelCode, OtelDiagnostic, OtelSummary, QuickFix, TextEdit, ValidateOptions, ValidationResult } from './api';
import { exporterForms, knownKeys, schemaAt, schemaValidator, type SchemaError } from './schema';
import { kindLabel, MAX_SERVER_DEPTH, parseToml, tomlKey, type LineIndex, type ParsedToml, type TomlEntry } from './toml';
import { suggest } from './suggest';
import { checkExporterTables, escapePointer, expectedLabel, EXPORTER_KEYS, fillSummary, looksLikeLiteralSecret, unescapePointer, type RuleContext } from './rules';
import { diagnoseSyntax } from './syntaxHints';

export { looksLikeLiteralSecret };

export const DIALECT_NAME: Record<Dialect, string> = { beacon: 'Code (Beacon)', codex: 'upstream codex' };
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const OTHER: Record<Dialect, Dialect> = { beacon: 'codex', codex: 'beacon' };
/** What an error costs in each dialect; appended to every error so people know why it matters. */
const CONSEQUENCE: Record<Dialect, string> = {
  beacon: 'Code (Beacon) refuses to start with this config.',
  codex: 'Upstream codex ignores the whole config.toml (configWarning), or refuses to start with --strict-config.',
};
const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };
/** Diagnostics kept per file; the rest are counted in one last diagnostic. */
export const MAX_DIAGNOSTICS = 1000;
const DEFAULT_ENDPOINT: Record<string, string> = { 'otlp-http': 'http://localhost:4318/v1/logs', 'otlp-grpc': 'http://localhost:4317' };

/** Validates `[otel]` of a config.toml. Never throws: any input yields diagnostics. */
export function validateConfigText(text: string, options: ValidateOptions): ValidationResult {
  try {
    return new OtelValidator(typeof text === 'string' ? text : String(text), options).run();
  } catch (err) {
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'otel/internal-error',
          message: `The validator could not finish (${err instanceof Error ? err.message : String(err)}). Please report this with the file.`,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        },
      ],
      otel: { present: false, literalSecretHeaders: [] },
      syntaxError: false,
    };
  }
}

class OtelValidator implements RuleContext {
  private readonly diagnostics: OtelDiagnostic[] = [];
  /** Diagnostics past the cap: counted, not kept (a file of 300,000 unknown keys must not cost a diagnostic each). */
  private dropped = 0;
  private firstDropped?: Range;
  /** Known key path -> the diagnostic of a misspelt key that most likely meant it. */
  private readonly nearMiss = new Map<string, OtelDiagnostic>();
  private readonly dialect: Dialect;
  private parsed!: ParsedToml;
  private lines!: LineIndex;
  /** JSON pointer -> entry, to put ajv's findings back on the source. */
  private readonly pointers = new Map<string, TomlEntry>();

  constructor(
    private readonly text: string,
    private readonly options: ValidateOptions,
  ) {
    this.dialect = options.dialect === 'codex' ? 'codex' : 'beacon';
  }

  run(): ValidationResult {
    this.parsed = parseToml(this.text);
    this.lines = this.parsed.lines;
    const summary: OtelSummary = { present: false, literalSecretHeaders: [] };
    if (this.parsed.maxValueDepth > MAX_SERVER_DEPTH) {
      const at = this.parsed.deepestOffset;
      this.error(
        'toml/syntax',
        `Values are nested ${this.parsed.maxValueDepth} levels deep here; the servers' TOML reader stops at ${MAX_SERVER_DEPTH} ("max recursion depth met").`,
        this.lines.range(at, at + 1),
      );
      return this.result(summary, true);
    }
    const root = this.parsed.root;
    if (this.parsed.syntax || !root) {
      this.syntaxError();
      return this.result(summary, true);
    }
    const otel = root.children?.get('otel');
    if (!otel) {
      this.checkMisspelledSection(root);
      if ((this.options.target ?? 'production') === 'production' && !this.diagnostics.length) {
        this.add(
          'information',
          'otel/missing-section',
          'No [otel] section: nothing is exported and `environment` defaults to "dev". Add the checklist\'s [otel] section for production.',
          this.lines.range(0, 0),
        );
      }
      return this.result(summary, false);
    }
    summary.present = true;
    // statements of a hostile oversized table were not read: each counts as a problem not shown
    this.dropped += this.parsed.skippedStatements ?? 0;
    // unknown keys first: a near miss of a known key explains what its absence causes below
    if (otel.kind === 'table') this.checkUnknownKeys(otel, ['otel']);
    this.applySchema(otel);
    if (otel.kind === 'table') {
      this.checkExporters(otel);
      this.checkEnvironment(otel);
      fillSummary(this, otel, summary);
    }
    return this.result(summary, false);
  }

  /** The parser's verdict, placed where the mistake is when it is a common one (see syntaxHints). */
  private syntaxError(): void {
    let offset = Math.min(this.parsed.syntax?.offset ?? 0, this.text.length);
    const hint = diagnoseSyntax(this.text);
    if (hint && hint.start <= offset) {
      const related = hint.related && [{ message: hint.related.message, range: this.lines.range(hint.related.start, hint.related.end) }];
      this.add('error', 'toml/syntax', `TOML syntax error: ${hint.message} ${CONSEQUENCE[this.dialect]}`, this.lines.range(hint.start, hint.end), undefined, related);
      return;
    }
    // errors found at a line break or the end of the file belong to what came before them
    while (offset > 0 && (offset >= this.text.length || /[\r\n]/.test(this.text[offset])) && /\s/.test(this.text[offset - 1] ?? '')) offset--;
    const end = Math.min(this.text.length, offset + 1);
    const msg = (this.parsed.syntax?.message ?? 'unreadable TOML').replace(/\.$/, '');
    this.add('error', 'toml/syntax', `TOML syntax error: ${msg}. ${CONSEQUENCE[this.dialect]}`, this.lines.range(offset, end));
  }

  private result(otel: OtelSummary, syntaxError: boolean): ValidationResult {
    const diagnostics = this.sorted();
    if (this.dropped > 0) {
      diagnostics.push({
        severity: 'information',
        code: 'otel/too-many-problems',
        message: `${this.dropped} more problem${this.dropped === 1 ? '' : 's'} not shown: only the first ${MAX_DIAGNOSTICS} are reported. Fix these and validate again.`,
        range: this.firstDropped ?? this.lines.range(0, 0),
      });
    }
    return { diagnostics, otel, syntaxError };
  }

  // ---- helpers -------------------------------------------------------------

  add(severity: Severity, code: OtelCode, message: string, range: Range, fixes?: QuickFix[], related?: RelatedInformation[]): OtelDiagnostic | undefined {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      this.dropped++;
      this.firstDropped ??= range;
      return undefined;
    }
    const d: OtelDiagnostic = { severity, code, message, range };
    if (fixes && fixes.length) d.fixes = fixes;
    if (related && related.length) d.related = related;
    this.diagnostics.push(d);
    return d;
  }

  /**
   * Reports what the absence of the key at `path` causes, unless a misspelt key
   * explains it: then it becomes related information of that key's diagnostic
   * (one mistake, one diagnostic), which takes the worse severity.
   */
  private absent(path: string[], severity: Severity, code: OtelCode, message: string, range: Range, fixes?: QuickFix[]): void {
    const full = severity === 'error' ? `${message} ${CONSEQUENCE[this.dialect]}` : message;
    const cause = this.nearMiss.get(path.join('.'));
    if (!cause) {
      this.add(severity, code, full, range, fixes);
      return;
    }
    (cause.related ??= []).push({ message: `Because \`${path[path.length - 1]}\` is missing: ${full}`, range });
    if (RANK[severity] > RANK[cause.severity]) cause.severity = severity;
  }

  private error(code: OtelCode, message: string, range: Range, fixes?: QuickFix[]): void {
    this.add('error', code, `${message} ${CONSEQUENCE[this.dialect]}`, range, fixes);
  }

  private sorted(): OtelDiagnostic[] {
    return this.diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  rangeOf(r: [number, number]): Range {
    return this.lines.range(r[0], r[1]);
  }

  keyOrValue(e: TomlEntry): Range {
    return this.rangeOf(e.keyRange ?? e.valueRange);
  }

  replace(r: [number, number], newText: string): TextEdit {
    return { range: this.rangeOf(r), newText };
  }

  /** An edit that adds `key = value` to a table in the style the table was written in. */
  private insertion(table: TomlEntry, key: string, valueText: string): TextEdit | undefined {
    const k = tomlKey(key);
    const at = table.appendAt;
    if (at === undefined) return undefined;
    switch (table.style) {
      case 'header':
      case 'array-item':
        return { range: this.lines.range(at, at), newText: `\n${k} = ${valueText}` };
      case 'dotted':
        return table.dottedPrefix ? { range: this.lines.range(at, at), newText: `\n${table.dottedPrefix}.${k} = ${valueText}` } : undefined;
      case 'inline': {
        const close = table.valueRange[1] - 1;
        let p = close;
        while (p > table.valueRange[0] + 1 && /\s/.test(this.text[p - 1])) p--;
        if (!table.inlineHasEntries) return { range: this.lines.range(table.valueRange[0] + 1, close), newText: ` ${k} = ${valueText} ` };
        return { range: this.lines.range(p, p), newText: `, ${k} = ${valueText}` };
      }
      default:
        return undefined;
    }
  }

  fix(title: string, edit: TextEdit | undefined, preferred = true): QuickFix[] | undefined {
    return edit ? [{ title, edits: [edit], preferred }] : undefined;
  }

  // ---- structural rules from the JSON Schema ---------------------------------

  private toJson(entry: TomlEntry, pointer: string, depth: number): unknown {
    this.pointers.set(pointer, entry);
    if (depth > 64) return null;
    switch (entry.kind) {
      case 'table': {
        const out: Record<string, unknown> = {};
        for (const [k, v] of entry.children ?? []) out[k] = this.toJson(v, `${pointer}/${escapePointer(k)}`, depth + 1);
        return out;
      }
      case 'array':
        return (entry.items ?? []).map((v, i) => this.toJson(v, `${pointer}/${i}`, depth + 1));
      case 'datetime':
        // the servers' TOML reader hands a date-time to a string field as its text (checked against codex 0.169)
        return String(entry.value);
      default:
        return entry.value;
    }
  }

  private applySchema(otel: TomlEntry): void {
    const instance = { otel: this.toJson(otel, '/otel', 0) };
    const validate = schemaValidator(this.dialect);
    if (validate(instance)) return;
    const seen = new Set<string>();
    // a value of the wrong type also fails its enum; the type is the one thing to say
    const typeErrors = new Set((validate.errors ?? []).filter((e) => e.keyword === 'type').map((e) => e.instancePath));
    for (const err of validate.errors ?? []) {
      if (err.keyword === 'enum' && typeErrors.has(err.instancePath)) continue;
      const key = `${err.instancePath}|${err.keyword}|${JSON.stringify(err.params)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.mapSchemaError(err);
    }
  }

  private mapSchemaError(err: SchemaError): void {
    const entry = this.pointers.get(err.instancePath);
    if (!entry) return;
    const path = unescapePointer(err.instancePath);
    const name = path[path.length - 1] ?? 'otel';
    const parentName = path[path.length - 2];
    const isExporter = path.length === 2 && (EXPORTER_KEYS as readonly string[]).includes(name);
    const forms = exporterForms(this.dialect);
    const p = err.params as Record<string, unknown>;
    switch (err.keyword) {
      case 'if':
        return;
      case 'type': {
        let message: string;
        if (path.length === 1) {
          message = `\`otel\` must be a table (write it as [otel]), not ${kindLabel(entry.kind)}.`;
        } else if (isExporter) {
          message = `\`${name}\` must be ${forms.strings.map((s) => `"${s}"`).join(' or ')} or a table with one exporter kind such as [otel.${name}."otlp-grpc"], not ${kindLabel(entry.kind)}.`;
        } else if (parentName === 'headers') {
          message = `Header \`${name}\` must be a string, not ${kindLabel(entry.kind)}.`;
        } else {
          message = `\`${name}\` must be ${expectedLabel(p.type)}, not ${kindLabel(entry.kind)}.`;
        }
        this.error('otel/wrong-type', message, this.rangeOf(entry.valueRange));
        return;
      }
      case 'enum':
        if (isExporter) this.badExporterString(entry, name, forms);
        else if (name === 'protocol') this.badProtocol(entry);
        else this.error('otel/invalid-value', `\`${name}\` ${err.message ?? 'has an invalid value'}.`, this.rangeOf(entry.valueRange));
        return;
      case 'required':
        this.missingKey(entry, path, String(p.missingProperty));
        return;
      case 'additionalProperties': {
        const kind = String(p.additionalProperty);
        const child = entry.children?.get(kind);
        const range = child ? this.keyOrValue(child) : this.keyOrValue(entry);
        const otherForms = exporterForms(OTHER[this.dialect]);
        const best = suggest(kind, forms.tables);
        let message = `Unknown exporter kind \`${kind}\` in \`${name}\`: ${DIALECT_NAME[this.dialect]} knows ${forms.tables.filter((t) => t.startsWith('otlp')).map((t) => `\`${t}\``).join(' and ')}.`;
        if (otherForms.tables.includes(kind)) message = `Exporter kind \`${kind}\` is understood only by ${DIALECT_NAME[OTHER[this.dialect]]}, not by ${DIALECT_NAME[this.dialect]}.`;
        else if (best) message += ` Did you mean \`${best}\`?`;
        const fix = best && child?.keyRange ? this.fix(`Rename to ${best}`, this.replace(child.keyRange, tomlKey(best))) : undefined;
        this.error('otel/unknown-exporter', message, range, fix);
        return;
      }
      case 'maxProperties': {
        if (Number(p.limit) === 0) {
          this.error('otel/invalid-value', `\`${name}\` takes no settings; write \`${parentName} = "${name}"\` instead.`, this.keyOrValue(entry));
          return;
        }
        const kinds = [...(entry.children?.keys() ?? [])];
        const second = entry.children?.get(kinds[1]);
        this.error(
          'otel/multiple-exporters',
          `\`${name}\` configures ${kinds.length} exporter kinds (${kinds.map((k) => `\`${k}\``).join(', ')}); exactly one is allowed.`,
          second ? this.keyOrValue(second) : this.keyOrValue(entry),
        );
        return;
      }
      case 'minProperties':
        this.error(
          'otel/empty-exporter',
          `\`${name}\` is an empty table: give it one exporter kind such as \`otlp-grpc\`, or write \`${name} = "none"\`.`,
          this.rangeOf(entry.valueRange),
          this.fix(`Replace with "none"`, entry.style === 'inline' ? this.replace(entry.valueRange, '"none"') : undefined),
        );
        return;
      default:
        this.error('otel/invalid-value', `\`${name}\` ${err.message ?? 'is invalid'}.`, this.rangeOf(entry.valueRange));
    }
  }

  private badExporterString(entry: TomlEntry, name: string, forms: { strings: string[]; tables: string[] }): void {
    const value = String(entry.value);
    const allowed = forms.strings.map((s) => `"${s}"`).join(' or ');
    if (forms.tables.includes(value) && value.startsWith('otlp')) {
      const replacement =
        this.dialect === 'beacon' || value === 'otlp-http'
          ? `{ ${value} = { endpoint = "${DEFAULT_ENDPOINT[value]}"${value === 'otlp-http' ? ', protocol = "binary"' : ''}, headers = {} } }`
          : `{ ${value} = { endpoint = "${DEFAULT_ENDPOINT[value]}" } }`;
      this.error(
        'otel/bare-exporter-string',
        `\`${name} = "${value}"\` is not valid as a bare string ("invalid type: unit variant"): \`${value}\` needs a table with its endpoint, e.g. [otel.${name}."${value}"].`,
        this.rangeOf(entry.valueRange),
        this.fix(`Change to the table form of ${value}`, this.replace(entry.valueRange, replacement)),
      );
      return;
    }
    const other = exporterForms(OTHER[this.dialect]).strings;
    const best = suggest(value, forms.strings);
    let message = `Unknown exporter \`"${value}"\` for \`${name}\`: as a string ${DIALECT_NAME[this.dialect]} accepts only ${allowed}.`;
    if (other.includes(value)) message = `\`${name} = "${value}"\` is understood only by ${DIALECT_NAME[OTHER[this.dialect]]}; ${DIALECT_NAME[this.dialect]} accepts only ${allowed}.`;
    else if (best) message += ` Did you mean "${best}"?`;
    this.error('otel/unknown-exporter', message, this.rangeOf(entry.valueRange), best ? this.fix(`Replace with "${best}"`, this.replace(entry.valueRange, `"${best}"`)) : undefined);
  }

  private badProtocol(entry: TomlEntry): void {
    const value = String(entry.value);
    const wantJson = /json/i.test(value);
    const fixes: QuickFix[] = [
      { title: 'Replace with "binary"', edits: [this.replace(entry.valueRange, '"binary"')], preferred: !wantJson },
      { title: 'Replace with "json"', edits: [this.replace(entry.valueRange, '"json"')], preferred: wantJson },
    ];
    this.error(
      'otel/invalid-protocol',
      `\`protocol = "${value}"\` is not a valid OTLP/HTTP protocol: use "binary" (protobuf) or "json"${wantJson ? ' — did you mean "json"?' : ''}.`,
      this.rangeOf(entry.valueRange),
      fixes,
    );
  }

  private missingKey(entry: TomlEntry, path: string[], key: string): void {
    const kind = path[path.length - 1] ?? '';
    const where = `[${path.map((s) => (/^[A-Za-z0-9_]+$/.test(s) ? s : `"${s}"`)).join('.')}]`;
    const range = this.keyOrValue(entry);
    const at = [...path, key];
    if (key === 'endpoint') {
      this.absent(at, 'error', 'otel/missing-endpoint', `${where} has no \`endpoint\`: ${kind} needs the collector URL.`, range);
    } else if (key === 'protocol') {
      this.absent(
        at,
        'error',
        'otel/missing-protocol',
        `${where} has no \`protocol\`: otlp-http needs \`protocol = "binary"\` or \`"json"\` ("missing field \`protocol\`").`,
        range,
        this.fix('Add protocol = "binary"', this.insertion(entry, 'protocol', '"binary"')),
      );
    } else if (key === 'headers') {
      this.absent(
        at,
        'error',
        'otel/missing-headers',
        `${where} has no \`headers\`: ${DIALECT_NAME.beacon} requires it (upstream codex does not); write \`headers = {}\` when none are needed.`,
        range,
        this.fix('Add headers = {}', this.insertion(entry, 'headers', '{}')),
      );
    } else {
      this.absent(at, 'error', 'otel/invalid-value', `${where} is missing \`${key}\`.`, range);
    }
  }

  // ---- rules beyond the schema ---------------------------------------------

  private checkMisspelledSection(root: TomlEntry): void {
    for (const [key, child] of root.children ?? []) {
      if (key !== 'otel' && child.kind === 'table' && suggest(key, ['otel']) === 'otel' && child.keyRange) {
        this.add(
          'warning',
          'otel/unknown-key',
          `Unknown section \`${key}\`: did you mean \`otel\`? Both servers ignore unknown sections, so telemetry stays off.`,
          this.rangeOf(child.keyRange),
          this.fix('Rename to otel', this.replace(child.keyRange, 'otel')),
        );
      }
    }
  }

  /** Keys the schema does not list: silently ignored by the servers, so likely typos or the other dialect's keys. */
  private checkUnknownKeys(table: TomlEntry, path: string[]): void {
    if (table.kind !== 'table' || path.length > 8) return;
    const known = knownKeys(this.dialect, path);
    if (!known || known.map) return;
    for (const [key, child] of table.children ?? []) {
      if (known.keys.includes(key)) {
        this.checkUnknownKeys(child, [...path, key]);
        continue;
      }
      if (known.closed) continue; // the schema reports these as errors
      const range = this.keyOrValue(child);
      const other = OTHER[this.dialect];
      if (schemaAt(other, [...path, key])) {
        this.add(
          'warning',
          'otel/other-dialect-key',
          `\`${key}\` is understood only by ${DIALECT_NAME[other]}; ${DIALECT_NAME[this.dialect]} silently ignores it.`,
          range,
        );
        continue;
      }
      const best = suggest(key, known.keys);
      const where = path.length === 1 ? '[otel]' : `\`${path.slice(1).join('.')}\``;
      const d = this.add(
        'warning',
        'otel/unknown-key',
        `Unknown key \`${key}\` in ${where}${best ? `: did you mean \`${best}\`?` : '.'} ${cap(DIALECT_NAME[this.dialect])} silently ignores it${best ? ` and uses the default of \`${best}\`` : ''}.`,
        range,
        best && child.keyRange ? this.fix(`Rename to ${best}`, this.replace(child.keyRange, tomlKey(best))) : undefined,
      );
      if (d && best && !table.children?.has(best) && !this.nearMiss.has([...path, best].join('.'))) this.nearMiss.set([...path, best].join('.'), d);
    }
  }

  private checkExporters(otel: TomlEntry): void {
    checkExporterTables(this, otel, this.dialect);
  }

  private checkEnvironment(otel: TomlEntry): void {
    const env = otel.children?.get('environment');
    const stringy = env?.kind === 'string' || env?.kind === 'datetime';
    const envValue = stringy ? String(env?.value) : env ? undefined : 'dev';
    // with no `environment`, what follows is a consequence of its absence (possibly of a misspelt key)
    const report = env ? (...a: Parameters<OtelValidator['add']>) => void this.add(...a) : this.absent.bind(this, ['otel', 'environment']);
    const setProduction = env ? (stringy ? this.replace(env.valueRange, '"production"') : undefined) : this.insertion(otel, 'environment', '"production"');
    if ((this.options.target ?? 'production') === 'production' && envValue !== 'production' && (!env || stringy)) {
      const range = env ? this.rangeOf(env.valueRange) : this.keyOrValue(otel);
      report(
        'warning',
        'otel/environment-not-production',
        env
          ? `\`environment = "${envValue}"\` but the readiness target is production: set it to "production".`
          : '`environment` is not set, so it defaults to "dev", but the readiness target is production: set `environment = "production"`.',
        range,
        this.fix('Set environment = "production"', setProduction),
      );
    }
    const prompt = otel.children?.get('log_user_prompt');
    if (prompt?.kind === 'boolean' && prompt.value === true) {
      this.add(
        'warning',
        'otel/log-user-prompt',
        '`log_user_prompt = true` exports the text of every prompt, which can hold secrets and personal data. Keep it false in production.',
        this.rangeOf(prompt.valueRange),
        this.fix('Set log_user_prompt = false', this.replace(prompt.valueRange, 'false')),
      );
    }
    const exporter = otel.children?.get('exporter');
    const exporting = exporter && (exporter.kind === 'table' ? (exporter.children?.size ?? 0) > 0 : exporter.kind === 'string' && exporter.value !== 'none');
    if (exporting && envValue === 'dev') {
      report(
        'warning',
        'otel/exporter-in-dev',
        `An exporter is configured while \`environment\` is "dev"${env ? '' : ' (the default)'}: this telemetry will be tagged as development. Set the real environment.`,
        this.keyOrValue(exporter),
      );
    }
  }
}
