import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppServerSupervisor, type SupervisorDeps, type SupervisorTimings } from '../../../src/core/appServer/supervisor';
import { buildServerEnv } from '../../../src/core/appServer/env';
import type { ServerState } from '../../../src/core/appServer/types';

export const FAKE_SERVER = path.resolve(__dirname, '../../fixtures/fakeAppServer.mjs');

/** Timings that make a supervisor test run in well under a second per step. */
export const FAST: Partial<SupervisorTimings> = {
  initializeTimeoutMs: 2000,
  probeIntervalMs: 100,
  probeTimeoutMs: 150,
  maxMissedProbes: 2,
  approvalTimeoutMs: 300,
  stop: { stdinGraceMs: 300, termGraceMs: 300 },
  restart: { maxRestarts: 3, windowMs: 60_000, baseDelayMs: 20, maxDelayMs: 100, jitter: 0.2 },
};

const madeHomes: string[] = [];
// Servers under test may still be stopping when a test ends: remove the folders once, when mocha exits.
process.once('exit', () => {
  for (const dir of madeHomes) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempCodeHome(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'code-ops-home-'));
  madeHomes.push(dir);
  return dir;
}

export function fakeSupervisor(scenario: string, options: { env?: Record<string, string>; timings?: Partial<SupervisorTimings>; deps?: SupervisorDeps } = {}) {
  const codeHome = tempCodeHome();
  const env = buildServerEnv({ base: { PATH: process.env.PATH, ...options.env, FAKE_SCENARIO: scenario }, codeHome });
  const supervisor = new AppServerSupervisor(
    {
      command: process.execPath,
      args: [FAKE_SERVER],
      env,
      cwd: codeHome,
      codeHome,
      clientInfo: { name: 'code-ops-test', title: 'Code Ops tests', version: '9.9.9' },
      timings: { ...FAST, ...options.timings },
    },
    options.deps,
  );
  return { supervisor, codeHome };
}

/** Resolves when the supervisor reaches `state`; rejects with the states seen so far after `timeoutMs`. */
export function waitForState(supervisor: AppServerSupervisor, state: ServerState, timeoutMs = 5000): Promise<void> {
  if (supervisor.snapshot().state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`state ${state} not reached in ${timeoutMs} ms; saw ${states(supervisor).join(' → ')}`));
    }, timeoutMs);
    const sub = supervisor.onDidTransition((c) => {
      if (c.to === state) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

export function states(supervisor: AppServerSupervisor): ServerState[] {
  const t = supervisor.transitions;
  return t.length ? [t[0].from, ...t.map((c) => c.to)] : [supervisor.snapshot().state];
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Waits until the pid is gone (the OS reaps asynchronously after SIGKILL). */
export async function assertGone(pid: number, withinMs = 2000): Promise<void> {
  const until = Date.now() + withinMs;
  while (isAlive(pid)) {
    if (Date.now() > until) throw new Error(`process ${pid} is still running`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * For a suite: `track(fakeSupervisor(...))` registers the supervisor, and every one is shut
 * down (its process gone) after each test, pass or fail.
 */
export function trackedSupervisors(): <T extends { supervisor: AppServerSupervisor }>(x: T) => T {
  const live: AppServerSupervisor[] = [];
  afterEach(async () => {
    for (const s of live.splice(0)) await s.shutdown();
  });
  return (x) => {
    live.push(x.supervisor);
    return x;
  };
}
