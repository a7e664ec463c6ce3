import * as os from 'node:os';
import * as path from 'node:path';
import { DAY_MS, fix, short, statOrUndefined, type CheckContext, type Verdict } from '../checkTypes';

/** What a backup of CODE_HOME must hold (Beacon docs/production_checklist.md, "State & Backup"). */
const BACKUP_REQUIRED = ['auth.json', 'sessions/', 'log/', 'logs/'] as const;
/** Files the newer checklist adds; required when CODE_HOME has them (a backup cannot hold what does not exist). */
const BACKUP_IF_PRESENT = ['auth_accounts.json', 'history.jsonl'] as const;

/** An entry that would land outside the restore folder: absolute, or climbing out with `..`. */
export function unsafeEntryName(raw: string): boolean {
  const name = raw.replace(/\\/g, '/');
  return name.startsWith('/') || /^[A-Za-z]:\//.test(name) || name.split('/').includes('..');
}

/** Which required parts of CODE_HOME an archive's entry names hold (segment-aligned, any leading folder). */
export function backupCoverage(names: readonly string[], extra: readonly string[] = []): { present: string[]; missing: string[] } {
  const wanted = [...BACKUP_REQUIRED, ...extra];
  const present = new Set<string>();
  for (const raw of names) {
    if (unsafeEntryName(raw)) continue;
    const name = `/${raw.replace(/^(\.\/)+/, '').replace(/^\/+/, '')}`;
    for (const w of wanted) {
      if (w.endsWith('/') ? name.includes(`/${w}`) : name === `/${w}` || name.endsWith(`/${w}`)) present.add(w);
    }
  }
  return { present: wanted.filter((r) => present.has(r)), missing: wanted.filter((r) => !present.has(r)) };
}

async function newestArchive(ctx: CheckContext, glob: string): Promise<{ file: string; mtimeMs: number } | Verdict> {
  const setting = fix({ kind: 'openSetting', setting: 'codeOps.readiness.backupGlob' }, 'Set codeOps.readiness.backupGlob');
  const archives: Array<{ file: string; mtimeMs: number }> = [];
  for (const file of await ctx.deps.globFiles(glob, { cwd: ctx.cwd, homedir: ctx.homedir })) {
    const st = await statOrUndefined(file);
    if (st?.isFile()) archives.push({ file, mtimeMs: st.mtimeMs });
  }
  if (archives.length) return archives.sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
  // A plain folder is the usual slip: say so and how the glob should look.
  const literal = /[*?[{]/.test(glob) ? undefined : path.resolve(ctx.cwd, glob.replace(/^~(?=$|\/)/, ctx.homedir ?? os.homedir()));
  if (literal && (await statOrUndefined(literal))?.isDirectory()) {
    return { status: 'fail', detail: `${glob} is a folder, not a backup archive: set the glob to the archives in it, e.g. ${path.join(glob, '*.tgz')}.`, fix: setting };
  }
  return { status: 'fail', detail: `No backup archive (a file) matches ${glob}.`, fix: setting };
}

export async function backupRecent(ctx: CheckContext): Promise<Verdict> {
  const glob = ctx.settings.backupGlob.trim();
  if (!glob) return { status: 'skip', detail: 'Set codeOps.readiness.backupGlob to check backups of CODE_HOME.', fix: fix({ kind: 'openSetting', setting: 'codeOps.readiness.backupGlob' }, 'Set codeOps.readiness.backupGlob') };
  const newest = await newestArchive(ctx, glob);
  if ('status' in newest) return newest;
  const extra: string[] = [];
  for (const f of BACKUP_IF_PRESENT) if ((await statOrUndefined(path.join(ctx.codeHome, f)))?.isFile()) extra.push(f);
  const ageDays = (ctx.now() - newest.mtimeMs) / DAY_MS;
  const name = path.basename(newest.file);
  const age = ageDays < 1 ? `${Math.max(0, Math.round(ageDays * 24))} h` : `${ageDays.toFixed(1)} days`;
  let names: string[];
  let timedOut: boolean;
  try {
    // The whole archive is listed: an unsafe name anywhere fails the check.
    ({ names, timedOut } = await ctx.deps.listArchiveEntries(newest.file));
  } catch (err) {
    return { status: 'fail', detail: `${name}: ${short((err as Error).message)}` };
  }
  const unsafe = names.filter(unsafeEntryName);
  if (unsafe.length) {
    return { status: 'fail', detail: `${name} has ${unsafe.length} entr${unsafe.length === 1 ? 'y' : 'ies'} that would restore outside CODE_HOME (absolute or with ..), e.g. ${short(JSON.stringify(unsafe[0]))}.` };
  }
  const { missing } = backupCoverage(names, extra);
  if (timedOut && missing.length) return { status: 'fail', detail: `${name}: listing did not finish in time; the first ${names.length} entries lack ${missing.join(', ')}.` };
  if (ageDays > ctx.settings.backupMaxAgeDays) {
    return { status: 'fail', detail: `Newest backup ${name} is ${age} old (max ${ctx.settings.backupMaxAgeDays} days)${missing.length ? `; it lacks ${missing.join(', ')}` : ''}.` };
  }
  if (missing.length) return { status: 'fail', detail: `Newest backup ${name} (${age} old) lacks ${missing.join(', ')}.` };
  return { status: 'pass', detail: `Newest backup ${name} is ${age} old and holds ${[...BACKUP_REQUIRED, ...extra].join(', ')}.` };
}
