import { locationKey, type PanicLocation } from './panicFormat';

/** A panic as the ledger remembers it (what survives a restart of the editor). */
export interface SeenPanic {
  /** `file:line:col`, or '' when unknown. */
  l: string;
  /** First line of the message, or '' when unknown. */
  m: string;
  /** ms since epoch */
  t: number;
}

export interface PanicLedgerOptions {
  /** Sightings of one location and message this close in time are one panic. Default 60 s. */
  windowMs?: number;
  /** Sightings remembered (the newest). Default 500. */
  maxEntries?: number;
  /** Sightings older than this are forgotten. Default 48 h. */
  keepMs?: number;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n', 1)[0].trim().slice(0, 300);
}

/**
 * Decides whether a panic was already reported: the same panic reaches us
 * from code-tui.log, critical.log, the server's stderr and again through
 * Rust's default hook, and the logs are read again at every activation.
 * Same location, compatible messages (one may be unknown: the server hook
 * writes none) and times within the window make one panic.
 */
export class PanicLedger {
  private entries: SeenPanic[] = [];
  private readonly windowMs: number;
  private readonly maxEntries: number;
  private readonly keepMs: number;
  /** Called after every change, e.g. to persist the entries. */
  onChange: ((entries: readonly SeenPanic[]) => void) | undefined;

  constructor(options: PanicLedgerOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 500;
    this.keepMs = options.keepMs ?? 48 * 3_600_000;
  }

  /** Adds remembered sightings (from storage); malformed entries are dropped. */
  load(entries: unknown): void {
    if (!Array.isArray(entries)) return;
    for (const e of entries) {
      if (e && typeof e === 'object' && typeof e.l === 'string' && typeof e.m === 'string' && typeof e.t === 'number' && Number.isFinite(e.t)) {
        this.entries.push({ l: e.l.slice(0, 1000), m: e.m.slice(0, 300), t: e.t });
      }
    }
    this.prune(Date.now());
  }

  snapshot(): readonly SeenPanic[] {
    return this.entries.slice();
  }

  /** True when this panic was seen before (within the window), without recording it. */
  seen(panic: { location?: PanicLocation; message?: string; timestampMs: number }): boolean {
    return this.find(panic) !== undefined;
  }

  /** Records the panic; true when it is new (report it), false when it was already reported. */
  claim(panic: { location?: PanicLocation; message?: string; timestampMs: number }): boolean {
    const found = this.find(panic);
    if (found) {
      // a later sighting may know the message the first one lacked
      if (!found.m && panic.message) {
        found.m = firstLine(panic.message);
        this.onChange?.(this.entries);
      }
      return false;
    }
    this.entries.push({ l: locationKey(panic.location), m: firstLine(panic.message), t: panic.timestampMs });
    this.prune(Math.max(Date.now(), panic.timestampMs));
    this.onChange?.(this.entries);
    return true;
  }

  private find(panic: { location?: PanicLocation; message?: string; timestampMs: number }): SeenPanic | undefined {
    const l = locationKey(panic.location);
    const m = firstLine(panic.message);
    return this.entries.find((e) => Math.abs(e.t - panic.timestampMs) <= this.windowMs && e.l === l && (!e.m || !m || e.m === m));
  }

  private prune(now: number): void {
    this.entries = this.entries.filter((e) => now - e.t <= this.keepMs);
    if (this.entries.length > this.maxEntries) this.entries.splice(0, this.entries.length - this.maxEntries);
  }
}

const SHARED = Symbol.for('code-ops.panicLedger');

/**
 * The one ledger of this process. The editor loads the logs feature and the
 * server feature from two bundles; a global symbol lets both ask the same
 * ledger, so a panic seen in stderr and in the logs alerts once.
 */
export function sharedPanicLedger(): PanicLedger {
  const g = globalThis as unknown as Record<symbol, PanicLedger | undefined>;
  let ledger = g[SHARED];
  if (!ledger) {
    ledger = new PanicLedger();
    g[SHARED] = ledger;
  }
  return ledger;
}
