import { codeHomePaths, resolveCodeHome } from '../core/codeHome';
import { chunkLines, CodeLogFollowers, describeLine, type SourcedNotice } from '../core/logs';
import type { LogSource } from '../core/logs/api';
import { maskSecrets } from '../core/mask';
import type { CliCommand } from './types';
import { parseFlags, codeHomeFlag, wholeNumberFlag } from './flags';
import { RANGES } from '../core/constants';

const PREFIX: Record<LogSource, string> = { 'code-tui': 'code-tui │ ', critical: 'critical │ ' };


export const tailCommand: CliCommand = {
  name: 'tail',
  summary: 'Print (and follow) code-tui.log and critical.log',
  help: `Usage: code-ops tail [--code-home DIR] [--lines N] [--follow] [--json]

Prints the last N lines of $CODE_HOME/log/code-tui.log and of the newest
$CODE_HOME/logs/critical.log.YYYY-MM-DD, then with --follow every new line.
Following survives truncation by housekeeping, rotation, deletion and the
daily roll-over of critical.log; no line is printed twice.

Human output prefixes each line with its log ("code-tui │", "critical │")
and marks "Panic occurred" lines with "‼ PANIC". Secrets are masked.
Notes about the files (waiting, truncated, rolled over) go to stderr.

Options:
  --code-home DIR  Use DIR as CODE_HOME
  --lines N        Lines of history per log (default 200)
  --follow         Keep following until interrupted
  --json           One JSON object per line:
                   {"source": "code-tui"|"critical", "file", "line", "level", "panic"}
  --poll-ms N      Polling interval backing up file-system events (default 1000)
  -h, --help       Show this help

Exit status: 0, or 1 when a log exists but cannot be read.`,
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: {
        'code-home': { type: 'string' },
        lines: { type: 'string' },
        follow: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'poll-ms': { type: 'string' },
      },
      allowPositionals: false,
    });
    // The same bounds as codeOps.logs.initialLines; polling faster than 10 ms only burns CPU.
    const lines = wholeNumberFlag('lines', values.lines, RANGES['logs.initialLines'].def, RANGES['logs.initialLines'].min, RANGES['logs.initialLines'].max, 'lines');
    const pollMs = wholeNumberFlag('poll-ms', values['poll-ms'], 1000, 10, 60_000, 'milliseconds');
    const home = resolveCodeHome({ override: codeHomeFlag(values['code-home'], io.cwd), env: io.env, cwd: io.cwd });
    const paths = codeHomePaths(home.path);
    const json = values.json === true;

    const logs = new CodeLogFollowers({
      paths,
      initialLines: lines,
      pollIntervalMs: pollMs,
      keepAlive: values.follow === true,
      // printing needs no alerts: no rule scanning
      rules: [],
    });
    let unreadable = false;
    logs.onChunk((chunk) => {
      let out = '';
      for (const raw of chunkLines(chunk)) {
        const line = maskSecrets(raw);
        const info = describeLine(chunk.source, chunk.file, line);
        if (json) out += JSON.stringify(info) + '\n';
        else out += PREFIX[chunk.source] + (info.panic ? '‼ PANIC ' : '') + line + '\n';
      }
      io.stdout.write(out);
    });
    const onNotice = (notice: SourcedNotice) => {
      if (notice.kind === 'permission-denied' || notice.kind === 'error') unreadable = true;
      if (notice.kind === 'recovered') unreadable = false;
      io.stderr.write(`${PREFIX[notice.source]}-- ${notice.message}\n`);
    };
    logs.onNotice(onNotice);
    try {
      // history of both logs first, code-tui.log then critical.log
      await logs.tui.poll();
      await logs.critical.poll();
      if (values.follow) {
        logs.start();
        await (io.interrupted ?? new Promise<void>(() => undefined));
      }
    } finally {
      logs.dispose();
    }
    return unreadable ? 1 : 0;
  },
};
