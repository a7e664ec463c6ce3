/** Log following, alert rules and panic search over Code's logs (no vscode import: the CLI uses it too). */
export * from './api';
export { listCriticalLogs, criticalMemberDate, isCriticalFamilyName, isPlausibleMemberDate } from './criticalFamily';
export { findPanics, scanFileForPanics, hitFromEvent, type FindPanicsOptions } from './panics';
export { parsePanicStart, isPanicStart, PANIC_NEEDLES, type PanicForm, type PanicLocation, type PanicStart } from './panicFormat';
export { PanicAssembler, panicSummary, panicIdentity, type PanicEvent, type LineMeta } from './panicAssembler';
export { PanicLedger, sharedPanicLedger, type SeenPanic } from './panicLedger';
export { recentPanics, RECENT_PANICS_MS, type RecentPanics } from './recentPanics';
export { detectLogLayout, describeLogLayout, debugLogsDir, logsPresentVerdict, type LogLayout, type LogLayoutKind } from './layout';
export { lineLevel, lineTimestampMs, isPanicLine, eventKey, PANIC_MARKER } from './lineFormat';
export { chunkText, chunkLines, describeLine, type LineChunk } from './lineChunk';
export { FileFollower, type FileFollowerOptions, type FollowerNotice, type FollowerNoticeKind, type FollowerResume, type FollowerStatus, type FollowStart } from './follower';
export { RollingLogFollower, type RollingFollowerOptions } from './rollingFollower';
export { AlertScanner, defaultAlertRules, lineNumberAt, type AlertRule, type LogAlert, type ErrorBurstSettings } from './alerts';
export { CodeLogFollowers, tuiLogFile, type CodeLogsOptions, type SourcedChunk, type SourcedNotice } from './codeLogs';
export { Emitter, type Event } from './events';
