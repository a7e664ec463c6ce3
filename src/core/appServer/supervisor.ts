import { Emitter, type Event } from 'vscode-jsonrpc/node';
import type { ApprovalRequest } from './approvals';
import { AppServerConnection, type ReceivedNotification } from './connection';
import { addWarning, CONFIG_WARNING_METHOD, homeMismatch, parseConfigWarning, serverHomeOf, userAgentOf } from './handshakeInfo';
import type { InvalidLine } from './jsonl';
import { ServerProcess, SocketChannel, type ExitInfo, type ServerChannel } from './process';
import { checkFolders } from './preflight';
import { RestartPolicy } from './restartPolicy';
import { answerServerRequest, probeHealthUrl } from './serverRequests';
import { classifySpawnFailure, handshake, StartupStderr, type StartupVerdict } from './startup';
import { RingBuffer } from './stderr';
import { DEFAULT_TIMINGS, saneTimings, type ApprovalOutcome, type SupervisorConfig, type SupervisorDeps, type SupervisorTimings } from './supervisorConfig';
import { PanicAssembler, panicSummary } from '../logs/panicAssembler';
import type { PanicRecord, ServerSnapshot, ServerState, StateChange } from './types';
import { maskSecrets } from '../mask';
import type { Disposable } from '../disposable';

export { DEFAULT_TIMINGS, type ApprovalHandler, type ApprovalOutcome, type SupervisorConfig, type SupervisorDeps, type SupervisorTimings } from './supervisorConfig';
export type { ApprovalRequest };

const RECENT_STDERR = 500;
const RECENT_NOTIFICATIONS = 200;
const MAX_PANICS = 20;
const STATES_RUNNING: readonly ServerState[] = ['starting', 'healthy', 'unresponsive'];

/** Descendants that had left the server's process group and were stopped separately, in words. */
function describeEscaped(exit: ExitInfo): string | undefined {
  if (!exit.escaped?.length) return undefined;
  const list = exit.escaped.map((p) => `${p.pid} (${p.name})`).join(', ');
  return `${exit.escaped.length} process(es) started by the server had left its process group and were still running after it stopped: ${list}. Code Ops stopped them.`;
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
  private readonly startup = new StartupStderr();
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
      this.state = { ...this.state, exitCode: exit.code, escapedProcesses: describeEscaped(exit) };
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
    this.startup.reset();
    this.missedProbes = 0;
    this.transition('starting', reason, {
      mode: config.socket ? 'socket' : 'spawn',
      pid: undefined,
      startedAt: this.now(),
      nextRetryInMs: undefined,
      lastProbeMs: undefined,
      initializeMs: undefined,
      exitCode: undefined,
      blocker: undefined,
      serverHome: undefined,
      homeMismatch: undefined,
      configWarnings: [],
    });
    const channel = await this.openChannel(gen, config);
    if (!channel) return;
    if (gen !== this.generation) {
      // Stopped while spawning: nothing may outlive the stop.
      void channel.stop(this.timings.stop);
      return;
    }
    this.channel = channel;
    const connection = this.connect(gen, channel);
    this.update({ pid: channel.pid, startedAt: this.now() });
    const outcome = await handshake(connection, this.startup, config.clientInfo, { ...this.target(config), timeoutMs: this.timings.initializeTimeoutMs });
    if (gen !== this.generation) return;
    if (!outcome.ok) {
      this.startupFailed(gen, outcome.verdict);
      return;
    }
    channel.exited.then((exit) => this.handleExit(gen, exit));
    const serverHome = serverHomeOf(outcome.result);
    this.reconnectAttempts = 0;
    this.transition('healthy', `initialize answered in ${outcome.ms.toFixed(1)} ms`, {
      initializeMs: outcome.ms,
      userAgent: userAgentOf(outcome.result),
      serverHome,
      homeMismatch: homeMismatch(serverHome, config.codeHome),
      lastError: undefined,
    });
    this.scheduleProbe(gen);
  }

  private target(config: SupervisorConfig) {
    return { command: config.command, env: config.env, cwd: config.cwd, socket: config.socket };
  }

  /** Spawns or connects; on failure reports it (the shared start-up classification) and returns undefined. */
  private async openChannel(gen: number, config: SupervisorConfig): Promise<ServerChannel | undefined> {
    if (!config.socket) {
      // Restarting cannot create a folder: say so before spawning, not after a crash loop.
      const blocked = await checkFolders(config.codeHome, config.cwd);
      if (gen !== this.generation) return undefined;
      if (blocked) {
        this.transition('not-found', blocked.reason, { lastError: blocked.reason, blocker: blocked.blocker, startedAt: undefined });
        return undefined;
      }
    }
    try {
      if (config.socket) return await SocketChannel.connect(config.socket, this.timings.initializeTimeoutMs);
      return await ServerProcess.spawn({ command: config.command, args: config.args, cwd: config.cwd, env: config.env, onStderrLine: (line) => this.handleStderr(gen, line) });
    } catch (err) {
      if (gen !== this.generation) return undefined;
      const verdict = await classifySpawnFailure(err, this.target(config));
      if (gen === this.generation) this.startupFailed(gen, verdict);
      return undefined;
    }
  }

  private connect(gen: number, channel: ServerChannel): AppServerConnection {
    const connection = new AppServerConnection(channel, (method, params) =>
      answerServerRequest(method, params, this.deps.approvals, this.timings.approvalTimeoutMs, {
        approval: (o) => this.approvalEmitter.fire(o),
        unknown: (m) => this.unknownRequestEmitter.fire({ method: m }),
      }),
    );
    this.connection = connection;
    connection.onNotification((n) => this.handleNotification(gen, n));
    connection.onInvalidLine((l) => {
      if (gen === this.generation) this.invalidLineEmitter.fire(l);
    });
    return connection;
  }

  /** The start did not complete: `not-found` and `config-error` stay; the rest is a failure that may be retried. */
  private startupFailed(gen: number, verdict: StartupVerdict): void {
    if (verdict.exit) this.update({ exitCode: verdict.exit.code });
    if (verdict.state === 'not-found' || verdict.state === 'config-error') {
      this.clearTimers();
      this.generation++;
      this.disposeCurrent();
      this.transition(verdict.state, verdict.reason, { lastError: verdict.lastError ?? verdict.reason, blocker: verdict.blocker, pid: undefined, startedAt: undefined });
      return;
    }
    if (verdict.state === 'unresponsive') this.killCurrent();
    this.handleFailure(gen, verdict.reason);
  }

  private handleStderr(gen: number, raw: string): void {
    const line = maskSecrets(raw);
    this.stderr.push(line);
    this.stderrEmitter.fire(line);
    if (gen !== this.generation) return;
    if (this.state.state === 'starting') this.startup.push(raw);
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
    if (n.method === CONFIG_WARNING_METHOD) {
      const warning = parseConfigWarning(n.params);
      if (warning) this.update({ configWarnings: addWarning(this.state.configWarnings ?? [], warning) });
    }
    this.notificationEmitter.fire(n);
  }

  /** An exit after a completed handshake. */
  private handleExit(gen: number, exit: ExitInfo): void {
    if (gen !== this.generation) return;
    const what = this.config.socket ? 'The socket connection closed' : `The app server exited (${exit.code !== null ? `code ${exit.code}` : `signal ${exit.signal}`})`;
    this.update({ exitCode: exit.code });
    this.handleFailure(gen, what);
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
    const [rpc, http] = await Promise.all([
      connection.probe(this.config.clientInfo, this.timings.probeTimeoutMs),
      probeHealthUrl(this.config.healthUrl, this.timings.probeTimeoutMs, this.deps.httpGet),
    ]);
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
    if (!channel) return;
    void channel.stop(this.timings.stop).then((exit) => {
      const escaped = describeEscaped(exit);
      if (escaped && !this.disposed) this.update({ escapedProcesses: escaped });
    });
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
