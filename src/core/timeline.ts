import { TIMELINE_MAX_EVENTS, TIMELINE_WINDOW_MS } from './constants';
import type { ServerState, StateChange } from './appServer/types';

/**
 * The app server's recent history on one time axis: probe latencies, state
 * changes, restarts, panics, config warnings and approvals. Bounded by age
 * (24 h) and by count; serialisable so the editor keeps it in workspace
 * storage across reloads. Plain data, no editor: unit tested as is.
 */
export type TimelineEvent =
  | { at: number; kind: 'probe'; ms: number }
  | { at: number; kind: 'state'; from: ServerState; to: ServerState; reason: string }
  | { at: number; kind: 'restart'; reason: string }
  /** `file` and `line` (1-based) when the panic was read from a log file */
  | { at: number; kind: 'panic'; text: string; file?: string; line?: number }
  | { at: number; kind: 'configWarning'; text: string }
  | { at: number; kind: 'approval'; text: string; outcome: string };

export type TimelineKind = TimelineEvent['kind'];

const KINDS: ReadonlySet<string> = new Set(['probe', 'state', 'restart', 'panic', 'configWarning', 'approval']);
const MAX_TEXT = 500;

export interface TimelineOptions {
  windowMs?: number;
  maxEvents?: number;
  now?: () => number;
}

/** One saved event, checked field by field: anything else is dropped, never trusted. */
function restoreEvent(value: unknown): TimelineEvent | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.at !== 'number' || !Number.isFinite(v.at) || typeof v.kind !== 'string' || !KINDS.has(v.kind)) return undefined;
  const text = (x: unknown) => (typeof x === 'string' ? x.slice(0, MAX_TEXT) : undefined);
  switch (v.kind) {
    case 'probe':
      return typeof v.ms === 'number' && Number.isFinite(v.ms) && v.ms >= 0 ? { at: v.at, kind: 'probe', ms: v.ms } : undefined;
    case 'state':
      return typeof v.from === 'string' && typeof v.to === 'string'
        ? { at: v.at, kind: 'state', from: v.from as ServerState, to: v.to as ServerState, reason: text(v.reason) ?? '' }
        : undefined;
    case 'restart':
      return { at: v.at, kind: 'restart', reason: text(v.reason) ?? '' };
    case 'panic': {
      const line = typeof v.line === 'number' && Number.isInteger(v.line) && v.line > 0 ? v.line : undefined;
      return { at: v.at, kind: 'panic', text: text(v.text) ?? '', ...(text(v.file) ? { file: text(v.file) } : {}), ...(line ? { line } : {}) };
    }
    case 'configWarning':
      return { at: v.at, kind: 'configWarning', text: text(v.text) ?? '' };
    default:
      return { at: v.at, kind: 'approval', text: text(v.text) ?? '', outcome: text(v.outcome) ?? '' };
  }
}

export class Timeline {
  private list: TimelineEvent[] = [];
  private readonly windowMs: number;
  private readonly maxEvents: number;
  private readonly now: () => number;

  constructor(options: TimelineOptions = {}) {
    this.windowMs = options.windowMs ?? TIMELINE_WINDOW_MS;
    this.maxEvents = options.maxEvents ?? TIMELINE_MAX_EVENTS;
    this.now = options.now ?? Date.now;
  }

  add(event: TimelineEvent): void {
    const e = 'text' in event ? { ...event, text: event.text.slice(0, MAX_TEXT) } : event;
    // events arrive in order nearly always; keep the list sorted when one does not
    let i = this.list.length;
    while (i > 0 && this.list[i - 1].at > e.at) i--;
    this.list.splice(i, 0, e as TimelineEvent);
    this.prune();
  }

  private prune(): void {
    const cutoff = this.now() - this.windowMs;
    let drop = 0;
    while (drop < this.list.length && this.list[drop].at < cutoff) drop++;
    if (this.list.length - drop > this.maxEvents) drop = this.list.length - this.maxEvents;
    if (drop > 0) this.list.splice(0, drop);
  }

  /** Events inside the window, oldest first. */
  events(): readonly TimelineEvent[] {
    this.prune();
    return this.list.slice();
  }

  count(kind: TimelineKind, since = this.now() - this.windowMs): number {
    return this.list.filter((e) => e.kind === kind && e.at >= since).length;
  }

  lastAt(kind: TimelineKind): number | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i].kind === kind) return this.list[i].at;
    return undefined;
  }

  /** What workspace storage keeps. */
  toJSON(): { version: 1; events: TimelineEvent[] } {
    return { version: 1, events: this.events().slice() };
  }

  /** Restores saved events (merged with any recorded meanwhile); malformed entries are dropped. Returns how many were kept. */
  restore(saved: unknown): number {
    const events = (saved as { events?: unknown } | undefined)?.events;
    if (!Array.isArray(events)) return 0;
    const before = this.list.length;
    const restored = events.slice(-this.maxEvents).map(restoreEvent).filter((e): e is TimelineEvent => e !== undefined);
    this.list = [...restored, ...this.list].sort((a, b) => a.at - b.at);
    this.prune();
    return Math.max(0, this.list.length - before);
  }
}

/** Probe latencies averaged into `buckets` equal slices of [from, to]; undefined where no probe answered. */
export function probeSeries(events: readonly TimelineEvent[], from: number, to: number, buckets: number): Array<number | undefined> {
  const sums = new Array<number>(buckets).fill(0);
  const counts = new Array<number>(buckets).fill(0);
  const span = Math.max(1, to - from);
  for (const e of events) {
    if (e.kind !== 'probe' || e.at < from || e.at > to) continue;
    const i = Math.min(buckets - 1, Math.floor(((e.at - from) / span) * buckets));
    sums[i] += e.ms;
    counts[i]++;
  }
  return sums.map((s, i) => (counts[i] ? s / counts[i] : undefined));
}

/** The events a state change puts on the timeline: the change, and a restart when the server starts again. */
export function transitionEvents(change: StateChange): TimelineEvent[] {
  const state: TimelineEvent = { at: change.at, kind: 'state', from: change.from, to: change.to, reason: change.reason };
  return change.to === 'starting' && change.from !== 'stopped' ? [state, { at: change.at, kind: 'restart', reason: change.reason }] : [state];
}
