import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './types';

/**
 * Checks shared by the commands' flags, so `--code-home ""` or `--lines -5`
 * is a usage error (exit 2) with a sentence, never a silent fallback.
 */

/** `--code-home`: unset is fine; empty or a file is a usage error. A missing folder is left to the command. */
export function codeHomeFlag(value: string | undefined, cwd: string): string | undefined {
  if (value === undefined) return undefined;
  if (!value.trim()) throw new UsageError('--code-home needs a folder; it is empty. Leave it out to use CODE_HOME, then CODEX_HOME, then ~/.code.');
  const resolved = path.resolve(cwd, value.trim());
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(resolved);
  } catch {
    st = undefined;
  }
  if (st && !st.isDirectory()) throw new UsageError(`--code-home ${value} is a file, not a folder.`);
  return value;
}

/** A whole number flag within [min, max]; `fallback` when absent. */
export function wholeNumberFlag(name: string, value: string | undefined, fallback: number, min: number, max: number, unit = ''): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new UsageError(`--${name} takes a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}, not '${value}'.`);
  }
  return n;
}

/** A string flag that must not be empty when given. */
export function nonEmptyFlag(name: string, value: string | undefined, what: string): string | undefined {
  if (value !== undefined && !value.trim()) throw new UsageError(`--${name} needs ${what}; it is empty.`);
  return value;
}

/** node:util parseArgs, with its errors (unknown flag, missing value) turned into usage errors (exit 2). */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}
