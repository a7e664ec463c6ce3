import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  MarkupKind,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeHomePaths, resolveCodeHome } from '../core/codeHome';
import {
  CHECKLIST_OTEL_URL,
  completions,
  cursorContext,
  detectDialect,
  findKeyRange,
  hoverMarkdown,
  validateConfigText,
  type DialectSetting,
  type OtelDiagnostic,
  type QuickFix,
  type ReadinessTarget,
  type ValidationResult,
} from '../core/otel';
import { SettingsNotification, ValidateFileRequest, FindKeyRequest, type ConfigServerSettings, type ValidateFileResult } from './protocol';
import { DEFAULT_COMMAND } from '../core/constants';
import { loadConfigFile } from '../core/otel/load';
import { FILE_CAPS, readRegularFileSync } from '../core/fsSafe';

/**
 * The config.toml language server: diagnostics of the [otel] rules on the exact
 * key, quick fixes, hover and completion. It knows nothing of the editor UI;
 * the extension tells it CODE_HOME and the settings.
 */
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let settings: ConfigServerSettings = {
  codeHome: resolveCodeHome().path,
  dialect: 'auto',
  target: 'production',
  serverCommand: DEFAULT_COMMAND,
};

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

function configTomlUri(): string {
  return pathToFileURL(codeHomePaths(settings.codeHome).configToml).toString();
}

function fsPathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

function dialectFor(uri: string) {
  return detectDialect({
    setting: settings.dialect,
    filePath: fsPathOf(uri),
    serverCommand: settings.serverCommand,
    env: { ...process.env, CODE_HOME: settings.codeHome },
  });
}

function toLsp(d: OtelDiagnostic, uri: string): LspDiagnostic {
  return {
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: CHECKLIST_OTEL_URL },
    source: 'code-ops',
    message: d.message,
    range: d.range,
    data: d.fixes ? { fixes: d.fixes } : undefined,
    relatedInformation: d.related?.map((r) => ({ message: r.message, location: { uri: r.file ? pathToFileURL(r.file).toString() : uri, range: r.range } })),
  };
}

function count(ds: OtelDiagnostic[]): Pick<ValidateFileResult, 'errors' | 'warnings'> {
  return { errors: ds.filter((d) => d.severity === 'error').length, warnings: ds.filter((d) => d.severity === 'warning').length };
}

/**
 * One name per file for the URIs that name it: the client writes `file:` URIs its own way (VS Code
 * escapes `@`, `+`, a drive letter's colon…), this server builds them with pathToFileURL.
 */
function fileKey(uri: string): string {
  const file = fsPathOf(uri);
  if (!file) return uri;
  const resolved = path.resolve(file);
  return process.platform === 'win32' ? resolved.toLowerCase() : resolved;
}

/** The open document for `uri`, under whichever form of its URI the client used. */
function openDocument(uri: string): TextDocument | undefined {
  const key = fileKey(uri);
  return documents.get(uri) ?? documents.all().find((d) => fileKey(d.uri) === key);
}

/** Each file's diagnostics when last sent (JSON), and whether they came from the file on disk. */
const published = new Map<string, { json: string; fromDisk: boolean }>();
/** Files just opened whose first check has not run yet. */
const justOpened = new Set<string>();

/**
 * Sends a file's diagnostics. Two cases send nothing when the set is what the client already has: the
 * first check of a file just opened whose diagnostics were sent from disk (config.toml, checked at
 * start: a second, identical set would make the editor replace the squiggles it is drawing for the
 * first time), and a check from disk. After an edit the set is always sent: the editor may have
 * collapsed a squiggle whose text the edit replaced, and a new set draws it again.
 */
function publish(uri: string, diagnostics: OtelDiagnostic[], source: 'disk' | 'opened' | 'edited', version?: number): void {
  const key = fileKey(uri);
  // compared before conversion: the LSP form names the file's URI, which differs between the two forms
  const json = JSON.stringify(diagnostics);
  const before = published.get(key);
  const same = before?.json === json;
  if (same && (source === 'disk' || (source === 'opened' && before.fromDisk))) return;
  if (diagnostics.length) published.set(key, { json, fromDisk: source === 'disk' });
  else published.delete(key);
  void connection.sendDiagnostics({ uri, version, diagnostics: diagnostics.map((d) => toLsp(d, uri)) });
}

function validateOpen(doc: TextDocument): ValidateFileResult {
  const result = validateConfigText(doc.getText(), { dialect: dialectFor(doc.uri), target: settings.target, filePath: fsPathOf(doc.uri) });
  const opened = justOpened.delete(fileKey(doc.uri));
  publish(doc.uri, result.diagnostics, opened ? 'opened' : 'edited', doc.version);
  return { uri: doc.uri, exists: true, ...count(result.diagnostics), dialect: dialectFor(doc.uri) };
}

/** Validates a file that may not be open (the resolved config.toml at start). */
async function validateFile(uri: string): Promise<ValidateFileResult> {
  const open = openDocument(uri);
  if (open) return validateOpen(open);
  const file = fsPathOf(uri);
  const dialect = dialectFor(uri);
  if (!file) return { uri, exists: false, errors: 0, warnings: 0, dialect };
  let result: ValidationResult;
  try {
    ({ result } = await loadConfigFile(file, { dialect, target: settings.target }));
  } catch {
    publish(uri, [], 'disk');
    return { uri, exists: false, errors: 0, warnings: 0, dialect };
  }
  publish(uri, result.diagnostics, 'disk');
  return { uri, exists: true, ...count(result.diagnostics), dialect };
}

function applySettings(next: Partial<ConfigServerSettings> | undefined): void {
  if (!next) return;
  const dialect: DialectSetting = next.dialect === 'beacon' || next.dialect === 'codex' ? next.dialect : 'auto';
  const target: ReadinessTarget = next.target === 'staging' || next.target === 'development' ? next.target : 'production';
  settings = {
    codeHome: typeof next.codeHome === 'string' && next.codeHome ? path.resolve(next.codeHome) : settings.codeHome,
    dialect,
    target,
    serverCommand: typeof next.serverCommand === 'string' ? next.serverCommand : settings.serverCommand,
  };
}

function revalidateAll(): void {
  for (const doc of documents.all()) validateOpen(doc);
  // an open config.toml was just checked with the rest
  if (!openDocument(configTomlUri())) void validateFile(configTomlUri());
}

connection.onInitialize((params: InitializeParams) => {
  applySettings(params.initializationOptions as Partial<ConfigServerSettings> | undefined);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.', '[', '"', '=', ' '] },
    },
    serverInfo: { name: 'code-ops-config' },
    // lets the client wait for this process to be gone after `exit` (deactivate leaves nothing behind)
    processId: process.pid,
  };
});

connection.onInitialized(() => {
  // the Problems panel shows config trouble even before the file is opened (and before the app server fails on it)
  void validateFile(configTomlUri());
});

connection.onNotification(SettingsNotification, (next) => {
  const before = settings.codeHome;
  applySettings(next);
  if (before !== settings.codeHome) publish(pathToFileURL(codeHomePaths(before).configToml).toString(), [], 'disk');
  revalidateAll();
});

connection.onRequest(ValidateFileRequest, (params) => validateFile(params?.uri || configTomlUri()));

connection.onRequest(FindKeyRequest, (params) => {
  const doc = openDocument(params.uri);
  const file = fsPathOf(params.uri);
  let text = doc?.getText();
  if (text === undefined && file) {
    try {
      text = readRegularFileSync(file, FILE_CAPS.config).toString('utf8');
    } catch {
      return null;
    }
  }
  return text === undefined ? null : (findKeyRange(text, params.key) ?? null);
});

// (TextDocuments fires onDidOpen, then onDidChangeContent, for an opened file)
documents.onDidOpen((e) => justOpened.add(fileKey(e.document.uri)));
documents.onDidChangeContent((e) => validateOpen(e.document));
documents.onDidClose((e) => {
  justOpened.delete(fileKey(e.document.uri));
  // the resolved config.toml keeps its diagnostics from disk; other files are forgotten
  if (fileKey(e.document.uri) === fileKey(configTomlUri())) void validateFile(e.document.uri);
  else publish(e.document.uri, [], 'disk');
});

connection.onCodeAction((params) => {
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    const fixes = (d.data as { fixes?: QuickFix[] } | undefined)?.fixes;
    for (const fix of fixes ?? []) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: fix.preferred,
        edit: { changes: { [params.textDocument.uri]: fix.edits } },
      });
    }
  }
  return actions;
});

connection.onHover((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const ctx = cursorContext(doc.getText(), params.position.line, params.position.character);
  const keyPath = ctx.keyPath ?? (ctx.kind === 'value' ? ctx.path : undefined);
  if (!keyPath) return null;
  const md = hoverMarkdown(dialectFor(doc.uri), keyPath);
  if (!md) return null;
  return { contents: { kind: MarkupKind.Markdown, value: `${md}\n\n[Checklist 7.1](${CHECKLIST_OTEL_URL})` } };
});

connection.onCompletion((params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const { line, character } = params.position;
  const ctx = cursorContext(doc.getText(), line, character);
  return completions(dialectFor(doc.uri), ctx).map((c) => ({
    label: c.label,
    kind: c.kind === 'value' ? CompletionItemKind.Value : c.kind === 'table' ? CompletionItemKind.Module : CompletionItemKind.Property,
    detail: c.detail,
    documentation: c.documentation ? { kind: MarkupKind.Markdown, value: c.documentation } : undefined,
    textEdit: {
      range: { start: { line, character: ctx.wordStart }, end: { line, character: Math.max(character, ctx.inString ? character : ctx.wordEnd) } },
      newText: c.insertText,
    },
  }));
});

documents.listen(connection);
connection.listen();
