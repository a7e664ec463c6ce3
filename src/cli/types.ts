/** Streams and environment a CLI command runs with; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Resolves when the user interrupts (Ctrl-C); long-running commands stop then. */
  interrupted?: Promise<void>;
}

export interface CliCommand {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Returns the exit code: 0 ok, 1 the check found a problem, 2 usage or input error. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Thrown for bad usage; the dispatcher prints it with a hint and exits 2. */
export class UsageError extends Error {}
