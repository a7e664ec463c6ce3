import type { CodeHomePaths } from '../codeHome';
import type { PanicHit } from './api';
import type { PanicLedger } from './panicLedger';
import { findPanics } from './panics';

/** Panics this recent, already in the logs when following starts, are shown at once. */
export const RECENT_PANICS_MS = 24 * 3_600_000;

export interface RecentPanics {
  /** Every panic of the window, one per panic, oldest first (for the status and the readiness badge). */
  all: PanicHit[];
  /** Those not reported before (by an earlier start of the editor, or from the server's stderr): alert these. */
  unseen: PanicHit[];
}

/**
 * The panics of the last 24 h already in the logs, split into those to alert
 * and those already alerted. The ledger remembers what was alerted (the
 * editor keeps it in workspace state), so an activation does not alert the
 * same panic again; claiming here records the unseen ones.
 */
export async function recentPanics(paths: CodeHomePaths, ledger: PanicLedger, nowMs = Date.now(), windowMs = RECENT_PANICS_MS): Promise<RecentPanics> {
  const all = await findPanics(paths, nowMs - windowMs, { maxHits: 200 });
  const unseen = all.filter((h) => ledger.claim({ location: h.location, message: h.message, timestampMs: h.timestampMs ?? nowMs }));
  return { all, unseen };
}
