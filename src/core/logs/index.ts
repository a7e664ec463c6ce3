/** Log following, alert rules and panic search over Code's logs (no vscode import: the CLI uses it too). */
export * from './api';
export { listCriticalLogs, criticalMemberDate, isCriticalFamilyName } from './criticalFamily';
export { findPanics, scanFileForPanics, type FindPanicsOptions } from './panics';
export { lineLevel, lineTimestampMs, isPanicLine, eventKey, PANIC_MARKER } from './lineFormat';
export { chunkText, chunkLines, describeLine, type LineChunk } from './lineChunk';
export { FileFollower, type FileFollowerOptions, type FollowerNotice, type FollowerNoticeKind, type FollowerStatus, type FollowStart } from './follower';
export { RollingLogFollower, type RollingFollowerOptions } from './rollingFollower';
export { AlertScanner, defaultAlertRules, lineNumberAt, type AlertRule, type LogAlert, type ErrorBurstSettings } from './alerts';
export { CodeLogFollowers, tuiLogFile, type CodeLogsOptions, type SourcedChunk, type SourcedNotice } from './codeLogs';
export { Emitter, type Event } from './events';
