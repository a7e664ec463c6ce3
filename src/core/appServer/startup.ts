import { existsSync } from 'node:fs';
import { ConnectionClosedError, isServerReply, RequestTimeoutError, type AppServerConnection, type ClientInfo, type InitializeResult } from './connection';
import { explainSocketFailure, isCannotRunExit, notAProgram } from './preflight';
import type { ExitInfo, ServerChannel } from './process';
import { resolveExecutable } from './resolve';
import { isConfigErrorLine, RingBuffer } from './stderr';
import type { StartBlocker } from './types';
import { maskSecrets } from '../mask';

/**
 * One classification of a failed start, shared by the supervisor and
 * `code-ops probe`: a spawn that the OS refused, or a handshake that did not
 * complete, becomes a state and a sentence.
 *
 * - `not-found`: restarting cannot help (missing binary, not a program, exit 126/127).
 * - `config-error`: the server said it could not load its config, then exited.
 * - `crashed`: it exited (or closed the connection) during start-up for another reason.
 * - `unresponsive`: it is alive but did not answer `initialize` (timeout or an error reply).
 *
 * A failed write or a closed connection during start-up means the server went
 * away: the verdict waits for its exit and its last stderr line before
 * deciding, so a config error is never reported as `write EPIPE`.
 */
export type StartupFailureState = 'not-found' | 'config-error' | 'crashed' | 'unresponsive';

export interface StartupVerdict {
  state: StartupFailureState;
  /** A sentence a person can act on. */
  reason: string;
  /** The line that explains it (a stderr line) when there is one. */
  lastError?: string;
  blocker?: StartBlocker;
  /** The exit when the server exited during start-up. */
  exit?: ExitInfo;
}

export interface StartupTarget {
  command: string;
  env: NodeJS.ProcessEnv;
  cwd?: string;
  socket?: string;
}

/** How long to wait for the exit after the connection broke during start-up. */
export const EXIT_WAIT_MS = 3000;
/** How long to wait, after the exit, for the rest of stderr (a grandchild may hold it open). */
const STDERR_DRAIN_MS = 500;

/**
 * What the server wrote on stderr during start-up: the last lines, and the
 * line that says the config could not be loaded (checked before masking).
 */
export class StartupStderr {
  private configLine: string | undefined;
  private readonly lines = new RingBuffer<string>(20);

  push(raw: string): void {
    const masked = maskSecrets(raw);
    this.lines.push(masked);
    if (isConfigErrorLine(raw)) this.configLine = masked;
  }

  get configError(): string | undefined {
    return this.configLine;
  }

  get last(): string | undefined {
    return this.lines.toArray().at(-1);
  }

  reset(): void {
    this.configLine = undefined;
    this.lines.clear();
  }
}

function waitAtMost<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(undefined);
      },
    );
  });
}

/** The OS (or the socket) refused before any byte was exchanged. */
export async function classifySpawnFailure(err: unknown, target: StartupTarget): Promise<StartupVerdict> {
  const message = maskSecrets(err instanceof Error ? err.message : String(err));
  if (target.socket) {
    return { state: 'crashed', reason: await explainSocketFailure(target.socket, message, (err as NodeJS.ErrnoException).code) };
  }
  // ENOENT, EACCES…: restarting cannot help. Resolving only now keeps the healthy path as fast as a bare spawn.
  const resolved = await resolveExecutable(target.command, target.env, target.cwd);
  const cwdMissing = target.cwd !== undefined && !resolved.error && !existsSync(target.cwd);
  const reason = resolved.error ?? (cwdMissing ? `The working folder ${target.cwd} does not exist (codeOps.appServer.cwd).` : message);
  return { state: 'not-found', reason, lastError: reason, blocker: { setting: cwdMissing ? 'codeOps.appServer.cwd' : 'codeOps.appServer.command' } };
}

/**
 * `initialize` did not succeed. `err` is what the handshake rejected with
 * (a timeout, the server's error reply, a closed connection or a failed
 * write); `exitedFirst` is true when the process exit came before any answer.
 */
export async function classifyHandshakeFailure(
  err: unknown,
  channel: ServerChannel,
  stderr: StartupStderr,
  target: StartupTarget & { timeoutMs: number },
): Promise<StartupVerdict> {
  if (err instanceof RequestTimeoutError) {
    // It may have died right at the deadline: an exit is the better explanation.
    const exit = await waitAtMost(channel.exited, 0);
    if (!exit) return { state: 'unresponsive', reason: `initialize was not answered within ${target.timeoutMs} ms` };
  } else if (isServerReply(err)) {
    return { state: 'unresponsive', reason: `initialize was refused: ${maskSecrets(err.message)} (code ${err.code})` };
  }
  if (target.socket) return { state: 'crashed', reason: 'The socket connection closed during start-up' };
  const exit = await waitAtMost(channel.exited, EXIT_WAIT_MS);
  if (!exit) {
    return { state: 'crashed', reason: `The app server closed the connection during start-up but did not exit within ${EXIT_WAIT_MS} ms (${maskSecrets(errorText(err))})` };
  }
  await waitAtMost(channel.stderrDone, STDERR_DRAIN_MS);
  return classifyStartupExit(exit, stderr, target);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describeExit(exit: ExitInfo): string {
  return `The app server exited (${exit.code !== null ? `code ${exit.code}` : `signal ${exit.signal}`})`;
}

/** The server exited before the handshake completed: from its exit status and stderr. */
export async function classifyStartupExit(exit: ExitInfo, stderr: StartupStderr, target: StartupTarget): Promise<StartupVerdict> {
  const what = describeExit(exit);
  const configLine = stderr.configError;
  if (configLine) {
    return { state: 'config-error', reason: `${what} during start-up: it could not load its config. Fix config.toml and start it again.`, lastError: configLine, exit };
  }
  // A text file with the execute bit (run by /bin/sh) or a wrapper whose command is missing fails the same way every time.
  const resolved = await resolveExecutable(target.command, target.env, target.cwd);
  const notProgram = resolved.path ? await notAProgram(resolved.path) : undefined;
  const lastLine = stderr.last;
  if (notProgram || isCannotRunExit(exit.code)) {
    const why =
      notProgram ??
      `${what} during start-up: ${exit.code === 127 ? 'a command it runs was not found' : 'a program it runs cannot be executed'}${lastLine ? ` (${lastLine})` : ''}. Restarting would fail the same way; fix codeOps.appServer.command.`;
    return { state: 'not-found', reason: why, lastError: lastLine ?? why, blocker: { setting: 'codeOps.appServer.command' }, exit };
  }
  return { state: 'crashed', reason: `${what} during start-up${lastLine ? `: ${lastLine}` : ''}`, lastError: lastLine, exit };
}

export type HandshakeOutcome = { ok: true; result: InitializeResult; ms: number } | { ok: false; verdict: StartupVerdict };

/**
 * `initialize` + `initialized`, raced against the process exit (a grandchild
 * holding stdout open must not turn an exit into a timeout). Never throws.
 */
export async function handshake(
  connection: AppServerConnection,
  stderr: StartupStderr,
  clientInfo: ClientInfo,
  target: StartupTarget & { timeoutMs: number },
): Promise<HandshakeOutcome> {
  const channel = connection.channel;
  const exitedEarly = channel.exited.then((): never => {
    throw new ConnectionClosedError('initialize');
  });
  try {
    const init = await Promise.race([connection.initialize(clientInfo, target.timeoutMs), exitedEarly]);
    return { ok: true, result: init.result, ms: init.ms };
  } catch (err) {
    return { ok: false, verdict: await classifyHandshakeFailure(err, channel, stderr, target) };
  }
}
