import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileReadError, readRegularFile } from '../fsSafe';

/**
 * The app servers that really run, read from Linux's /proc: their pid, which
 * home they use (as they resolve it: Beacon's code-app-server reads CODE_HOME,
 * then CODEX_HOME, then ~/.code; upstream `codex app-server` reads CODEX_HOME,
 * then ~/.codex) and their real environment. The checks judge these, not the
 * environment Code Ops would give a server it starts.
 */

export interface ServerProcess {
  pid: number;
  /** `code-app-server` or `codex app-server` */
  kind: 'code-app-server' | 'codex app-server';
  /** The home folder the process uses, absolute. */
  home: string;
  env: Record<string, string>;
}

const ENV_CAP = 1024 * 1024;

function splitNul(buf: Buffer): string[] {
  return buf.toString('utf8').split('\0').filter((s) => s.length > 0);
}

function envOf(buf: Buffer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of splitNul(buf)) {
    const eq = pair.indexOf('=');
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

/** Which server a command line is, if any. `comm` is the kernel's (15 characters) process name. */
export function serverKind(comm: string, argv: readonly string[]): ServerProcess['kind'] | undefined {
  const bases = argv.slice(0, 3).map((a) => path.basename(a));
  if (comm === 'code-app-server' || bases[0] === 'code-app-server' || (bases.includes('code-app-server') && /^(sh|bash|dash|node)$/.test(bases[0] ?? ''))) return 'code-app-server';
  const isCodex = comm === 'codex' || bases.some((b) => b === 'codex' || b === 'codex.js');
  if (isCodex && argv.includes('app-server')) return 'codex app-server';
  return undefined;
}

/** The home a server of this kind uses with this environment. */
export function homeOf(kind: ServerProcess['kind'], env: Record<string, string | undefined>, homedir: string): string {
  const pick = (v: string | undefined) => (v?.trim() ? path.resolve(v.trim()) : undefined);
  if (kind === 'codex app-server') return pick(env.CODEX_HOME) ?? path.join(env.HOME || homedir, '.codex');
  return pick(env.CODE_HOME) ?? pick(env.CODEX_HOME) ?? path.join(env.HOME || homedir, '.code');
}

async function readSmall(file: string, cap: number): Promise<Buffer | undefined> {
  try {
    return await readRegularFile(file, cap);
  } catch (err) {
    if (err instanceof FileReadError) return undefined;
    throw err;
  }
}

/** One process's facts when it is an app server of ours, else undefined. */
export async function inspectProcess(pid: number, procRoot = '/proc', homedir = os.homedir()): Promise<ServerProcess | undefined> {
  const dir = path.join(procRoot, String(pid));
  const comm = (await readSmall(path.join(dir, 'comm'), 4096))?.toString('utf8').trim() ?? '';
  const argv = splitNul((await readSmall(path.join(dir, 'cmdline'), 64 * 1024)) ?? Buffer.alloc(0));
  const kind = serverKind(comm, argv);
  if (!kind) return undefined;
  const raw = await readSmall(path.join(dir, 'environ'), ENV_CAP);
  if (!raw) return undefined;
  const env = envOf(raw);
  return { pid, kind, home: homeOf(kind, env, homedir), env };
}

/** The real environment of one process (the supervised child), or undefined when it cannot be read. */
export async function processEnvironment(pid: number, procRoot = '/proc'): Promise<Record<string, string> | undefined> {
  const raw = await readSmall(path.join(procRoot, String(pid), 'environ'), ENV_CAP);
  return raw ? envOf(raw) : undefined;
}

/** App servers of this user (the same uid), from /proc; empty off Linux. */
export async function listServerProcesses(options: { procRoot?: string; uid?: number; homedir?: string } = {}): Promise<ServerProcess[]> {
  const procRoot = options.procRoot ?? '/proc';
  const uid = options.uid ?? process.getuid?.();
  let names: string[];
  try {
    names = await fs.readdir(procRoot);
  } catch {
    return [];
  }
  const out: ServerProcess[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const st = await fs.stat(path.join(procRoot, name));
      if (uid !== undefined && st.uid !== uid) continue;
      const found = await inspectProcess(Number(name), procRoot, options.homedir);
      if (found) out.push(found);
    } catch {
      // the process ended while we looked
    }
  }
  // A server's own child that has not exec'd yet (a fork for a tool command) has the server's
  // name and environment for a moment: it is the same server, not a second one.
  const pids = new Set(out.map((p) => p.pid));
  const parents = await Promise.all(out.map((p) => parentPid(p.pid, procRoot)));
  return out.filter((_, i) => !pids.has(parents[i] ?? -1)).sort((a, b) => a.pid - b.pid);
}

/** The parent pid from /proc/<pid>/stat (after the parenthesised name, which may hold spaces). */
async function parentPid(pid: number, procRoot: string): Promise<number | undefined> {
  const stat = (await readSmall(path.join(procRoot, String(pid), 'stat'), 4096))?.toString('utf8');
  const m = stat ? /\)\s+\S+\s+(\d+)/.exec(stat.slice(stat.lastIndexOf(')'))) : null;
  return m ? Number(m[1]) : undefined;
}

/** The same folder, whatever the spelling (symlinks resolved where possible). */
export async function sameFolder(a: string, b: string): Promise<boolean> {
  const real = async (p: string) => fs.realpath(p).catch(() => path.resolve(p));
  return (await real(a)) === (await real(b));
}
