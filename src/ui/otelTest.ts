import * as path from 'node:path';
import * as vscode from 'vscode';
import { managedConfigPath } from '../core/otel/managedPath';
import type { CodeOpsContext } from './context';
import { registerTestHook } from './testHooks';
import { TEST_HOOKS_BUILT } from './testHooksBuild';
import { loadBundle } from '../core/codeCache';
import { registerCommand } from './commands';

// Types only: the exporters live in dist/otelTest.js, required when the command runs.
type ExportTestModule = typeof import('../core/otel/exportTest');

/**
 * Code Ops: Send Test Telemetry. Sends one OTLP log record and one metric point the way
 * Code's exporter would and shows what came back: a notification with the verdict, the
 * full report in an output channel. Returns the `--json` shape of the result.
 */
export function registerOtelTest(ctx: CodeOpsContext): void {
  let mod: ExportTestModule | undefined;
  let channel: vscode.OutputChannel | undefined;
  let lastShown: { message: string; severity: 'info' | 'warning' | 'error'; report: string } | undefined;
  const load = (): ExportTestModule => {
    // A runtime path keeps the OpenTelemetry exporters out of dist/extension.js.
    mod ??= loadBundle(path.join(ctx.extension.extensionPath, 'dist', 'otelTest.js')) as ExportTestModule;
    return mod;
  };
  const output = (): vscode.OutputChannel => {
    if (!channel) {
      channel = vscode.window.createOutputChannel('Code Ops: Test Telemetry');
      ctx.subscriptions.push(channel);
    }
    return channel;
  };

  const run = async (): Promise<Record<string, unknown>> => {
    const m = load();
    const paths = ctx.paths;
    const settings = ctx.settings.current;
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Code Ops: sending a test log record and metric point…' },
      async () => {
        const effective = await m.loadEffectiveOtel({ configFile: paths.configToml, managedFile: managedConfigPath(paths.root, { override: settings.config.managedConfig }), dialect: settings.config.dialect, serverCommand: settings.appServer.command });
        return m.runOtelTest(effective, { timeoutMs: 10_000 });
      },
    );
    await m.recordExportResult({ ...paths, managedConfigToml: managedConfigPath(paths.root, { override: settings.config.managedConfig }) }, result);
    const report = m.resultText(result);
    const out = output();
    out.appendLine(`── ${result.at} ──`);
    out.append(report);
    const message = `${m.summaryLine(result)}${result.hint ? ` ${result.hint}` : ''}`;
    const severity = result.ok ? 'info' : result.exitCode === 2 ? 'error' : 'warning';
    lastShown = { message, severity, report };
    const show = severity === 'info' ? vscode.window.showInformationMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(message, 'Show Details', 'Open config.toml').then((picked) => {
      if (picked === 'Show Details') out.show(true);
      else if (picked === 'Open config.toml') void vscode.commands.executeCommand('codeOps.config.open');
    });
    return m.resultJson(result);
  };

  ctx.subscriptions.push(registerCommand('codeOps.otel.sendTestTelemetry', run));
  // Not in the palette, and only under CODE_OPS_TEST_HOOKS=1: what the last run showed.
  if (TEST_HOOKS_BUILT) ctx.subscriptions.push(registerTestHook('codeOps.otel.testHook', () => lastShown));
}
