// Root hooks of the unit suite, loaded by .mocharc.json.
// - Global setup: builds dist/ when it is missing or older than its sources, so
//   the tests of the bundles (CLI, language server) always run against a
//   current build instead of skipping.
// - Watchdog: after each top-level suite, every process the suite left running
//   under this mocha process is killed and the suite fails, naming it. A test
//   that dies before it kills its child therefore fails the run instead of
//   keeping mocha alive forever.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RootHookObject, Suite } from 'mocha';
import { killTestChildren } from './children';

const ROOT = path.resolve(__dirname, '../../..');
const BUNDLES = ['main.js', 'extension.js', 'cli.js', 'server.js'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Why dist/ must be rebuilt, or undefined when it is current. */
export function distStaleness(root = ROOT): string | undefined {
  let oldestBundle = Infinity;
  for (const name of BUNDLES) {
    const file = path.join(root, 'dist', name);
    if (!fs.existsSync(file)) return `dist/${name} is missing`;
    oldestBundle = Math.min(oldestBundle, fs.statSync(file).mtimeMs);
  }
  const sources = Math.max(newestMtime(path.join(root, 'src')), fs.statSync(path.join(root, 'esbuild.mjs')).mtimeMs, fs.statSync(path.join(root, 'package.json')).mtimeMs);
  return sources > oldestBundle ? 'sources changed since the last build' : undefined;
}

export function mochaGlobalSetup(): void {
  // Mutation runs test the sources in place; a bundle would not carry the mutant.
  if (process.env.CODE_OPS_NO_BUILD === '1') return;
  const why = distStaleness();
  if (!why) return;
  process.stdout.write(`building dist/ (${why})\n`);
  try {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`building dist/ failed:\n${err.stdout ?? ''}${err.stderr ?? err.message}`, { cause: e });
  }
}

/** Live descendants of `root` with their command lines, children before grandchildren (Linux /proc). */
export function descendants(root = process.pid): Array<{ pid: number; command: string }> {
  if (process.platform !== 'linux') return [];
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue; // exited, only not reaped yet
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  const out: Array<{ pid: number; command: string }> = [];
  const queue = [root];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [pid, ppid] of parentOf) {
      if (ppid !== parent) continue;
      let command = '?';
      try {
        command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      } catch {
        // exited
      }
      out.push({ pid, command });
      queue.push(pid);
    }
  }
  return out;
}

/** Processes that belong to the test runner itself, not to a test. */
function isRunnerHelper(command: string): boolean {
  // esbuild's service process, started by the TypeScript loader.
  return /(^|\/)esbuild(\s|$)/.test(command.split(' ')[0] ?? '') && command.includes('--service');
}

/**
 * Waits up to `graceMs` for the processes a suite left to exit by themselves
 * (a child killed in an `after` hook may still be on its way out), then kills
 * what remains and returns a description of it (empty when nothing was left).
 */
export async function killLeftovers(root = process.pid, graceMs = 1000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  let left = descendants(root).filter((p) => !isRunnerHelper(p.command));
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = descendants(root).filter((p) => !isRunnerHelper(p.command));
  }
  for (const p of [...left].reverse()) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return left.map((p) => `pid ${p.pid}: ${p.command.slice(0, 200) || '(exiting)'}`);
}

function watchSuite(suite: Suite): void {
  suite.afterAll('watchdog: no child process left running', async function () {
    const left = await killLeftovers();
    if (left.length) throw new Error(`"${suite.title}" left ${left.length} child process(es) running (now killed):\n  ${left.join('\n  ')}`);
  });
}

export const mochaHooks: RootHookObject = {
  afterEach() {
    killTestChildren();
  },
  beforeAll(this: Mocha.Context) {
    // The root suite's top-level suites are the test files' outer describes.
    const root = this.test?.parent;
    if (root) for (const suite of root.suites) watchSuite(suite);
  },
  async afterAll() {
    // Tests outside any describe, and anything started after the last suite.
    const left = await killLeftovers();
    if (left.length) throw new Error(`the unit suite left ${left.length} child process(es) running (now killed):\n  ${left.join('\n  ')}`);
  },
};
