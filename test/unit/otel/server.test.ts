import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { FindKeyRequest, SettingsNotification, ValidateFileRequest } from '../../../src/server/protocol';

/** The bundled language server as a real process, spoken to over stdio LSP. */
const SERVER = path.resolve(__dirname, '../../../dist/server.js');

interface PublishParams {
  uri: string;
  diagnostics: Array<{ code: string; severity: number; range: { start: { line: number; character: number } }; codeDescription?: { href: string }; data?: unknown }>;
}

describe('config.toml language server (process)', function () {
  this.timeout(30_000);
  let home: string;
  let child: ChildProcess;
  let conn: MessageConnection;
  const published = new Map<string, PublishParams>();
  const sends = new Map<string, number>();
  const waiters: Array<() => void> = [];

  function waitFor(pred: () => boolean, ms = 10_000): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for diagnostics')), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      waiters.push(check);
    });
  }

  before(async function () {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-lsp-'));
    fs.writeFileSync(path.join(home, 'config.toml'), '[otel]\nenvironment = "production"\n[otel.exporter."otlp-grpc"]\nendpoint = "https://c:4317"\n');
    child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishParams) => {
      published.set(p.uri, p);
      sends.set(p.uri, (sends.get(p.uri) ?? 0) + 1);
      for (const w of waiters.splice(0)) w();
    });
    conn.onRequest(() => null);
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: { codeHome: home, dialect: 'auto', target: 'production', serverCommand: 'code-app-server' },
    });
    await conn.sendNotification('initialized', {});
  });

  after(async () => {
    if (conn) {
      await conn.sendRequest('shutdown').catch(() => undefined);
      await conn.sendNotification('exit').catch(() => undefined);
      conn.dispose();
    }
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('validates $CODE_HOME/config.toml on start without it being opened', async () => {
    const uri = pathToFileURL(path.join(home, 'config.toml')).toString();
    await waitFor(() => published.has(uri));
    const d = published.get(uri)!.diagnostics;
    assert.deepEqual(d.map((x) => x.code), ['otel/missing-headers']);
    assert.equal(d[0].severity, 1);
    assert.match(d[0].codeDescription!.href, /production_checklist\.md#71-otlp-endpoint-setup/);
  });

  it('validates an opened document as it changes, offers quick fixes, hover and completion', async () => {
    const uri = pathToFileURL(path.join(home, 'other.toml')).toString();
    const text = '[otel]\nenvironment = "production"\nexporter = { otlp-http = { endpoint = "https://c:4318/v1/logs", protocol = "grpc", headers = {} } }\n';
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'toml', version: 1, text } });
    await waitFor(() => published.get(uri)?.diagnostics.length === 1);
    const diag = published.get(uri)!.diagnostics[0];
    assert.equal(diag.code, 'otel/invalid-protocol');
    const actions = (await conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diag.range,
      context: { diagnostics: [diag] },
    })) as Array<{ title: string; isPreferred?: boolean; edit: { changes: Record<string, Array<{ newText: string }>> } }>;
    assert.deepEqual(actions.map((a) => a.title), ['Replace with "binary"', 'Replace with "json"']);
    assert.equal(actions[0].edit.changes[uri][0].newText, '"binary"');

    const hover = (await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 3 } })) as { contents: { value: string } };
    assert.match(hover.contents.value, /\*\*environment\*\*[\s\S]*Default: `"dev"`/);

    const items = (await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: text.split('\n')[2].indexOf('"grpc"') + 1 } })) as Array<{ label: string }>;
    assert.deepEqual(items.map((i) => i.label), ['binary', 'json']);

    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: text.replace('"grpc"', '"binary"') }],
    });
    await waitFor(() => published.get(uri)?.diagnostics.length === 0);
  });

  it('sends a file\'s diagnostics only when they change (opening config.toml after its check from disk sends nothing)', async () => {
    const file = path.join(home, 'config.toml');
    const uri = pathToFileURL(file).toString();
    await waitFor(() => published.has(uri));
    const text = fs.readFileSync(file, 'utf8');
    // a request answered after the notifications before it: every diagnostics those caused has arrived
    const settle = () => conn.sendRequest(FindKeyRequest.method, { uri, key: 'otel.environment' });
    await settle();
    const before = sends.get(uri)!;
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'toml', version: 1, text } });
    await settle();
    assert.equal(sends.get(uri), before, 'the same diagnostics were not sent again on open');
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: '[otel]\nenvironment = "staging"\n' }] });
    await waitFor(() => sends.get(uri) === before + 1);
    assert.notDeepEqual(published.get(uri)!.diagnostics.map((d) => d.code), ['otel/missing-headers']);
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
    await waitFor(() => sends.get(uri) === before + 2);
    assert.deepEqual(published.get(uri)!.diagnostics.map((d) => d.code), ['otel/missing-headers']);
    // an edit that leaves the diagnostics as they were still sends them (the editor may have collapsed a squiggle)
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 4 }, contentChanges: [{ text }] });
    await waitFor(() => sends.get(uri) === before + 3);
    // closed: checked from disk again, the same as the buffer was: nothing sent
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const result = (await conn.sendRequest(ValidateFileRequest.method, { uri })) as { errors: number };
    assert.equal(result.errors, 1);
    assert.equal(sends.get(uri), before + 3);
  });

  it('switches rules when the dialect setting changes', async () => {
    const uri = pathToFileURL(path.join(home, 'config.toml')).toString();
    // the typed messages of src/server/protocol.ts, as the editor's client sends them
    await conn.sendNotification(SettingsNotification, { codeHome: home, dialect: 'codex', target: 'production', serverCommand: 'code-app-server' });
    await waitFor(() => published.get(uri)?.diagnostics.length === 0);
    const result = await conn.sendRequest(ValidateFileRequest, { uri });
    assert.deepEqual([result.errors, result.dialect], [0, 'codex']);
    const at = await conn.sendRequest(FindKeyRequest, { uri, key: 'otel.environment' });
    assert.equal(at?.start.line, 1);
  });

  it('treats the editor\'s form of a URI (%40, %2B) and its own as one file: no resend on open, no clearing on close', async () => {
    const other = path.join(home, 'ops@team+1');
    fs.mkdirSync(other);
    const file = path.join(other, 'config.toml');
    fs.copyFileSync(path.join(home, 'config.toml'), file);
    const ours = pathToFileURL(file).toString();
    // as VS Code's URI writes it
    const editors = ours.replace('@', '%40').replace('+', '%2B');
    assert.notEqual(editors, ours);
    await conn.sendNotification(SettingsNotification, { codeHome: other, dialect: 'auto', target: 'production', serverCommand: 'code-app-server' });
    await waitFor(() => published.get(ours)?.diagnostics.length === 1);
    // a request answered after the notifications before it
    const settle = () => conn.sendRequest(FindKeyRequest, { uri: ours, key: 'otel.environment' });
    await conn.sendRequest(ValidateFileRequest, { uri: ours });
    const before = sends.get(ours)!;
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: editors, languageId: 'toml', version: 1, text: fs.readFileSync(file, 'utf8') } });
    await settle();
    assert.deepEqual([sends.get(ours), sends.get(editors)], [before, undefined], 'nothing sent again on open');
    await conn.sendNotification('textDocument/didClose', { textDocument: { uri: editors } });
    const result = await conn.sendRequest(ValidateFileRequest, { uri: ours });
    assert.equal(result.errors, 1);
    assert.equal(sends.get(editors), undefined, 'config.toml keeps its diagnostics when closed (not cleared under the editor\'s form)');
  });
});
