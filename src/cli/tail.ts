import type { CliCommand } from './types';

export const tailCommand: CliCommand = {
  name: 'tail',
  summary: 'Print (and follow) code-tui.log and critical.log',
  help: `Usage: code-ops tail [--code-home DIR] [--lines N] [--follow] [--json]

Prints the last N lines of $CODE_HOME/log/code-tui.log and of the newest
$CODE_HOME/logs/critical.log.YYYY-MM-DD, then with --follow every new line.

Options:
  --code-home DIR  Use DIR as CODE_HOME
  --lines N        Lines of history per log (default 200)
  --follow         Keep following until interrupted
  --json           One JSON object per line
  -h, --help       Show this help`,
  async run(_args, io) {
    io.stderr.write('code-ops tail: not implemented yet.\n');
    return 2;
  },
};
