import { resolveCodeHome } from './core/codeHome';
import { UsageError, type CliCommand, type CliIO } from './cli/types';
import { validateCommand } from './cli/validate';
import { lazyCommand } from './cli/lazy';
import { mcpCommand } from './cli/mcp';
import { otelTestCommand } from './cli/otelTest';
import { installProcessGuards } from './cli/processGuards';
import { maskingWriter, maskSecrets } from './core/mask';

declare const CODE_OPS_VERSION: string | undefined;

// validate is bundled in; the others load their own bundle on first use (src/cli/lazy.ts)
const probeCommand = lazyCommand('probe', 'Start (or connect to) the app server, handshake, probe once, stop', 'cliProbe.js', './probe', 'probeCommand');
const checkCommand = lazyCommand('check', "Run the readiness checklist's automatic checks", 'cliCheck.js', './check', 'checkCommand');
const tailCommand = lazyCommand('tail', 'Print (and follow) code-tui.log and critical.log', 'cliTail.js', './tail', 'tailCommand');

export const commands: readonly CliCommand[] = [validateCommand, probeCommand, checkCommand, tailCommand, otelTestCommand, mcpCommand];

function version(): string {
  return typeof CODE_OPS_VERSION === 'string' ? CODE_OPS_VERSION : 'dev';
}

export function topLevelHelp(env: NodeJS.ProcessEnv = process.env): string {
  const home = resolveCodeHome({ env });
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: code-ops <command> [options]',
    '',
    'Operator checks for Code and its code-app-server, without an editor.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `code-ops <command> --help` for its options.',
    '',
    `CODE_HOME: ${home.path} (from ${home.source === 'default' ? '~/.code' : home.source})`,
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  // every word any command prints, human or JSON, passes the one masking function
  io = { ...io, stdout: maskingWriter(io.stdout), stderr: maskingWriter(io.stderr) };
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(topLevelHelp(io.env));
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`code-ops: unknown command '${name}'.\n\n${topLevelHelp(io.env)}`);
    return 2;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`code-ops ${name}: ${err.message}\nRun \`code-ops ${name} --help\` for usage.\n`);
      return 2;
    }
    io.stderr.write(`code-ops ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

if (require.main === module) {
  const guards = installProcessGuards();
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), interrupted: guards.interrupted }).then(
    (code) => {
      process.exitCode = guards.exitCodeFor(code);
    },
    (err) => {
      process.stderr.write(maskSecrets(`code-ops: ${err instanceof Error ? err.stack : String(err)}\n`));
      process.exitCode = 2;
    },
  );
}
