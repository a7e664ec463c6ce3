import * as vscode from 'vscode';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { AppServerSupervisor } from '../core/appServer/supervisor';
import { parseRequestParams as parseParams } from '../core/appServer/requestParams';

/** Methods of both servers that are safe to poke, with a params template. */
const KNOWN_METHODS: { method: string; params: unknown; detail: string }[] = [
  { method: 'initialize', params: { clientInfo: { name: 'code-ops', title: 'Code Ops', version: '0' } }, detail: 'Liveness: a repeated initialize answers "Already initialized"' },
  { method: 'thread/list', params: {}, detail: 'upstream codex: list threads' },
  { method: 'model/list', params: {}, detail: 'upstream codex: list models' },
  { method: 'account/read', params: {}, detail: 'upstream codex: account and auth state' },
  { method: 'config/read', params: {}, detail: 'upstream codex: effective configuration' },
  { method: 'listConversations', params: {}, detail: 'Code (Beacon): list conversations' },
  { method: 'getUserSavedConfig', params: {}, detail: 'Code (Beacon): the saved config' },
  { method: 'getAuthStatus', params: { includeToken: false }, detail: 'Code (Beacon): auth status' },
  { method: 'userInfo', params: {}, detail: 'Code (Beacon): signed-in user' },
];

const SCHEME = 'code-ops-response';
const RECENT_KEY = 'codeOps.sendRequest.recent';
const PARAMS_KEY = 'codeOps.sendRequest.params';

/** Responses open in a read-only JSON editor backed by this provider. */
class ResponseDocuments implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private counter = 0;
  add(method: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${++this.counter}-${method.replace(/[^\w.-]+/g, '_')}.json` });
    this.docs.set(uri.toString(), text);
    if (this.docs.size > 50) this.docs.delete(this.docs.keys().next().value as string);
    return uri;
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '// This response is no longer kept.';
  }
}

let documents: ResponseDocuments | undefined;

async function pickMethod(memento: vscode.Memento): Promise<string | undefined> {
  const recent = memento.get<string[]>(RECENT_KEY, []);
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.title = 'Code Ops: Send Request to the App Server';
  qp.placeholder = 'Pick a method or type one (for example thread/list)';
  const base: vscode.QuickPickItem[] = [
    ...(recent.length ? [{ label: 'recent', kind: vscode.QuickPickItemKind.Separator }, ...recent.map((m) => ({ label: m }))] : []),
    { label: 'known methods', kind: vscode.QuickPickItemKind.Separator },
    ...KNOWN_METHODS.filter((k) => !recent.includes(k.method)).map((k) => ({ label: k.method, detail: k.detail })),
  ];
  qp.items = base;
  qp.onDidChangeValue((value) => {
    const v = value.trim();
    const exists = base.some((i) => i.label === v);
    qp.items = v && !exists ? [{ label: v, description: 'send this method' }, ...base] : base;
  });
  return new Promise((resolve) => {
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0]?.label ?? qp.value.trim();
      resolve(chosen || undefined);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** The "MCP-style console": pick a method, edit params, see the answer in a read-only JSON editor. */
export async function sendRequestInteractive(
  supervisor: AppServerSupervisor | undefined,
  memento: vscode.Memento,
  timeoutMs: number,
  subscriptions: vscode.Disposable[],
): Promise<void> {
  const state = supervisor?.snapshot().state;
  if (!supervisor || (state !== 'healthy' && state !== 'unresponsive')) {
    const pick = await vscode.window.showWarningMessage(`The app server is not running (${state ?? 'stopped'}); start it to send requests.`, 'Start App Server');
    if (pick) await vscode.commands.executeCommand('codeOps.appServer.start');
    return;
  }
  const method = await pickMethod(memento);
  if (!method) return;
  const template = KNOWN_METHODS.find((k) => k.method === method)?.params ?? {};
  const lastParams = memento.get<Record<string, string>>(PARAMS_KEY, {});
  const paramsText = await vscode.window.showInputBox({
    title: `Params for ${method}`,
    prompt: 'JSON object or array; empty sends no params',
    // What was typed for this method last time comes back, so a failed request loses nothing.
    value: lastParams[method] ?? JSON.stringify(template),
    // Invalid JSON keeps the box open with the text as typed; clicking elsewhere must not drop it either.
    ignoreFocusOut: true,
    validateInput: (t) => parseParams(t).error,
  });
  if (paramsText === undefined) return;
  const params = parseParams(paramsText).value;
  const kept = Object.entries({ ...lastParams, [method]: paramsText }).slice(-20);
  await memento.update(PARAMS_KEY, Object.fromEntries(kept));
  await memento.update(RECENT_KEY, [method, ...memento.get<string[]>(RECENT_KEY, []).filter((m) => m !== method)].slice(0, 8));
  const t0 = performance.now();
  let body: Record<string, unknown>;
  try {
    const result = await supervisor.request(method, params, { timeoutMs });
    body = { method, params, ms: round(performance.now() - t0), result };
  } catch (err) {
    const ms = round(performance.now() - t0);
    body =
      err instanceof ResponseError
        ? { method, params, ms, error: { code: err.code, message: err.message, data: err.data } }
        : { method, params, ms, error: { message: (err as Error).message } };
  }
  if (!documents) {
    documents = new ResponseDocuments();
    subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SCHEME, documents));
  }
  const uri = documents.add(method, `${JSON.stringify(body, null, 2)}\n`);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(doc, 'json');
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
