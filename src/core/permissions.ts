import { constants, promises as fs } from 'node:fs';
import type { OpsAction } from './actions';
import { mkdirs } from './mkdirs';

/**
 * Applies a permissions fix: creates a missing folder (0700) and chmods each
 * target. A symlink is refused (lstat), never followed: chmod would change
 * whatever it points at. Returns what was done, one line per target; stops at
 * the first failure and says which file it was.
 */
export async function applyPermissionsFix(fix: Extract<OpsAction, { kind: 'permissions' }>): Promise<string[]> {
  const done: string[] = [];
  for (const t of fix.targets) {
    if (t.create) await mkdirs(t.path, t.mode);
    const st = await fs.lstat(t.path).catch(() => undefined);
    if (st?.isSymbolicLink()) throw new Error(`${t.path} is a symlink; not changed (fix the file it points at by hand if you mean to).`);
    if (st && !(t.directory ? st.isDirectory() : st.isFile())) throw new Error(`${t.path} is not a ${t.directory ? 'folder' : 'regular file'}; not changed.`);
    try {
      // O_NOFOLLOW: a symlink swapped in after the lstat above fails here instead of being followed.
      const handle = await fs.open(t.path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
      try {
        await handle.chmod(t.mode);
      } finally {
        await handle.close();
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new Error(`${t.path} is a symlink; not changed.`, { cause: err });
      throw new Error(`Could not chmod ${t.path}: ${(err as Error).message}`, { cause: err });
    }
    done.push(`${t.path} → 0${t.mode.toString(8)}`);
  }
  return done;
}
