/**
 * The alert policy and the action dispatcher, bundled apart (dist/alerts.js): src/ui/alertsLoader.ts
 * requires it on the first server transition, alert or action, never at activation.
 */
export { dispatch, setDispatchLog, showAlert } from './dispatch';
export { approvalTimeoutAlert, configWarningAlert, panicAlert, settingsAlert, transitionAlert } from '../core/alertPolicy';
