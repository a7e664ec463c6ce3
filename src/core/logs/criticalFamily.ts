import { promises as fsp, type Dirent } from 'node:fs';
import * as path from 'node:path';

/** The base name the daily rolling appender adds its `.YYYY-MM-DD` suffix to. */
export const CRITICAL_LOG_BASE = 'critical.log';

/** `critical.log.2025-12-24`, and the hourly / minutely variants the same appender can produce. */
const MEMBER_RE = /^critical\.log\.(\d{4}-\d{2}-\d{2}(?:-\d{2}){0,2})$/;

/** The suffix that orders a member (`2025-12-24`), or undefined when the name is not one. */
export function criticalMemberDate(fileName: string): string | undefined {
  return MEMBER_RE.exec(fileName)?.[1];
}

/**
 * A member date Code could have written by now: a real calendar day (UTC) not
 * later than tomorrow. A `critical.log.2999-01-01` planted next to today's file
 * would otherwise sort as the newest member and capture the follower for good.
 */
export function isPlausibleMemberDate(date: string, nowMs = Date.now()): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = Date.UTC(y, mo - 1, d);
  const back = new Date(at);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return false;
  if (m[4] !== undefined && Number(m[4]) > 23) return false;
  if (m[5] !== undefined && Number(m[5]) > 59) return false;
  const tomorrow = new Date(nowMs + 86_400_000).toISOString().slice(0, 10);
  return date.slice(0, 10) <= tomorrow;
}

export function isCriticalFamilyName(fileName: string): boolean {
  return fileName === CRITICAL_LOG_BASE || MEMBER_RE.test(fileName);
}

/**
 * Members of the rolling `critical.log` family in `logsDir`, oldest first.
 * A plain `critical.log` (written by older builds, or by a non-rolling setup)
 * is ordered by the UTC day of its last modification; on a tie it counts as
 * older than the dated file of that day. Only regular files (or symlinks to
 * them) with a plausible date count (see isPlausibleMemberDate). A missing
 * folder yields [].
 */
export async function listCriticalLogs(logsDir: string, nowMs = Date.now()): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fsp.readdir(logsDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const regular = async (entry: Dirent, file: string): Promise<boolean> => {
    if (entry.isFile()) return true;
    if (!entry.isSymbolicLink()) return false;
    return (await fsp.stat(file).catch(() => undefined))?.isFile() === true;
  };
  const members: Array<{ file: string; key: string }> = [];
  for (const entry of entries) {
    const name = entry.name;
    const date = criticalMemberDate(name);
    if (date) {
      const file = path.join(logsDir, name);
      if (isPlausibleMemberDate(date, nowMs) && (await regular(entry, file))) members.push({ file, key: `${date}~1` });
    } else if (name === CRITICAL_LOG_BASE) {
      const file = path.join(logsDir, name);
      try {
        const st = await fsp.stat(file);
        if (!st.isFile()) continue;
        // `!` sorts before the `-` of an hourly member and the `~` of a daily one of the same day
        members.push({ file, key: `${new Date(st.mtimeMs).toISOString().slice(0, 10)}!0` });
      } catch {
        // vanished between readdir and stat
      }
    }
  }
  members.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return members.map((m) => m.file);
}
