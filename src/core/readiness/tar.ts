import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

/**
 * Lists the entry names of a tar archive (plain or gzip-compressed) by reading
 * its 512-byte headers and skipping the data, without extracting anything.
 * Understands ustar prefixes, GNU long names (`L`) and pax `path` records.
 * Streams, so a multi-gigabyte backup costs one chunk of memory.
 */

const BLOCK = 512;

export interface ListTarOptions {
  /** Stop reading as soon as this returns true for the names seen so far. */
  until?: (name: string) => boolean;
}

export class TarFormatError extends Error {}

function readString(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return slice.toString('utf8', 0, nul < 0 ? slice.length : nul);
}

function readOctal(buf: Buffer, start: number, length: number): number {
  // GNU base-256 for sizes over 8 GiB: high bit of the first byte set.
  if (buf[start] & 0x80) {
    let value = 0;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + buf[i];
    return value;
  }
  const text = readString(buf, start, length).trim();
  if (!text) return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad octal field "${text}"`);
  return parseInt(text, 8);
}

function checksumOk(header: Buffer): boolean {
  let stored: number;
  try {
    stored = readOctal(header, 148, 8);
  } catch {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  return sum === stored;
}

function paxPath(data: Buffer): string | undefined {
  // Records: "<len> key=value\n"
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = parseInt(data.toString('ascii', pos, space), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const record = data.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === 'path') return record.slice(eq + 1);
    pos += len;
  }
  return undefined;
}

/** Incremental parser: feed it chunks, it reports names. */
class TarHeaderParser {
  private pending: Buffer = Buffer.alloc(0);
  private skip = 0;
  /** Bytes of a long-name or pax record being collected. */
  private collect?: { type: 'L' | 'x'; remaining: number; padded: number; parts: Buffer[] };
  private nextName?: string;
  private zeroBlocks = 0;
  ended = false;

  /** `onEntry` returns true to stop reading. */
  constructor(private readonly onEntry: (name: string) => boolean) {}

  push(chunk: Buffer): void {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let pos = 0;
    while (!this.ended) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, buf.length - pos);
        this.skip -= n;
        pos += n;
        if (this.skip > 0) break;
        continue;
      }
      if (this.collect) {
        const c = this.collect;
        const n = Math.min(c.padded, buf.length - pos);
        if (n === 0) break;
        const take = Math.min(n, c.remaining);
        if (take > 0) c.parts.push(buf.subarray(pos, pos + take));
        c.remaining -= take;
        c.padded -= n;
        pos += n;
        if (c.padded > 0) break;
        const data = Buffer.concat(c.parts);
        this.nextName = c.type === 'L' ? readString(data, 0, data.length) : (paxPath(data) ?? this.nextName);
        this.collect = undefined;
        continue;
      }
      if (buf.length - pos < BLOCK) break;
      const header = buf.subarray(pos, pos + BLOCK);
      pos += BLOCK;
      if (header.every((b) => b === 0)) {
        if (++this.zeroBlocks >= 2) this.ended = true;
        continue;
      }
      this.zeroBlocks = 0;
      if (!checksumOk(header)) throw new TarFormatError('not a tar archive (header checksum mismatch)');
      const size = readOctal(header, 124, 12);
      const type = String.fromCharCode(header[156] || 0x30);
      const padded = Math.ceil(size / BLOCK) * BLOCK;
      if (type === 'L' || type === 'x') {
        this.collect = { type, remaining: size, padded, parts: [] };
        continue;
      }
      if (type === 'g' || type === 'K') {
        this.skip = padded;
        continue;
      }
      let name = readString(header, 0, 100);
      const magic = readString(header, 257, 6);
      if (magic.startsWith('ustar')) {
        const prefix = readString(header, 345, 155);
        if (prefix) name = `${prefix}/${name}`;
      }
      if (this.nextName !== undefined) {
        name = this.nextName;
        this.nextName = undefined;
      }
      if (type === '5' && !name.endsWith('/')) name += '/';
      if (this.onEntry(name)) {
        this.ended = true;
        break;
      }
      // Directories, links and devices carry no data even when size says otherwise.
      this.skip = ['1', '2', '3', '4', '5', '6'].includes(type) ? 0 : padded;
    }
    this.pending = this.ended ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
  }
}

/** Entry names of a `.tar`, `.tar.gz` or `.tgz` (compression is detected from the content, not the name). */
export async function listTarEntries(file: string, options: ListTarOptions = {}): Promise<{ names: string[]; complete: boolean }> {
  const names: string[] = [];
  let stopped = false;
  const head = Buffer.alloc(2);
  const fd = await fs.promises.open(file, 'r');
  try {
    await fd.read(head, 0, 2, 0);
  } finally {
    await fd.close();
  }
  const gz = head[0] === 0x1f && head[1] === 0x8b;
  return new Promise((resolve, reject) => {
    const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    const stream: NodeJS.ReadableStream = gz ? source.pipe(zlib.createGunzip()) : source;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      source.destroy();
      if (gz) (stream as zlib.Gunzip).destroy();
      if (err) reject(err);
      else resolve({ names, complete: !stopped });
    };
    const parser = new TarHeaderParser((name) => {
      names.push(name);
      if (options.until?.(name)) stopped = true;
      return stopped;
    });
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      try {
        parser.push(chunk);
      } catch (err) {
        finish(err as Error);
        return;
      }
      if (stopped || parser.ended) finish();
    });
    stream.on('error', (err: Error) => finish(gz ? new TarFormatError(`not a valid gzip stream (${err.message})`) : err));
    source.on('error', (err: Error) => finish(err));
    stream.on('end', () => finish());
  });
}
