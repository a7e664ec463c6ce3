import { UsageError, type CliCommand } from './types';
import { parseFlags, codeHomeFlag, nonEmptyFlag, wholeNumberFlag } from './flags';
import { probeOnce } from '../core/appServer/probe';
import { buildServerEnv } from '../core/appServer/env';
import { resolveCodeHome } from '../core/codeHome';
import { concernsConfigFile, describeWarning } from '../core/appServer/handshakeInfo';
import type { ProbeResult } from '../core/appServer/probeTypes';
import * as fs from 'node:fs';
import { DEFAULT_COMMAND, RANGES } from '../core/constants';
import { plural } from '../core/plural';
import { stdoutPainter, type Painter } from './term';
import { flagsForSettings } from './wording';

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

/** A warning about a config file means the server runs, but not as configured: the probe fails. */
export function configNotApplied(r: ProbeResult): boolean {
  return r.configWarnings.some(concernsConfigFile);
}

/** A latency as people read it: "87 ms", "0.9 ms". */
function ms(value: number | null): string {
  if (value === null) return '? ms';
  return `${value < 10 ? Math.round(value * 10) / 10 : Math.round(value)} ms`;
}

/** The verdict line: state and latency. */
function verdict(r: ProbeResult, target: string, { paint }: Painter): string[] {
  if (r.healthy && configNotApplied(r)) {
    return [`${paint('yellow', 'healthy, but NOT as configured')}: ${target} answered, and said a config file was not applied.`];
  }
  if (r.healthy) return [`${paint('green', 'healthy')}: ${target} answered initialize in ${ms(r.initializeMs)} and a liveness probe in ${ms(r.probeMs)}.`];
  const lines = [`${paint('red', `NOT healthy (${r.state})`)}: ${flagsForSettings(r.error ?? 'no reason given')}`];
  if (r.initializeMs !== null) lines.push(`initialize answered in ${ms(r.initializeMs)}`);
  return lines;
}

/** What only --verbose (or a failure) shows: the process's leftovers and its stderr. */
function details(r: ProbeResult): string[] {
  const lines: string[] = [];
  if (r.skippedLines.count > 0) {
    const tooLong = r.skippedLines.tooLong ? ` (${r.skippedLines.tooLong} over the length limit, cut)` : '';
    lines.push(`skipped ${plural(r.skippedLines.count, 'stdout line')} that ${r.skippedLines.count === 1 ? 'was' : 'were'} no JSON-RPC message${tooLong}; first: ${r.skippedLines.first}`);
  }
  if (r.exitCode !== null) lines.push(`exit code after stop: ${r.exitCode}`);
  if (r.stderrTail.length > 0) {
    lines.push('', `last ${plural(r.stderrTail.length, 'stderr line')}:`, ...r.stderrTail.map((l) => `  ${l}`));
  }
  return lines;
}

/**
 * The human output: a short summary (state, latency, user agent, home, config warnings);
 * the server's stderr and exit only with `verbose` or when the probe failed.
 */
export function summary(r: ProbeResult, target: string, options: { verbose: boolean; painter: Painter }): string {
  const lines = verdict(r, target, options.painter);
  for (const w of r.configWarnings) lines.push(`${concernsConfigFile(w) ? 'config warning' : 'warning'}: ${describeWarning(w)}`);
  if (r.userAgent) lines.push(`user agent: ${r.userAgent}`);
  if (r.codexHome) lines.push(`server home: ${r.codexHome}`);
  if (r.homeMismatch) lines.push(`home mismatch: ${flagsForSettings(r.homeMismatch)}`);
  if (r.escapedProcesses.length > 0) {
    lines.push(`escaped processes (left the server's process group; stopped): ${r.escapedProcesses.map((p) => `${p.pid} ${p.name}`).join(', ')}`);
  }
  const failed = !r.healthy || configNotApplied(r);
  if (options.verbose || failed) lines.push(...details(r));
  else if (r.stderrTail.length > 0) lines.push(`(${plural(r.stderrTail.length, 'stderr line')} not shown; --verbose shows them)`);
  return `${lines.join('\n')}\n`;
}

/**
 * The home the server is launched with and compared against: --code-home, else CODE_HOME or
 * CODEX_HOME from the environment, else ~/.code when it exists (a missing default is left alone:
 * upstream codex refuses a CODEX_HOME that does not exist).
 */
function probeHome(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const home = resolveCodeHome({ override: flag, env, cwd });
  if (flag || home.source !== 'default') return home.path;
  return fs.existsSync(home.path) ? home.path : undefined;
}

const OPTIONS = {
  command: { type: 'string' },
  socket: { type: 'string' },
  timeout: { type: 'string' },
  'code-home': { type: 'string' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
} as const;

export const probeCommand: CliCommand = {
  name: 'probe',
  options: OPTIONS,
  summary: 'Start (or connect to) the app server, handshake, probe once, stop',
  help: `Usage: code-ops probe [--command "<cmd> [args…]"] [--socket PATH] [--timeout MS] [--code-home DIR] [--json] [--verbose]

Spawns the app server (or connects to its Unix socket), sends initialize,
one liveness probe, and shuts it down cleanly.

Options:
  --command "CMD ARGS"  Server command line (default: code-app-server)
  --socket PATH         Connect to a Unix socket instead of spawning
  --timeout MS          Deadline for each reply (default 5000)
  --code-home DIR       Use DIR as CODE_HOME for the spawned server
  --json                Print the result as JSON (everything, stderr lines included)
  -v, --verbose         Also show the server's stderr, its exit code and skipped lines
                        (shown anyway when the probe fails)
  -h, --help            Show this help

The summary says the state, the latencies, the server's user agent, the home
it reports and its config warnings.

The server runs with RUST_LOG=info and CODE_SECURE_MODE=1 unless the
environment sets them, and with CODE_HOME and CODEX_HOME both set to the
home Code Ops checks. The result names the home the server reports
(codexHome) and says when it differs.

Exit status: 0 healthy, 1 not healthy or a config file not applied (a
configWarning with a path), 2 usage error. Warnings that are not about a
config file are listed but do not fail the probe.`,
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: OPTIONS,
      allowPositionals: false,
      strict: true,
    });
    if (values.command !== undefined && values.socket !== undefined) throw new UsageError('use either --command or --socket, not both.');
    const timeoutMs = wholeNumberFlag('timeout', values.timeout, RANGES['appServer.probeTimeoutMs'].def, 1, RANGES['appServer.probeTimeoutMs'].max, 'milliseconds');
    const words = splitCommandLine(values.command ?? DEFAULT_COMMAND);
    if (values.command !== undefined && words.length === 0) throw new UsageError('--command needs a command line; it is empty.');
    nonEmptyFlag('socket', values.socket, 'the path of a Unix socket');
    const [command, ...commandArgs] = words;
    const codeHome = probeHome(codeHomeFlag(values['code-home'], io.cwd), io.env, io.cwd);
    const env = buildServerEnv({ base: io.env, codeHome });
    const abort = new AbortController();
    void io.interrupted?.then(() => abort.abort());
    const result = await probeOnce({ command, args: commandArgs, env, cwd: io.cwd, socket: values.socket, timeoutMs, codeHome, signal: abort.signal });
    if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else io.stdout.write(summary(result, values.socket ? `the server at ${values.socket}` : command, { verbose: values.verbose, painter: stdoutPainter(io) }));
    return result.healthy && !configNotApplied(result) ? 0 : 1;
  },
};
