import * as vscode from 'vscode';
import type { Alert, OpsAction } from '../core/actions';
import { applyPermissionsFix } from '../core/permissions';
import { commandFor } from './commandLinks';
import { mkdirs } from '../core/mkdirs';

// The command links live apart so the status bar (activation) does not load dispatch.
export { commandFor, commandLink } from './commandLinks';

/**
 * The one place that turns an action (src/core/actions.ts) into editor calls.
 * Alerts, status-bar entries, settings problems and log alerts all end here;
 * nothing else in src/ui dispatches on a button's words.
 */

async function openFileAt(file: string, line = 0, character = 0): Promise<void> {
  const pos = new vscode.Position(Math.max(0, line), Math.max(0, character));
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(pos, pos) });
}

async function commandExists(command: string): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(command);
}

/** Where dispatch reports what it did or why it could not (the App Server output). */
let log: (line: string) => void = () => undefined;

export function setDispatchLog(next: (line: string) => void): void {
  log = next;
}

async function run(action: OpsAction): Promise<void> {
  switch (action.kind) {
    case 'openFile':
      return openFileAt(action.file, action.line);
    case 'createFolder':
      await mkdirs(action.path, 0o700);
      log(`[settings] created ${action.path}`);
      if (action.then) await dispatch(action.then);
      return;
    case 'permissions': {
      // Symlinks refused, O_NOFOLLOW: the same safe chmod the readiness Fix uses.
      const done = await applyPermissionsFix(action);
      void vscode.window.showInformationMessage(`Code Ops: ${done.join(', ')}`);
      return;
    }
    case 'copyIncidentPost':
      // The readiness feature fills the checklist's post from what it knows; without it, the alert's text.
      if (await commandExists('codeOps.readiness.copyIncidentPost')) {
        await vscode.commands.executeCommand('codeOps.readiness.copyIncidentPost');
        return;
      }
      await vscode.env.clipboard.writeText(action.text);
      void vscode.window.showInformationMessage('Code Ops: incident post copied; fill in the [placeholders] before posting.');
      return;
    case 'openUrl':
      await vscode.env.openExternal(vscode.Uri.parse(action.url));
      return;
    case 'sendTestTelemetry':
      // registered by the telemetry test feature when present
      if (await commandExists('codeOps.otel.sendTestTelemetry')) await vscode.commands.executeCommand('codeOps.otel.sendTestTelemetry');
      return;
    default: {
      const c = commandFor(action);
      if (c) await vscode.commands.executeCommand(c.command, ...c.args);
    }
  }
}

/** Does what the action says. Failures are shown, never thrown: a button click has no caller to catch them. */
export async function dispatch(action: OpsAction): Promise<void> {
  try {
    await run(action);
  } catch (err) {
    const message = `Code Ops could not ${describe(action)}: ${err instanceof Error ? err.message : String(err)}`;
    log(`[action] ${message}`);
    void vscode.window.showErrorMessage(message);
  }
}

function describe(action: OpsAction): string {
  switch (action.kind) {
    case 'createFolder':
      return `create ${action.path}`;
    case 'openFile':
      return `open ${action.file}`;
    case 'permissions':
      return 'change the permissions';
    default:
      return `do ${action.kind}`;
  }
}

/** Shows an alert as a notification and runs the action whose button was clicked. Returns that action. */
export async function showAlert(alert: Alert): Promise<OpsAction | undefined> {
  const show =
    alert.severity === 'info'
      ? vscode.window.showInformationMessage
      : alert.severity === 'warning'
        ? vscode.window.showWarningMessage
        : vscode.window.showErrorMessage;
  const pick = await show(alert.message, ...alert.actions.map((a) => a.label));
  const chosen = alert.actions.find((a) => a.label === pick)?.action;
  if (chosen) await dispatch(chosen);
  return chosen;
}
