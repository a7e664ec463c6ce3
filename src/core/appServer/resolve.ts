import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface ResolvedExecutable {
  /** Absolute path of the executable when it was found and may be run. */
  path?: string;
  /** Why it cannot be run, in words a person can act on. */
  error?: string;
}

const isWindows = process.platform === 'win32';

function pathExtensions(env: NodeJS.ProcessEnv): string[] {
  if (!isWindows) return [''];
  const raw = env.PATHEXT ?? env.PathExt ?? '.COM;.EXE;.BAT;.CMD';
  return ['', ...raw.split(';').filter(Boolean)];
}

function pathVariable(env: NodeJS.ProcessEnv): string {
  // Windows spells it Path; a copied env keeps the original spelling.
  return env.PATH ?? env.Path ?? '';
}

type Candidate = { kind: 'ok' } | { kind: 'missing' } | { kind: 'directory' } | { kind: 'not-executable' } | { kind: 'error'; message: string };

async function inspect(file: string): Promise<Candidate> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'error', message: (err as Error).message };
  }
  if (stat.isDirectory()) return { kind: 'directory' };
  if (!stat.isFile()) return { kind: 'not-executable' };
  if (isWindows) return { kind: 'ok' };
  try {
    await fs.access(file, fsConstants.X_OK);
    return { kind: 'ok' };
  } catch {
    return { kind: 'not-executable' };
  }
}

function describe(file: string, c: Candidate): string {
  switch (c.kind) {
    case 'missing':
      return `${file} does not exist.`;
    case 'directory':
      return `${file} is a directory, not an executable. Point codeOps.appServer.command at the binary inside it.`;
    case 'not-executable':
      return `${file} is not executable. Run \`chmod +x ${file}\` or point codeOps.appServer.command at the right binary.`;
    case 'error':
      return `${file} cannot be read: ${c.message}`;
    default:
      return '';
  }
}

/**
 * Finds the file `command` would run, the way a shell does: a name with a
 * path separator is taken relative to `cwd`, a bare name is looked up on PATH.
 * Never throws; a command that cannot run gives `error`.
 */
export async function resolveExecutable(command: string, env: NodeJS.ProcessEnv, cwd?: string): Promise<ResolvedExecutable> {
  const trimmed = command.trim();
  if (!trimmed) return { error: 'No app server command is set (codeOps.appServer.command is empty).' };
  const base = cwd ?? process.cwd();
  const hasSeparator = trimmed.includes('/') || (isWindows && trimmed.includes('\\'));
  if (hasSeparator || path.isAbsolute(trimmed)) {
    const file = path.resolve(base, trimmed);
    for (const ext of pathExtensions(env)) {
      const c = await inspect(file + ext);
      if (c.kind === 'ok') return { path: file + ext };
      if (c.kind !== 'missing') return { error: describe(file + ext, c) };
    }
    return { error: `${file} does not exist.` };
  }
  const dirs = pathVariable(env).split(path.delimiter).filter(Boolean);
  // Remember the first near miss (a directory or a non-executable file of that name) to explain it.
  let nearMiss: string | undefined;
  for (const dir of dirs) {
    for (const ext of pathExtensions(env)) {
      const file = path.resolve(base, dir, trimmed + ext);
      const c = await inspect(file);
      if (c.kind === 'ok') return { path: file };
      if (c.kind !== 'missing' && !nearMiss) nearMiss = describe(file, c);
    }
  }
  if (nearMiss) return { error: `'${trimmed}' was not found as an executable on PATH: ${nearMiss}` };
  return {
    error: `'${trimmed}' was not found on PATH (${dirs.length} folder${dirs.length === 1 ? '' : 's'} searched). Install it or set codeOps.appServer.command to its full path.`,
  };
}
