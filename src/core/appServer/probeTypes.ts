import type { ConfigWarning } from './handshakeInfo';

/** Result of one `code-ops probe` run, also used by the readiness `app-server-liveness` check. */
export interface ProbeResult {
  healthy: boolean;
  initializeMs: number | null;
  probeMs: number | null;
  userAgent: string | null;
  state: string;
  exitCode: number | null;
  stderrTail: string[];
  error: string | null;
  /** The home the server reported in its `initialize` result (upstream codex); null when it did not say. */
  codexHome: string | null;
  /** Set when `codexHome` differs from the home Code Ops checks: why that matters, in words. */
  homeMismatch: string | null;
  /** Every `configWarning` the server sent; one with a `path` fails the probe (the config is not what runs). */
  configWarnings: ConfigWarning[];
  /** Stdout lines that were no JSON-RPC message, among them lines over the length limit (cut and skipped). */
  skippedLines: { count: number; tooLong: number; first?: string };
  /** Descendants that had left the server's process group; they were stopped too. */
  escapedProcesses: { pid: number; name: string }[];
}
