import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { registerGroup, signalGroup, unregisterGroup, useProcessGroups } from './groups';
import { maskSecrets } from '../mask';

/**
 * `<binary> --version`, run the way a preflight may run a program it did not
 * choose: refused when the binary was found through a relative PATH entry or
 * lies inside the workspace folder (the workspace would choose what runs),
 * in its own process group, with a deadline, and the whole group stopped
 * afterwards (a wrapper's children included).
 */
export interface VersionOptions {
  timeoutMs?: number;
  /** Folders whose programs are never run by a preflight (the open workspace). */
  workspaceFolders?: readonly string[];
  /** Where relative PATH entries would be taken from (default: the current folder). */
  cwd?: string;
}

export interface VersionResult {
  version?: string;
  error?: string;
  /** True when the program was not run at all, for the reason in `error`. */
  refused?: boolean;
}

const MAX_OUTPUT = 64 * 1024;

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(real(folder), real(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Why this executable must not be run by a preflight, or undefined when it may. */
export function whyNotRunnable(executable: string, env: NodeJS.ProcessEnv, options: VersionOptions = {}): string | undefined {
  for (const folder of options.workspaceFolders ?? []) {
    if (folder && isInside(executable, folder)) {
      return `${executable} lies inside the workspace folder; Code Ops does not run a program the workspace provides to read its version.`;
    }
  }
  const base = options.cwd ?? process.cwd();
  const dir = path.dirname(path.resolve(executable));
  const entries = (env.PATH ?? env.Path ?? '').split(path.delimiter);
  for (const entry of entries) {
    if (path.isAbsolute(entry)) continue;
    // An empty entry means the current folder, as does "."; any relative entry depends on where we run.
    if (path.resolve(base, entry) === dir) {
      return `${executable} was found through the relative PATH entry '${entry || '(empty)'}'; Code Ops does not run it to read its version. Use an absolute PATH entry or set codeOps.appServer.command to its full path.`;
    }
  }
  return undefined;
}

/** The first non-empty line of `--version`'s output, secrets masked. Never throws. */
export function readVersionSafely(executable: string, env: NodeJS.ProcessEnv, options: VersionOptions = {}): Promise<VersionResult> {
  const refused = whyNotRunnable(executable, env, options);
  if (refused) return Promise.resolve({ error: refused, refused: true });
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve) => {
    let out = '';
    let timedOut = false;
    const child = spawn(executable, ['--version'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: useProcessGroups, windowsHide: true });
    const pid = child.pid;
    if (pid !== undefined && useProcessGroups) registerGroup(pid);
    const collect = (d: Buffer) => {
      if (out.length < MAX_OUTPUT) out += d.toString('utf8').slice(0, MAX_OUTPUT - out.length);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let settled = false;
    const done = (result: VersionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (pid !== undefined) unregisterGroup(pid);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(result);
    };
    const stopGroup = () => {
      if (pid === undefined || !signalGroup(pid, 'SIGKILL')) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stopGroup();
      // A process outside the group may still hold the pipes: do not wait for them.
      setTimeout(() => done({ error: `no answer within ${timeoutMs} ms; stopped` }), 500).unref();
    }, timeoutMs);
    child.once('error', (err) => done({ error: maskSecrets(err.message) }));
    // The leader is gone: whatever it left in its group goes too (closing the pipes it held).
    child.once('exit', () => stopGroup());
    child.once('close', (code, signal) => {
      const line = out.split(/\r?\n/).find((l) => l.trim())?.trim();
      if (timedOut) done({ error: `no answer within ${timeoutMs} ms; stopped` });
      else if (code === 0 && line) done({ version: maskSecrets(line) });
      else if (line) done({ error: maskSecrets(line) });
      else done({ error: code === 0 ? 'no output' : `exited with ${code ?? signal}` });
    });
  });
}
