/** Log following, alert rules and panic search over Code's logs (no vscode import: the CLI uses it too). */
export * from './api';
export { listCriticalLogs, criticalMemberDate, isCriticalFamilyName } from './criticalFamily';
export { findPanics, scanFileForPanics, type FindPanicsOptions } from './panics';
export { lineLevel, lineTimestampMs, isPanicLine, eventKey, PANIC_MARKER } from './lineFormat';
