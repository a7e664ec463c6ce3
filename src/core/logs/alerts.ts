import * as fs from 'node:fs';
import { maskSecrets } from '../mask';
import type { LogLevel, LogSource } from './api';
import type { LineChunk } from './lineChunk';
import { timestampFromBytes } from './lineFormat';
import { PanicAssembler, panicSummary, type PanicEvent } from './panicAssembler';
import { nextPanicNeedle } from './panicFormat';

/**
 * Alert rules are data: what to look for and what it means. The scanner
 * below interprets them; settings change the numbers, not the code.
 */
export type AlertRule =
  /** Every line containing `contains` raises an alert of `severity`. */
  | { id: string; kind: 'match'; contains: string; severity: 'critical' | 'warning'; title: string }
  /** Every panic (any of the three forms, its lines joined) raises one alert of `severity`. */
  | { id: string; kind: 'panic'; severity: 'critical' | 'warning'; title: string }
  /** Lines of `level` are counted (shown in the status bar tooltip). */
  | { id: string; kind: 'count'; level: LogLevel }
  /** `count` lines of `level` within `windowSeconds` raise one alert of `severity`. */
  | { id: string; kind: 'burst'; level: LogLevel; count: number; windowSeconds: number; severity: 'critical' | 'warning'; title: string };

export interface ErrorBurstSettings {
  count: number;
  windowSeconds: number;
}

/** The checklist's rules: any panic is critical; ERROR lines are counted; a burst of them is a warning. */
export function defaultAlertRules(burst: ErrorBurstSettings = { count: 10, windowSeconds: 60 }): AlertRule[] {
  return [
    { id: 'panic', kind: 'panic', severity: 'critical', title: 'Code panicked' },
    { id: 'errors', kind: 'count', level: 'ERROR' },
    {
      id: 'error-burst',
      kind: 'burst',
      level: 'ERROR',
      count: Math.max(1, Math.floor(burst.count)),
      windowSeconds: Math.max(1, burst.windowSeconds),
      severity: 'warning',
      title: 'Burst of errors',
    },
  ];
}

export interface LogAlert {
  ruleId: string;
  severity: 'critical' | 'warning';
  title: string;
  source: LogSource;
  file: string;
  /** Byte offset of the line in the file when it was read; see lineNumberAt(). */
  offset: number;
  /** The line, secrets masked, CR removed. */
  line: string;
  timestampMs?: number;
  /** For bursts: how many lines fell within the window. */
  count?: number;
  /** For panics: the panic with its lines joined (location, thread, message, time). */
  panic?: PanicEvent;
}

const NL = 0x0a;
/** Longest line text an alert carries. */
const MAX_ALERT_LINE = 4096;

/**
 * What is searched for: the level word and the space after it. Starting the
 * needle with the (rare) capital letter rather than the timestamp's `Z`
 * (present on every line) makes the search several times faster; the
 * position is checked afterwards.
 */
function levelNeedle(level: LogLevel): Buffer {
  return Buffer.from(`${level} `);
}

/** Where the timestamp's `Z` is when the level word at `at` is the level field (tracing right-aligns it to five columns), else -1. */
function levelFieldZ(bytes: Buffer, at: number): number {
  let z = at - 1;
  if (z < 0 || bytes[z] !== 0x20) return -1;
  while (z > 0 && bytes[z] === 0x20) z--;
  return bytes[z] === 0x5a && at - 1 - z <= 2 ? z : -1;
}

function lineAround(bytes: Buffer, at: number): { start: number; end: number } {
  const start = at > 0 ? bytes.lastIndexOf(NL, at - 1) + 1 : 0;
  let end = bytes.indexOf(NL, at);
  if (end < 0) end = bytes.length;
  return { start, end };
}

function decodeAlertLine(bytes: Buffer, start: number, end: number): string {
  let stop = Math.min(end, start + MAX_ALERT_LINE);
  if (stop > start && bytes[stop - 1] === 0x0d) stop--;
  return maskSecrets(bytes.toString('utf8', start, stop));
}

function isLevelField(bytes: Buffer, lineStart: number, at: number): boolean {
  // `2025-12-24T13:51:20Z` is 20 bytes, with nanoseconds 30: the Z sits in that range
  const z = at - lineStart;
  return z >= 19 && z <= 35 && bytes[lineStart + 4] === 0x2d && bytes[lineStart + 10] === 0x54;
}

interface CompiledMatch {
  rule: Extract<AlertRule, { kind: 'match' }>;
  needle: Buffer;
}
interface CompiledLevel {
  level: LogLevel;
  needle: Buffer;
  countRule?: Extract<AlertRule, { kind: 'count' }>;
  burstRules: Array<{ rule: Extract<AlertRule, { kind: 'burst' }>; times: number[] }>;
}

export interface AlertScanResult {
  alerts: LogAlert[];
  /** Lines counted per rule id of kind 'count' in this chunk. */
  counts: Record<string, number>;
}

export interface AlertScannerOptions {
  /** Lines timestamped before this are history: neither counted nor alerted. Default: when the scanner was made. */
  sinceMs?: number;
  /** Clock for lines without a timestamp (tests). */
  now?: () => number;
  /**
   * Receives a panic alert completed after its chunk was scanned (its last
   * line was the chunk's last and nothing followed for a moment).
   */
  onLateAlert?: (alert: LogAlert) => void;
}

/** Lines after a panic's start fed to the assembler from one chunk at most (message and backtrace). */
const MAX_PANIC_LINES = 256;

/**
 * Applies alert rules to chunks of raw lines. It searches the bytes for the
 * rules' needles instead of decoding every line, so catching up on a large
 * log costs little more than reading it; only matching lines are decoded.
 * History (the lines shown when following starts) counts only when its
 * timestamp is at or after `sinceMs`.
 */
export class AlertScanner {
  private readonly matches: CompiledMatch[] = [];
  private readonly levels: CompiledLevel[] = [];
  private readonly sinceMs: number;
  private readonly now: () => number;
  private readonly panicRule: Extract<AlertRule, { kind: 'panic' }> | undefined;
  private readonly assemblers = new Map<LogSource, PanicAssembler>();
  /** Panic alerts completed while a chunk is scanned; scan() returns them. */
  private readonly finished: LogAlert[] = [];
  private scanning = false;
  private readonly onLateAlert: ((alert: LogAlert) => void) | undefined;
  readonly totals: Record<string, number> = {};

  constructor(rules: readonly AlertRule[], options: AlertScannerOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sinceMs = options.sinceMs ?? this.now();
    this.onLateAlert = options.onLateAlert;
    this.panicRule = rules.find((r): r is Extract<AlertRule, { kind: 'panic' }> => r.kind === 'panic');
    const levelFor = (level: LogLevel): CompiledLevel => {
      let entry = this.levels.find((l) => l.level === level);
      if (!entry) {
        entry = { level, needle: levelNeedle(level), burstRules: [] };
        this.levels.push(entry);
      }
      return entry;
    };
    for (const rule of rules) {
      if (rule.kind === 'panic') continue;
      if (rule.kind === 'match') this.matches.push({ rule, needle: Buffer.from(rule.contains) });
      else if (rule.kind === 'count') {
        levelFor(rule.level).countRule = rule;
        this.totals[rule.id] = 0;
      } else levelFor(rule.level).burstRules.push({ rule, times: [] });
    }
  }

  scan(source: LogSource, chunk: LineChunk): AlertScanResult {
    const alerts: LogAlert[] = [];
    const counts: Record<string, number> = {};
    const bytes = chunk.bytes;
    const counts_ = (start: number, end: number): { ok: boolean; ts?: number } => {
      const ts = this.timestampOf(bytes, start, end);
      if (!chunk.history) return { ok: true, ts };
      return { ok: ts !== undefined && ts >= this.sinceMs, ts };
    };

    if (this.panicRule) this.scanPanics(source, chunk);
    alerts.push(...this.finished.splice(0));

    for (const { rule, needle } of this.matches) {
      let at = bytes.indexOf(needle);
      while (at >= 0) {
        const { start, end } = lineAround(bytes, at);
        const verdict = counts_(start, end);
        if (verdict.ok) {
          alerts.push({
            ruleId: rule.id,
            severity: rule.severity,
            title: rule.title,
            source,
            file: chunk.file,
            offset: chunk.offset + start,
            line: decodeAlertLine(bytes, start, end),
            timestampMs: verdict.ts,
          });
        }
        at = end + 1 < bytes.length ? bytes.indexOf(needle, end + 1) : -1;
      }
    }

    for (const entry of this.levels) {
      let at = bytes.indexOf(entry.needle);
      let n = 0;
      while (at >= 0) {
        const z = levelFieldZ(bytes, at);
        const { start, end } = lineAround(bytes, at);
        if (z >= 0 && isLevelField(bytes, start, z)) {
          const verdict = counts_(start, end);
          if (verdict.ok) {
            n++;
            const when = verdict.ts ?? this.now();
            for (const burst of entry.burstRules) {
              const windowMs = burst.rule.windowSeconds * 1000;
              burst.times.push(when);
              if (burst.times.length > burst.rule.count) burst.times.shift();
              if (burst.times.length === burst.rule.count && when - burst.times[0] <= windowMs) {
                alerts.push({
                  ruleId: burst.rule.id,
                  severity: burst.rule.severity,
                  title: burst.rule.title,
                  source,
                  file: chunk.file,
                  offset: chunk.offset + start,
                  line: decodeAlertLine(bytes, start, end),
                  timestampMs: verdict.ts,
                  count: burst.rule.count,
                });
                // one alert per burst: start counting afresh
                burst.times = [];
              }
            }
          }
        }
        at = end + 1 < bytes.length ? bytes.indexOf(entry.needle, end + 1) : -1;
      }
      if (entry.countRule) {
        counts[entry.countRule.id] = (counts[entry.countRule.id] ?? 0) + n;
        this.totals[entry.countRule.id] = (this.totals[entry.countRule.id] ?? 0) + n;
      }
    }
    alerts.sort((a, b) => a.offset - b.offset);
    return { alerts, counts };
  }

  /** Completes panics still waiting for more lines (end of input, tests). */
  flushPanics(): LogAlert[] {
    this.scanning = true;
    try {
      for (const a of this.assemblers.values()) a.flush();
    } finally {
      this.scanning = false;
    }
    return this.finished.splice(0);
  }

  dispose(): void {
    for (const a of this.assemblers.values()) a.dispose();
    this.assemblers.clear();
  }

  private assembler(source: LogSource): PanicAssembler {
    let a = this.assemblers.get(source);
    if (!a) {
      const rule = this.panicRule!;
      a = new PanicAssembler(
        (event) => {
          if (event.history && !(event.timestampMs >= this.sinceMs)) return;
          const alert: LogAlert = {
            ruleId: rule.id,
            severity: rule.severity,
            title: rule.title,
            source,
            file: event.file ?? '',
            offset: event.offset ?? 0,
            line: panicSummary(event),
            timestampMs: event.timestampMs,
            panic: event,
          };
          if (this.scanning || !this.onLateAlert) this.finished.push(alert);
          else this.onLateAlert(alert);
        },
        { source, now: this.now },
      );
      this.assemblers.set(source, a);
    }
    return a;
  }

  /** Feeds the assembler the lines around every panic needle of the chunk (and the continuation of an open panic). */
  private scanPanics(source: LogSource, chunk: LineChunk): void {
    const bytes = chunk.bytes;
    const assembler = this.assembler(source);
    let lastTs: number | undefined;
    const feedFrom = (start: number): number => {
      // feeds lines from `start` while they belong to a panic; returns where it stopped
      let pos = start;
      for (let n = 0; pos < bytes.length && n < MAX_PANIC_LINES; n++) {
        let end = bytes.indexOf(NL, pos);
        if (end < 0) end = bytes.length;
        let stop = Math.min(end, pos + MAX_ALERT_LINE);
        if (stop > pos && bytes[stop - 1] === 0x0d) stop--;
        const ts = timestampFromBytes(bytes, pos, end);
        const consumed = assembler.push(bytes.toString('utf8', pos, stop), { file: chunk.file, offset: chunk.offset + pos, timestampMs: ts ?? lastTs, history: chunk.history });
        if (ts !== undefined) lastTs = ts;
        pos = end + 1;
        if (!consumed || !assembler.open) break;
      }
      return pos;
    };
    this.scanning = true;
    try {
      let pos = assembler.open ? feedFrom(0) : 0;
      for (;;) {
        const hit = pos < bytes.length ? nextPanicNeedle(bytes, pos) : -1;
        if (hit < 0) break;
        const { start } = lineAround(bytes, hit);
        pos = feedFrom(Math.max(start, pos));
      }
      assembler.flushIfComplete();
    } finally {
      this.scanning = false;
    }
  }

  private timestampOf(bytes: Buffer, start: number, end: number): number | undefined {
    return timestampFromBytes(bytes, start, end);
  }
}

/** 1-based number of the line that starts at byte `offset` of `file`, counted by streaming the file up to there. */
export async function lineNumberAt(file: string, offset: number): Promise<number | undefined> {
  let handle: fs.promises.FileHandle;
  try {
    // without blocking: the path may have been swapped for a FIFO since the line was read
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return undefined;
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    const buf = Buffer.allocUnsafe(1 << 20);
    let position = 0;
    let lines = 1;
    while (position < offset) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, offset - position), position);
      if (bytesRead === 0) break;
      let i = -1;
      const view = buf.subarray(0, bytesRead);
      while ((i = view.indexOf(NL, i + 1)) >= 0) lines++;
      position += bytesRead;
    }
    return lines;
  } finally {
    await handle.close();
  }
}
