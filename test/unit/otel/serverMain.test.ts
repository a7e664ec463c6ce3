import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { CODE_CACHE_ENV, WRITE_AFTER_MS } from '../../../src/core/codeCache';

// dist/serverMain.js is the module the language client forks: it loads dist/server.js through the
// code cache in the folder the extension names (CODE_OPS_CODE_CACHE_DIR). Two real server processes
// one after the other, as two windows would start them.
const ENTRY = path.resolve(__dirname, '../../../dist/serverMain.js');

/** Starts the server, waits for the diagnostics of config.toml, keeps it up `stayMs`, then shuts it down. */
async function serve(home: string, cacheDir: string, stayMs: number): Promise<string[]> {
  const child = spawn(process.execPath, [ENTRY, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, [CODE_CACHE_ENV]: cacheDir } });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const uri = pathToFileURL(path.join(home, 'config.toml')).toString();
  const codes = new Promise<string[]>((resolve) =>
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Array<{ code: string }> }) => {
      if (p.uri === uri) resolve(p.diagnostics.map((d) => d.code).sort());
    }),
  );
  conn.onRequest(() => null);
  conn.listen();
  try {
    await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { codeHome: home, dialect: 'auto', target: 'production', serverCommand: 'code-app-server' } });
    await conn.sendNotification('initialized', {});
    const result = await codes;
    await new Promise((r) => setTimeout(r, stayMs));
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    return result;
  } finally {
    conn.dispose();
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('config.toml language server entry point (dist/serverMain.js, code cache)', function () {
  this.timeout(60_000);
  let home: string;
  let cacheDir: string;

  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-lsp-main-'));
    cacheDir = path.join(home, 'storage');
    // environment misspelt: the server's rules name it (same fixture shape as server.test.ts)
    fs.writeFileSync(path.join(home, 'config.toml'), '[otel]\nenviroment = "production"\n');
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  it('the first server writes the cache of dist/server.js; the next one uses it and validates the same', async () => {
    const first = await serve(home, cacheDir, WRITE_AFTER_MS + 700);
    assert.ok(first.length > 0, 'diagnostics for the misspelt key');
    const caches = fs.readdirSync(path.join(cacheDir, 'v8-cache'));
    assert.equal(caches.length, 1, caches.join(', '));
    assert.match(caches[0], /^server-/);
    const file = path.join(cacheDir, 'v8-cache', caches[0]);
    const written = fs.statSync(file).mtimeMs;
    const second = await serve(home, cacheDir, WRITE_AFTER_MS + 700);
    assert.deepEqual(second, first);
    // a cache V8 refused, or none, would have been written again after WRITE_AFTER_MS
    assert.equal(fs.statSync(file).mtimeMs, written, 'the second server used the cache (it did not write it again)');
  });

  it('without a cache folder it still serves, and writes nothing', async () => {
    const codes = await serve(home, '', 200);
    assert.ok(codes.length > 0);
  });
});
