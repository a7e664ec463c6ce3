import { StringDecoder } from 'node:string_decoder';
import { isPanicStart } from '../logs/panicFormat';

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links); upstream colours stderr even into a pipe.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** A line that starts a panic in any form Code writes (checklist section 5: critical). */
export function isPanicLine(line: string): boolean {
  return isPanicStart(line);
}

const CONFIG_ERROR_PATTERNS = [
  /error loading config/i,
  /failed to load config/i,
  /could not load (?:the )?config/i,
  /"reason"\s*:\s*"configLoad"/,
  /error parsing config/i,
  // upstream with --strict-config: `Error: /path/config.toml:1:1: missing field \`protocol\``
  /^Error: .*config\.toml:\d+:\d+:/,
  /invalid config(?:uration)?\b.*config\.toml/i,
];

/** True when a stderr line says the server could not load its config (Beacon: `Error: error loading config: …`). */
export function isConfigErrorLine(line: string): boolean {
  return CONFIG_ERROR_PATTERNS.some((re) => re.test(line));
}

/**
 * Splits a byte stream into lines: UTF-8 safe across chunks, CRLF tolerant,
 * ANSI stripped. Very long lines are cut so a runaway writer cannot grow memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineLength = 64 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxLineLength) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const p of parts) this.emit(p);
  }

  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest) this.emit(rest);
  }

  private emit(raw: string): void {
    let line = stripAnsi(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (line.length > this.maxLineLength) line = `${line.slice(0, this.maxLineLength)}… (cut)`;
    this.onLine(line);
  }
}

/** A bounded list that keeps the newest entries. */
export class RingBuffer<T> {
  private items: T[] = [];
  constructor(private readonly capacity: number) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }
  toArray(): T[] {
    return this.items.slice();
  }
  tail(n: number): T[] {
    return this.items.slice(-n);
  }
  clear(): void {
    this.items = [];
  }
  get size(): number {
    return this.items.length;
  }
}
