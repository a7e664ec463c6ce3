import { createMessageConnection, Emitter, ErrorCodes, ParameterStructures, ResponseError, type Event, type MessageConnection, type Logger } from 'vscode-jsonrpc/node';
import { JsonlMessageReader, JsonlMessageWriter, type InvalidLine } from './jsonl';
import type { ServerChannel } from './process';
import type { Disposable } from '../disposable';

export interface ClientInfo {
  name: string;
  title: string;
  version: string;
}

export interface InitializeResult {
  userAgent?: string;
  [key: string]: unknown;
}

/** A request the server sent us; the handler's value (or thrown ResponseError) is the reply. */
export type ServerRequestHandler = (method: string, params: unknown) => Promise<unknown>;

export interface ReceivedNotification {
  method: string;
  params: unknown;
  at: number;
}

export class RequestTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`No reply to '${method}' within ${timeoutMs} ms.`);
  }
}

export class ConnectionClosedError extends Error {
  constructor(method: string) {
    super(`The app server connection closed before '${method}' was answered.`);
  }
}

/** Codes vscode-jsonrpc uses for local failures (write failed, disposed, inactive): not a reply from the server. */
const LOCAL_ERROR_CODES = new Set<number>([ErrorCodes.MessageWriteError, ErrorCodes.MessageReadError, ErrorCodes.PendingResponseRejected, ErrorCodes.ConnectionInactive]);

/** True when `err` is an error reply the server sent (which still proves it is alive). */
export function isServerReply(err: unknown): err is ResponseError<unknown> {
  return err instanceof ResponseError && !LOCAL_ERROR_CODES.has(err.code);
}

const silentLogger: Logger = { error: () => undefined, warn: () => undefined, info: () => undefined, log: () => undefined };

/**
 * JSON-RPC over one server channel: the handshake, liveness probes, requests
 * with deadlines (the servers ignore some methods and do not implement
 * `$/cancelRequest`, so every request needs its own timeout), and answers to
 * every server-initiated request.
 */
export class AppServerConnection implements Disposable {
  private readonly rpc: MessageConnection;
  private readonly reader: JsonlMessageReader;
  private readonly writer: JsonlMessageWriter;
  private readonly notificationEmitter = new Emitter<ReceivedNotification>();
  readonly onNotification: Event<ReceivedNotification> = this.notificationEmitter.event;
  readonly onInvalidLine: Event<InvalidLine>;
  private readonly closeEmitter = new Emitter<void>();
  readonly onClose: Event<void> = this.closeEmitter.event;
  private closed = false;
  private readonly pendingTimers = new Set<NodeJS.Timeout>();

  constructor(
    readonly channel: ServerChannel,
    private readonly handleServerRequest: ServerRequestHandler,
    logger: Logger = silentLogger,
  ) {
    this.reader = new JsonlMessageReader(channel.input);
    this.writer = new JsonlMessageWriter(channel.output);
    this.onInvalidLine = this.reader.onInvalidLine;
    this.rpc = createMessageConnection(this.reader, this.writer, logger);
    this.rpc.onRequest(async (method, params) => {
      try {
        return await this.handleServerRequest(method, params);
      } catch (err) {
        if (err instanceof ResponseError) return err;
        return new ResponseError(ErrorCodes.InternalError, `Code Ops could not handle '${method}': ${(err as Error).message ?? String(err)}`);
      }
    });
    this.rpc.onNotification((method, params) => {
      this.notificationEmitter.fire({ method, params, at: Date.now() });
    });
    this.rpc.onClose(() => this.markClosed());
    // A broken pipe is reported as a close, not thrown at whoever happens to be writing.
    this.rpc.onError(() => undefined);
    this.rpc.listen();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEmitter.fire();
  }

  /**
   * Sends a request and waits at most `timeoutMs`. Resolves with the result,
   * rejects with the server's ResponseError, a RequestTimeoutError, or a
   * ConnectionClosedError.
   */
  request<R = unknown>(method: string, params: unknown, timeoutMs: number): Promise<R> {
    if (this.closed) return Promise.reject(new ConnectionClosedError(method));
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pendingTimers.delete(timer);
        closeListener.dispose();
        fn();
      };
      const timer = setTimeout(() => finish(() => reject(new RequestTimeoutError(method, timeoutMs))), timeoutMs);
      this.pendingTimers.add(timer);
      const closeListener = this.onClose(() => finish(() => reject(new ConnectionClosedError(method))));
      const sent = this.send<R>(method, params);
      sent.then(
        (value) => finish(() => resolve(value)),
        (err) => finish(() => reject(err)),
      );
    });
  }

  private send<R>(method: string, params: unknown): Promise<R> {
    if (params === undefined || params === null) return this.rpc.sendRequest<R>(method);
    // vscode-jsonrpc wraps a single argument in an array unless it is an object; pass arrays element-wise.
    if (Array.isArray(params)) return this.rpc.sendRequest<R>(method, ParameterStructures.byPosition, ...params);
    if (typeof params === 'object') return this.rpc.sendRequest<R>(method, ParameterStructures.byName, params);
    return Promise.reject(new Error(`JSON-RPC params must be an object or an array, not ${typeof params}.`));
  }

  notify(method: string, params?: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new ConnectionClosedError(method));
    return params === undefined ? this.rpc.sendNotification(method) : this.rpc.sendNotification(method, params);
  }

  /** `initialize` then `initialized`; resolves with the result and how long the reply took. */
  async initialize(clientInfo: ClientInfo, timeoutMs: number): Promise<{ result: InitializeResult; ms: number }> {
    const t0 = performance.now();
    const result = await this.request<InitializeResult>('initialize', { clientInfo }, timeoutMs);
    const ms = performance.now() - t0;
    await this.notify('initialized');
    return { result: result ?? {}, ms };
  }

  /**
   * One liveness probe: a repeated `initialize` with a fresh id. Any reply with
   * that id (normally the `Already initialized` error) means alive.
   */
  async probe(clientInfo: ClientInfo, timeoutMs: number): Promise<{ alive: true; ms: number } | { alive: false; error: string }> {
    const t0 = performance.now();
    try {
      await this.request('initialize', { clientInfo }, timeoutMs);
    } catch (err) {
      if (!isServerReply(err)) return { alive: false, error: (err as Error).message };
    }
    return { alive: true, ms: performance.now() - t0 };
  }

  dispose(): void {
    for (const t of this.pendingTimers) clearTimeout(t);
    this.pendingTimers.clear();
    this.markClosed();
    this.rpc.dispose();
    this.reader.dispose();
    this.writer.dispose();
    this.notificationEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
