import { promises as fs } from 'node:fs';
import type { FixAction } from './model';

/**
 * Applies a permissions fix: creates a missing CODE_HOME (0700) and chmods
 * each target. Returns what was done, one line per target; stops at the first
 * failure and says which file it was.
 */
export async function applyPermissionsFix(fix: Extract<FixAction, { kind: 'permissions' }>): Promise<string[]> {
  const done: string[] = [];
  for (const t of fix.targets) {
    if (t.create) await fs.mkdir(t.path, { recursive: true, mode: t.mode });
    try {
      await fs.chmod(t.path, t.mode);
    } catch (err) {
      throw new Error(`Could not chmod ${t.path}: ${(err as Error).message}`, { cause: err });
    }
    done.push(`${t.path} → 0${t.mode.toString(8)}`);
  }
  return done;
}
