import { maskSecrets } from '../mask';
import { continuationKind, locationKey, parsePanicStart, startsLogEvent, type PanicForm, type PanicLocation, type PanicStart } from './panicFormat';

/** One panic, its lines joined: where, which thread, what it said and when. */
export interface PanicEvent {
  /** The forms it was seen in, first first (stderr shows `hook-debug` then `default-hook` for one panic). */
  forms: PanicForm[];
  location?: PanicLocation;
  thread?: string;
  /** The panic message (its lines joined by `\n`), secrets masked, bounded. */
  message?: string;
  /** The log line's timestamp, or when the line arrived when it has none. */
  timestampMs: number;
  /** Where it was read: `code-tui`, `critical`, `stderr`, or a file's role. */
  source: string;
  file?: string;
  /** Byte offset of the first line in `file`, when read from a file. */
  offset?: number;
  /** 1-based line number of the first line in `file`, when known. */
  lineNumber?: number;
  /** The first line, secrets masked, cut at MAX_LINE. */
  startLine: string;
  /** The first line was part of the history shown when following started. */
  history?: boolean;
}

export interface LineMeta {
  file?: string;
  offset?: number;
  lineNumber?: number;
  /** The last timestamp above this line (continuations and stderr lines have none of their own). */
  timestampMs?: number;
  history?: boolean;
}

export interface PanicAssemblerOptions {
  source: string;
  /** A panic is complete this long after its first line (a hook writes all its lines at once). 0: only flush() and the lines after it complete it. Default 150. */
  settleMs?: number;
  now?: () => number;
}

const MAX_MESSAGE_LINES = 20;
const MAX_MESSAGE_CHARS = 2000;
const MAX_LINE = 4096;

type Stage = 'message' | 'await-default-hook' | 'backtrace';

interface Pending {
  event: PanicEvent;
  stage: Stage;
  messageLines: string[];
  messageChars: number;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Two sightings of one panic: the same location (or none known) and compatible messages. */
function samePanic(a: { location?: PanicLocation; message?: string }, b: { location?: PanicLocation; message?: string }): boolean {
  const la = locationKey(a.location);
  const lb = locationKey(b.location);
  if (la && lb && la !== lb) return false;
  const ma = firstLine(a.message);
  const mb = firstLine(b.message);
  return !ma || !mb || ma === mb;
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n', 1)[0].trim();
}

/**
 * Joins the lines of a panic fed one by one (a log's lines in order, or a
 * server's stderr lines) into PanicEvents: the start line in any of the three
 * forms, the message on the following line(s), the note or backtrace; the
 * server hook's `Panic occurred` and the default hook's `thread '…' panicked
 * at` that follows it for the same location become one event.
 */
export class PanicAssembler {
  private pending: Pending | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly settleMs: number;
  private readonly now: () => number;

  constructor(
    private readonly emit: (event: PanicEvent) => void,
    private readonly options: PanicAssemblerOptions,
  ) {
    this.settleMs = options.settleMs ?? 150;
    this.now = options.now ?? Date.now;
  }

  /** True while a panic is open and the next lines may still belong to it. */
  get open(): boolean {
    return this.pending !== undefined;
  }

  /** Feeds one line (without its line end); true when the line belongs to a panic. */
  push(line: string, meta: LineMeta = {}): boolean {
    const before = this.pending;
    const start = parsePanicStart(line);
    const consumed = start ? this.onStart(start, line, meta) : this.onOther(line);
    // A hook writes a panic's lines at once: the clock starts with the panic, later lines do not extend it.
    if (this.pending && this.pending !== before) this.arm();
    return consumed;
  }

  /** Completes the open panic now (end of a file, of a stream, of a test). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (!p) return;
    if (p.messageLines.length) {
      const joined = maskSecrets(p.messageLines.join('\n').trim());
      p.event.message = joined ? cut(joined, MAX_MESSAGE_CHARS) : p.event.message;
    }
    this.emit(p.event);
  }

  /**
   * Completes the open panic when it already has what it needs: everything
   * but a panic whose message line has not arrived yet. A log's event is
   * written in one write, so the end of what was read is usually its end.
   */
  flushIfComplete(): void {
    const p = this.pending;
    if (p && !(p.stage === 'message' && p.messageLines.length === 0 && !p.event.message)) this.flush();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  private onStart(start: PanicStart, line: string, meta: LineMeta): boolean {
    const p = this.pending;
    if (p && start.form === 'default-hook' && !p.event.forms.includes('default-hook') && !p.messageLines.length && samePanic(p.event, start)) {
      // the default hook repeating the panic a custom hook already reported
      p.event.forms.push('default-hook');
      p.event.location ??= start.location;
      p.event.thread ??= start.thread;
      if (start.message) p.event.message ??= maskSecrets(cut(start.message, MAX_MESSAGE_CHARS));
      p.stage = start.message ? 'backtrace' : 'message';
      return true;
    }
    this.flush();
    this.pending = {
      event: {
        forms: [start.form],
        location: start.location,
        thread: start.thread,
        message: start.message ? maskSecrets(cut(start.message, MAX_MESSAGE_CHARS)) : undefined,
        timestampMs: start.timestampMs ?? meta.timestampMs ?? this.now(),
        source: this.options.source,
        file: meta.file,
        offset: meta.offset,
        lineNumber: meta.lineNumber,
        startLine: maskSecrets(cut(line, MAX_LINE)),
        history: meta.history,
      },
      // the server hook's line carries no message: the default hook's lines follow it
      stage: start.form === 'hook-debug' ? 'await-default-hook' : start.message ? 'backtrace' : 'message',
      messageLines: [],
      messageChars: 0,
    };
    return true;
  }

  private onOther(line: string): boolean {
    const p = this.pending;
    if (!p) return false;
    if (startsLogEvent(line)) {
      this.flush();
      return false;
    }
    const kind = continuationKind(line);
    if (kind === 'note') {
      this.flush();
      return true;
    }
    if (kind === 'backtrace-header') {
      p.stage = 'backtrace';
      return true;
    }
    if (p.stage === 'backtrace' || p.stage === 'await-default-hook') {
      if (kind === 'frame') return true;
      // an unrelated line after the backtrace (or after a hook line with no default hook behind it)
      this.flush();
      return false;
    }
    // message text (a frame-like line inside a message is still message)
    if (p.messageLines.length < MAX_MESSAGE_LINES && p.messageChars < MAX_MESSAGE_CHARS) {
      const text = cut(line, MAX_MESSAGE_CHARS);
      p.messageLines.push(text);
      p.messageChars += text.length;
    }
    return true;
  }

  private arm(): void {
    if (this.settleMs <= 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.settleMs);
    this.timer.unref?.();
  }
}

/** `panicked at FILE:L:C: message (thread 'NAME')`: one line for alerts, checks and the status bar. */
export function panicSummary(event: Pick<PanicEvent, 'location' | 'message' | 'thread' | 'startLine'>): string {
  const where = event.location ? `panicked at ${locationKey(event.location)}` : 'panicked';
  const what = event.message ? `: ${firstLine(event.message)}` : '';
  const who = event.thread ? ` (thread '${event.thread}')` : '';
  if (!event.location) {
    // a bare `Panic occurred …` line: from the marker on (its timestamp and level say nothing more)
    const at = event.startLine.indexOf('Panic occurred');
    return at > 0 ? event.startLine.slice(at) : event.startLine;
  }
  return `${where}${what}${who}`;
}

/** The identity of a panic across logs, stderr and the default hook (time aside). */
export function panicIdentity(event: Pick<PanicEvent, 'location' | 'message'>): string {
  return `${locationKey(event.location)}|${firstLine(event.message)}`;
}

export { samePanic };
