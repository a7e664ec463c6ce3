import { killAllGroupsSync, onGroupRegistered } from '../core/appServer/groups';

/**
 * How the `code-ops` process ends, whatever the command:
 * - SIGINT/SIGTERM/SIGHUP keep their default action (the process ends at once, even inside a blocking
 *   call) until there is something to clean up: a server group was started, or the command
 *   waits on `interrupted`. From then on `interrupted` resolves so the command can stop cleanly; if it has not
 *   finished within FORCE_AFTER_MS (or a second signal comes), every server group we started
 *   is killed and the signal is raised again with its default action. That works even when a
 *   worker thread is stuck (a blocking open of a FIFO), where `process.exit` would hang.
 * - stdout or stderr closed by the reader (`code-ops … | head -1`): no EPIPE stack trace;
 *   servers are stopped and the process ends the Unix way, by SIGPIPE, silently.
 * - any exit at all: the server groups are killed synchronously.
 */
export const FORCE_AFTER_MS = 1500;

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
/** Signals that end a command: ^C, kill, and the terminal closing (SIGHUP), which would otherwise leave the server running. */
const ENDING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ProcessGuards {
  /** Resolves at the first SIGINT, SIGTERM or SIGHUP. */
  interrupted: Promise<void>;
  /** The signal received, if any. */
  readonly signal: NodeJS.Signals | undefined;
  /** Exit status: the command's own when it returned (it says what it finished); 128 + signal only when forced. */
  exitCodeFor(commandCode: number): number;
}

/** Ends the process by `signal` with its default action, after stopping every server group. */
function dieBy(signal: NodeJS.Signals): never {
  killAllGroupsSync();
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  // SIGPIPE may still be ignored on a platform that cannot reset it: end plainly.
  process.exit(SIGNAL_EXIT[signal] ?? 1);
}

function isBrokenPipe(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';
}

export function installProcessGuards(): ProcessGuards {
  let received: NodeJS.Signals | undefined;
  let resolveInterrupted: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => {
    resolveInterrupted = resolve;
  });
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) dieBy(signal);
    received = signal;
    resolveInterrupted();
    setTimeout(() => dieBy(signal), FORCE_AFTER_MS).unref();
  };
  let armed = false;
  const arm = () => {
    if (armed) return;
    armed = true;
    for (const signal of ENDING_SIGNALS) process.on(signal, onSignal);
  };
  onGroupRegistered(arm);
  process.on('exit', () => killAllGroupsSync());
  const onOutputError = (err: NodeJS.ErrnoException) => {
    if (!isBrokenPipe(err)) throw err;
    // The reader is gone: nothing more can be said. SIGPIPE is how a Unix filter ends quietly.
    if (process.platform === 'win32') {
      killAllGroupsSync();
      process.exit(0);
    }
    process.on('SIGPIPE', () => undefined);
    dieBy('SIGPIPE');
  };
  process.stdout.on('error', onOutputError);
  process.stderr.on('error', onOutputError);
  // Waiting on it arms the handlers; a command that never asks keeps the default actions.
  const lazyInterrupted = {
    then<T1 = void, T2 = never>(onFulfilled?: ((v: void) => T1 | PromiseLike<T1>) | null, onRejected?: ((r: unknown) => T2 | PromiseLike<T2>) | null) {
      arm();
      return interrupted.then(onFulfilled, onRejected);
    },
    catch: (onRejected?: (r: unknown) => unknown) => interrupted.catch(onRejected),
    finally: (f?: () => void) => interrupted.finally(f),
    [Symbol.toStringTag]: 'Promise',
  } as Promise<void>;
  return {
    interrupted: lazyInterrupted,
    get signal() {
      return received;
    },
    exitCodeFor(commandCode: number) {
      return commandCode;
    },
  };
}
