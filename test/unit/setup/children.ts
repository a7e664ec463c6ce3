// Child processes owned by the running test, killed by the root afterEach hook
// (hooks.ts) whether the test passed or failed.
import type { ChildProcess } from 'node:child_process';

const owned = new Set<ChildProcess>();

/** Marks `child` as belonging to the running test: it is killed after the test, pass or fail. Returns the child. */
export function killAfterTest<T extends ChildProcess>(child: T): T {
  owned.add(child);
  return child;
}

/** Kills (SIGKILL) the running test's children that are still alive. */
export function killTestChildren(): number {
  let killed = 0;
  for (const child of owned) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      killed++;
    }
  }
  owned.clear();
  return killed;
}
