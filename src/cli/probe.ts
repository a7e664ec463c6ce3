import { UsageError, type CliCommand } from './types';
import { parseFlags, codeHomeFlag, nonEmptyFlag, wholeNumberFlag } from './flags';
import { probeOnce } from '../core/appServer/probe';
import { buildServerEnv } from '../core/appServer/env';
import { resolveCodeHome } from '../core/codeHome';
import type { ProbeResult } from '../core/appServer/probeTypes';
import { DEFAULT_COMMAND, RANGES } from '../core/constants';

/** Splits a command line the way a POSIX shell would for plain words, single and double quotes and backslashes. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) current += line[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`unterminated ${quote} quote in --command`);
  if (inWord) words.push(current);
  return words;
}

function summary(r: ProbeResult, target: string): string {
  const lines: string[] = [];
  if (r.healthy) {
    lines.push(`healthy: ${target} answered initialize in ${r.initializeMs} ms and a liveness probe in ${r.probeMs} ms.`);
  } else {
    lines.push(`NOT healthy (${r.state}): ${r.error ?? 'no reason given'}`);
    if (r.initializeMs !== null) lines.push(`initialize answered in ${r.initializeMs} ms`);
  }
  if (r.userAgent) lines.push(`userAgent: ${r.userAgent}`);
  if (r.exitCode !== null) lines.push(`exit code after stop: ${r.exitCode}`);
  if (r.stderrTail.length > 0) {
    lines.push('', `last ${r.stderrTail.length} stderr line(s):`, ...r.stderrTail.map((l) => `  ${l}`));
  }
  return `${lines.join('\n')}\n`;
}

export const probeCommand: CliCommand = {
  name: 'probe',
  summary: 'Start (or connect to) the app server, handshake, probe once, stop',
  help: `Usage: code-ops probe [--command "<cmd> [args…]"] [--socket PATH] [--timeout MS] [--json]

Spawns the app server (or connects to its Unix socket), sends initialize,
one liveness probe, and shuts it down cleanly.

Options:
  --command "CMD ARGS"  Server command line (default: code-app-server)
  --socket PATH         Connect to a Unix socket instead of spawning
  --timeout MS          Deadline for each reply (default 5000)
  --code-home DIR       Use DIR as CODE_HOME for the spawned server
  --json                Print the result as JSON
  -h, --help            Show this help

The server runs with RUST_LOG=info and CODE_SECURE_MODE=1 unless the
environment sets them.

Exit status: 0 healthy, 1 not healthy, 2 usage error.`,
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: {
        command: { type: 'string' },
        socket: { type: 'string' },
        timeout: { type: 'string' },
        'code-home': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      allowPositionals: false,
      strict: true,
    });
    if (values.command !== undefined && values.socket !== undefined) throw new UsageError('use either --command or --socket, not both');
    const timeoutMs = wholeNumberFlag('timeout', values.timeout, RANGES['appServer.probeTimeoutMs'].def, 1, RANGES['appServer.probeTimeoutMs'].max, 'milliseconds');
    const words = splitCommandLine(values.command ?? DEFAULT_COMMAND);
    if (values.command !== undefined && words.length === 0) throw new UsageError('--command needs a command line; it is empty.');
    nonEmptyFlag('socket', values.socket, 'the path of a Unix socket');
    const [command, ...commandArgs] = words;
    const codeHomeValue = codeHomeFlag(values['code-home'], io.cwd);
    const codeHome = codeHomeValue ? resolveCodeHome({ override: codeHomeValue, env: io.env, cwd: io.cwd }).path : undefined;
    const env = buildServerEnv({ base: io.env, codeHome });
    const work = probeOnce({ command, args: commandArgs, env, cwd: io.cwd, socket: values.socket, timeoutMs });
    const result = await work;
    if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else io.stdout.write(summary(result, values.socket ? `the server at ${values.socket}` : command));
    return result.healthy ? 0 : 1;
  },
};
