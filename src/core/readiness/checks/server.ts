import * as path from 'node:path';
import { fix, serverEnvironment, short, type CheckContext, type RunShared, type Verdict } from '../checkTypes';
import { listServerProcesses, processEnvironment, sameFolder, serverKind, type ServerProcess } from '../procs';
import type { CheckStatus } from '../model';
import { isPanicStart } from '../../logs/panicFormat';
import { concernsConfigFile, describeWarning, serverConcerns, type ConfigWarning } from '../../appServer/handshakeInfo';
import { plural } from '../../plural';

/**
 * The checks of the app server itself. The environment checks judge the
 * server that really runs (its /proc environment), never the environment Code
 * Ops would give one it starts: with nothing to inspect they skip.
 */

const envFix = fix({ kind: 'openSetting', setting: 'codeOps.appServer.env' }, 'Open codeOps.appServer.env');
const outputFix = fix({ kind: 'showServerOutput' }, 'Show App Server Output');

function socketMode(ctx: CheckContext): boolean {
  return !!ctx.settings.socket?.trim() || ctx.server?.snapshot.mode === 'socket';
}

/** The supervised child (when it runs) and every other app server of this user on this CODE_HOME. */
export async function runningServers(ctx: CheckContext, list: () => Promise<ServerProcess[]> = () => listServerProcesses()): Promise<ServerProcess[]> {
  const out: ServerProcess[] = [];
  const snap = ctx.server?.snapshot;
  if (snap?.pid && snap.mode === 'spawn' && !['stopped', 'crashed', 'crash-loop', 'not-found', 'config-error'].includes(snap.state)) {
    const env = await processEnvironment(snap.pid);
    const kind = serverKind(path.basename(ctx.settings.serverCommand), [ctx.settings.serverCommand, ...ctx.settings.serverArgs]) ?? 'code-app-server';
    if (env) out.push({ pid: snap.pid, kind, home: ctx.codeHome, env });
  }
  for (const p of await list()) {
    if (out.some((o) => o.pid === p.pid)) continue;
    if (await sameFolder(p.home, ctx.codeHome)) out.push(p);
  }
  return out;
}

const RANK: Record<CheckStatus, number> = { fail: 3, warn: 2, pass: 1, skip: 0 };

/** Judges each running server; the worst verdict wins and every detail names its pid. */
async function judgeRunning(ctx: CheckContext, shared: RunShared, wouldSet: string, judge: (env: Record<string, string | undefined>) => Verdict): Promise<Verdict> {
  if (socketMode(ctx)) return { status: 'skip', detail: 'Attached over a socket: the deployed server\'s environment is not visible here; check its unit file or manifest.' };
  const servers = await shared.servers();
  if (!servers.length) {
    const where = ctx.platform === 'linux' ? `on ${ctx.codeHome}` : `(process environments are read on Linux only)`;
    return { status: 'skip', detail: `No running app server ${where} to inspect; a server Code Ops starts would get ${wouldSet.replace(/\.$/, '')}.` };
  }
  const verdicts = servers.map((s) => ({ s, v: judge(s.env) }));
  const worst = verdicts.reduce((a, b) => (RANK[b.v.status] > RANK[a.v.status] ? b : a));
  const detail = verdicts.map(({ s, v }) => `pid ${s.pid} (${s.kind}): ${v.detail}`).join(' ');
  return { status: worst.v.status, detail, fix: worst.v.fix };
}

function secureModeOf(env: Record<string, string | undefined>): Verdict {
  if (env.CODE_SECURE_MODE === '1') {
    return env.CODEX_SECURE_MODE !== undefined
      ? { status: 'warn', detail: 'CODE_SECURE_MODE=1, but the legacy CODEX_SECURE_MODE is also set; drop it.', fix: envFix }
      : { status: 'pass', detail: 'CODE_SECURE_MODE=1.' };
  }
  if (env.CODEX_SECURE_MODE === '1') return { status: 'warn', detail: 'Only the legacy CODEX_SECURE_MODE=1 is set; use CODE_SECURE_MODE=1.', fix: envFix };
  return {
    status: 'fail',
    detail: env.CODE_SECURE_MODE === undefined ? 'CODE_SECURE_MODE is not set.' : `CODE_SECURE_MODE=${short(env.CODE_SECURE_MODE)}; the checklist asks for 1.`,
    fix: envFix,
  };
}

export function secureMode(ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  const would = serverEnvironment(ctx).CODE_SECURE_MODE;
  return judgeRunning(ctx, shared, would === undefined ? 'no CODE_SECURE_MODE' : `CODE_SECURE_MODE=${short(would)}`, secureModeOf);
}

export function rustLog(ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  const would = serverEnvironment(ctx).RUST_LOG;
  return judgeRunning(ctx, shared, would?.trim() ? `RUST_LOG=${short(would)}` : 'no RUST_LOG', (env) =>
    env.RUST_LOG?.trim() ? { status: 'pass', detail: `RUST_LOG=${short(env.RUST_LOG)}.` } : { status: 'fail', detail: 'RUST_LOG is not set, so it logs nothing useful.', fix: envFix },
  );
}

export async function oneServerPerHome(ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  if (socketMode(ctx)) return { status: 'skip', detail: 'Attached over a socket: the servers on the deployed host are not visible here.' };
  const servers = await shared.servers();
  if (!servers.length) return { status: 'skip', detail: `No running app server on ${ctx.codeHome}${ctx.platform === 'linux' ? '' : ' (processes are read on Linux only)'}.` };
  const pids = servers.map((s) => `pid ${s.pid} (${s.kind})`).join(', ');
  if (servers.length > 1) {
    return { status: 'fail', detail: `${servers.length} app servers share ${ctx.codeHome}: ${pids}. The checklist asks for one per CODE_HOME (Beacon only logs "code home already in use").`, fix: outputFix };
  }
  return { status: 'pass', detail: `One app server on this CODE_HOME: ${pids}.` };
}

/** Beacon's housekeeping (code-rs/core/src/housekeeping.rs): days, or undefined when pruning is off. */
function retentionDays(env: Record<string, string | undefined>, name: string, def: number): number | undefined {
  const raw = env[name];
  if (raw === undefined) return def;
  if (/^(off|disable|disabled)$/i.test(raw.trim())) return undefined;
  const n = Number(raw.trim());
  if (!/^-?\d+$/.test(raw.trim())) return def;
  return n >= 0 ? n : undefined;
}

export function housekeepingRetention(ctx: CheckContext, shared: RunShared): Promise<Verdict> {
  const window = ctx.settings.backupMaxAgeDays;
  const judge = (env: Record<string, string | undefined>): Verdict => {
    if (/^(1|true|on|yes)$/i.test(env.CODE_CLEANUP_DISABLE?.trim() ?? '')) {
      return { status: 'warn', detail: 'CODE_CLEANUP_DISABLE is set: housekeeping never prunes sessions, worktrees or logs; the checklist asks for it enabled with a retention that fits.', fix: envFix };
    }
    const sessions = retentionDays(env, 'CODE_CLEANUP_SESSION_RETENTION_DAYS', 7);
    const logs = retentionDays(env, 'CODE_CLEANUP_LOG_RETENTION_DAYS', 14);
    const shown = (d: number | undefined) => (d === undefined ? 'kept' : `${d} d`);
    const short_ = [['sessions', sessions], ['logs', logs]].filter(([, d]) => d !== undefined && (d as number) < window);
    if (short_.length) {
      return {
        status: 'warn',
        detail: `Housekeeping deletes ${short_.map(([n, d]) => `${n} after ${d} d`).join(' and ')}, but a backup may be ${window} days old: state between those ages is in no backup. Raise CODE_CLEANUP_*_RETENTION_DAYS or back up more often.`,
        fix: envFix,
      };
    }
    return { status: 'pass', detail: `Sessions ${shown(sessions)}, logs ${shown(logs)}: no shorter than the ${window}-day backup window.` };
  };
  const would = judge(serverEnvironment(ctx));
  return judgeRunning(ctx, shared, `this retention: ${would.detail}`, judge);
}

export async function appServerBinary(ctx: CheckContext): Promise<Verdict> {
  if (ctx.settings.socket?.trim()) return { status: 'skip', detail: `Attached to ${ctx.settings.socket}; no binary is started here.` };
  const env = serverEnvironment(ctx);
  const command = ctx.settings.serverCommand.trim() || 'code-app-server';
  const resolved = await ctx.deps.resolveExecutable(command, env, ctx.settings.serverCwd || ctx.cwd);
  if (!resolved.path) {
    return { status: 'fail', detail: short(resolved.error ?? `${command} was not found.`), fix: fix({ kind: 'openSetting', setting: 'codeOps.appServer.command' }, 'Set codeOps.appServer.command') };
  }
  const { version, error } = await ctx.deps.readVersion(resolved.path, env);
  if (!version) return { status: 'warn', detail: `${resolved.path} found, but \`--version\` failed: ${short(error ?? 'no output')}` };
  return { status: 'pass', detail: `${version} (${resolved.path})`, version };
}

/**
 * Up, but not as Code Ops sees it: the server reports another home, or a config file it did not
 * apply (a `configWarning` with a path). Non-file warnings (bubblewrap missing) are only listed.
 */
function judgeUp(up: string, facts: { homeMismatch?: string | null; configWarnings?: readonly ConfigWarning[] }): Verdict {
  const concerns = serverConcerns(facts);
  const other = (facts.configWarnings ?? []).filter((w) => !concernsConfigFile(w)).map((w) => `Server warning: ${describeWarning(w)}`);
  if (!concerns.length) return { status: 'pass', detail: short([up, ...other].join(' ')) };
  const bad = (facts.configWarnings ?? []).find(concernsConfigFile);
  const fixIt = bad?.path
    ? fix(
        { kind: 'openConfig', file: bad.path, line: Math.max(0, (bad.range?.start.line ?? 1) - 1), character: Math.max(0, (bad.range?.start.column ?? 1) - 1) },
        `Open ${path.basename(bad.path)}`,
      )
    : envFix;
  return { status: 'warn', detail: short([`${up.replace(/\.$/, '')}, but:`, ...concerns, ...other].join(' ')), fix: fixIt };
}

export async function appServerLiveness(ctx: CheckContext): Promise<Verdict> {
  const snap = ctx.server?.snapshot;
  if (snap && snap.state !== 'stopped') {
    switch (snap.state) {
      case 'healthy':
        return judgeUp(`Answered initialize${snap.initializeMs !== undefined ? ` in ${Math.round(snap.initializeMs)} ms` : ''}${snap.userAgent ? ` (${short(snap.userAgent)})` : ''}.`, snap);
      case 'starting':
      case 'backing-off':
        return { status: 'warn', detail: `The server is ${snap.state}: ${short(snap.reason)}` };
      default:
        return { status: 'fail', detail: `The server is ${snap.state}: ${short(snap.reason)}`, fix: outputFix };
    }
  }
  if (!ctx.probe) {
    return snap
      ? { status: 'skip', detail: 'The app server is not running.', fix: fix({ kind: 'startServer' }, 'Start App Server') }
      : { status: 'skip', detail: 'No supervised server; run with --probe to start one briefly.' };
  }
  const result = await ctx.deps.probeOnce({
    command: ctx.settings.serverCommand,
    args: ctx.settings.serverArgs,
    env: serverEnvironment(ctx),
    cwd: ctx.settings.serverCwd || ctx.cwd,
    socket: ctx.settings.socket || undefined,
    timeoutMs: ctx.settings.probeTimeoutMs,
    codeHome: ctx.codeHome,
  });
  if (result.healthy) {
    return judgeUp(`Probe answered initialize in ${result.initializeMs === null ? '?' : Math.round(result.initializeMs)} ms${result.userAgent ? ` (${short(result.userAgent)})` : ''}.`, result);
  }
  return { status: 'fail', detail: `Probe: ${result.state}${result.error ? `: ${short(result.error)}` : ''}` };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function noPanics(ctx: CheckContext): Promise<Verdict> {
  const since = ctx.now() - DAY_MS;
  const fromServer = [...(ctx.server?.snapshot.panics.map((p) => p.line) ?? []), ...(ctx.server?.recentStderr.filter(isPanicStart) ?? [])];
  const hits = await ctx.deps.findPanics(ctx.paths, since);
  if (hits.length) {
    const newest = hits[hits.length - 1];
    const rel = path.relative(ctx.codeHome, newest.file) || newest.file;
    return {
      status: 'fail',
      detail: `${plural(hits.length + new Set(fromServer).size, 'panic line')} in 24 h; newest ${rel}:${newest.lineNumber}: ${short(newest.line)}`,
      fix: fix({ kind: 'openFile', file: newest.file, line: Math.max(0, newest.lineNumber - 1) }, `Open ${path.basename(newest.file)} at the panic`),
    };
  }
  if (fromServer.length) {
    const unique = [...new Set(fromServer)];
    return { status: 'fail', detail: `${plural(unique.length, 'panic line')} in the app server's stderr: ${short(unique[unique.length - 1])}`, fix: outputFix };
  }
  return { status: 'pass', detail: `No panic (in any of the three forms Code writes) in the last 24 h of logs${ctx.server ? ' or in the server\'s stderr' : ''}.` };
}

export function noCrashLoop(ctx: CheckContext): Verdict {
  const snap = ctx.server?.snapshot;
  if (!snap) return { status: 'skip', detail: 'No supervised server here, so no restart history.' };
  if (snap.state === 'crash-loop' || snap.restartsInWindow >= 4) {
    return { status: 'fail', detail: `${snap.restartsInWindow} restarts in the last 10 minutes${snap.state === 'crash-loop' ? ' (stopped: crash loop)' : ''}. ${short(snap.lastError ?? snap.reason)}`, fix: outputFix };
  }
  return { status: 'pass', detail: `${plural(snap.restartsInWindow, 'restart')} in the last 10 minutes.` };
}
