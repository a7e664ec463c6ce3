import * as dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';

/**
 * Watches the first HTTP request an official OTLP exporter makes through the
 * agent given here (Node's `http.client.request.start` channel, filtered on
 * that agent): header names, status, body, the network error. Code's exporter
 * (opentelemetry-otlp 0.30) sends once and does not retry, while the JS
 * exporter retries refused connections and 429/5xx; once the first attempt
 * has an outcome, the agent fails every later attempt at once so the test
 * reports what Code would see and ends promptly.
 */

export interface Attempt {
  startedAt: number;
  endedAt: number;
  headerNames: string[];
  status?: number;
  statusMessage?: string;
  body?: Buffer;
  error?: NodeJS.ErrnoException;
  timedOut?: boolean;
}

const BODY_CAP = 64 * 1024;

/** The error later attempts get: not one of the codes the exporter retries. */
export const TEST_OVER = 'ERR_CODE_OPS_TEST_OVER';

export interface AgentTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

export class AttemptObserver {
  private agent: http.Agent | undefined;
  private done = false;
  private resolveFirst!: (a: Attempt) => void;
  /** Settles with the first attempt's outcome. */
  readonly first: Promise<Attempt>;
  private readonly onStart = (message: unknown) => this.started((message as { request: ClientRequest }).request);

  constructor(
    private readonly timeoutMs: number,
    private readonly tls: AgentTls = {},
  ) {
    this.first = new Promise((resolve) => (this.resolveFirst = resolve));
    dc.subscribe('http.client.request.start', this.onStart);
  }

  /** The exporter's `httpAgentOptions` factory. */
  readonly agentFactory = async (protocol: string): Promise<http.Agent> => {
    const isDone = () => this.done;
    const Base = protocol === 'https:' ? https.Agent : http.Agent;
    class TestAgent extends (Base as typeof http.Agent) {
      override createConnection(options: net.NetConnectOpts, callback?: (err: Error | null, socket: net.Socket) => void): net.Socket {
        if (!isDone()) return (super.createConnection as (o: net.NetConnectOpts, c?: typeof callback) => net.Socket)(options, callback);
        const socket = new net.Socket();
        const err: NodeJS.ErrnoException = Object.assign(new Error('test export already has its answer'), { code: TEST_OVER });
        process.nextTick(() => socket.destroy(err));
        return socket;
      }
    }
    this.agent = new TestAgent({ keepAlive: false, ...(protocol === 'https:' ? this.tls : {}) } as https.AgentOptions);
    return this.agent;
  };

  private started(request: ClientRequest): void {
    if (!this.agent || (request as ClientRequest & { agent?: unknown }).agent !== this.agent || this.done || this.requested) return;
    this.requested = true;
    const attempt: Attempt = { startedAt: Date.now(), endedAt: 0, headerNames: request.getHeaderNames() };
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      attempt.endedAt = Date.now();
      this.done = true;
      this.resolveFirst(attempt);
    };
    request.once('response', (res: IncomingMessage) => {
      attempt.status = res.statusCode;
      attempt.statusMessage = res.statusMessage;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= BODY_CAP) chunks.push(chunk);
      });
      res.once('end', () => {
        attempt.body = Buffer.concat(chunks);
        finish();
      });
      res.once('error', finish);
      res.once('close', finish);
    });
    // The exporter destroys a request past its timeout, which then errors as "socket hang up".
    request.once('timeout', () => (attempt.timedOut = true));
    request.prependOnceListener('error', (err: NodeJS.ErrnoException & { cert?: unknown }) => {
      // Kept as it was; then marked final, because the exporter would retry a refused or reset
      // connection (after a second or more) where Code's exporter does not. Prepended, so it runs
      // before the exporter's own listener.
      attempt.error = Object.assign(new Error(err.message), { code: err.code, cert: err.cert });
      err.code = TEST_OVER;
      finish();
    });
    request.once('close', () => {
      // With a response, its end (or close) settles the attempt, after the body.
      if (attempt.status !== undefined) return;
      if (!attempt.error) attempt.timedOut ||= Date.now() - attempt.startedAt >= this.timeoutMs - 50;
      finish();
    });
  }

  /** Whether a request went out at all. */
  requested = false;

  dispose(): void {
    this.done = true;
    dc.unsubscribe('http.client.request.start', this.onStart);
  }
}
