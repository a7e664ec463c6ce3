import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { AppServerConnection, type ClientInfo } from './connection';
import { codeOpsClientInfo } from './clientInfo';
import { buildServerEnv } from './env';
import { addWarning, CONFIG_WARNING_METHOD, homeMismatch, parseConfigWarning, serverHomeOf, userAgentOf } from './handshakeInfo';
import { ServerProcess, SocketChannel, type ServerChannel, type StopTimings } from './process';
import { resolveExecutable } from './resolve';
import { classifySpawnFailure, handshake, StartupStderr } from './startup';
import { RingBuffer } from './stderr';
import { maskSecrets } from '../mask';
import type { ProbeResult } from './probeTypes';
import { plural } from '../plural';

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
  /** The home Code Ops checks, compared with the `codexHome` the server reports. */
  codeHome?: string;
  /** Aborting stops the server at once (SIGINT/SIGTERM of the CLI); the result says `interrupted`. */
  signal?: AbortSignal;
}

const STDERR_TAIL = 20;
/** How a probe stops the server when interrupted: no long graces. */
const INTERRUPTED_STOP: StopTimings = { stdinGraceMs: 200, termGraceMs: 500 };

function emptyResult(): ProbeResult {
  return {
    healthy: false,
    initializeMs: null,
    probeMs: null,
    userAgent: null,
    state: 'starting',
    exitCode: null,
    stderrTail: [],
    error: null,
    codexHome: null,
    homeMismatch: null,
    configWarnings: [],
    skippedLines: { count: 0, tooLong: 0 },
    escapedProcesses: [],
  };
}

async function openChannel(options: ProbeOptions, timeoutMs: number, onStderr: (line: string) => void): Promise<ServerChannel | { state: string; error: string }> {
  const env = options.env ?? buildServerEnv({ base: process.env });
  const target = { command: options.command, env, cwd: options.cwd, socket: options.socket };
  try {
    if (options.socket) return await SocketChannel.connect(options.socket, timeoutMs);
    const resolved = await resolveExecutable(options.command, env, options.cwd);
    if (!resolved.path) return { state: 'not-found', error: resolved.error ?? `${options.command} was not found.` };
    return await ServerProcess.spawn({ command: resolved.path, args: options.args, cwd: options.cwd, env, onStderrLine: onStderr });
  } catch (err) {
    const verdict = await classifySpawnFailure(err, target);
    // A socket that cannot be reached is "not found" for a one-shot probe (nothing to restart).
    return { state: options.socket ? 'not-found' : verdict.state, error: verdict.reason };
  }
}

function interruptedPromise(signal: AbortSignal | undefined): Promise<'interrupted'> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve('interrupted');
    else signal.addEventListener('abort', () => resolve('interrupted'), { once: true });
  });
}

/**
 * Starts the server (or connects to its socket), handshakes, sends one
 * liveness probe and shuts it down cleanly. Never throws: every failure is
 * described in the result. Start-up failures are classified the same way as
 * the supervisor does (see startup.ts).
 */
export async function probeOnce(options: ProbeOptions): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const clientInfo = options.clientInfo ?? codeOpsClientInfo();
  const stderr = new RingBuffer<string>(STDERR_TAIL);
  const startup = new StartupStderr();
  const result = emptyResult();
  const finish = (): ProbeResult => {
    result.stderrTail = stderr.toArray();
    if (result.error) result.error = maskSecrets(result.error);
    return result;
  };
  const opened = await openChannel(options, timeoutMs, (line) => {
    stderr.push(maskSecrets(line));
    startup.push(line);
  });
  if (!('exited' in opened)) {
    result.state = opened.state;
    result.error = opened.error;
    return finish();
  }
  const channel = opened;
  const connection = new AppServerConnection(channel, async (method) => {
    // A probe never approves anything.
    throw new ResponseError(ErrorCodes.MethodNotFound, `code-ops probe does not handle '${method}'`);
  });
  connection.onNotification((n) => {
    const w = n.method === CONFIG_WARNING_METHOD ? parseConfigWarning(n.params) : undefined;
    if (w) result.configWarnings = addWarning(result.configWarnings, w);
  });
  const skipped = result.skippedLines;
  connection.onInvalidLine((l) => {
    skipped.count++;
    if (l.tooLong) skipped.tooLong++;
    skipped.first ??= maskSecrets(`${l.reason}: ${l.text.slice(0, 200)}`);
  });
  const interrupted = interruptedPromise(options.signal);
  let stopTimings = options.stopTimings;
  try {
    const target = { command: options.command, env: options.env ?? process.env, cwd: options.cwd, socket: options.socket, timeoutMs };
    const outcome = await Promise.race([converse(connection, startup, clientInfo, target, options.codeHome), interrupted]);
    if (outcome !== 'interrupted') Object.assign(result, outcome);
    else {
      result.healthy = false;
      result.state = 'interrupted';
      result.error = 'Interrupted; the server was stopped.';
      stopTimings = INTERRUPTED_STOP;
    }
    if (skipped.tooLong > 0 && !result.healthy) result.error = `${result.error ?? ''} The server wrote ${plural(skipped.tooLong, 'line')} longer than the limit; ${skipped.tooLong === 1 ? 'it was' : 'they were'} cut and skipped.`.trim();
    return finish();
  } finally {
    const exit = await channel.stop(stopTimings);
    if (!options.socket) result.exitCode = exit.code;
    result.escapedProcesses = exit.escaped ?? [];
    connection.dispose();
    result.stderrTail = stderr.toArray();
  }
}

/** Handshake and one liveness probe, filling `result`. */
async function converse(
  connection: AppServerConnection,
  startup: StartupStderr,
  clientInfo: ClientInfo,
  target: { command: string; env: NodeJS.ProcessEnv; cwd?: string; socket?: string; timeoutMs: number },
  codeHome: string | undefined,
): Promise<Partial<ProbeResult>> {
  const result: Partial<ProbeResult> = {};
  const outcome = await handshake(connection, startup, clientInfo, target);
  if (!outcome.ok) {
    result.state = outcome.verdict.state;
    result.error = outcome.verdict.reason;
    if (outcome.verdict.exit) result.exitCode = outcome.verdict.exit.code;
    return result;
  }
  result.initializeMs = round(outcome.ms);
  result.userAgent = userAgentOf(outcome.result) ?? null;
  result.codexHome = serverHomeOf(outcome.result) ?? null;
  result.homeMismatch = homeMismatch(result.codexHome ?? undefined, codeHome) ?? null;
  const probe = await connection.probe(clientInfo, target.timeoutMs);
  if (probe.alive) {
    result.probeMs = round(probe.ms);
    result.healthy = true;
    result.state = 'healthy';
  } else {
    result.state = 'unresponsive';
    result.error = `Liveness probe failed: ${probe.error}`;
  }
  return result;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
