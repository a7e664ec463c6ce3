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
}
