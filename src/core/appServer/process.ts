import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { LineSplitter } from './stderr';

export interface StopTimings {
  /** How long to wait for an exit after closing stdin (servers exit on EOF). */
  stdinGraceMs: number;
  /** How long to wait after SIGTERM before SIGKILL. */
  termGraceMs: number;
}

export const DEFAULT_STOP_TIMINGS: StopTimings = { stdinGraceMs: 2000, termGraceMs: 3000 };

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The two byte streams JSON-RPC runs over, whether they come from a child or a socket. */
export interface ServerChannel {
  readonly input: Readable;
  readonly output: Writable;
  readonly pid?: number;
  /** Resolves once the process has exited or the socket has closed. */
  readonly exited: Promise<ExitInfo>;
  /** Graceful: close stdin, wait, SIGTERM, wait, SIGKILL. Resolves when nothing is left. */
  stop(timings?: StopTimings): Promise<ExitInfo>;
  /** Immediate SIGKILL (an unresponsive server). */
  kill(): void;
}

export interface SpawnOptions {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Each stderr line, ANSI stripped. */
  onStderrLine?: (line: string) => void;
}

export class SpawnError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const useProcessGroup = process.platform !== 'win32';

function waitFor<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then((v) => {
      clearTimeout(t);
      resolve(v);
    });
  });
}

/**
 * A spawned server process. It runs in its own process group so a wrapper
 * script's children are signalled too, and stdin stays open until stop().
 */
export class ServerProcess implements ServerChannel {
  readonly input: Readable;
  readonly output: Writable;
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private stopping: Promise<ExitInfo> | undefined;

  private constructor(private readonly child: ChildProcess, onStderrLine?: (line: string) => void) {
    this.input = child.stdout!;
    this.output = child.stdin!;
    this.pid = child.pid!;
    const splitter = new LineSplitter((line) => onStderrLine?.(line));
    child.stderr!.on('data', (d: Buffer) => splitter.push(d));
    child.stderr!.on('end', () => splitter.end());
    // EPIPE on a dead server's stdin must not crash us; the exit is reported through `exited`.
    child.stdin!.on('error', () => undefined);
    child.stdout!.on('error', () => undefined);
    child.stderr!.on('error', () => undefined);
    this.exited = new Promise<ExitInfo>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  /** Spawns; rejects with a SpawnError (code ENOENT, EACCES, …) when the OS cannot run it. */
  static spawn(options: SpawnOptions): Promise<ServerProcess> {
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(options.command, options.args, {
          cwd: options.cwd,
          env: options.env,
          stdio: ['pipe', 'pipe', 'pipe'],
          detached: useProcessGroup,
          windowsHide: true,
        });
      } catch (err) {
        reject(new SpawnError(`Cannot start ${options.command}: ${(err as Error).message}`, (err as NodeJS.ErrnoException).code));
        return;
      }
      const onError = (err: NodeJS.ErrnoException) => {
        reject(new SpawnError(`Cannot start ${options.command}: ${err.message}`, err.code));
      };
      child.once('error', onError);
      child.once('spawn', () => {
        child.removeListener('error', onError);
        child.on('error', () => undefined);
        resolve(new ServerProcess(child, options.onStderrLine));
      });
    });
  }

  get exitCode(): ExitInfo | undefined {
    return this.exitInfo;
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.exitInfo) return;
    try {
      if (useProcessGroup) process.kill(-this.pid, sig);
      else this.child.kill(sig);
    } catch {
      try {
        this.child.kill(sig);
      } catch {
        // already gone
      }
    }
  }

  kill(): void {
    this.signal('SIGKILL');
  }

  stop(timings: StopTimings = DEFAULT_STOP_TIMINGS): Promise<ExitInfo> {
    this.stopping ??= (async () => {
      if (this.exitInfo) {
        this.reapGroup();
        return this.exitInfo;
      }
      this.child.stdin?.end();
      let info = await waitFor(this.exited, timings.stdinGraceMs);
      if (!info) {
        this.signal('SIGTERM');
        info = await waitFor(this.exited, timings.termGraceMs);
      }
      if (!info) {
        this.signal('SIGKILL');
        info = await this.exited;
      }
      this.reapGroup();
      this.child.stdout?.destroy();
      this.child.stderr?.destroy();
      return info;
    })();
    return this.stopping;
  }

  /** Children of a wrapper script may outlive it; the group shares the server's pid. */
  private reapGroup(): void {
    if (!useProcessGroup) return;
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // no group left: good
    }
  }
}

/** A connection to a deployed server's Unix socket (one server process per connection behind socat). */
export class SocketChannel implements ServerChannel {
  readonly input: Readable;
  readonly output: Writable;
  readonly exited: Promise<ExitInfo>;

  private constructor(private readonly socket: net.Socket) {
    this.input = socket;
    this.output = socket;
    socket.on('error', () => undefined);
    this.exited = new Promise((resolve) => socket.once('close', () => resolve({ code: null, signal: null })));
  }

  static connect(path: string, timeoutMs = 5000): Promise<SocketChannel> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SpawnError(`Timed out connecting to ${path}`, 'ETIMEDOUT'));
      }, timeoutMs);
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new SpawnError(`Cannot connect to ${path}: ${err.message}`, err.code));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new SocketChannel(socket));
      });
    });
  }

  kill(): void {
    this.socket.destroy();
  }

  async stop(timings: StopTimings = DEFAULT_STOP_TIMINGS): Promise<ExitInfo> {
    // Half-close first: behind socat that is the server's stdin EOF.
    this.socket.end();
    const info = await waitFor(this.exited, timings.stdinGraceMs);
    if (info) return info;
    this.socket.destroy();
    return this.exited;
  }
}
