import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The bundled CLI, as `npm install -g` ships it (the unit suite's root hook builds dist/ when stale). */
export const CLI = path.resolve(__dirname, '../../../dist/cli.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export const ESC = '\u001b[';

/** A clean environment: nothing from the developer's shell (NO_COLOR, FORCE_COLOR, CODE_HOME) leaks in. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME ?? os.homedir(), TERM: 'xterm' };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** `node dist/cli.js …` with stdout a pipe (not a terminal). */
export function runPiped(args: string[], env: NodeJS.ProcessEnv, cwd = os.tmpdir()): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, cwd, timeout: 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** util-linux `script`, which runs a command on a pseudo-terminal; undefined when it is not installed. */
export function scriptTool(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'script');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * `node dist/cli.js …` with stdout a pseudo-terminal `columns` wide (util-linux `script`).
 * The terminal merges stdout and stderr and writes CRLF; the result has LF.
 */
export function runOnTerminal(args: string[], env: NodeJS.ProcessEnv, columns: number, cwd = os.tmpdir()): CliRun {
  const script = scriptTool();
  if (!script) throw new Error('util-linux script is not installed');
  const command = `stty cols ${columns} rows 50; exec ${[process.execPath, CLI, ...args].map(shellQuote).join(' ')}`;
  const r = spawnSync(script, ['-qfec', command, '/dev/null'], { encoding: 'utf8', env, cwd, timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout.replace(/\r\n/g, '\n'), stderr: r.stderr };
}

/** A fresh, empty CODE_HOME (0700) in a temporary folder, removed by `cleanup`. */
export function tempHome(prefix: string): { dir: string; home: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home, { mode: 0o700 });
  return { dir, home, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
