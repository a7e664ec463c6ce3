import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Creating a folder and its missing parents. Node's own `mkdir(…, { recursive: true })` never
 * returns for a path under `/proc/self` (Node 20 and 24: `/proc/self/x` gives ENOENT again and
 * again, and it retries forever, the synchronous form blocking the whole process); a CODE_HOME or
 * storage path can point there. So: look up from `dir` for the first folder that exists, then
 * create each missing level once, in order, with `mode`. A level that cannot be created is an
 * error at once; one made meanwhile by someone else (EEXIST) is fine.
 */

/** The levels of `dir` that do not exist, outermost first; throws if something in the way is not a folder. */
function missingLevels(dir: string): string[] {
  const missing: string[] = [];
  for (let current = path.resolve(dir); !isFolderSync(current); current = path.dirname(current)) {
    missing.push(current);
    if (path.dirname(current) === current) break;
  }
  return missing.reverse();
}

function notAFolder(p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p });
}

function isFolderSync(p: string): boolean {
  try {
    if (fs.statSync(p).isDirectory()) return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  throw notAFolder(p);
}

export function mkdirsSync(dir: string, mode?: number): void {
  for (const level of missingLevels(dir)) {
    try {
      fs.mkdirSync(level, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !isFolderSync(level)) throw e;
    }
  }
}

async function isFolder(p: string): Promise<boolean> {
  try {
    if ((await fs.promises.stat(p)).isDirectory()) return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  throw notAFolder(p);
}

export async function mkdirs(dir: string, mode?: number): Promise<void> {
  const missing: string[] = [];
  for (let current = path.resolve(dir); !(await isFolder(current)); current = path.dirname(current)) {
    missing.push(current);
    if (path.dirname(current) === current) break;
  }
  for (const level of missing.reverse()) {
    try {
      await fs.promises.mkdir(level, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !(await isFolder(level))) throw e;
    }
  }
}
