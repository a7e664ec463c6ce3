import type { ParseArgsConfig } from 'node:util';
import type { TerminalInfo } from './term';

/** Streams and environment a CLI command runs with; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user interrupts (Ctrl-C); long-running commands stop then. */
  interrupted?: Promise<void>;
  /** What stdout is (a terminal and its width); absent: not a terminal, so no colour and no cutting. */
  terminal?: TerminalInfo;
}

export interface CliCommand {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** Full `--help` text; it names every option in `options`. */
  help: string;
  /** The options it accepts (node:util parseArgs form). */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the exit code: 0 ok, 1 the check found a problem, 2 usage or input error. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Thrown for bad usage; the dispatcher prints it with a hint and exits 2. */
export class UsageError extends Error {}
