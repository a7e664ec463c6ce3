import { codeHomePaths, resolveCodeHome } from '../core/codeHome';
import { chunkLines, CodeLogFollowers, describeLogLayout, describeLine, type SourcedNotice } from '../core/logs';
import type { LogSource } from '../core/logs/api';
import { maskSecrets } from '../core/mask';
import type { CliCommand } from './types';
import { parseFlags, codeHomeFlag, wholeNumberFlag } from './flags';
import { RANGES } from '../core/constants';
import { stdoutPainter } from './term';

const PREFIX: Record<LogSource, string> = { 'code-tui': 'code-tui │ ', critical: 'critical │ ' };
/** Longest line printed; a longer one is cut with a marker (not split into several). */
const MAX_PRINTED_LINE = 64 * 1024;


const OPTIONS = {
  'code-home': { type: 'string' },
  lines: { type: 'string' },
  follow: { type: 'boolean', short: 'f', default: false },
  json: { type: 'boolean', default: false },
  'poll-ms': { type: 'string' },
} as const;

export const tailCommand: CliCommand = {
  name: 'tail',
  options: OPTIONS,
  summary: 'Print (and follow) code-tui.log and critical.log',
  help: `Usage: code-ops tail [--code-home DIR] [--lines N] [--follow] [--json]

Prints the last N lines of Code's TUI log and of the newest
critical.log.YYYY-MM-DD, then with --follow every new line. Both layouts are
found: Beacon's log/code-tui.log + logs/, and Code's debug_logs/ (codex-tui.log)
since 2026; the layout found is named on stderr, and following moves with the
files when Code migrates them. Following survives truncation by housekeeping,
rotation, deletion and the daily roll-over of critical.log; no line is
printed twice. A last line without a newline is printed too; a line longer
than 64 KiB is cut with a marker, so N lines are never more than N.

Human output prefixes each line with its log ("code-tui │", "critical │")
and marks the line that starts a panic (Code's TUI hook "panic captured",
"Panic occurred", or "thread '…' panicked at") with "‼ PANIC". Secrets are
masked. Notes about the files (layout, waiting, truncated, rolled over) go to
stderr. Colour (the PANIC mark) only on a terminal, and never with NO_COLOR.
Lines are never cut to the terminal's width.

Options:
  --code-home DIR  Use DIR as CODE_HOME
  --lines N        Lines of history per log (default 200)
  -f, --follow     Keep following until interrupted
  --json           One JSON object per line:
                   {"source": "code-tui"|"critical", "file", "line", "level",
                    "panic", "layout": "beacon"|"debug-logs"}
  --poll-ms N      Polling interval backing up file-system events (default 1000)
  -h, --help       Show this help

Exit status: 0, or 1 when a log exists but cannot be read.`,
  async run(args, io) {
    const { values } = parseFlags({
      args,
      options: OPTIONS,
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
      // one line stays one line: `--lines N` prints at most N
      maxLineBytes: MAX_PRINTED_LINE,
      overlongLine: 'cut',
      // a one-shot print shows a last line without newline: it is one of the N
      partialLineCounts: values.follow !== true,
    });
    io.stderr.write(`-- ${describeLogLayout(paths, logs.layout)}\n`);
    let unreadable = false;
    const { paint } = stdoutPainter(io);
    const panicMark = paint('red', '‼ PANIC') + ' ';
    const prefix = { 'code-tui': paint('dim', PREFIX['code-tui']), critical: paint('dim', PREFIX.critical) };
    logs.onChunk((chunk) => {
      let out = '';
      for (const raw of chunkLines(chunk)) {
        const line = maskSecrets(raw);
        const info = describeLine(chunk.source, chunk.file, line);
        if (json) out += JSON.stringify({ ...info, layout: logs.layout.kind }) + '\n';
        else out += prefix[chunk.source] + (info.panic ? panicMark : '') + line + '\n';
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
      // history of both logs first, the TUI log then critical.log
      if (!values.follow) {
        // a one-shot print: a last line without its newline yet is printed too
        await logs.tui.finish();
        await logs.critical.finish();
      } else {
        await logs.tui.poll();
        await logs.critical.poll();
        logs.start();
        await (io.interrupted ?? new Promise<void>(() => undefined));
      }
    } finally {
      logs.dispose();
    }
    return unreadable ? 1 : 0;
  },
};
