import * as grpc from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/**
 * A local OTLP receiver on 127.0.0.1 for the test export: OTLP/HTTP (protobuf and JSON,
 * plain or TLS) and OTLP/gRPC. Requests are decoded with the protobuf definitions the
 * official @opentelemetry/otlp-transformer package ships (its 0.57 release generated them
 * from opentelemetry-proto; installed as the dev dependency `otlp-proto-root`).
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('otlp-proto-root/build/src/generated/root') as ProtoRoot;

interface ProtoType {
  decode(buf: Uint8Array): unknown;
  encode(msg: unknown): { finish(): Uint8Array };
  fromObject(o: unknown): unknown;
  toObject(m: unknown, o: object): Record<string, unknown>;
}
type ProtoRoot = { opentelemetry: { proto: { collector: Record<'logs' | 'metrics', { v1: Record<string, ProtoType> }> } } };

const collector = root.opentelemetry.proto.collector;
export const PROTO = {
  logs: { request: collector.logs.v1.ExportLogsServiceRequest, response: collector.logs.v1.ExportLogsServiceResponse },
  metrics: { request: collector.metrics.v1.ExportMetricsServiceRequest, response: collector.metrics.v1.ExportMetricsServiceResponse },
};

const TO_OBJECT = { longs: String, enums: Number, bytes: String, defaults: false, arrays: true };

export interface Received {
  /** What the request carries. Code sends both signals to one URL, so over HTTP this is by order: logs first, then metrics. */
  signal: 'logs' | 'metrics';
  /** HTTP path, or the gRPC method path. */
  path: string;
  /** Lower-cased names -> values (HTTP headers or gRPC metadata). */
  headers: Record<string, string>;
  contentType: string;
  /** The decoded OTLP request (protobuf toObject with camelCase keys, or the JSON as sent). */
  body: Record<string, unknown>;
}

/** Answers like an OpenTelemetry Collector: a request of the other signal cannot be read at this path. */
export const collectorLike: HttpBehaviour = (r) => (r.signal === signalOfPath(r.path) ? { status: 200, body: {} } : { status: 400, body: 'proto: cannot parse invalid wire-format data' });

export type HttpBehaviour = (req: Received) => { status: number; body?: unknown } | 'hang';

/** The resource attributes of a decoded request, as a flat name -> value map. */
export function resourceAttributes(body: Record<string, unknown>, signal: 'logs' | 'metrics'): Record<string, unknown> {
  const list = (body[signal === 'logs' ? 'resourceLogs' : 'resourceMetrics'] as Array<{ resource: { attributes: Array<{ key: string; value: Record<string, unknown> }> } }>)[0];
  return Object.fromEntries(list.resource.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
}

export function firstLogRecord(body: Record<string, unknown>): { scope: string; record: Record<string, unknown>; attributes: Record<string, unknown> } {
  const rl = (body.resourceLogs as Array<{ scopeLogs: Array<{ scope: { name: string }; logRecords: Array<Record<string, unknown>> }> }>)[0];
  const record = rl.scopeLogs[0].logRecords[0];
  const attributes = Object.fromEntries((record.attributes as Array<{ key: string; value: Record<string, unknown> }>).map((a) => [a.key, Object.values(a.value)[0]]));
  return { scope: rl.scopeLogs[0].scope.name, record, attributes };
}

/** The signal a collector expects at this path (what an OpenTelemetry Collector routes on). */
export function signalOfPath(p: string): 'logs' | 'metrics' {
  return /metrics/i.test(p) ? 'metrics' : 'logs';
}

function decodeHttp(signal: 'logs' | 'metrics', contentType: string, raw: Buffer): Record<string, unknown> {
  if (contentType.includes('json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  const type = PROTO[signal].request;
  return type.toObject(type.decode(raw), TO_OBJECT);
}

function encodeResponse(signal: 'logs' | 'metrics', contentType: string, body: unknown): Buffer {
  if (contentType.includes('json')) return Buffer.from(JSON.stringify(body));
  const type = PROTO[signal].response;
  return Buffer.from(type.encode(type.fromObject(body)).finish());
}

export interface HttpReceiver {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** An OTLP/HTTP receiver; `tls` makes it HTTPS with the given key and certificate. */
export async function startHttpReceiver(behaviour: HttpBehaviour, tls?: { key: Buffer; cert: Buffer }): Promise<HttpReceiver> {
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = String(req.headers['content-type'] ?? '');
      const signal = received.length % 2 === 0 ? 'logs' : 'metrics';
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      let body: Record<string, unknown>;
      try {
        body = decodeHttp(signal, contentType, Buffer.concat(chunks));
      } catch {
        body = { undecodable: true };
      }
      const r: Received = { signal, path: req.url ?? '/', headers, contentType, body };
      received.push(r);
      const answer = behaviour(r);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.statusCode = answer.status;
      res.setHeader('content-type', contentType.includes('json') ? 'application/json' : 'application/x-protobuf');
      res.end(answer.body === undefined ? undefined : typeof answer.body === 'string' ? answer.body : encodeResponse(signal, contentType, answer.body));
    });
  };
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type GrpcBehaviour = (req: Received) => { code: number; details?: string; body?: unknown };

export interface GrpcReceiver {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

function method(signal: 'logs' | 'metrics', received: Received[], behaviour: GrpcBehaviour): grpc.UntypedHandleCall {
  return (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    const headers = Object.fromEntries(Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)]));
    const r: Received = { signal, path: call.getPath(), headers, contentType: 'application/grpc', body: call.request };
    received.push(r);
    const answer = behaviour(r);
    if (answer.code !== 0) callback({ code: answer.code, details: answer.details ?? '' });
    else callback(null, answer.body ?? {});
  };
}

function definition(signal: 'logs' | 'metrics'): grpc.ServiceDefinition {
  const service = signal === 'logs' ? 'opentelemetry.proto.collector.logs.v1.LogsService' : 'opentelemetry.proto.collector.metrics.v1.MetricsService';
  const { request, response } = PROTO[signal];
  return {
    Export: {
      path: `/${service}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (v: unknown) => Buffer.from(request.encode(request.fromObject(v)).finish()),
      requestDeserialize: (b: Buffer) => request.toObject(request.decode(b), TO_OBJECT),
      responseSerialize: (v: unknown) => Buffer.from(response.encode(response.fromObject(v)).finish()),
      responseDeserialize: (b: Buffer) => response.toObject(response.decode(b), TO_OBJECT),
    },
  } as grpc.ServiceDefinition;
}

/** An OTLP/gRPC receiver (HTTP/2, plain or with `tls`) serving the logs and metrics services. */
export async function startGrpcReceiver(behaviour: GrpcBehaviour, tls?: { key: Buffer; cert: Buffer }): Promise<GrpcReceiver> {
  const received: Received[] = [];
  const server = new grpc.Server();
  server.addService(definition('logs'), { Export: method('logs', received, behaviour) });
  server.addService(definition('metrics'), { Export: method('metrics', received, behaviour) });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', tls ? grpc.ServerCredentials.createSsl(null, [{ private_key: tls.key, cert_chain: tls.cert }]) : grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    received,
    close: async () => server.forceShutdown(),
  };
}

/** A self-signed certificate made with openssl for the test; `names` go into subjectAltName. */
export function selfSignedCert(dir: string, names = 'DNS:localhost,IP:127.0.0.1'): { key: Buffer; cert: Buffer; certFile: string } {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, `cert-${names.replace(/\W+/g, '_')}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=code-ops-test', '-addext', `subjectAltName=${names}`], { stdio: 'ignore' });
  return { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile), certFile };
}

/** A certificate for localhost/127.0.0.1 that expired in 2020, signed by a CA made here (openssl ca sets the past dates). */
export function expiredCert(dir: string): { key: Buffer; cert: Buffer; caFile: string } {
  const at = (f: string) => path.join(dir, f);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=code-ops-test-ca'], { stdio: 'ignore' });
  execFileSync('openssl', ['req', ...ec, '-keyout', at('leaf.key'), '-out', at('leaf.csr'), '-subj', '/CN=localhost'], { stdio: 'ignore' });
  fs.writeFileSync(at('ca.cnf'), `[ca]\ndefault_ca=d\n[d]\ndatabase=${at('index.txt')}\nnew_certs_dir=${dir}\nserial=${at('serial')}\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n[ext]\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n`);
  fs.writeFileSync(at('index.txt'), '');
  fs.writeFileSync(at('serial'), '01\n');
  execFileSync('openssl', ['ca', '-batch', '-config', at('ca.cnf'), '-cert', at('ca.pem'), '-keyfile', at('ca.key'), '-in', at('leaf.csr'), '-out', at('leaf.pem'), '-startdate', '20200101000000Z', '-enddate', '20200102000000Z', '-extensions', 'ext', '-notext'], { stdio: 'ignore' });
  return { key: fs.readFileSync(at('leaf.key')), cert: fs.readFileSync(at('leaf.pem')), caFile: at('ca.pem') };
}
