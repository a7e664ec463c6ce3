import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ServerSnapshot } from '../core/appServer/types';
import type { CodeOpsContext } from './context';
import type { ConfigFeature } from './configFeature';
import { loadBundle } from '../core/codeCache';
import { registerCommand } from './commands';

type ConfigFeatureModule = typeof import('./configFeature');

/** Where to open: config.toml (or `file`, e.g. the managed layer) at a 0-based position or at a key. */
export type OpenConfigTarget = ({ line?: number; character?: number } | { key: string }) & { file?: string } | undefined;

/**
 * After activation, this long before one stat looks for a config.toml that is not open and, when
 * there is one, starts the language server. Short on purpose: we activate on onStartupFinished, so
 * the workbench has started; a server that is up before the first click puts the diagnostics on
 * screen with the editor (measured in the host: with 1.5 s a click soon after a reload waited on
 * the client's load, ~100 ms more at the median; see bench/signals.bench.mjs).
 */
const DEFERRED_CHECK_MS = 100;

/**
 * config.toml validation in the editor. Activation only registers commands and
 * listeners; the feature's bodies (dist/configFeature.js), the language client
 * (dist/configClient.js) and the parser load when a matching file is open or
 * opened (the client then starts at once), a command runs, the server reports
 * a config problem, or a deferred check finds an existing config.toml.
 */
export function registerConfig(ctx: CodeOpsContext): void {
  new ConfigEntry(ctx);
}

class ConfigEntry implements vscode.Disposable {
  private feature?: ConfigFeature;
  private deferred?: ReturnType<typeof setTimeout>;
  private disposed = false;
  /** Set when shutdown begins: nothing new starts after that. */
  private closing = false;

  constructor(private readonly ctx: CodeOpsContext) {
    ctx.subscriptions.push(
      this,
      registerCommand('codeOps.config.validate', () => this.load().validateNow()),
      registerCommand('codeOps.config.open', (target?: OpenConfigTarget) => this.load().openConfig(target)),
      vscode.workspace.onDidOpenTextDocument((doc) => this.onOpened(doc)),
      ctx.settings.onDidChange((e) => this.feature?.onSettingsChange(e)),
      ctx.onDidChangeCodeHome(() => void this.feature?.restart()),
      // A config error or a file the server names in a configWarning: the feature shows them in the Problems panel.
      ctx.server.onDidChange((snapshot) => this.onServerChange(snapshot)),
    );
    // deactivate() awaits this before anything is disposed: the client stops while its channel still exists.
    ctx.onShutdown(async () => {
      this.closing = true;
      this.clearDeferred();
      await this.feature?.shutdown();
    });
    for (const doc of vscode.workspace.textDocuments) this.onOpened(doc);
    // after activation, at most one stat: start validating if a config.toml exists
    this.deferred = setTimeout(() => {
      this.deferred = undefined;
      fs.stat(this.ctx.paths.configToml, (err, st) => {
        if (!err && st.isFile() && !this.disposed && !this.closing) void this.load().ensureClient();
      });
    }, DEFERRED_CHECK_MS);
  }

  /** The feature's bodies (dist/configFeature.js), required on first use. */
  private load(): ConfigFeature {
    if (!this.feature) {
      // a runtime path keeps the bodies out of dist/extension.js
      const mod = loadBundle(path.join(this.ctx.extension.extensionPath, 'dist', 'configFeature.js')) as ConfigFeatureModule;
      this.feature = new mod.ConfigFeature(this.ctx);
      if (this.closing) void this.feature.shutdown();
      if (this.disposed) this.feature.dispose();
    }
    return this.feature;
  }

  private matches(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file') return false;
    const file = doc.uri.fsPath;
    if (path.resolve(file) === path.resolve(this.ctx.paths.configToml)) return true;
    if (path.basename(file) === 'managed_config.toml') return true;
    const globs = this.ctx.settings.current.config.files;
    return globs.some((pattern) => vscode.languages.match({ scheme: 'file', pattern }, doc) > 0);
  }

  private onOpened(doc: vscode.TextDocument): void {
    if (this.disposed || this.closing || !this.matches(doc)) return;
    // the file is there: no need for the deferred check
    this.clearDeferred();
    void this.load().ensureClient();
  }

  private onServerChange(snapshot: ServerSnapshot): void {
    if (this.feature) return this.feature.onServerChange(snapshot);
    const fileWarning = (snapshot.configWarnings ?? []).some((w) => w.path !== null);
    const configProblem = snapshot.state === 'config-error' || /configWarning|Invalid configuration/i.test(`${snapshot.reason} ${snapshot.lastError ?? ''}`);
    if (fileWarning || configProblem) this.load().onServerChange(snapshot);
  }

  private clearDeferred(): void {
    if (this.deferred) clearTimeout(this.deferred);
    this.deferred = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearDeferred();
    this.feature?.dispose();
  }
}
