import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileMode, fix, statOrUndefined, type CheckContext, type Verdict } from '../checkTypes';

/** Top-level files of CODE_HOME that hold credentials and must be private. */
export function isSecretFileName(name: string): boolean {
  return name === 'auth.json' || name === 'auth_accounts.json' || name === '.env' || /credential|secret|token/i.test(name) || /\.(pem|key)$/i.test(name);
}

export async function codeHomePermissions(ctx: CheckContext): Promise<Verdict> {
  if (ctx.platform === 'win32') return { status: 'skip', detail: 'POSIX permissions do not apply on Windows; check the folder ACL by hand.' };
  const root = await statOrUndefined(ctx.codeHome);
  if (!root) {
    return {
      status: 'fail',
      detail: `CODE_HOME ${ctx.codeHome} does not exist (the server refuses to start without it).`,
      fix: fix({ kind: 'permissions', targets: [{ path: ctx.codeHome, mode: 0o700, directory: true, create: true }] }, 'Create CODE_HOME (0700)'),
    };
  }
  if (!root.isDirectory()) return { status: 'fail', detail: `CODE_HOME ${ctx.codeHome} is not a folder.` };
  const problems: string[] = [];
  const targets: Array<{ path: string; mode: number; directory?: boolean }> = [];
  if (root.mode & 0o077) {
    problems.push(`CODE_HOME is ${fileMode(root)}`);
    targets.push({ path: ctx.codeHome, mode: 0o700, directory: true });
  }
  const secrets: string[] = [];
  for (const entry of await fs.readdir(ctx.codeHome, { withFileTypes: true })) {
    // A symlink is never followed: chmod would change whatever it points at.
    if (!isSecretFileName(entry.name) || !entry.isFile()) continue;
    const full = path.join(ctx.codeHome, entry.name);
    const st = await fs.lstat(full).catch(() => undefined);
    if (!st?.isFile()) continue;
    secrets.push(entry.name);
    if (st.mode & 0o077) {
      problems.push(`${entry.name} is ${fileMode(st)}`);
      targets.push({ path: full, mode: 0o600 });
    }
  }
  if (problems.length) {
    return {
      status: 'fail',
      detail: `${problems.join('; ')} (group/world can access them; want 0700 and 0600).`,
      fix: fix({ kind: 'permissions', targets }, 'Tighten permissions (0700 folder, 0600 secrets)'),
    };
  }
  return { status: 'pass', detail: `CODE_HOME is ${fileMode(root)}${secrets.length ? `; ${secrets.join(', ')} private` : '; no secret files yet'}.` };
}

/** Beacon's `log/` + `logs/` or Code's `debug_logs/` (both TUI log names): says which layout it found. */
export async function logsPresent(ctx: CheckContext): Promise<Verdict> {
  return ctx.deps.logsPresent(ctx.paths);
}
