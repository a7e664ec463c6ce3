import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { FindKeyRequest, SettingsNotification, ValidateFileRequest, type ConfigServerSettings, type ValidateFileResult } from '../server/protocol';
import { CODE_CACHE_ENV, codeCacheDir } from '../core/codeCache';

/**
 * The language client of the config.toml server. Bundled apart (dist/configClient.js)
 * and loaded only when a config file is opened or validated, so activation
 * never pays for vscode-languageclient.
 */
export interface ConfigClientOptions {
  serverModule: string;
  settings: ConfigServerSettings;
  /** Extra glob patterns (`codeOps.config.files`). */
  files: string[];
  output: vscode.LogOutputChannel;
}

export interface ConfigClient {
  readonly ready: Promise<void>;
  validateFile(uri?: vscode.Uri): Promise<ValidateFileResult>;
  findKey(uri: vscode.Uri, key: string): Promise<vscode.Range | undefined>;
  updateSettings(settings: ConfigServerSettings): void;
  stop(): Promise<void>;
}

export function configDocumentSelector(codeHome: string, files: string[]): DocumentSelector {
  const configToml = vscode.Uri.joinPath(vscode.Uri.file(codeHome), 'config.toml').fsPath;
  return [
    { scheme: 'file', pattern: configToml },
    { scheme: 'file', pattern: '**/managed_config.toml' },
    ...files.filter((g) => typeof g === 'string' && g.trim()).map((pattern) => ({ scheme: 'file', pattern })),
  ];
}

export function startConfigClient(options: ConfigClientOptions): ConfigClient {
  const serverOptions: ServerOptions = {
    // the server process reads its code cache from the folder the extension host uses (src/server/main.ts)
    run: { module: options.serverModule, transport: TransportKind.ipc, options: { env: { ...process.env, [CODE_CACHE_ENV]: codeCacheDir() ?? '' } } },
    debug: { module: options.serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: configDocumentSelector(options.settings.codeHome, options.files),
    initializationOptions: options.settings,
    outputChannel: options.output,
    // the app server's trouble is shown by the supervisor; the language server only needs its own channel on failure
    revealOutputChannelOn: 4 /* RevealOutputChannelOn.Never */,
  };
  const client = new LanguageClient('codeOps.config', 'Code Ops config.toml', serverOptions, clientOptions);
  const ready = client.start();
  return {
    ready,
    async validateFile(uri) {
      await ready;
      return client.sendRequest(ValidateFileRequest, { uri: uri?.toString() });
    },
    async findKey(uri, key) {
      await ready;
      const r = await client.sendRequest(FindKeyRequest, { uri: uri.toString(), key });
      return r ? new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) : undefined;
    },
    updateSettings(settings) {
      void ready.then(() => client.sendNotification(SettingsNotification, settings)).catch(() => undefined);
    },
    async stop() {
      try {
        await ready;
      } catch {
        // it never started: nothing to stop
      }
      const pid = (client.initializeResult as { processId?: unknown } | undefined)?.processId;
      if (client.isRunning()) await client.stop(2000);
      // stop() returns once `exit` is sent; the server process ends a moment later. Wait for it
      // (deactivate must leave no process behind), and end it if it does not go.
      if (typeof pid === 'number') await waitForExit(pid, 2000);
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
