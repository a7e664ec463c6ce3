import { promises as fs } from 'node:fs';
import type { StartBlocker } from './types';

/**
 * Checks the supervisor makes where restarting cannot help: a missing
 * CODE_HOME (Code refuses to start without it), a working folder that is not
 * one, a "program" that is a text file, a socket path that is no socket.
 * Each answer is a sentence a person can act on.
 */

export interface Blocked {
  reason: string;
  blocker: StartBlocker;
}

async function statOrError(p: string): Promise<{ isDir: boolean; isFile: boolean; isSocket: boolean } | NodeJS.ErrnoException> {
  try {
    const st = await fs.stat(p);
    return { isDir: st.isDirectory(), isFile: st.isFile(), isSocket: st.isSocket() };
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
}

/** CODE_HOME must be an existing folder, and so must the working folder. Undefined when both are fine. */
export async function checkFolders(codeHome: string | undefined, cwd: string | undefined): Promise<Blocked | undefined> {
  if (codeHome) {
    const st = await statOrError(codeHome);
    if (st instanceof Error) {
      if (st.code === 'ENOENT' || st.code === 'ENOTDIR') {
        return {
          reason: `CODE_HOME ${codeHome} does not exist, and Code refuses to start without it. Create the folder or point codeOps.codeHome at the right one.`,
          blocker: { setting: 'codeOps.codeHome', createFolder: codeHome },
        };
      }
      return { reason: `CODE_HOME ${codeHome} cannot be read: ${st.message}`, blocker: { setting: 'codeOps.codeHome' } };
    }
    if (!st.isDir) return { reason: `CODE_HOME ${codeHome} is a file, not a folder. Point codeOps.codeHome (or CODE_HOME) at a folder.`, blocker: { setting: 'codeOps.codeHome' } };
  }
  if (cwd) {
    const st = await statOrError(cwd);
    if (st instanceof Error) {
      if (st.code === 'ENOENT' || st.code === 'ENOTDIR') {
        return { reason: `The working folder ${cwd} does not exist (codeOps.appServer.cwd).`, blocker: { setting: 'codeOps.appServer.cwd', createFolder: cwd } };
      }
      return { reason: `The working folder ${cwd} cannot be read: ${st.message}`, blocker: { setting: 'codeOps.appServer.cwd' } };
    }
    if (!st.isDir) return { reason: `The working folder ${cwd} is a file, not a folder (codeOps.appServer.cwd).`, blocker: { setting: 'codeOps.appServer.cwd' } };
  }
  return undefined;
}

/**
 * A file with the execute bit but neither a `#!` line nor a known binary
 * header: the system hands it to /bin/sh, which fails on the first line.
 * Returns why it is no program, or undefined when it looks like one.
 */
export async function notAProgram(file: string): Promise<string | undefined> {
  if (process.platform === 'win32') return undefined;
  let head: Buffer;
  try {
    const handle = await fs.open(file, 'r');
    try {
      const buf = Buffer.alloc(4);
      const { bytesRead } = await handle.read(buf, 0, 4, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
  const isElf = head.length === 4 && head[0] === 0x7f && head.toString('latin1', 1, 4) === 'ELF';
  const isScript = head.length >= 2 && head[0] === 0x23 && head[1] === 0x21; // "#!"
  const machO = head.length === 4 && [0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(head.readUInt32BE(0));
  if (isElf || isScript || machO) return undefined;
  return `${file} is not a program (no #! line and no executable header), so the system ran it as a shell script. Point codeOps.appServer.command at the code-app-server binary.`;
}

/** Exit codes a shell uses for "found but cannot execute" (126) and "command not found" (127). */
export function isCannotRunExit(code: number | null): boolean {
  return code === 126 || code === 127;
}

/** Why connecting to a Unix socket failed, in words: what is at that path and what to do. */
export async function explainSocketFailure(socketPath: string, message: string, code: string | undefined): Promise<string> {
  const st = await statOrError(socketPath);
  if (st instanceof Error) {
    if (st.code === 'ENOENT' || st.code === 'ENOTDIR') return `No socket at ${socketPath}: nothing exists there. Is the deployed app server (its socat listener) running? Check codeOps.appServer.socket.`;
    return `Cannot connect to ${socketPath}: ${st.message}`;
  }
  if (st.isDir) return `${socketPath} is a folder, not a socket. Point codeOps.appServer.socket at the socket file inside it.`;
  if (st.isFile) return `${socketPath} is a regular file, not a socket. Point codeOps.appServer.socket at the server's socket.`;
  if (st.isSocket && code === 'ECONNREFUSED') return `Nobody listens on ${socketPath}: the socket file is left over from a server that stopped. Start the deployed server again.`;
  if (code === 'EACCES') return `Permission denied connecting to ${socketPath}: this user may not use the socket.`;
  return `Cannot connect to ${socketPath}: ${message}`;
}

/** The largest delay a Node timer takes; larger ones fire at once (TimeoutOverflowWarning), which would be a probe storm. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A timing that is not a positive finite number takes the fallback; the rest is kept within [min, what a timer can wait]. */
export function saneMs(value: number | undefined, fallback: number, min = 1): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return fallback;
  return Math.min(MAX_TIMER_MS, Math.max(min, Math.round(value)));
}
