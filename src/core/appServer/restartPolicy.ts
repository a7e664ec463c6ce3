export interface RestartPolicyOptions {
  /** Restarts allowed inside the window; one more is a crash loop (checklist: >3 in 10 minutes). */
  maxRestarts: number;
  windowMs: number;
  /** First backoff delay; doubles per restart inside the window. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Fraction of the delay randomised either way, so several editors do not restart in lockstep. */
  jitter: number;
  now?: () => number;
  random?: () => number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  maxRestarts: 3,
  windowMs: 10 * 60_000,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 0.2,
};

export type RestartDecision = { restart: true; delayMs: number; restartsInWindow: number } | { restart: false; restartsInWindow: number };

/** A sliding window of restarts with exponential backoff and jitter. */
export class RestartPolicy {
  private restarts: number[] = [];
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  private prune(): void {
    const cutoff = this.now() - this.options.windowMs;
    this.restarts = this.restarts.filter((t) => t > cutoff);
  }

  get restartsInWindow(): number {
    this.prune();
    return this.restarts.length;
  }

  /** Called after a failure: may we restart, and after how long? Records the restart when allowed. */
  next(): RestartDecision {
    this.prune();
    if (this.restarts.length >= this.options.maxRestarts) return { restart: false, restartsInWindow: this.restarts.length };
    this.restarts.push(this.now());
    return { restart: true, delayMs: this.delayFor(this.restarts.length), restartsInWindow: this.restarts.length };
  }

  /** Backoff for the n-th consecutive attempt (1-based), without recording anything (reconnects use it). */
  delayFor(attempt: number): number {
    const { baseDelayMs, maxDelayMs, jitter } = this.options;
    const raw = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
    const spread = raw * jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(maxDelayMs, raw + spread)));
  }

  /** A person asked for a restart ("Restart Anyway"): start counting afresh. */
  reset(): void {
    this.restarts = [];
  }
}
