/**
 * Values more than one module needs: the default server command, the
 * readiness targets, the ranges numbers are clamped to, and the bounds that
 * keep in-memory histories small. Settings (src/core/settings.ts), the CLI
 * flags, the language server and the checks all read them from here, and
 * test/unit/settings.test.ts checks that package.json agrees.
 */
import type { ReadinessTarget } from './otel/api';

/** The app server looked up on PATH when `codeOps.appServer.command` (or `--command`) is not set. */
export const DEFAULT_COMMAND = 'code-app-server';

/** The environments a readiness review targets, the default first. */
export const READINESS_TARGETS = ['production', 'staging', 'development'] as const satisfies readonly ReadinessTarget[];
export const DEFAULT_TARGET: ReadinessTarget = READINESS_TARGETS[0];

export interface NumberRange {
  def: number;
  min: number;
  max: number;
  integer: boolean;
  unit: string;
}

/**
 * Ranges of package.json (`minimum`/`maximum`); where it sets no maximum, a
 * bound that keeps timers and dates sane. Keys are setting keys without the
 * `codeOps.` prefix; CLI flags with the same meaning use the same range.
 */
export const RANGES = {
  'appServer.initializeTimeoutMs': { def: 10_000, min: 100, max: 600_000, integer: true, unit: 'ms' },
  'appServer.probeIntervalSeconds': { def: 15, min: 1, max: 3600, integer: false, unit: 's' },
  'appServer.probeTimeoutMs': { def: 5000, min: 50, max: 600_000, integer: true, unit: 'ms' },
  'appServer.maxMissedProbes': { def: 3, min: 1, max: 100, integer: true, unit: '' },
  'appServer.approvals.timeoutSeconds': { def: 120, min: 5, max: 280, integer: true, unit: 's' },
  'readiness.backupMaxAgeDays': { def: 7, min: 0, max: 36_500, integer: false, unit: 'days' },
  'logs.initialLines': { def: 200, min: 0, max: 100_000, integer: true, unit: 'lines' },
  'logs.pollIntervalMs': { def: 1000, min: 100, max: 60_000, integer: true, unit: 'ms' },
  'logs.errorBurst.count': { def: 10, min: 1, max: 100_000, integer: true, unit: '' },
  'logs.errorBurst.windowSeconds': { def: 60, min: 1, max: 86_400, integer: true, unit: 's' },
} as const satisfies Record<string, NumberRange>;

/** Alerts the editor keeps for the API's `recentAlerts()`. */
export const MAX_RECENT_ALERTS = 50;

/** How long the server timeline keeps its events (and what survives a reload). */
export const TIMELINE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Events the timeline keeps at most within its window (a probe every second for a day would be 86,400). */
export const TIMELINE_MAX_EVENTS = 5000;
