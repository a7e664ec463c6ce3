import type { Alert } from '../core/actions';
import { MAX_RECENT_ALERTS } from '../core/constants';
import { showAlert } from './alertsLoader';
import type { LazyOutputChannel } from './output';

/** An alert as the API reports it: the button words, as shown. */
export interface AppServerAlert {
  at: number;
  severity: 'critical' | 'error' | 'warning';
  message: string;
  actions: string[];
}

/**
 * Where the app server's alerts go: the output channel, a bounded history for
 * the API and the tests, then one notification whose clicked button is
 * dispatched (src/ui/dispatch.ts).
 */
export class AlertSink {
  private readonly alerts: AppServerAlert[] = [];

  constructor(private readonly output: LazyOutputChannel) {}

  raise(alert: Alert): void {
    const severity = alert.severity === 'info' ? 'warning' : alert.severity;
    this.alerts.push({ at: Date.now(), severity, message: alert.message, actions: alert.actions.map((a) => a.label) });
    if (this.alerts.length > MAX_RECENT_ALERTS) this.alerts.shift();
    this.output.appendLine(`[alert:${severity}] ${alert.message}`);
    void showAlert(alert);
  }

  recent(): readonly AppServerAlert[] {
    return this.alerts.slice();
  }
}
