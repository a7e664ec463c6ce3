import * as path from 'node:path';
import { resolveCodeHome, codeHomePaths } from '../core/codeHome';
import { maskSecrets } from '../core/mask';
import type { Dialect, ReadinessTarget } from '../core/otel';
import { loadConfigFile, type LoadedConfig } from '../core/otel/load';
import { FileReadError } from '../core/fsSafe';
import { UsageError, type CliCommand } from './types';
import { parseFlags, codeHomeFlag } from './flags';
import { READINESS_TARGETS } from '../core/constants';
import { plural } from '../core/plural';
import { stdoutPainter, type Style } from './term';
import { flagsForSettings } from './wording';

const DIALECTS: readonly Dialect[] = ['beacon', 'codex'];
const TARGETS: readonly ReadinessTarget[] = READINESS_TARGETS;

/** "no problems", "1 error", "2 errors, 1 warning", "3 hints"…: only the severities that occur. */
export function problemCount(diagnostics: readonly { severity: string }[]): string {
  if (diagnostics.length === 0) return 'no problems';
  const count = (severity: string) => diagnostics.filter((d) => d.severity === severity).length;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  const info = count('information');
  const hints = count('hint');
  if (info) parts.push(plural(info, 'note'));
  if (hints) parts.push(plural(hints, 'hint'));
  return parts.join(', ');
}

function readError(file: string, err: unknown): string {
  const code = err instanceof FileReadError ? err.code : undefined;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a folder, not a file'
        : code === 'EACCES'
          ? 'permission denied'
          : err instanceof Error
            ? err.message.replace(/\.$/, '')
            : String(err);
  return `cannot read ${file}: ${why}.`;
}

const OPTIONS = {
  dialect: { type: 'string' },
  target: { type: 'string' },
  'code-home': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

const SEVERITY_STYLE: Record<string, Style> = { error: 'red', warning: 'yellow', information: 'cyan', hint: 'dim' };

export const validateCommand: CliCommand = {
  name: 'validate',
  options: OPTIONS,
  summary: 'Validate the [otel] section of config.toml',
  help: `Usage: code-ops validate [FILE] [--dialect beacon|codex] [--json]

Validates the [otel] section of a Code config.toml.
FILE defaults to $CODE_HOME/config.toml.

Options:
  --dialect beacon|codex  Which server's rules apply (default: beacon under CODE_HOME, codex under CODEX_HOME)
  --target ENV            Readiness target: production (default), staging or development;
                          with production, [otel] environment must be "production"
  --code-home DIR         Use DIR as CODE_HOME
  --json                  Print diagnostics as a JSON array (LSP 0-based ranges)
  -h, --help              Show this help

Output: FILE:LINE:COL: severity: message [code] (1-based positions).
Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.`,
  async run(args, io) {
    const parsed = parseFlags({
      args,
      allowPositionals: true,
      options: OPTIONS,
    });
    const { values, positionals } = parsed;
    if (positionals.length > 1) throw new UsageError(`expected at most one FILE, got ${positionals.length}.`);
    if (values.dialect !== undefined && !DIALECTS.includes(values.dialect as Dialect)) {
      throw new UsageError(`--dialect must be beacon or codex, not '${values.dialect}'.`);
    }
    if (values.target !== undefined && !TARGETS.includes(values.target as ReadinessTarget)) {
      throw new UsageError(`--target must be production, staging or development, not '${values.target}'.`);
    }
    if (positionals[0] !== undefined && !positionals[0].trim()) throw new UsageError('FILE is empty; leave it out to validate $CODE_HOME/config.toml.');
    const home = resolveCodeHome({ override: codeHomeFlag(values['code-home'], io.cwd), env: io.env, cwd: io.cwd });
    const file = positionals[0] !== undefined ? path.resolve(io.cwd, positionals[0]) : codeHomePaths(home.path).configToml;
    const shown = positionals[0] ?? file;
    let loaded: LoadedConfig;
    try {
      loaded = await loadConfigFile(file, { dialect: (values.dialect as Dialect | undefined) ?? 'auto', env: io.env, target: (values.target as ReadinessTarget | undefined) ?? 'production' });
    } catch (err) {
      io.stderr.write(`code-ops validate: ${readError(shown, err)}\n`);
      return 2;
    }
    const { dialect, result } = loaded;
    const diagnostics = result.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: flagsForSettings(maskSecrets(d.message)), range: d.range }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify(diagnostics, null, 2)}\n`);
    } else {
      const { paint } = stdoutPainter(io);
      for (const d of diagnostics) {
        const severity = paint(SEVERITY_STYLE[d.severity] ?? 'dim', d.severity);
        io.stdout.write(`${shown}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity}: ${d.message} [${d.code}]\n`);
      }
      io.stderr.write(`${shown}: ${problemCount(diagnostics)} (${dialect} dialect).\n`);
    }
    return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
  },
};
