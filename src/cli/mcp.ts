import * as path from 'node:path';
import { UsageError, type CliCommand } from './types';
import { parseFlags, codeHomeFlag, nonEmptyFlag, wholeNumberFlag } from './flags';
import { resolveCodeHome } from '../core/codeHome';
import { codeHomeOrigin } from './wording';
import type { OperatorConfig } from '../mcp/facade';

type McpModule = typeof import('../mcp/main');

declare const CODE_OPS_VERSION: string | undefined;

const TARGETS = ['production', 'staging', 'development'] as const;
const DIALECTS = ['auto', 'beacon', 'codex'] as const;

const OPTIONS = {
  'code-home': { type: 'string' },
  command: { type: 'string' },
  arg: { type: 'string', multiple: true },
  socket: { type: 'string' },
  timeout: { type: 'string' },
  target: { type: 'string' },
  dialect: { type: 'string' },
} as const;

export const mcpCommand: CliCommand = {
  name: 'mcp',
  options: OPTIONS,
  summary: 'Serve the operator tools to AI agents over MCP (stdio)',
  help: `Usage: code-ops mcp [--code-home DIR] [--command CMD] [--arg ARG]… [--socket PATH]

Runs a Model Context Protocol server on stdin/stdout with five read-only
tools: server_status, readiness, validate_config, recent_logs, recent_panics.
Point an MCP client (Code's config.toml [mcp_servers], VS Code's mcp.json…)
at \`code-ops mcp\`. Nothing a client sends chooses what runs: the server that
server_status and readiness probe is the one given here.

Options:
  --code-home DIR   Use DIR as CODE_HOME
  --command CMD     App-server executable to probe (default: code-app-server)
  --arg ARG         Argument for it; repeat for several (e.g. --arg app-server)
  --socket PATH     Probe a deployed server on this Unix socket instead
  --timeout MS      Deadline for each reply of a probe (default 5000)
  --target ENV      Readiness target: production (default), staging, development
  --dialect D       config.toml rules: auto (default), beacon or codex
  -h, --help        Show this help

Secrets are masked in every answer. Diagnostics go to stderr; stdout carries
only the protocol. Exits when the client closes stdin.`,
  async run(args, io) {
    const { values } = parseFlags({
      args,
      allowPositionals: false,
      options: OPTIONS,
    });
    nonEmptyFlag('command', values.command, 'an executable');
    nonEmptyFlag('socket', values.socket, 'the path of a Unix socket');
    if (values.command !== undefined && values.socket !== undefined) throw new UsageError('use either --command or --socket, not both.');
    const target = values.target ?? 'production';
    if (!(TARGETS as readonly string[]).includes(target)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}, not '${target}'.`);
    const dialect = values.dialect ?? 'auto';
    if (!(DIALECTS as readonly string[]).includes(dialect)) throw new UsageError(`--dialect must be one of ${DIALECTS.join(', ')}, not '${dialect}'.`);
    const timeoutMs = wholeNumberFlag('timeout', values.timeout, 5000, 1, 600_000, 'milliseconds');
    const home = resolveCodeHome({ override: codeHomeFlag(values['code-home'], io.cwd), env: io.env, cwd: io.cwd });
    const serving = new AbortController();
    const config: OperatorConfig = {
      codeHome: home.path,
      command: values.command ?? 'code-app-server',
      args: values.arg ?? [],
      socket: values.socket,
      timeoutMs,
      target: target as OperatorConfig['target'],
      dialect: dialect as OperatorConfig['dialect'],
      env: io.env,
      cwd: io.cwd,
      signal: serving.signal,
    };
    // A runtime path: the MCP SDK lives in dist/mcp.js, so the other commands start without it.
    const load = require;
    const mod = load(path.join(__dirname, 'mcp.js')) as McpModule;
    io.stderr.write(`code-ops mcp: serving on stdio (CODE_HOME ${home.path} ${codeHomeOrigin(home.source)}, server ${config.socket ? `socket ${config.socket}` : config.command})\n`);
    const stdoutGone = new Promise<void>((resolve) => io.stdout.once('error', () => resolve()));
    const stop = Promise.race([io.interrupted ?? new Promise<void>(() => undefined), stdoutGone]);
    try {
      await mod.serveStdio({ backend: mod.cliBackend(config), version: typeof CODE_OPS_VERSION === 'string' ? CODE_OPS_VERSION : 'dev', stop, output: io.stdout });
    } finally {
      // the client is gone: a probe still running has no one to answer, its server is stopped now
      serving.abort();
    }
    return 0;
  },
};
