import type { CliCommand } from './types';

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Run the readiness checklist\'s automatic checks',
  help: `Usage: code-ops check [--code-home DIR] [--probe] [--json] [--report FILE]

Runs the automatic checks of the production readiness checklist.

Options:
  --code-home DIR  Use DIR as CODE_HOME
  --probe          Also start the app server and check liveness
  --json           Print results as JSON
  --report FILE    Write the Markdown readiness report to FILE
  -h, --help       Show this help

Exit status: 0 no check failed, 1 a check failed, 2 usage error.`,
  async run(_args, io) {
    io.stderr.write('code-ops check: not implemented yet.\n');
    return 2;
  },
};
