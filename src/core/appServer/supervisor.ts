import { existsSync } from 'node:fs';
import { Emitter, ErrorCodes, ResponseError, type Event } from 'vscode-jsonrpc/node';
import { approvalReply, describeApproval, type ApprovalDecision, type ApprovalRequest } from './approvals';
import { AppServerConnection, isServerReply, RequestTimeoutError, type ClientInfo, type ReceivedNotification } from './connection';
import type { InvalidLine } from './jsonl';
import { DEFAULT_STOP_TIMINGS, ServerProcess, SocketChannel, type ServerChannel, type StopTimings } from './process';
import { resolveExecutable } from './resolve';
import { checkFolders, explainSocketFailure, isCannotRunExit, notAProgram, saneMs } from './preflight';
import { DEFAULT_RESTART_POLICY, RestartPolicy, type RestartPolicyOptions } from './restartPolicy';
import { isConfigErrorLine, RingBuffer } from './stderr';
import { PanicAssembler, panicSummary } from '../logs/panicAssembler';
import type { PanicRecord, ServerSnapshot, ServerState, StateChange } from './types';
import { maskSecrets } from '../mask';
import type { Disposable } from '../disposable';

export interface SupervisorTimings {
  initializeTimeoutMs: number;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  maxMissedProbes: number;
  /** Deadline of an approval answer before it is declined (the server gives up after 300 s). */
  approvalTimeoutMs: number;
  stop: StopTimings;
  restart: Omit<RestartPolicyOptions, 'now' | 'random'>;
}

export const DEFAULT_TIMINGS: SupervisorTimings = {
  initializeTimeoutMs: 10_000,
  probeIntervalMs: 15_000,
  probeTimeoutMs: 5000,
  maxMissedProbes: 3,
  approvalTimeoutMs: 120_000,
  stop: DEFAULT_STOP_TIMINGS,
  restart: DEFAULT_RESTART_POLICY,
};

export interface SupervisorConfig {
  command: string;
  args: string[];
  cwd?: string;
  /** The server's full environment (see buildServerEnv). */
  env: NodeJS.ProcessEnv;
  /** Attach to this Unix socket instead of spawning. */
  socket?: string;
  /** GET each probe; anything but 200 is a missed probe. */
  healthUrl?: string;
  /** Shown in the tooltip; the env already carries it. */
  codeHome?: string;
  clientInfo: ClientInfo;
  timings?: Partial<SupervisorTimings>;
}

/** Asks a person; the supervisor declines on its own deadline or if this throws. */
export type ApprovalHandler = (request: ApprovalRequest) => Promise<ApprovalDecision>;

export interface SupervisorDeps {
  approvals?: ApprovalHandler;
  now?: () => number;
  random?: () => number;
  /** HTTP GET used for healthUrl (injectable for tests); resolves with the status code. */
  httpGet?: (url: string, timeoutMs: number) => Promise<number>;
}

export interface ApprovalOutcome {
  request: ApprovalRequest;
  decision: ApprovalDecision;
  /** Why this decision was taken when the person did not choose it. */
  auto?: 'timeout' | 'no-handler' | 'handler-failed';
}

const RECENT_STDERR = 500;
const RECENT_NOTIFICATIONS = 200;
const MAX_PANICS = 20;
const STATES_RUNNING: readonly ServerState[] = ['starting', 'healthy', 'unresponsive'];

/** Timings from settings or callers, kept where timers behave (no 0, NaN or overflowing delays). */
function saneTimings(t: SupervisorTimings): SupervisorTimings {
  const d = DEFAULT_TIMINGS;
  return {
    ...t,
    initializeTimeoutMs: saneMs(t.initializeTimeoutMs, d.initializeTimeoutMs),
    // Not below 10 ms: a zero interval would probe in a tight loop.
    probeIntervalMs: saneMs(t.probeIntervalMs, d.probeIntervalMs, 10),
    probeTimeoutMs: saneMs(t.probeTimeoutMs, d.probeTimeoutMs),
    maxMissedProbes: saneMs(t.maxMissedProbes, d.maxMissedProbes),
    approvalTimeoutMs: saneMs(t.approvalTimeoutMs, d.approvalTimeoutMs),
  };
}

/** Settles with `fallback` after `ms` unless `p` settles first. */
function withDeadline<T>(p: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(fallback()), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

async function defaultHttpGet(url: string, timeoutMs: number): Promise<number> {
  const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel().catch(() => undefined);
  return res.status;
}

/**
 * Owns the app server's life. One state machine:
 * `stopped → starting → healthy ⇄ unresponsive → crashed → backing-off → starting …`,
 * ending in `crash-loop`, `not-found` or `config-error` when restarting cannot help.
 * Every transition is an event with a reason; everything the editor shows renders `snapshot()`.
 */
export class AppServerSupervisor implements Disposable {
  private config: SupervisorConfig;
  private timings: SupervisorTimings;
  private policy: RestartPolicy;
  private readonly now: () => number;
  private state: ServerSnapshot = { state: 'stopped', reason: 'not started', mode: 'spawn', restartsInWindow: 0, panics: [] };
  private readonly history: StateChange[] = [];

  private generation = 0;
  private channel: ServerChannel | undefined;
  private connection: AppServerConnection | undefined;
  private startupStderrSaysConfig = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private missedProbes = 0;
  private reconnectAttempts = 0;
  private stopping: Promise<void> | undefined;
  private disposed = false;

  private readonly stderr = new RingBuffer<string>(RECENT_STDERR);
  private readonly notifications = new RingBuffer<ReceivedNotification>(RECENT_NOTIFICATIONS);

  private readonly changeEmitter = new Emitter<ServerSnapshot>();
  /** Any change of the snapshot (state, probe latency, panics…). */
  readonly onDidChange: Event<ServerSnapshot> = this.changeEmitter.event;
  private readonly transitionEmitter = new Emitter<StateChange>();
  /** State transitions only, each with its reason. */
  readonly onDidTransition: Event<StateChange> = this.transitionEmitter.event;
  private readonly stderrEmitter = new Emitter<string>();
  /** Each stderr line, ANSI stripped and secrets masked. */
  readonly onStderrLine: Event<string> = this.stderrEmitter.event;
  private readonly panicEmitter = new Emitter<PanicRecord>();
  readonly onPanic: Event<PanicRecord> = this.panicEmitter.event;
  private readonly notificationEmitter = new Emitter<ReceivedNotification>();
  readonly onNotification: Event<ReceivedNotification> = this.notificationEmitter.event;
  private readonly invalidLineEmitter = new Emitter<InvalidLine>();
  readonly onInvalidLine: Event<InvalidLine> = this.invalidLineEmitter.event;
  private readonly approvalEmitter = new Emitter<ApprovalOutcome>();
  readonly onApproval: Event<ApprovalOutcome> = this.approvalEmitter.event;
  private readonly unknownRequestEmitter = new Emitter<{ method: string }>();
  readonly onUnknownRequest: Event<{ method: string }> = this.unknownRequestEmitter.event;

  constructor(
    config: SupervisorConfig,
    private readonly deps: SupervisorDeps = {},
  ) {
    this.now = deps.now ?? Date.now;
    this.config = config;
    this.timings = saneTimings({ ...DEFAULT_TIMINGS, ...config.timings });
    this.policy = this.makePolicy();
    this.state = { ...this.state, mode: config.socket ? 'socket' : 'spawn' };
  }

  private makePolicy(): RestartPolicy {
    return new RestartPolicy({ ...this.timings.restart, now: this.now, random: this.deps.random });
  }

  /** New settings apply from the next start (a running server is not disturbed). */
  configure(config: SupervisorConfig): void {
    const before = JSON.stringify(this.timings.restart);
    this.config = config;
    this.timings = saneTimings({ ...DEFAULT_TIMINGS, ...config.timings });
    // Keep the restart history unless the policy itself changed: new settings must not hide a crash loop.
    if (JSON.stringify(this.timings.restart) !== before) this.policy = this.makePolicy();
    if (!this.isRunning) this.update({ mode: config.socket ? 'socket' : 'spawn' });
  }

  snapshot(): ServerSnapshot {
    return { ...this.state, restartsInWindow: this.policy.restartsInWindow, panics: this.state.panics.slice() };
  }

  get transitions(): readonly StateChange[] {
    return this.history.slice();
  }

  recentStderr(): readonly string[] {
    return this.stderr.toArray();
  }

  recentNotifications(): readonly ReceivedNotification[] {
    return this.notifications.toArray();
  }

  get currentConfig(): SupervisorConfig {
    return this.config;
  }

  get isRunning(): boolean {
    return STATES_RUNNING.includes(this.state.state);
  }

  // ---- state ---------------------------------------------------------------

  private update(patch: Partial<ServerSnapshot>): void {
    this.state = { ...this.state, ...patch };
    this.changeEmitter.fire(this.snapshot());
  }

  private transition(to: ServerState, reason: string, patch: Partial<ServerSnapshot> = {}): void {
    const from = this.state.state;
    const change: StateChange = { from, to, reason: maskSecrets(reason), at: this.now() };
    this.history.push(change);
    if (this.history.length > 200) this.history.shift();
    this.state = { ...this.state, ...patch, state: to, reason: change.reason };
    this.transitionEmitter.fire(change);
    this.changeEmitter.fire(this.snapshot());
  }

  // ---- commands ------------------------------------------------------------

  /**
   * Starts (or attaches). A person's start also forgets earlier restarts, so
   * "Restart Anyway" after a crash loop gets a fresh window.
   */
  async start(reason = 'started'): Promise<void> {
    if (this.disposed) return;
    if (this.stopping) await this.stopping;
    if (this.isRunning) return;
    this.clearTimers();
    this.policy.reset();
    this.reconnectAttempts = 0;
    await this.launch(reason);
  }

  async restart(reason = 'restarted by request'): Promise<void> {
    await this.stop(reason);
    await this.start(reason);
  }

  /** Graceful stop: close stdin, wait, SIGTERM, wait, SIGKILL. Resolves when no process is left. */
  stop(reason = 'stopped by request'): Promise<void> {
    this.stopping ??= this.doStop(reason).finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  private async doStop(reason: string): Promise<void> {
    this.generation++;
    this.clearTimers();
    const channel = this.channel;
    const connection = this.connection;
    this.channel = undefined;
    this.connection = undefined;
    if (channel) {
      const exit = await channel.stop(this.timings.stop);
      this.state = { ...this.state, exitCode: exit.code };
    }
    connection?.dispose();
    if (this.state.state !== 'stopped' || channel) {
      this.transition('stopped', reason, { pid: undefined, startedAt: undefined, nextRetryInMs: undefined });
    }
  }

  /** Sends a request to the running server with a deadline. */
  async request<R = unknown>(method: string, params?: unknown, options: { timeoutMs?: number } = {}): Promise<R> {
    const connection = this.connection;
    if (!connection || (this.state.state !== 'healthy' && this.state.state !== 'unresponsive')) {
      throw new Error(`The app server is not running (state: ${this.state.state}). Start it first.`);
    }
    return connection.request<R>(method, params, options.timeoutMs ?? this.timings.probeTimeoutMs);
  }

  async notify(method: string, params?: unknown): Promise<void> {
    if (!this.connection) throw new Error('The app server is not running.');
    await this.connection.notify(method, params);
  }

  // ---- life cycle ----------------------------------------------------------

  private async launch(reason: string): Promise<void> {
    const gen = ++this.generation;
    const config = this.config;
    const mode = config.socket ? 'socket' : 'spawn';
    this.startupStderrSaysConfig = false;
    this.missedProbes = 0;
    this.transition('starting', reason, {
      mode,
      pid: undefined,
      startedAt: this.now(),
      nextRetryInMs: undefined,
      lastProbeMs: undefined,
      initializeMs: undefined,
      exitCode: undefined,
      blocker: undefined,
    });

    if (!config.socket) {
      // Restarting cannot create a folder: say so before spawning, not after a crash loop.
      const blocked = await checkFolders(config.codeHome, config.cwd);
      if (gen !== this.generation) return;
      if (blocked) {
        this.transition('not-found', blocked.reason, { lastError: blocked.reason, blocker: blocked.blocker, startedAt: undefined });
        return;
      }
    }

    let channel: ServerChannel;
    try {
      if (config.socket) {
        channel = await SocketChannel.connect(config.socket, this.timings.initializeTimeoutMs);
      } else {
        channel = await ServerProcess.spawn({
          command: config.command,
          args: config.args,
          cwd: config.cwd,
          env: config.env,
          onStderrLine: (line) => this.handleStderr(gen, line),
        });
      }
    } catch (err) {
      if (gen !== this.generation) return;
      const message = (err as Error).message;
      if (config.socket) {
        const why = await explainSocketFailure(config.socket, message, (err as NodeJS.ErrnoException).code);
        if (gen !== this.generation) return;
        this.handleFailure(gen, why);
      } else {
        // ENOENT, EACCES…: restarting cannot help, so no restart storm. Resolving only now keeps the
        // healthy path as fast as a bare spawn while still explaining a directory or a missing +x.
        const resolved = await resolveExecutable(config.command, config.env, config.cwd);
        if (gen !== this.generation) return;
        const cwdMissing = config.cwd !== undefined && !resolved.error && !existsSync(config.cwd);
        const why = resolved.error ?? (cwdMissing ? `The working folder ${config.cwd} does not exist (codeOps.appServer.cwd).` : message);
        this.transition('not-found', why, { lastError: why, blocker: { setting: cwdMissing ? 'codeOps.appServer.cwd' : 'codeOps.appServer.command' }, startedAt: undefined });
      }
      return;
    }
    if (gen !== this.generation) {
      // Stopped while spawning: nothing may outlive the stop.
      void channel.stop(this.timings.stop);
      return;
    }
    this.channel = channel;
    const connection = new AppServerConnection(channel, (method, params) => this.handleServerRequest(method, params));
    this.connection = connection;
    connection.onNotification((n) => this.handleNotification(gen, n));
    connection.onInvalidLine((l) => {
      if (gen === this.generation) this.invalidLineEmitter.fire(l);
    });
    channel.exited.then((exit) => this.handleExit(gen, exit.code, exit.signal));
    this.update({ pid: channel.pid, startedAt: this.now() });

    try {
      const init = await connection.initialize(config.clientInfo, this.timings.initializeTimeoutMs);
      if (gen !== this.generation) return;
      const userAgent = typeof init.result.userAgent === 'string' ? init.result.userAgent : undefined;
      this.reconnectAttempts = 0;
      this.transition('healthy', `initialize answered in ${init.ms.toFixed(1)} ms`, {
        initializeMs: init.ms,
        userAgent,
        lastError: undefined,
      });
      this.scheduleProbe(gen);
    } catch (err) {
      if (gen !== this.generation) return;
      if (err instanceof RequestTimeoutError) {
        this.killCurrent();
        this.handleFailure(gen, `initialize was not answered within ${this.timings.initializeTimeoutMs} ms`);
      } else if (isServerReply(err)) {
        this.killCurrent();
        this.handleFailure(gen, `initialize was refused: ${err.message}`);
      }
      // Otherwise the connection closed: handleExit reports the exit with its code.
    }
  }

  private handleStderr(gen: number, raw: string): void {
    const line = maskSecrets(raw);
    this.stderr.push(line);
    this.stderrEmitter.fire(line);
    if (gen !== this.generation) return;
    if (this.state.state === 'starting' && isConfigErrorLine(raw)) this.startupStderrSaysConfig = true;
    this.stderrPanics.push(raw);
  }

  /** Panics on stderr in any form (`Panic occurred`, the default hook), their lines joined into one record. */
  private readonly stderrPanics = new PanicAssembler((e) => {
    const panic: PanicRecord = { at: this.now(), line: e.location ? `${e.startLine} — ${panicSummary(e)}` : e.startLine, detail: { location: e.location, thread: e.thread, message: e.message } };
    this.update({ panics: [...this.state.panics, panic].slice(-MAX_PANICS) });
    this.panicEmitter.fire(panic);
  }, { source: 'stderr' });

  private handleNotification(gen: number, n: ReceivedNotification): void {
    if (gen !== this.generation) return;
    this.notifications.push(n);
    this.notificationEmitter.fire(n);
  }

  private handleExit(gen: number, code: number | null, signal: NodeJS.Signals | null): void {
    if (gen !== this.generation) return;
    const what = this.config.socket ? 'The socket connection closed' : `The app server exited (${code !== null ? `code ${code}` : `signal ${signal}`})`;
    const wasStarting = this.state.state === 'starting';
    this.update({ exitCode: code });
    if (wasStarting && this.startupStderrSaysConfig && !this.config.socket) {
      this.clearTimers();
      this.generation++;
      this.disposeCurrent();
      const line = this.stderr.toArray().reverse().find((l) => isConfigErrorLine(l));
      this.transition('config-error', `${what} during start-up: it could not load its config. Fix config.toml and start it again.`, {
        lastError: line ?? 'config error',
        pid: undefined,
      });
      return;
    }
    if (wasStarting && !this.config.socket) {
      void this.explainStartupExit(gen, what, code);
      return;
    }
    this.handleFailure(gen, what);
  }

  /**
   * An exit before the handshake: a text file with the execute bit (run by
   * /bin/sh) or a wrapper whose command is missing (exit 126/127) will fail
   * the same way every time, so it is not-found, not a restart.
   */
  private async explainStartupExit(gen: number, what: string, code: number | null): Promise<void> {
    const config = this.config;
    const resolved = await resolveExecutable(config.command, config.env, config.cwd);
    const notProgram = resolved.path ? await notAProgram(resolved.path) : undefined;
    if (gen !== this.generation) return;
    if (notProgram || isCannotRunExit(code)) {
      this.clearTimers();
      this.generation++;
      this.disposeCurrent();
      const lastLine = this.stderr.toArray().at(-1);
      const why =
        notProgram ??
        `${what} during start-up with ${code === 127 ? 'code 127 (a command it runs was not found)' : 'code 126 (a program it runs cannot be executed)'}${lastLine ? `: ${lastLine}` : ''}. Restarting would fail the same way; fix codeOps.appServer.command.`;
      this.transition('not-found', why, { lastError: lastLine ?? why, pid: undefined, blocker: { setting: 'codeOps.appServer.command' }, startedAt: undefined });
      return;
    }
    this.handleFailure(gen, `${what} during start-up`);
  }

  /** A failure of the current generation: crashed, then back off or stop at a crash loop. */
  private handleFailure(gen: number, reason: string): void {
    if (gen !== this.generation) return;
    this.generation++;
    const failedGen = this.generation;
    this.clearTimers();
    this.disposeCurrent();
    this.transition('crashed', reason, { lastError: reason, pid: undefined });
    if (this.config.socket) {
      // Attached: the server is not ours to restart; reconnect with backoff, never give up.
      this.reconnectAttempts++;
      const delayMs = this.policy.delayFor(this.reconnectAttempts);
      this.backOff(failedGen, delayMs, `reconnecting in ${(delayMs / 1000).toFixed(1)} s (attempt ${this.reconnectAttempts})`);
      return;
    }
    const decision = this.policy.next();
    if (!decision.restart) {
      this.transition(
        'crash-loop',
        `more than ${this.timings.restart.maxRestarts} restarts within ${Math.round(this.timings.restart.windowMs / 60_000)} minutes; not restarting. Last failure: ${reason}`,
        { restartsInWindow: decision.restartsInWindow },
      );
      return;
    }
    this.backOff(failedGen, decision.delayMs, `restart ${decision.restartsInWindow} of ${this.timings.restart.maxRestarts} in ${(decision.delayMs / 1000).toFixed(1)} s`);
  }

  private backOff(gen: number, delayMs: number, reason: string): void {
    this.transition('backing-off', reason, { nextRetryInMs: delayMs });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (gen !== this.generation || this.disposed) return;
      void this.launch(this.config.socket ? 'reconnecting after backoff' : 'restarting after backoff');
    }, delayMs);
  }

  private scheduleProbe(gen: number): void {
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.probe(gen);
    }, this.timings.probeIntervalMs);
  }

  /** One liveness probe now (also used by the "probe now" action and tests). */
  async probeNow(): Promise<void> {
    if (this.state.state !== 'healthy' && this.state.state !== 'unresponsive') return;
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    await this.probe(this.generation);
  }

  private async probe(gen: number): Promise<void> {
    const connection = this.connection;
    if (gen !== this.generation || !connection) return;
    const [rpc, http] = await Promise.all([connection.probe(this.config.clientInfo, this.timings.probeTimeoutMs), this.probeHttp()]);
    // A closed connection is an exit, which handleExit reports; not a missed probe.
    if (gen !== this.generation || connection.isClosed) return;
    const failure = !rpc.alive ? rpc.error : http;
    if (!failure && rpc.alive) {
      this.missedProbes = 0;
      if (this.state.state === 'unresponsive') this.transition('healthy', `probe answered in ${rpc.ms.toFixed(2)} ms`, { lastProbeMs: rpc.ms });
      else this.update({ lastProbeMs: rpc.ms });
    } else {
      this.missedProbes++;
      const reason = `missed probe ${this.missedProbes} of ${this.timings.maxMissedProbes}: ${failure}`;
      if (this.missedProbes >= this.timings.maxMissedProbes) {
        this.killCurrent();
        this.handleFailure(gen, `unresponsive: ${this.missedProbes} probes in a row got no reply (${failure})`);
        return;
      }
      if (this.state.state !== 'unresponsive') this.transition('unresponsive', reason, { lastError: failure });
      else this.update({ lastError: failure, reason });
    }
    this.scheduleProbe(gen);
  }

  private async probeHttp(): Promise<string | undefined> {
    const url = this.config.healthUrl;
    if (!url) return undefined;
    try {
      const status = await (this.deps.httpGet ?? defaultHttpGet)(url, this.timings.probeTimeoutMs);
      return status === 200 ? undefined : `health URL answered HTTP ${status}`;
    } catch (err) {
      // fetch says only "fetch failed"; the cause names the network error (ECONNREFUSED, ENOTFOUND…).
      const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message;
      const name = (err as Error).name === 'TimeoutError' ? `no answer within ${this.timings.probeTimeoutMs} ms` : `${(err as Error).message}${detail ? ` (${detail})` : ''}`;
      return `health URL ${url} failed: ${name}`;
    }
  }

  // ---- server-initiated requests -------------------------------------------

  private async handleServerRequest(method: string, params: unknown): Promise<unknown> {
    const request = describeApproval(method, params);
    if (!request) {
      this.unknownRequestEmitter.fire({ method });
      throw new ResponseError(ErrorCodes.MethodNotFound, `Code Ops does not handle the server request '${method}'.`);
    }
    let outcome: ApprovalOutcome;
    const handler = this.deps.approvals;
    if (!handler) {
      outcome = { request, decision: 'decline', auto: 'no-handler' };
    } else {
      try {
        outcome = await withDeadline<ApprovalOutcome>(
          handler(request).then((decision) => ({ request, decision })),
          this.timings.approvalTimeoutMs,
          () => ({ request, decision: 'decline', auto: 'timeout' }),
        );
      } catch {
        outcome = { request, decision: 'decline', auto: 'handler-failed' };
      }
    }
    this.approvalEmitter.fire(outcome);
    return approvalReply(request, outcome.decision);
  }

  // ---- helpers -------------------------------------------------------------

  private killCurrent(): void {
    const channel = this.channel;
    if (!channel) return;
    channel.kill();
    // Reap the group once the leader is gone (a wrapper's children).
    void channel.stop({ stdinGraceMs: 0, termGraceMs: 0 });
  }

  private disposeCurrent(): void {
    const channel = this.channel;
    this.connection?.dispose();
    this.connection = undefined;
    this.channel = undefined;
    if (channel) void channel.stop(this.timings.stop);
  }

  private clearTimers(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.probeTimer = undefined;
    this.retryTimer = undefined;
  }

  /** Stops gracefully and releases everything; await it before the process exits. */
  async shutdown(): Promise<void> {
    await this.stop('shutting down');
    this.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.generation++;
    this.clearTimers();
    this.stderrPanics.dispose();
    const channel = this.channel;
    this.channel = undefined;
    this.connection?.dispose();
    this.connection = undefined;
    // Synchronous dispose cannot wait for a graceful stop: make sure nothing survives.
    channel?.kill();
    for (const e of [
      this.changeEmitter,
      this.transitionEmitter,
      this.stderrEmitter,
      this.panicEmitter,
      this.notificationEmitter,
      this.invalidLineEmitter,
      this.approvalEmitter,
      this.unknownRequestEmitter,
    ]) {
      e.dispose();
    }
  }
}
