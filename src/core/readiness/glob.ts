import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import picomatch from 'picomatch';

/**
 * The backup setting's glob, matched with picomatch (`*`, `?`, `[abc]`,
 * `{a,b}`, `**`, as in VS Code's own globs). The walk starts below the
 * pattern's literal base (picomatch.scan) and stops after a bounded number of
 * entries, so a careless `/**` cannot scan a whole disk.
 */

const MAX_VISITED = 20_000;

export interface GlobOptions {
  cwd: string;
  homedir?: string;
}

/** Absolute paths of the files matching `pattern`. */
export async function globFiles(pattern: string, options: GlobOptions): Promise<string[]> {
  const home = options.homedir ?? os.homedir();
  let p = pattern.trim();
  if (p === '~' || p.startsWith('~/')) p = path.join(home, p.slice(1));
  p = path.resolve(options.cwd, p).split(path.sep).join('/');
  const scan = picomatch.scan(p);
  if (!scan.isGlob) {
    const st = await fs.stat(p).catch(() => undefined);
    return st?.isFile() ? [path.normalize(p)] : [];
  }
  const base = scan.base || '/';
  const isMatch = picomatch(scan.glob, { dot: false });
  const recursive = scan.glob.includes('**');
  const depth = scan.glob.split('/').length;
  const out: string[] = [];
  let visited = 0;
  const walk = async (dir: string, rel: string, level: number): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (++visited > MAX_VISITED) return;
      const full = path.join(dir, e.name);
      const relName = rel ? `${rel}/${e.name}` : e.name;
      if (level + 1 >= depth || recursive) {
        const isFile = e.isFile() || (e.isSymbolicLink() && (await fs.stat(full).then((s) => s.isFile()).catch(() => false)));
        if (isFile && isMatch(relName)) out.push(full);
      }
      if (e.isDirectory() && (recursive || level + 1 < depth)) await walk(full, relName, level + 1);
    }
  };
  await walk(path.normalize(base), '', 0);
  return [...new Set(out)].sort();
}
