import * as fs from 'node:fs';

/**
 * Reading a file that someone else controls. Every file Code Ops reads
 * (config.toml, the managed layer, readiness.json, a checklist, backups, logs)
 * may be a FIFO, `/dev/zero`, a folder, a symlink to any of these, or huge.
 * So: open without blocking (a FIFO with no writer would block `open`), check
 * with `fstat` on the open descriptor (not a path `stat` that a rename can race),
 * refuse what is not a regular file, and read at most `maxBytes`.
 */

/** Caps, in bytes, for the files we read whole. */
export const FILE_CAPS = {
  /** config.toml and the managed layer: real ones are a few KB */
  config: 4 * 1024 * 1024,
  /** .code-ops/readiness.json */
  state: 4 * 1024 * 1024,
  /** a checklist Markdown file */
  checklist: 4 * 1024 * 1024,
} as const;

export type FileReadErrorCode = 'ENOENT' | 'EACCES' | 'EISDIR' | 'ENOTREG' | 'ETOOBIG' | 'EIO';

export class FileReadError extends Error {
  constructor(
    readonly code: FileReadErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileReadError';
  }
}

/** What a non-regular file is, in words (`a FIFO (named pipe)`). */
export function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function kindAt(file: string): string {
  try {
    return kindOf(fs.statSync(file));
  } catch {
    return 'not a regular file';
  }
}

function mib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

function openError(file: string, e: unknown): FileReadError {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new FileReadError('ENOENT', file, `${file} does not exist.`);
    case 'EACCES':
    case 'EPERM':
      return new FileReadError('EACCES', file, `${file} cannot be read: permission denied.`);
    case 'EISDIR':
      return new FileReadError('EISDIR', file, `${file} is a folder, not a file.`);
    case 'ELOOP':
      return new FileReadError('ENOTREG', file, `${file} is a symlink loop.`);
    case 'ENXIO':
    case 'ENODEV':
    case 'EOPNOTSUPP':
      // a socket (or a device without a driver) cannot be opened: say what it is
      return new FileReadError('ENOTREG', file, `${file} is ${kindAt(file)}, not a regular file; not read.`);
    default:
      return new FileReadError('EIO', file, `${file} cannot be read: ${err.message ?? String(e)}`);
  }
}

function checkStat(file: string, st: fs.Stats, maxBytes: number): void {
  if (st.isDirectory()) throw new FileReadError('EISDIR', file, `${file} is a folder, not a file.`);
  if (!st.isFile()) throw new FileReadError('ENOTREG', file, `${file} is ${kindOf(st)}, not a regular file; not read.`);
  if (st.size > maxBytes) throw tooBig(file, st.size, maxBytes);
}

function tooBig(file: string, size: number | undefined, maxBytes: number): FileReadError {
  const what = size === undefined ? 'over' : `${mib(size)}, over`;
  return new FileReadError('ETOOBIG', file, `${file} is ${what} the ${mib(maxBytes)} limit; not read.`);
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Reads a regular file of at most `maxBytes`, or throws a FileReadError with a sentence for people. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, OPEN_FLAGS);
  } catch (e) {
    throw openError(file, e);
  }
  try {
    checkStat(file, await handle.stat(), maxBytes);
    // The file may grow between fstat and read: read one byte past the cap to notice.
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, 64 * 1024));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooBig(file, undefined, maxBytes);
      chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    throw openError(file, e);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The synchronous twin of readRegularFile, for the few callers that cannot await. */
export function readRegularFileSync(file: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (e) {
    throw openError(file, e);
  }
  try {
    checkStat(file, fs.fstatSync(fd), maxBytes);
    const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, 64 * 1024));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooBig(file, undefined, maxBytes);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof FileReadError) throw e;
    throw openError(file, e);
  } finally {
    fs.closeSync(fd);
  }
}

/** Text of a regular file (UTF-8), bounded as above. */
export async function readRegularText(file: string, maxBytes: number): Promise<string> {
  return (await readRegularFile(file, maxBytes)).toString('utf8');
}
