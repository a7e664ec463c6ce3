// Process groups and spawn tags (src/core/appServer/groups.ts) with real processes: a group is
// registered, listed, signalled as a whole and forgotten; killAllGroupsSync stops every group and
// every tagged process that left its group; a tag matches whole environment entries only;
// stopEscaped reports only processes outside the killed group. Written from the sampled mutation
// run of src/core/appServer (these were tested only by the hostile suite).
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  findTaggedSync,
  isRunning,
  killAllGroupsSync,
  liveGroupIds,
  newSpawnTag,
  onGroupRegistered,
  processGroupOf,
  registerGroup,
  registerTag,
  signalGroup,
  SPAWN_TAG_VAR,
  stopEscaped,
  unregisterGroup,
  unregisterTag,
} from '../../../../src/core/appServer/groups';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`not within ${ms} ms: ${what}`);
}

describe('process groups and spawn tags', function () {
  this.timeout(20_000);
  const children: ChildProcess[] = [];
  /** Groups other tests of this process registered: set aside so the counts here are this test's, restored after. */
  let others: number[] = [];
  beforeEach(() => {
    others = liveGroupIds();
    for (const g of others) unregisterGroup(g);
  });
  /** A shell in its own group running `script`, with the tag in its environment. */
  function group(script: string, env: Record<string, string> = {}): ChildProcess {
    const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
    children.push(child);
    return child;
  }
  afterEach(() => {
    for (const c of children.splice(0)) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const g of liveGroupIds()) unregisterGroup(g);
    for (const g of others) registerGroup(g);
    onGroupRegistered(undefined);
  });

  it('register, list, signal the whole group, forget; the hook runs at each registration', async () => {
    let calls = 0;
    onGroupRegistered(() => calls++);
    const leader = group('sleep 30 & sleep 30 & wait');
    registerGroup(leader.pid!);
    assert.deepEqual(liveGroupIds(), [leader.pid]);
    assert.equal(calls, 1);
    assert.equal(processGroupOf(leader.pid!), leader.pid, 'a detached child leads its own group');
    assert.equal(await isRunning(leader.pid!), true);
    assert.equal(signalGroup(leader.pid!, 'SIGKILL'), true);
    await until('the leader is gone', async () => !(await isRunning(leader.pid!)));
    await until('the group is gone', () => !signalGroup(leader.pid!, 0 as unknown as NodeJS.Signals));
    assert.equal(signalGroup(999_999_999, 'SIGTERM'), false, 'no such group');
    unregisterGroup(leader.pid!);
    assert.deepEqual(liveGroupIds(), []);
    assert.equal(processGroupOf(999_999_999), undefined);
    assert.equal(await isRunning(999_999_999), false);
  });

  it('killAllGroupsSync: every registered group, and tagged processes that left theirs, then nothing is live', async () => {
    const tag = newSpawnTag();
    assert.match(tag, new RegExp(`^${process.pid}-[0-9a-f]{12}$`));
    const a = group('sleep 30');
    const b = group('sleep 30');
    // a process that escaped its group with setsid but keeps the tag
    const escaper = group('setsid sleep 31 & wait', { [SPAWN_TAG_VAR]: tag });
    registerGroup(a.pid!);
    registerGroup(b.pid!);
    registerTag(tag);
    await until('the escaped process carries the tag', () => findTaggedSync(tag).some((p) => p.name === 'sleep'));
    const escaped = findTaggedSync(tag).find((p) => p.name === 'sleep')!;
    assert.notEqual(processGroupOf(escaped.pid), escaper.pid, 'it left the group');
    assert.equal(killAllGroupsSync(), 2);
    assert.deepEqual(liveGroupIds(), []);
    await until('both groups and the escaped process are gone', async () => !(await isRunning(a.pid!)) && !(await isRunning(b.pid!)) && !(await isRunning(escaped.pid)));
    unregisterTag(tag);
  });

  it('a tag matches a whole environment entry only', async () => {
    const tag = newSpawnTag();
    const longer = group('sleep 30', { [SPAWN_TAG_VAR]: `${tag}x` });
    const prefixed = group('sleep 30', { [`X${SPAWN_TAG_VAR}`]: tag });
    const exact = group('sleep 30', { [SPAWN_TAG_VAR]: tag });
    await until('the exact one is found', () => findTaggedSync(tag).length > 0);
    const pids = findTaggedSync(tag).map((p) => p.pid);
    assert.ok(pids.includes(exact.pid!));
    assert.ok(!pids.includes(longer.pid!), 'a longer value is another tag');
    assert.ok(!pids.includes(prefixed.pid!), 'another variable with the same value is not the tag');
  });

  it('stopEscaped: stops every tagged process, reports only those outside the killed group', async () => {
    const tag = newSpawnTag();
    const leader = group('setsid sleep 32 & sleep 33 & wait', { [SPAWN_TAG_VAR]: tag });
    await until('three tagged processes', () => findTaggedSync(tag).length >= 3);
    const reported = await stopEscaped(tag, leader.pid);
    assert.deepEqual(reported.map((p) => p.name), ['sleep'], 'only the setsid sleep left the group');
    assert.notEqual(processGroupOf(reported[0].pid) ?? -1, leader.pid);
    await until('no tagged process runs', async () => {
      const left = findTaggedSync(tag);
      const running = await Promise.all(left.map((p) => isRunning(p.pid)));
      return running.every((r) => !r);
    });
    assert.deepEqual(await stopEscaped(tag), []);
  });
});
