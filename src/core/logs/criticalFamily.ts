import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** The base name the daily rolling appender adds its `.YYYY-MM-DD` suffix to. */
export const CRITICAL_LOG_BASE = 'critical.log';

/** `critical.log.2025-12-24`, and the hourly / minutely variants the same appender can produce. */
const MEMBER_RE = /^critical\.log\.(\d{4}-\d{2}-\d{2}(?:-\d{2}){0,2})$/;

/** The suffix that orders a member (`2025-12-24`), or undefined when the name is not one. */
export function criticalMemberDate(fileName: string): string | undefined {
  return MEMBER_RE.exec(fileName)?.[1];
}

export function isCriticalFamilyName(fileName: string): boolean {
  return fileName === CRITICAL_LOG_BASE || MEMBER_RE.test(fileName);
}

/**
 * Members of the rolling `critical.log` family in `logsDir`, oldest first.
 * A plain `critical.log` (written by older builds, or by a non-rolling setup)
 * is ordered by the UTC day of its last modification; on a tie it counts as
 * older than the dated file of that day. A missing folder yields [].
 */
export async function listCriticalLogs(logsDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(logsDir);
  } catch {
    return [];
  }
  const members: Array<{ file: string; key: string }> = [];
  for (const name of names) {
    const date = criticalMemberDate(name);
    if (date) {
      members.push({ file: path.join(logsDir, name), key: `${date}~1` });
    } else if (name === CRITICAL_LOG_BASE) {
      const file = path.join(logsDir, name);
      try {
        const st = await fsp.stat(file);
        if (!st.isFile()) continue;
        members.push({ file, key: `${new Date(st.mtimeMs).toISOString().slice(0, 10)}~0` });
      } catch {
        // vanished between readdir and stat
      }
    }
  }
  members.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return members.map((m) => m.file);
}
