import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A small glob for the backup setting (Node 20 has no fs.glob): `*`, `?`,
 * `[abc]`, `{a,b}` inside a segment and `**` across folders. Walks only below
 * the longest literal prefix and stops after a bounded number of entries so a
 * careless `/**` cannot scan a whole disk.
 */

const MAX_VISITED = 20_000;

function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += `[${segment.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (ch === '{') {
      const close = segment.indexOf('}', i + 1);
      if (close < 0) re += '\\{';
      else {
        re += `(?:${segment
          .slice(i + 1, close)
          .split(',')
          .map((alt) => alt.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
          .join('|')})`;
        i = close;
      }
    } else re += ch.replace(/[.+^$()|\\\]}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const hasMagic = (s: string) => /[*?[{]/.test(s);

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
  const segments = p.split('/');
  let baseCount = 0;
  while (baseCount < segments.length && !hasMagic(segments[baseCount])) baseCount++;
  const base = segments.slice(0, baseCount).join('/') || '/';
  const rest = segments.slice(baseCount);
  if (!rest.length) {
    try {
      return (await fs.stat(base)).isFile() ? [path.normalize(base)] : [];
    } catch {
      return [];
    }
  }
  const out: string[] = [];
  let visited = 0;
  const walk = async (dir: string, parts: string[]): Promise<void> => {
    if (!parts.length || visited > MAX_VISITED) return;
    const [head, ...tail] = parts;
    if (head === '**') {
      await walk(dir, tail);
      for (const e of await readDir(dir)) {
        if (++visited > MAX_VISITED) return;
        if (e.isDirectory()) await walk(path.join(dir, e.name), parts);
      }
      return;
    }
    const re = segmentRegex(head);
    for (const e of await readDir(dir)) {
      if (++visited > MAX_VISITED) return;
      if (!re.test(e.name)) continue;
      const full = path.join(dir, e.name);
      if (tail.length === 0) {
        if (e.isFile() || (e.isSymbolicLink() && (await isFile(full)))) out.push(full);
      } else if (e.isDirectory()) await walk(full, tail);
    }
  };
  await walk(path.normalize(base), rest);
  return [...new Set(out)].sort();
}

async function readDir(dir: string) {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isFile();
  } catch {
    return false;
  }
}
