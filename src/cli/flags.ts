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

function optionList(config: ParseArgsConfig): string {
  const names = Object.keys(config.options ?? {}).map((n) => `--${n}`);
  return names.length ? names.join(', ') : 'none';
}

/** The option a parseArgs message names ('--lines', '--timeout <value>' → '--timeout'). */
function namedOption(message: string): string {
  return /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? 'an option';
}

/** parseArgs' messages, in our words: what was wrong and what to write instead. */
export function describeParseError(err: unknown, config: ParseArgsConfig): string {
  const e = err as NodeJS.ErrnoException;
  const message = e instanceof Error ? e.message : String(err);
  const name = namedOption(message);
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name}. The options are: ${optionList(config)}, --help.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /argument '([^']*)'/.exec(message)?.[1] ?? '';
      return `unexpected argument '${arg}': this command takes options only (${optionList(config)}).`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/ambiguous/.test(message)) return `${name} needs a value, and the next word starts with '-'. If that is the value, write ${name}=VALUE.`;
      if (/argument missing/.test(message)) return `${name} needs a value; none was given.`;
      if (/does not take an argument/.test(message)) return `${name} is a switch and takes no value; write ${name} alone.`;
      return message;
    default:
      return message;
  }
}

/** node:util parseArgs, with its errors (unknown flag, missing value) turned into usage errors (exit 2) in our words. */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError(describeParseError(err, config));
  }
}
