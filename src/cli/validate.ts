import type { CliCommand } from './types';

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Validate the [otel] section of config.toml',
  help: `Usage: code-ops validate [FILE] [--dialect beacon|codex] [--json]

Validates the [otel] section of a Code config.toml.
FILE defaults to $CODE_HOME/config.toml.

Options:
  --dialect beacon|codex  Which server's rules apply (default: beacon under CODE_HOME, codex under CODEX_HOME)
  --code-home DIR         Use DIR as CODE_HOME
  --json                  Print diagnostics as a JSON array (LSP 0-based ranges)
  -h, --help              Show this help

Exit status: 0 no errors, 1 errors found, 2 usage error or unreadable file.`,
  async run(_args, io) {
    io.stderr.write('code-ops validate: not implemented yet.\n');
    return 2;
  },
};
