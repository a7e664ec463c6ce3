import { randomBytes } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';

/**
 * Every server Code Ops spawns runs in its own process group (it leads it),
 * and carries a tag in its environment that its descendants inherit. The
 * group is how a whole wrapper tree is stopped with one signal; the tag is
 * how a descendant that left the group (`setsid`, a daemon) is still found.
 *
 * This registry knows the groups alive in this process, so the CLI can stop
 * them on every way out (a signal, an EPIPE, an uncaught error, `exit`).
 */

/** The environment variable that marks a spawned server's tree. */
export const SPAWN_TAG_VAR = 'CODE_OPS_SPAWN_TAG';

export const useProcessGroups = process.platform !== 'win32';

/**
 * The registry is one per process, not one per copy of this module: the CLI and the
 * extension load some features as separate bundles (dist/mcp.js, dist/appServerCore.js…),
 * each with its own copy, and the exit and signal handlers of one must stop the groups
 * another started.
 */
interface Registry {
  groups: Set<number>;
  tags: Set<string>;
  onRegister?: () => void;
}
const REGISTRY_KEY = Symbol.for('code-ops.appServer.groups');
const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[REGISTRY_KEY] ??= { groups: new Set(), tags: new Set() });
const liveGroups = registry.groups;

export function newSpawnTag(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Called at each new group (the CLI arms its signal handlers then: there is something to clean up). */
export function onGroupRegistered(fn: (() => void) | undefined): void {
  registry.onRegister = fn;
}

export function registerGroup(pgid: number): void {
  liveGroups.add(pgid);
  registry.onRegister?.();
}

export function unregisterGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

/** Groups spawned by this process that have not been reaped yet. */
export function liveGroupIds(): number[] {
  return [...liveGroups];
}

/** Sends `signal` to a whole group; false when no such group is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!useProcessGroups) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Synchronous, for `process.on('exit')` and signal handlers: SIGKILL every
 * group we started (and the tagged processes that escaped them). Returns how
 * many groups were still there.
 */
export function killAllGroupsSync(): number {
  let n = 0;
  for (const pgid of liveGroups) {
    if (signalGroup(pgid, 'SIGKILL')) n++;
  }
  liveGroups.clear();
  for (const tag of liveTags) {
    for (const p of findTaggedSync(tag)) killQuietly(p.pid);
  }
  liveTags.clear();
  return n;
}

const liveTags = registry.tags;

export function registerTag(tag: string): void {
  liveTags.add(tag);
}

export function unregisterTag(tag: string): void {
  liveTags.delete(tag);
}

export interface EscapedProcess {
  pid: number;
  /** The command name from /proc/PID/comm. */
  name: string;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

function environHasTag(environ: Buffer, needle: Buffer): boolean {
  const at = environ.indexOf(needle);
  // The tag must be a whole entry: preceded by NUL (or the start) and followed by NUL (or the end).
  return at >= 0 && (at === 0 || environ[at - 1] === 0) && (at + needle.length === environ.length || environ[at + needle.length] === 0);
}

function numericEntries(): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

function readName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/** Linux only: this user's processes whose environment carries `tag`. Elsewhere an empty list. */
export function findTaggedSync(tag: string): EscapedProcess[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`${SPAWN_TAG_VAR}=${tag}`);
  const found: EscapedProcess[] = [];
  for (const pid of numericEntries()) {
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // another user's process, or gone
    }
    if (environHasTag(environ, needle)) found.push({ pid, name: readName(pid) });
  }
  return found;
}

/**
 * After the server's group was stopped: descendants that are still running
 * left the group on purpose. They are stopped too (they are ours: they carry
 * this spawn's tag) and returned, so the caller can say so.
 */
export async function stopEscaped(tag: string, pgid?: number): Promise<EscapedProcess[]> {
  if (process.platform !== 'linux') return [];
  // A short pause lets the kernel finish tearing down the group we just killed.
  await new Promise((r) => setTimeout(r, 20));
  const left = findTaggedSync(tag).filter((p) => !isZombie(p.pid));
  for (const p of left) killQuietly(p.pid);
  // A member of the killed group that has not died yet (a loaded machine) did not escape:
  // only a process in another group (setsid, a daemon) is reported.
  return pgid === undefined ? left : left.filter((p) => processGroupOf(p.pid) !== pgid);
}

/** The process group of a pid (field 5 of /proc/PID/stat), or undefined when it is gone. */
export function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    return Number.isInteger(pgrp) ? pgrp : undefined;
  } catch {
    return undefined;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** For tests: whether a pid is a live process (not a zombie). */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
