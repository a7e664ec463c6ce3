import * as fs from 'node:fs';
import { Parser, type ReadEntry } from 'tar';

/**
 * Lists the entry names of a backup archive (`.tar`, `.tar.gz`, `.tgz`;
 * compression is detected from the content) with node-tar's streaming parser,
 * extracting nothing. Bounded whatever the archive claims: header records
 * (GNU long names, pax headers) over META_CAP are skipped instead of buffered,
 * a gzip stream inflating more than 1000x is abandoned (a gzip bomb), and the
 * listing gives up after `deadlineMs`.
 */

/** Largest long-name / pax record read; real ones are a few hundred bytes. */
export const META_CAP = 64 * 1024;

export class ArchiveError extends Error {}

export interface ListArchiveOptions {
  /** Stop reading as soon as this returns true for the names seen so far. */
  until?: (name: string) => boolean;
  deadlineMs?: number;
}

async function openRegular(file: string): Promise<fs.promises.FileHandle> {
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw new ArchiveError(`${file} is not a regular file; not read.`);
  }
  return handle;
}

export async function listArchiveEntries(file: string, options: ListArchiveOptions = {}): Promise<{ names: string[]; complete: boolean; timedOut: boolean }> {
  const handle = await openRegular(file);
  const names: string[] = [];
  let stopped = false;
  let skippedMeta = 0;
  let timedOut = false;
  return new Promise((resolve, reject) => {
    const source = handle.createReadStream({ highWaterMark: 1 << 20 });
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      source.destroy();
      if (err) reject(err);
      else if (!names.length && skippedMeta) reject(new ArchiveError(`an entry's header record is over ${META_CAP / 1024} KiB; not a plausible backup`));
      else resolve({ names, complete: !stopped && !timedOut, timedOut });
    };
    // A huge archive is listed as far as time allows; the caller says what it saw.
    const timer = setTimeout(() => {
      timedOut = true;
      finish(names.length ? undefined : new ArchiveError(`no entry read within ${Math.round((options.deadlineMs ?? 30_000) / 1000)} s`));
    }, options.deadlineMs ?? 30_000);
    const parser = new Parser({
      maxMetaEntrySize: META_CAP,
      onReadEntry: (entry: ReadEntry) => {
        entry.resume();
        if (settled || stopped) return;
        names.push(entry.type === 'Directory' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path);
        if (options.until?.(entry.path)) {
          stopped = true;
          finish();
        }
      },
    });
    parser.on('ignoredEntry', (entry: ReadEntry) => {
      if (entry.meta) skippedMeta++;
    });
    parser.on('warn', (code: string, message: string | Error) => {
      if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT') finish(new ArchiveError(describe(message)));
    });
    parser.on('error', (err: Error) => finish(new ArchiveError(describe(err))));
    parser.on('end', () => finish());
    source.on('data', (chunk) => {
      if (!settled) parser.write(chunk as Buffer);
    });
    source.on('end', () => {
      if (!settled) parser.end();
    });
    source.on('error', (err) => finish(err));
  });
}

function describe(message: string | Error): string {
  const text = message instanceof Error ? message.message : message;
  if (/Unrecognized archive format/i.test(text)) return 'not a tar archive';
  if (/decompression ratio/i.test(text)) return `not a plausible backup (${text}: a gzip bomb?)`;
  if (/zlib|gzip|incorrect header|unexpected end/i.test(text)) return `not a valid gzip stream (${text})`;
  return text;
}
