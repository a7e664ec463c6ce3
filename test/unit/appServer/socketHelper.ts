import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { FAKE_SERVER, tempCodeHome } from './helpers';

/**
 * What the runbook's `socat UNIX-LISTEN:…,fork EXEC:code-app-server` does:
 * one fake server process per connection, its stdio bridged to the socket.
 */
export async function socketGateway(scenario = 'healthy') {
  const socketPath = path.join(tempCodeHome(), 'app-server.sock');
  const children = new Set<ChildProcess>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const child = spawn(process.execPath, [FAKE_SERVER], { env: { ...process.env, FAKE_SCENARIO: scenario }, stdio: ['pipe', 'pipe', 'ignore'] });
    children.add(child);
    socket.pipe(child.stdin!);
    child.stdout!.pipe(socket);
    child.stdin!.on('error', () => undefined);
    socket.on('error', () => undefined);
    child.on('exit', () => {
      children.delete(child);
      socket.end();
    });
    socket.on('close', () => {
      sockets.delete(socket);
      child.stdin!.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    children,
    /** Drops every connection, as a restarted gateway would. */
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    async close() {
      for (const c of children) c.kill('SIGKILL');
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
