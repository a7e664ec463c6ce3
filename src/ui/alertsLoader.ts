import * as path from 'node:path';
import type { Alert, OpsAction } from '../core/actions';
import { loadBundle } from '../core/codeCache';

type AlertsModule = typeof import('./alertsFeature');

let extensionPath: string | undefined;
let log: (line: string) => void = () => undefined;
let loaded: AlertsModule | undefined;

/** Where dist/alerts.js is and where dispatch reports (the App Server output); set when the context is built. */
export function configureAlerts(root: string, next: (line: string) => void): void {
  extensionPath = root;
  log = next;
  loaded?.setDispatchLog(next);
}

/** The alert policy and dispatcher (dist/alerts.js), required on first use. */
export function alertsModule(): AlertsModule {
  if (!loaded) {
    if (extensionPath === undefined) throw new Error('Code Ops: alerts used before activation');
    // a runtime path keeps the policy and dispatcher out of dist/extension.js
    const mod = loadBundle(path.join(extensionPath, 'dist', 'alerts.js')) as AlertsModule;
    mod.setDispatchLog(log);
    loaded = mod;
  }
  return loaded;
}

/** Does what the action says (src/ui/dispatch.ts). */
export async function dispatch(action: OpsAction): Promise<void> {
  return alertsModule().dispatch(action);
}

/** Shows an alert and runs the clicked action (src/ui/dispatch.ts). */
export async function showAlert(alert: Alert): Promise<OpsAction | undefined> {
  return alertsModule().showAlert(alert);
}
