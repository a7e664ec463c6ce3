import { AbstractMessageReader, AbstractMessageWriter, Emitter, type DataCallback, type Disposable, type Message, type MessageReader, type MessageWriter, type Event } from 'vscode-jsonrpc/node';

/** A stdout line that is not a JSON-RPC message (skipped, never fatal). */
export interface InvalidLine {
  /** The line, cut to a readable length. */
  text: string;
  reason: string;
  /** The line was longer than the reader's limit: it was cut and skipped, never parsed. */
  tooLong?: boolean;
}

const NEWLINE = 0x0a;
const MAX_REPORTED_LINE = 500;
/**
 * The longest line parsed as a message. A reply of the servers is a few KB;
 * 16 MiB leaves room for large results while a runaway or hostile writer
 * (one 600 MB line) costs at most this much memory instead of crashing the
 * host with ERR_STRING_TOO_LONG.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
/**
 * Deepest nesting parsed. The servers' JSON (serde_json) reads at most 128
 * levels; a line nested millions deep would cost hundreds of MB once parsed.
 */
export const MAX_JSON_DEPTH = 512;
/**
 * Longest stretch spent on lines before letting timers, signals and other
 * streams run: a server flooding short lines (one OS read can hand over a few
 * MB, a million lines) must not starve the deadline that stops it.
 */
const YIELD_AFTER_MS = 20;

/**
 * Reads newline-delimited JSON-RPC (one object per line, no Content-Length
 * headers), as code-app-server and codex app-server write it. Bytes are
 * buffered until a newline so multi-byte UTF-8 split across chunks decodes
 * whole; partial chunks are kept as a list so a line of many megabytes is
 * joined once, not re-copied per chunk.
 */
export class JsonlMessageReader extends AbstractMessageReader implements MessageReader {
  private readonly invalidLineEmitter = new Emitter<InvalidLine>();
  /** Non-JSON or non-message lines, for the output channel. */
  readonly onInvalidLine: Event<InvalidLine> = this.invalidLineEmitter.event;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** While > 0: inside an over-long line, counting the bytes skipped until its newline. */
  private skipping = 0;
  private skippedHead = '';
  private callback: DataCallback | undefined;
  private readonly detach: (() => void)[] = [];
  private closed = false;
  /** The part of a chunk not handled yet while the stream is paused to let the event loop run. */
  private deferred: Buffer | undefined;

  constructor(
    private readonly readable: NodeJS.ReadableStream,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (chunk: Buffer | string) => this.feed(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    const onEnd = () => this.finish();
    const onError = (err: Error) => this.fireError(err);
    this.readable.on('data', onData);
    this.readable.on('end', onEnd);
    this.readable.on('close', onEnd);
    this.readable.on('error', onError);
    this.detach.push(() => {
      this.readable.removeListener('data', onData);
      this.readable.removeListener('end', onEnd);
      this.readable.removeListener('close', onEnd);
      this.readable.removeListener('error', onError);
    });
    return { dispose: () => this.stopListening() };
  }

  /** Feeds bytes as if they came from the stream, all at once. */
  push(chunk: Buffer): void {
    this.pushUntil(chunk, Infinity);
  }

  /** Feeds a chunk from the stream; past YIELD_AFTER_MS the stream pauses and the rest waits a turn of the event loop. */
  private feed(chunk: Buffer): void {
    const at = this.pushUntil(chunk, performance.now() + YIELD_AFTER_MS);
    if (at >= chunk.length) return;
    this.deferred = chunk.subarray(at);
    this.readable.pause();
    setImmediate(() => {
      const rest = this.deferred;
      this.deferred = undefined;
      if (rest === undefined || this.closed) return;
      this.feed(rest);
      if (this.deferred === undefined) this.readable.resume();
    });
  }

  /** Handles the chunk's lines until `deadline` (checked every 256 lines); returns the offset reached (all of it, or the start of a line). */
  private pushUntil(chunk: Buffer, deadline: number): number {
    let start = 0;
    let lines = 0;
    for (;;) {
      if ((++lines & 255) === 0 && performance.now() > deadline) return start;
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) break;
      if (this.skipping > 0) {
        this.endSkip(nl - start);
      } else if (this.pendingBytes + (nl - start) > this.maxLineBytes) {
        this.startSkip(chunk.subarray(start, nl));
        this.endSkip(0);
      } else {
        let line = chunk.subarray(start, nl);
        if (this.pending.length > 0) {
          line = Buffer.concat([...this.pending, line]);
          this.pending = [];
          this.pendingBytes = 0;
        }
        this.handleLine(line);
      }
      start = nl + 1;
    }
    if (start >= chunk.length) return chunk.length;
    const rest = chunk.subarray(start);
    if (this.skipping > 0) this.skipping += rest.length;
    else if (this.pendingBytes + rest.length > this.maxLineBytes) this.startSkip(rest);
    else {
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
    return chunk.length;
  }

  /** The line in progress is over the limit: drop what is buffered and count the rest until its newline. */
  private startSkip(more: Buffer): void {
    const head = this.pending.length > 0 ? this.pending[0] : more;
    this.skippedHead = head.subarray(0, 80).toString('utf8');
    this.skipping = this.pendingBytes + more.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private endSkip(moreBytes: number): void {
    const total = this.skipping + moreBytes;
    this.skipping = 0;
    this.invalidLineEmitter.fire({
      text: `${this.skippedHead}… (${total} bytes)`,
      reason: `line longer than ${this.maxLineBytes} bytes: cut and skipped`,
      tooLong: true,
    });
    this.skippedHead = '';
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    const deferred = this.deferred;
    this.deferred = undefined;
    if (deferred !== undefined) this.pushUntil(deferred, Infinity);
    // A last line without a trailing newline still counts when the stream ends.
    if (this.skipping > 0) this.endSkip(0);
    if (this.pending.length > 0) {
      const rest = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.handleLine(rest);
    }
    this.fireClose();
  }

  private handleLine(bytes: Buffer): void {
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    // Cheap refusals first: a message is an object, and a flood of short garbage lines must not cost an exception each.
    if (text.trimStart()[0] !== '{') {
      this.reportInvalid(text, 'not JSON, or not a JSON-RPC message (a message is an object starting with "{")');
      return;
    }
    const depth = nestingOver(text, MAX_JSON_DEPTH);
    if (depth !== undefined) {
      this.reportInvalid(text, `JSON nested deeper than ${MAX_JSON_DEPTH} levels (at character ${depth}): skipped, not parsed`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      this.reportInvalid(text, `not JSON (${(err as Error).message})`);
      return;
    }
    if (!isMessageLike(parsed)) {
      this.reportInvalid(text, 'JSON but not a JSON-RPC message');
      return;
    }
    // Upstream omits "jsonrpc"; add it so every consumer sees a well-formed message.
    if ((parsed as { jsonrpc?: unknown }).jsonrpc === undefined) (parsed as { jsonrpc: string }).jsonrpc = '2.0';
    try {
      this.callback?.(parsed as Message);
    } catch (err) {
      this.fireError(err);
    }
  }

  private reportInvalid(text: string, reason: string): void {
    const shown = text.length > MAX_REPORTED_LINE ? `${text.slice(0, MAX_REPORTED_LINE)}… (${text.length} chars)` : text;
    this.invalidLineEmitter.fire({ text: shown, reason });
  }

  private stopListening(): void {
    for (const d of this.detach.splice(0)) d();
    this.callback = undefined;
  }

  override dispose(): void {
    this.stopListening();
    this.invalidLineEmitter.dispose();
    super.dispose();
  }
}

/** Where the text first nests deeper than `max` arrays/objects (strings skipped), or undefined. */
function nestingOver(text: string, max: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

function isMessageLike(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const m = v as Record<string, unknown>;
  return typeof m.method === 'string' || 'result' in m || 'error' in m;
}

/** Writes one JSON object per line. */
export class JsonlMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly writable: NodeJS.WritableStream) {
    super();
    const onError = (err: Error) => this.fireError(err);
    const onClose = () => this.fireClose();
    writable.on('error', onError);
    writable.on('close', onClose);
    this.unhook = () => {
      writable.removeListener('error', onError);
      writable.removeListener('close', onClose);
    };
  }

  private readonly unhook: () => void;

  write(msg: Message): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const line = `${JSON.stringify(msg)}\n`;
      const stream = this.writable as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
      if (stream.destroyed || stream.writableEnded) {
        const err = new Error('The app server connection is closed.');
        this.errorCount++;
        this.fireError(err, msg, this.errorCount);
        reject(err);
        return;
      }
      stream.write(line, 'utf8', (err?: Error | null) => {
        if (err) {
          this.errorCount++;
          this.fireError(err, msg, this.errorCount);
          reject(err);
        } else {
          this.errorCount = 0;
          resolve();
        }
      });
    });
  }

  end(): void {
    // Ending stdin is how a stdio server is asked to exit; the supervisor does it explicitly.
  }

  override dispose(): void {
    this.unhook();
    super.dispose();
  }
}
