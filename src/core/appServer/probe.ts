import { AppServerConnection, RequestTimeoutError, type ClientInfo } from './connection';
import { codeOpsClientInfo } from './clientInfo';
import { buildServerEnv } from './env';
import { ServerProcess, SocketChannel, SpawnError, type ServerChannel, type StopTimings } from './process';
import { resolveExecutable } from './resolve';
import { isConfigErrorLine, RingBuffer } from './stderr';
import { maskSecrets } from '../mask';
import type { ProbeResult } from './probeTypes';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';

export interface ProbeOptions {
  command: string;
  args: string[];
  /** The server's full environment; default: ours plus the checklist's defaults. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Connect to this Unix socket instead of spawning. */
  socket?: string;
  /** Deadline for each reply (default 5000 ms, the runbook's value). */
  timeoutMs?: number;
  clientInfo?: ClientInfo;
  stopTimings?: StopTimings;
}

const STDERR_TAIL = 20;

function waitAtMost<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    p.then((v) => {
      clearTimeout(t);
      resolve(v);
    });
  });
}

/**
 * Starts the server (or connects to its socket), handshakes, sends one
 * liveness probe and shuts it down cleanly. Never throws: every failure is
 * described in the result.
 */
export async function probeOnce(options: ProbeOptions): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const clientInfo = options.clientInfo ?? codeOpsClientInfo();
  const stderr = new RingBuffer<string>(STDERR_TAIL);
  let sawConfigError = false;
  const result: ProbeResult = {
    healthy: false,
    initializeMs: null,
    probeMs: null,
    userAgent: null,
    state: 'starting',
    exitCode: null,
    stderrTail: [],
    error: null,
  };
  const finish = (): ProbeResult => {
    result.stderrTail = stderr.toArray();
    if (result.error) result.error = maskSecrets(result.error);
    return result;
  };

  let channel: ServerChannel;
  if (options.socket) {
    try {
      channel = await SocketChannel.connect(options.socket, timeoutMs);
    } catch (err) {
      result.state = 'not-found';
      result.error = (err as Error).message;
      return finish();
    }
  } else {
    const env = options.env ?? buildServerEnv({ base: process.env });
    const resolved = await resolveExecutable(options.command, env, options.cwd);
    if (!resolved.path) {
      result.state = 'not-found';
      result.error = resolved.error ?? `${options.command} was not found.`;
      return finish();
    }
    try {
      channel = await ServerProcess.spawn({
        command: resolved.path,
        args: options.args,
        cwd: options.cwd,
        env,
        onStderrLine: (line) => {
          const masked = maskSecrets(line);
          stderr.push(masked);
          if (isConfigErrorLine(line)) sawConfigError = true;
        },
      });
    } catch (err) {
      result.state = 'not-found';
      result.error = err instanceof SpawnError ? err.message : String(err);
      return finish();
    }
  }

  const connection = new AppServerConnection(channel, async (method) => {
    // A probe never approves anything.
    throw new ResponseError(ErrorCodes.MethodNotFound, `code-ops probe does not handle '${method}'`);
  });
  try {
    try {
      const init = await connection.initialize(clientInfo, timeoutMs);
      result.initializeMs = round(init.ms);
      result.userAgent = typeof init.result.userAgent === 'string' ? maskSecrets(init.result.userAgent) : null;
    } catch (err) {
      if (err instanceof RequestTimeoutError) {
        result.state = 'unresponsive';
        result.error = `initialize was not answered within ${timeoutMs} ms.`;
      } else if (err instanceof ResponseError) {
        result.state = 'unresponsive';
        result.error = `initialize failed: ${err.message} (code ${err.code})`;
      } else {
        // The connection closed: the server exited during start-up. Wait for its exit code and last words.
        const exit = await waitAtMost(channel.exited, 2000);
        result.exitCode = exit?.code ?? null;
        result.state = sawConfigError ? 'config-error' : 'crashed';
        result.error = sawConfigError
          ? 'The server could not load its config (see stderr); fix config.toml.'
          : `The server exited during start-up${exit ? ` (exit code ${exit.code ?? exit.signal})` : ''}.`;
      }
      return finish();
    }
    const probe = await connection.probe(clientInfo, timeoutMs);
    if (probe.alive) {
      result.probeMs = round(probe.ms);
      result.healthy = true;
      result.state = 'healthy';
    } else {
      result.state = 'unresponsive';
      result.error = `Liveness probe failed: ${probe.error}`;
    }
    return finish();
  } finally {
    const exit = await channel.stop(options.stopTimings);
    if (!options.socket) result.exitCode = exit.code;
    connection.dispose();
    result.stderrTail = stderr.toArray();
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
