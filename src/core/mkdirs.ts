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
function missingLevels(dir: string, exists: (p: string) => boolean): string[] {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!exists(current)) {
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return missing.reverse();
}

function isFolderSync(p: string): boolean {
  try {
    if (fs.statSync(p).isDirectory()) return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p });
}

export function mkdirsSync(dir: string, mode?: number): void {
  for (const level of missingLevels(dir, isFolderSync)) {
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
  throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p });
}

export async function mkdirs(dir: string, mode?: number): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!(await isFolder(current))) {
    missing.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing.reverse()) {
    try {
      await fs.promises.mkdir(level, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !(await isFolder(level))) throw e;
    }
  }
}
