// What the UI suites know about Code Ops itself: its ids in the workbench's
// DOM and the files it keeps, kept apart from the generic workbench helpers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { descendantPids } from '../host/codeServer.mjs';
import { session } from './session.mjs';

/** Status bar entries are keyed `<publisher>.<name>.<item id>`. */
export const STATUS_ITEM = 'code-ops.code-ops.codeOps.status';
export const VIEW_CONTAINER = 'Code Ops';
export const READINESS_VIEW = 'Readiness';
/** Width the sidebar is dragged to, so tree descriptions (sign-offs, check results) are readable. */
export const SIDEBAR_WIDTH = 440;

/**
 * Error notifications the steps cause on purpose; any other error
 * notification of Code Ops fails the run.
 */
export const INTENTIONAL_ERRORS = [/app server is in a crash loop/, /Panic occurred/];

/** `.code-ops/readiness.json` of the workspace, parsed. */
export function readSignOffs() {
  return JSON.parse(readFileSync(join(session.workspace, '.code-ops', 'readiness.json'), 'utf8'));
}

/** The `pid: N` line of the status bar's tooltip. */
export function pidFromTooltip(tooltip) {
  const m = /^\s*pid: (\d+)\s*$/m.exec(tooltip);
  if (!m) throw new Error(`the tooltip shows no pid line: ${JSON.stringify(tooltip)}`);
  return Number(m[1]);
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has exited; only its parent has not collected it yet.
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * Kills an app server process as a crash would (SIGKILL), after checking it
 * belongs to this run's code-server, so a wrong pid never hits anything else.
 */
export function crashProcess(pid) {
  if (!session.codeServerPid || !descendantPids(session.codeServerPid).includes(pid)) {
    throw new Error(`pid ${pid} from the tooltip is not a process of this run's code-server (${session.codeServerPid})`);
  }
  process.kill(pid, 'SIGKILL');
}
