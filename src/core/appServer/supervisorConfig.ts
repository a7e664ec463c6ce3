import type { ApprovalDecision, ApprovalRequest } from './approvals';
import type { ClientInfo } from './connection';
import { saneMs } from './preflight';
import { DEFAULT_STOP_TIMINGS, type StopTimings } from './process';
import { DEFAULT_RESTART_POLICY, type RestartPolicyOptions } from './restartPolicy';

export interface SupervisorTimings {
  initializeTimeoutMs: number;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  maxMissedProbes: number;
  /** Deadline of an approval answer before it is declined (the server gives up after 300 s). */
  approvalTimeoutMs: number;
  stop: StopTimings;
  restart: Omit<RestartPolicyOptions, 'now' | 'random'>;
}

export const DEFAULT_TIMINGS: SupervisorTimings = {
  initializeTimeoutMs: 10_000,
  probeIntervalMs: 15_000,
  probeTimeoutMs: 5000,
  maxMissedProbes: 3,
  approvalTimeoutMs: 120_000,
  stop: DEFAULT_STOP_TIMINGS,
  restart: DEFAULT_RESTART_POLICY,
};

export interface SupervisorConfig {
  command: string;
  args: string[];
  cwd?: string;
  /** The server's full environment (see buildServerEnv). */
  env: NodeJS.ProcessEnv;
  /** Attach to this Unix socket instead of spawning. */
  socket?: string;
  /** GET each probe; anything but 200 is a missed probe. */
  healthUrl?: string;
  /** The home Code Ops checks; shown in the tooltip and compared with the home the server reports. */
  codeHome?: string;
  clientInfo: ClientInfo;
  timings?: Partial<SupervisorTimings>;
}

/** Asks a person; the supervisor declines on its own deadline or if this throws. */
export type ApprovalHandler = (request: ApprovalRequest) => Promise<ApprovalDecision>;

export interface SupervisorDeps {
  approvals?: ApprovalHandler;
  now?: () => number;
  random?: () => number;
  /** HTTP GET used for healthUrl (injectable for tests); resolves with the status code. */
  httpGet?: (url: string, timeoutMs: number) => Promise<number>;
}

export interface ApprovalOutcome {
  request: ApprovalRequest;
  decision: ApprovalDecision;
  /** Why this decision was taken when the person did not choose it. */
  auto?: 'timeout' | 'no-handler' | 'handler-failed';
}

/** Timings from settings or callers, kept where timers behave (no 0, NaN or overflowing delays). */
export function saneTimings(t: SupervisorTimings): SupervisorTimings {
  const d = DEFAULT_TIMINGS;
  return {
    ...t,
    initializeTimeoutMs: saneMs(t.initializeTimeoutMs, d.initializeTimeoutMs),
    // Not below 10 ms: a zero interval would probe in a tight loop.
    probeIntervalMs: saneMs(t.probeIntervalMs, d.probeIntervalMs, 10),
    probeTimeoutMs: saneMs(t.probeTimeoutMs, d.probeTimeoutMs),
    maxMissedProbes: saneMs(t.maxMissedProbes, d.maxMissedProbes),
    approvalTimeoutMs: saneMs(t.approvalTimeoutMs, d.approvalTimeoutMs),
  };
}
