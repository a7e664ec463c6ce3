import type { CliCommand } from './types';

export const probeCommand: CliCommand = {
  name: 'probe',
  summary: 'Start (or connect to) the app server, handshake, probe once, stop',
  help: `Usage: code-ops probe [--command "<cmd> [args…]"] [--socket PATH] [--timeout MS] [--json]

Spawns the app server (or connects to its Unix socket), sends initialize,
one liveness probe, and shuts it down cleanly.

Options:
  --command "CMD ARGS"  Server command line (default: code-app-server)
  --socket PATH         Connect to a Unix socket instead of spawning
  --timeout MS          Deadline for each reply (default 5000)
  --code-home DIR       Use DIR as CODE_HOME for the spawned server
  --json                Print the result as JSON
  -h, --help            Show this help

Exit status: 0 healthy, 1 not healthy, 2 usage error.`,
  async run(_args, io) {
    io.stderr.write('code-ops probe: not implemented yet.\n');
    return 2;
  },
};
