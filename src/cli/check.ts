import { constants as fsc, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveCodeHome } from '../core/codeHome';
import {
  checkInfo,
  CHECKS,
  DEFAULT_CHECK_SETTINGS,
  ReadinessSession,
  sectionOfCheck,
  stateFileFor,
  summarize,
  type CheckResult,
} from '../core/readiness/index';
import { defaultCheckDeps } from '../core/readiness/deps';
import type { ReadinessTarget } from '../core/otel/api';
import { UsageError, type CliCommand } from './types';
import { parseFlags, codeHomeFlag, nonEmptyFlag } from './flags';
import { globProblem } from '../core/settings';
import { READINESS_TARGETS } from '../core/constants';
import { plural } from '../core/plural';
import type { CodeHomeSource } from '../core/codeHome';
import { cut, cutWidth, stdoutPainter, type Painter, type Style } from './term';
import { codeHomeOrigin, flagsForSettings } from './wording';

const TARGETS: readonly ReadinessTarget[] = READINESS_TARGETS;

const OPTIONS = {
  'code-home': { type: 'string' },
  probe: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  report: { type: 'string' },
  target: { type: 'string' },
  command: { type: 'string' },
  arg: { type: 'string', multiple: true },
  socket: { type: 'string' },
  'backup-glob': { type: 'string' },
  'backup-max-age-days': { type: 'string' },
  checklist: { type: 'string' },
  'managed-config': { type: 'string' },
  wide: { type: 'boolean', default: false },
} as const;

export const checkCommand: CliCommand = {
  name: 'check',
  options: OPTIONS,
  summary: 'Run the readiness checklist\'s automatic checks',
  help: `Usage: code-ops check [--code-home DIR] [--probe] [--json] [--report FILE] [--wide] [options]

Runs the automatic checks of the production readiness checklist.

Options:
  --code-home DIR          Use DIR as CODE_HOME
  --probe                  Also start the app server and check liveness
  --json                   Print results as JSON
  --report FILE            Write the Markdown readiness report to FILE
  --target ENV             production (default), staging or development
  --command CMD            App-server executable (default: code-app-server)
  --arg ARG                Argument for it; repeat for several (e.g. --arg app-server)
  --socket PATH            Probe a deployed server on this Unix socket instead
  --backup-glob GLOB       Backup archives of CODE_HOME to check (.tar, .tar.gz, .tgz)
  --backup-max-age-days N  How old the newest backup may be (default 7)
  --checklist FILE         Markdown checklist to report on instead of the built-in one
  --managed-config FILE    The managed layer (default: /etc/code/managed_config.toml on Unix)
  --wide                   On a terminal, do not cut rows to its width (output to a file
                           or a pipe is never cut)
  -h, --help               Show this help

Sign-offs recorded in ./.code-ops/readiness.json are included in the report.
Checks that need a supervised server (restart history) are skipped here.

Exit status: 0 no check failed, 1 a check failed, 2 usage error.`,
  async run(args, io) {
    const parsed = parseFlags({
      args,
      allowPositionals: false,
      options: OPTIONS,
    });
    const v = parsed.values;
    codeHomeFlag(v['code-home'], io.cwd);
    nonEmptyFlag('report', v.report, 'a file name');
    nonEmptyFlag('command', v.command, 'an executable');
    nonEmptyFlag('socket', v.socket, 'the path of a Unix socket');
    nonEmptyFlag('checklist', v.checklist, 'a Markdown file');
    nonEmptyFlag('managed-config', v['managed-config'], 'a TOML file');
    if (v['backup-glob'] !== undefined) {
      nonEmptyFlag('backup-glob', v['backup-glob'], 'a glob pattern');
      const bad = globProblem(v['backup-glob']);
      if (bad) throw new UsageError(`--backup-glob '${v['backup-glob']}' ${bad}.`);
    }
    const target = (v.target ?? 'production') as ReadinessTarget;
    if (!TARGETS.includes(target)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}.`);
    let maxAge = DEFAULT_CHECK_SETTINGS.backupMaxAgeDays;
    if (v['backup-max-age-days'] !== undefined) {
      maxAge = Number(v['backup-max-age-days']);
      if (!v['backup-max-age-days'].trim() || !Number.isFinite(maxAge) || maxAge < 0 || maxAge > 36_500) {
        throw new UsageError(`--backup-max-age-days must be a number of days from 0 to 36500, not '${v['backup-max-age-days']}'.`);
      }
    }

    const home = resolveCodeHome({ override: v['code-home'], env: io.env, cwd: io.cwd });
    const session = new ReadinessSession({
      codeHome: home.path,
      stateFile: stateFileFor({ workspaceFolder: io.cwd }),
      settings: {
        target,
        serverCommand: v.command ?? DEFAULT_CHECK_SETTINGS.serverCommand,
        serverArgs: v.arg ?? [],
        socket: v.socket,
        backupGlob: v['backup-glob'] ?? '',
        backupMaxAgeDays: maxAge,
        checklistFile: v.checklist ? path.resolve(io.cwd, v.checklist) : undefined,
        managedConfig: v['managed-config'] ? path.resolve(io.cwd, v['managed-config']) : undefined,
      },
      env: io.env,
      cwd: io.cwd,
      homedir: io.env.HOME || os.homedir(),
      probe: v.probe,
      deps: defaultCheckDeps,
    });
    await session.load();
    if (session.checklistProblem) {
      io.stderr.write(`code-ops check: cannot read the checklist ${v.checklist}: ${flagsForSettings(session.checklistProblem).replace(/^--checklist: /, '').replace(/; showing the built-in checklist\.$/, '')}\n`);
      return 2;
    }
    await session.runNow();
    const results = [...session.results.values()];
    const where = sectionOfCheck(session.checklist);

    if (v.json) {
      const rows = results.map((r) => ({ id: r.id, section: where.get(r.id)?.section ?? '', title: checkInfo(r.id).title, status: r.status, detail: flagsForSettings(r.detail) }));
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      io.stdout.write(humanTable(results, { codeHome: home.path, source: home.source, width: cutWidth(io.terminal, v.wide), painter: stdoutPainter(io) }));
    }

    if (v.report) {
      const file = path.resolve(io.cwd, v.report);
      const state = session.store.state;
      if (state.corrupt) io.stderr.write(`code-ops check: ${session.store.file} could not be read (${state.corrupt}); the report shows no sign-offs.\n`);
      const report = session.reportText({ stateFileShown: state.exists ? path.relative(io.cwd, session.store.file) : undefined });
      try {
        await writeReport(file, report);
      } catch (err) {
        io.stderr.write(`code-ops check: cannot write the report to ${file}: ${(err as Error).message}\n`);
        return 2;
      }
      if (!v.json) io.stdout.write(`Report written to ${file}\n`);
    }
    return results.some((r) => r.status === 'fail') ? 1 : 0;
  },
};

/**
 * Writes the report without ever blocking: a FIFO with no reader, a device or
 * a folder is refused (non-blocking open, then fstat), a regular file is replaced.
 */
async function writeReport(file: string, text: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, fsc.O_WRONLY | fsc.O_CREAT | (fsc.O_NONBLOCK ?? 0) | (fsc.O_NOCTTY ?? 0), 0o644);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENXIO') throw new Error('it is a FIFO (named pipe) with no reader; not written', { cause: err });
    if (code === 'EISDIR') throw new Error('it is a folder', { cause: err });
    throw err;
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error('it is not a regular file; not written');
    await handle.truncate(0);
    await handle.write(text, 0, 'utf8');
  } finally {
    await handle.close();
  }
}

const STATUS_STYLE: Record<CheckResult['status'], Style> = { pass: 'green', fail: 'red', warn: 'yellow', skip: 'dim' };

interface TableOptions {
  codeHome: string;
  source: CodeHomeSource;
  /** Cut each row to this many characters (a terminal without --wide); undefined: never cut. */
  width: number | undefined;
  painter: Painter;
}

/** STATUS, CHECK, DETAIL rows; details name flags, not settings; the count line says "1 check", "2 checks". */
export function humanTable(results: readonly CheckResult[], options: TableOptions): string {
  const { paint } = options.painter;
  const idWidth = Math.max(...CHECKS.map((c) => c.id.length));
  const lines = [`CODE_HOME ${options.codeHome} ${codeHomeOrigin(options.source)}`, '', `${'STATUS'.padEnd(6)}  ${'CHECK'.padEnd(idWidth)}  DETAIL`];
  for (const r of results) {
    // the colour goes around the padded word so the columns stay aligned
    const row = cut(`${r.status.padEnd(6)}  ${r.id.padEnd(idWidth)}  ${flagsForSettings(r.detail)}`, options.width);
    lines.push(paint(STATUS_STYLE[r.status], row.slice(0, r.status.length)) + row.slice(r.status.length));
  }
  const c = summarize(results);
  lines.push('', `${plural(results.length, 'check')}: ${c.pass} pass, ${c.fail} fail, ${c.warn} warn, ${c.skip} skip`, '');
  return lines.join('\n');
}
