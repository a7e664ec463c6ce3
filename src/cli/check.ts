import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeHomePaths, resolveCodeHome } from '../core/codeHome';
import {
  builtinChecklist,
  checkInfo,
  CHECKS,
  DEFAULT_CHECK_SETTINGS,
  loadChecklistFile,
  parseStateText,
  renderReport,
  runChecks,
  sectionOfCheck,
  summarize,
  type CheckContext,
  type Checklist,
  type CheckResult,
  type CheckSettings,
} from '../core/readiness/index';
import { defaultCheckDeps } from '../core/readiness/deps';
import type { ReadinessTarget } from '../core/otel/api';
import { UsageError, type CliCommand, type CliIO } from './types';
import { parseFlags, codeHomeFlag, nonEmptyFlag } from './flags';
import { globProblem } from '../core/settings';
import { READINESS_TARGETS } from '../core/constants';

const TARGETS: readonly ReadinessTarget[] = READINESS_TARGETS;

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'Run the readiness checklist\'s automatic checks',
  help: `Usage: code-ops check [--code-home DIR] [--probe] [--json] [--report FILE]

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
  -h, --help               Show this help

Sign-offs recorded in ./.code-ops/readiness.json are included in the report.
Checks that need a supervised server (restart history) are skipped here.

Exit status: 0 no check failed, 1 a check failed, 2 usage error.`,
  async run(args, io) {
    const parsed = parseFlags({
      args,
      allowPositionals: false,
      options: {
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
      },
    });
    const v = parsed.values;
    codeHomeFlag(v['code-home'], io.cwd);
    nonEmptyFlag('report', v.report, 'a file name');
    nonEmptyFlag('command', v.command, 'an executable');
    nonEmptyFlag('socket', v.socket, 'the path of a Unix socket');
    nonEmptyFlag('checklist', v.checklist, 'a Markdown file');
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

    let checklist: Checklist;
    if (v.checklist) {
      try {
        checklist = (await loadChecklistFile(path.resolve(io.cwd, v.checklist))).checklist;
      } catch (err) {
        io.stderr.write(`code-ops check: cannot read the checklist ${v.checklist}: ${(err as Error).message}\n`);
        return 2;
      }
    } else checklist = builtinChecklist();

    const home = resolveCodeHome({ override: v['code-home'], env: io.env, cwd: io.cwd });
    const settings: CheckSettings = {
      ...DEFAULT_CHECK_SETTINGS,
      target,
      serverCommand: v.command ?? DEFAULT_CHECK_SETTINGS.serverCommand,
      serverArgs: v.arg ?? [],
      socket: v.socket,
      backupGlob: v['backup-glob'] ?? '',
      backupMaxAgeDays: maxAge,
    };
    const ctx: CheckContext = {
      codeHome: home.path,
      paths: codeHomePaths(home.path),
      settings,
      env: io.env,
      cwd: io.cwd,
      homedir: io.env.HOME || os.homedir(),
      probe: v.probe,
      now: () => Date.now(),
      platform: process.platform,
      deps: defaultCheckDeps(),
    };
    const results = await runChecks(ctx);
    const where = sectionOfCheck(checklist);

    if (v.json) {
      const rows = results.map((r) => ({ id: r.id, section: where.get(r.id)?.section ?? '', title: checkInfo(r.id).title, status: r.status, detail: r.detail }));
      io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      io.stdout.write(humanTable(results, home.path, home.source));
    }

    if (v.report) {
      const file = path.resolve(io.cwd, v.report);
      const report = await buildReport(checklist, results, ctx, io);
      try {
        await fs.writeFile(file, report, 'utf8');
      } catch (err) {
        io.stderr.write(`code-ops check: cannot write the report to ${file}: ${(err as Error).message}\n`);
        return 2;
      }
      if (!v.json) io.stdout.write(`Report written to ${file}\n`);
    }
    return results.some((r) => r.status === 'fail') ? 1 : 0;
  },
};

function humanTable(results: readonly CheckResult[], codeHome: string, source: string): string {
  const idWidth = Math.max(...CHECKS.map((c) => c.id.length));
  const lines = [`CODE_HOME ${codeHome} (from ${source === 'default' ? '~/.code' : source})`, '', `${'STATUS'.padEnd(6)}  ${'CHECK'.padEnd(idWidth)}  DETAIL`];
  for (const r of results) lines.push(`${r.status.padEnd(6)}  ${r.id.padEnd(idWidth)}  ${r.detail}`);
  const c = summarize(results);
  lines.push('', `${results.length} checks: ${c.pass} pass, ${c.fail} fail, ${c.warn} warn, ${c.skip} skip`, '');
  return lines.join('\n');
}

async function buildReport(checklist: Checklist, results: readonly CheckResult[], ctx: CheckContext, io: CliIO): Promise<string> {
  const stateFile = path.join(io.cwd, '.code-ops', 'readiness.json');
  let text: string | undefined;
  try {
    text = await fs.readFile(stateFile, 'utf8');
  } catch {
    // no sign-offs recorded here
  }
  const parsed = text !== undefined ? parseStateText(text).state : undefined;
  if (parsed?.corrupt) io.stderr.write(`code-ops check: ${stateFile} could not be read (${parsed.corrupt}); the report shows no sign-offs.\n`);
  const version = results.find((r) => r.id === 'app-server-binary')?.version;
  return renderReport({
    checklist,
    results: new Map(results.map((r) => [r.id, r])),
    signOff: (id) => parsed?.entries.get(id),
    isChecked: (item) => parsed?.entries.get(item.id)?.checked ?? item.checkedInSource,
    now: new Date(ctx.now()),
    codeHome: ctx.codeHome,
    serverVersion: version,
    target: ctx.settings.target,
    stateFile: text !== undefined ? path.relative(io.cwd, stateFile) : undefined,
    stateProblems: parsed?.problems,
    corruptState: parsed?.corrupt,
  });
}
