import { resolveCodeHome } from './core/codeHome';
import { UsageError, type CliCommand, type CliIO } from './cli/types';
import { validateCommand } from './cli/validate';
import { lazyCommand } from './cli/lazy';
import { mcpCommand } from './cli/mcp';
import { otelTestCommand } from './cli/otelTest';
import { installProcessGuards } from './cli/processGuards';
import { maskingWriter, maskSecrets } from './core/mask';
import { codeHomeOrigin } from './cli/wording';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { controlSafeWriter } from './core/terminalText';

declare const CODE_OPS_VERSION: string | undefined;

// validate is bundled in; the others load their own bundle on first use (src/cli/lazy.ts)
const probeCommand = lazyCommand('probe', 'Start (or connect to) the app server, handshake, probe once, stop', 'cliProbe.js', './probe', 'probeCommand');
const checkCommand = lazyCommand('check', "Run the readiness checklist's automatic checks", 'cliCheck.js', './check', 'checkCommand');
const tailCommand = lazyCommand('tail', 'Print (and follow) code-tui.log and critical.log', 'cliTail.js', './tail', 'tailCommand');

export const commands: readonly CliCommand[] = [validateCommand, probeCommand, checkCommand, tailCommand, otelTestCommand, mcpCommand];

/** The version the bundle was built with; run from the sources, the one in package.json. */
export function version(): string {
  if (typeof CODE_OPS_VERSION === 'string') return CODE_OPS_VERSION;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
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
    'Options:',
    '  -h, --help     Show this help',
    '  -V, --version  Print the version of code-ops',
    '',
    'Run `code-ops <command> --help` for its options.',
    '',
    `CODE_HOME: ${home.path} ${codeHomeOrigin(home.source)}`,
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  // every word any command prints, human or JSON, passes the one masking function, then loses its terminal controls
  io = { ...io, stdout: maskingWriter(controlSafeWriter(io.stdout)), stderr: maskingWriter(controlSafeWriter(io.stderr)) };
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
    const what = name.startsWith('-') ? `unknown option ${name.replace(/=.*$/, '')}` : `unknown command '${name}'`;
    io.stderr.write(`code-ops: ${what}. The commands are: ${commands.map((c) => c.name).join(', ')}; options: --help, --version.\nRun \`code-ops --help\` for usage.\n`);
    return 2;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout.write(`${command.help}\n`);
    return 0;
  }
  if (rest.includes('-V') || rest.includes('--version')) {
    io.stdout.write(`${version()}\n`);
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
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), interrupted: guards.interrupted, terminal: { isTTY: process.stdout.isTTY === true, columns: process.stdout.columns } }).then(
    (code) => {
      process.exitCode = guards.exitCodeFor(code);
    },
    (err) => {
      process.stderr.write(maskSecrets(`code-ops: ${err instanceof Error ? err.stack : String(err)}\n`));
      process.exitCode = 2;
    },
  );
}
