import type { ConfigWarning } from './handshakeInfo';

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
  /** The stderr line that started the panic (and, with a location, a summary of it), secrets masked. */
  line: string;
  /** What the panic's lines said, joined (src/core/logs/panicAssembler.ts). */
  detail?: { location?: { file: string; line: number; column: number }; thread?: string; message?: string };
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
  /** The home the server reported in its `initialize` result (upstream codex: `codexHome`). */
  serverHome?: string;
  /** Set when `serverHome` differs from the home Code Ops checks: a sentence the UI and readiness show. */
  homeMismatch?: string;
  /**
   * `configWarning`s of the current process (with `range` when the server sent one). A warning
   * with a `path` means that config file is not what runs: healthy, but show a warning.
   */
  configWarnings?: readonly ConfigWarning[];
  /** Descendants that had left the server's process group at the last stop (they were stopped too). */
  escapedProcesses?: string;
  /** With `not-found`: the setting to fix, and a folder that creating would fix it, so the UI can offer the right buttons. */
  blocker?: StartBlocker;
}

export interface StartBlocker {
  /** Full setting key, e.g. `codeOps.codeHome`. */
  setting: string;
  /** A missing folder whose creation would let the server start. */
  createFolder?: string;
}

export interface StateChange {
  from: ServerState;
  to: ServerState;
  reason: string;
  at: number;
}
