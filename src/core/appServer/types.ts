/**
 * The one state the app server's life is in. Everything the editor shows
 * (status bar, tree, notifications) renders a `ServerSnapshot`.
 */
export type ServerState =
  | 'stopped'
  | 'starting'
  | 'healthy'
  | 'unresponsive'
  | 'crashed'
  | 'backing-off'
  | 'crash-loop'
  | 'not-found'
  | 'config-error';

export interface PanicRecord {
  /** ms since epoch */
  at: number;
  /** The stderr line containing `Panic occurred`, secrets masked. */
  line: string;
}

export interface ServerSnapshot {
  state: ServerState;
  /** Why the last transition happened, in words a person can act on. */
  reason: string;
  /** `spawn` runs a child process; `socket` attaches to a deployed server. */
  mode: 'spawn' | 'socket';
  pid?: number;
  /** ms since epoch of the current process/connection start */
  startedAt?: number;
  /** Restarts inside the crash-loop window (10 minutes). */
  restartsInWindow: number;
  lastProbeMs?: number;
  initializeMs?: number;
  userAgent?: string;
  lastError?: string;
  exitCode?: number | null;
  panics: readonly PanicRecord[];
  /** ms until the next restart attempt while backing off */
  nextRetryInMs?: number;
}

export interface StateChange {
  from: ServerState;
  to: ServerState;
  reason: string;
  at: number;
}
