import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { LineSplitter } from './stderr';
import { newSpawnTag, registerGroup, registerTag, signalGroup, SPAWN_TAG_VAR, stopEscaped, unregisterGroup, unregisterTag, useProcessGroups, type EscapedProcess } from './groups';

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
  /** Set by stop(): descendants that had left the server's process group and were stopped separately. */
  escaped?: EscapedProcess[];
}

/** The two byte streams JSON-RPC runs over, whether they come from a child or a socket. */
export interface ServerChannel {
  readonly input: Readable;
  readonly output: Writable;
  readonly pid?: number;
  /** Resolves once the process has exited or the socket has closed. */
  readonly exited: Promise<ExitInfo>;
  /** Resolves once stderr has ended (every line delivered), or at once for a socket. */
  readonly stderrDone: Promise<void>;
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
  readonly stderrDone: Promise<void>;
  private exitInfo: ExitInfo | undefined;
  private stopping: Promise<ExitInfo> | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly tag: string,
    onStderrLine?: (line: string) => void,
  ) {
    this.input = child.stdout!;
    this.output = child.stdin!;
    this.pid = child.pid!;
    if (useProcessGroups) registerGroup(this.pid);
    registerTag(tag);
    const splitter = new LineSplitter((line) => onStderrLine?.(line));
    child.stderr!.on('data', (d: Buffer) => splitter.push(d));
    this.stderrDone = new Promise<void>((resolve) => {
      child.stderr!.once('close', () => resolve());
      child.stderr!.once('end', () => {
        splitter.end();
        resolve();
      });
    });
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
    const tag = newSpawnTag();
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(options.command, options.args, {
          cwd: options.cwd,
          env: { ...(options.env ?? process.env), [SPAWN_TAG_VAR]: tag },
          stdio: ['pipe', 'pipe', 'pipe'],
          // Its own process group: one signal reaches a wrapper's whole tree.
          detached: useProcessGroups,
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
        resolve(new ServerProcess(child, tag, options.onStderrLine));
      });
    });
  }

  get exitCode(): ExitInfo | undefined {
    return this.exitInfo;
  }

  private signal(sig: NodeJS.Signals): void {
    if (this.exitInfo) return;
    if (signalGroup(this.pid, sig)) return;
    try {
      this.child.kill(sig);
    } catch {
      // already gone
    }
  }

  kill(): void {
    this.signal('SIGKILL');
  }

  stop(timings: StopTimings = DEFAULT_STOP_TIMINGS): Promise<ExitInfo> {
    this.stopping ??= (async () => {
      if (this.exitInfo) return this.finishStop(this.exitInfo);
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
      return this.finishStop(info);
    })();
    return this.stopping;
  }

  /** Children of a wrapper script may outlive it (the group shares the server's pid); escaped ones are found by tag. */
  private async finishStop(info: ExitInfo): Promise<ExitInfo> {
    signalGroup(this.pid, 'SIGKILL');
    unregisterGroup(this.pid);
    const escaped = await stopEscaped(this.tag, this.pid);
    unregisterTag(this.tag);
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    return escaped.length ? { ...info, escaped } : info;
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

  readonly stderrDone: Promise<void> = Promise.resolve();

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
