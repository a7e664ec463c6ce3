import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerSnapshot } from '../core/appServer/types';
import type { CodeOpsContext } from './context';
import type { ConfigClient } from './configClient';
import type { OpenConfigTarget } from './config';
import type { ConfigServerSettings } from '../server/protocol';
import { LazyOutputChannel } from './output';
import type { SettingsChange } from './settings';
import { ServerConfigWarnings } from './serverConfigWarnings';
import { loadBundle } from '../core/codeCache';
import { mkdirs } from '../core/mkdirs';

/** The checklist's own [otel] example (section 7.1), offered when config.toml does not exist yet. */
const EXAMPLE_CONFIG = `[otel]
environment = "production"
log_user_prompt = false

[otel.exporter."otlp-grpc"]
endpoint = "https://otlp.your-monitoring.com:4317"

[otel.exporter."otlp-grpc".headers]
# Keep secrets out of this file: inject real credentials from a secret store at deploy time.
x-api-key = "your-api-key-here"
`;

/**
 * The config.toml feature's bodies: the language client's start and stop, Validate, Open (and
 * create), the server's config problems in the Problems panel. Bundled apart (dist/configFeature.js);
 * src/ui/config.ts registers the commands and listeners at activation and requires this on first use.
 */
export class ConfigFeature implements vscode.Disposable {
  private client?: ConfigClient;
  private starting?: Promise<ConfigClient | undefined>;
  private output?: LazyOutputChannel;
  private disposed = false;
  /** Set when shutdown begins: no new client may start after that. */
  private closing = false;

  private readonly serverWarnings = new ServerConfigWarnings();

  constructor(private readonly ctx: CodeOpsContext) {}

  /** A settings change: a new file list restarts the client, other server settings are sent to it. */
  onSettingsChange(e: SettingsChange): void {
    // CODE_HOME is handled by restart() on onDidChangeCodeHome (it also changes when the environment's does)
    if (e.changed.has('config.files')) void this.restart();
    else if (e.affects('configServerSettings')) this.client?.updateSettings(this.settings());
  }

  private settings(): ConfigServerSettings {
    const s = this.ctx.settings.current;
    return {
      codeHome: this.ctx.codeHome.path,
      dialect: s.config.dialect,
      target: s.readiness.target,
      serverCommand: s.appServer.command,
    };
  }

  /** Starts the language client once; later calls share it. Undefined when it could not start. */
  ensureClient(): Promise<ConfigClient | undefined> {
    if (this.client) return Promise.resolve(this.client);
    if (this.disposed || this.closing) return Promise.resolve(undefined);
    this.starting ??= (async () => {
      try {
        const dist = path.join(this.ctx.extension.extensionPath, 'dist');
        // a runtime path keeps the client out of dist/extension.js
        const mod = loadBundle(path.join(dist, 'configClient.js')) as typeof import('./configClient');
        this.output ??= new LazyOutputChannel('Code Ops: config.toml', { log: true });
        const client = mod.startConfigClient({
          serverModule: path.join(dist, 'serverMain.js'),
          settings: this.settings(),
          files: this.ctx.settings.current.config.files,
          output: this.output.logView(),
        });
        await client.ready;
        if (this.disposed || this.closing) {
          await client.stop();
          return undefined;
        }
        this.client = client;
        return client;
      } catch (err) {
        void vscode.window.showErrorMessage(`Code Ops could not start config.toml validation: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  async restart(): Promise<void> {
    if (this.closing || (!this.client && !this.starting)) return;
    await this.stopClient();
    await this.ensureClient();
  }

  private async stopClient(): Promise<void> {
    const client = this.client ?? (await this.starting);
    this.client = undefined;
    await client?.stop().catch(() => undefined);
  }

  async validateNow(): Promise<void> {
    const file = this.ctx.paths.configToml;
    if (!fs.existsSync(file)) {
      const choice = await vscode.window.showInformationMessage(`There is no config.toml in ${this.ctx.codeHome.path}: Code runs with defaults (no telemetry).`, 'Create config.toml');
      if (choice) await this.openConfig();
      return;
    }
    const client = await this.ensureClient();
    if (!client) return;
    const result = await client.validateFile(vscode.Uri.file(file));
    if (result.errors + result.warnings === 0) {
      void vscode.window.showInformationMessage(`config.toml: no problems (${result.dialect === 'beacon' ? 'Code (Beacon)' : 'upstream codex'} rules).`);
    } else {
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }
  }

  async openConfig(target?: OpenConfigTarget): Promise<vscode.TextEditor | undefined> {
    const file = typeof target?.file === 'string' && target.file ? target.file : this.ctx.paths.configToml;
    const uri = vscode.Uri.file(file);
    if (file === this.ctx.paths.configToml && !fs.existsSync(file)) {
      const choice = await vscode.window.showInformationMessage(
        `${file} does not exist. Create it with the checklist's example [otel] section?`,
        'Create',
        'Cancel',
      );
      if (choice !== 'Create') return undefined;
      await mkdirs(path.dirname(file));
      await fs.promises.writeFile(file, EXAMPLE_CONFIG, { encoding: 'utf8', flag: 'wx', mode: 0o600 }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
    }
    // The language server starts while the editor opens: the first diagnostics need not wait for the editor.
    const starting = this.ensureClient();
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    let range: vscode.Range | undefined;
    if (target && 'key' in target && typeof target.key === 'string') {
      const client = await starting;
      range = await client?.findKey(uri, target.key);
    } else if (target && ('line' in target || 'character' in target)) {
      const pos = doc.validatePosition(new vscode.Position(Math.max(0, target.line ?? 0), Math.max(0, target.character ?? 0)));
      range = new vscode.Range(pos, pos);
    }
    if (range) {
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    return editor;
  }

  private lastConfigProblem = 0;

  /**
   * A config error or warning from the server: validate config.toml so its problems are in the
   * Problems panel by the time the app server's alert (src/core/alertPolicy.ts) is read. No second toast.
   */
  onServerChange(snapshot: ServerSnapshot): void {
    this.serverWarnings.update(snapshot);
    const configWarning = /configWarning|Invalid configuration/i.test(`${snapshot.reason} ${snapshot.lastError ?? ''}`);
    if (snapshot.state !== 'config-error' && !configWarning) return;
    if (Date.now() - this.lastConfigProblem < 10_000) return;
    this.lastConfigProblem = Date.now();
    void this.ensureClient()
      .then((client) => client?.validateFile(vscode.Uri.file(this.ctx.paths.configToml)))
      .catch(() => undefined);
  }

  /** Stops the client (also one still starting), then closes its channel. */
  async shutdown(): Promise<void> {
    this.closing = true;
    await this.stopClient();
    this.closeChannel();
  }

  private closeChannel(): void {
    const output = this.output;
    this.output = undefined;
    output?.dispose();
  }

  dispose(): void {
    this.disposed = true;
    this.serverWarnings.dispose();
    // Without a shutdown first (a host that skips deactivate): the channel goes once the client has stopped.
    void this.stopClient().finally(() => this.closeChannel());
  }
}
