import { execFile } from 'node:child_process';
import { maskSecrets } from '../mask';
import { managedConfigPath } from '../otel/managedPath';
import type { ConfigLayers } from '../otel/load';
import { CHECKS, type CheckId } from './catalog';
import { short, type CheckContext, type RunShared, type Verdict } from './checkTypes';
import type { CheckResult, CheckStatus } from './model';
import { runningServers } from './checks/server';
import type { ServerProcess } from './procs';

/**
 * Runs the automatic checks of the catalog over an injected environment, so the
 * extension, the CLI and the tests share them. A check never throws: whatever
 * goes wrong becomes its verdict.
 */

export * from './checkTypes';
export { backupCoverage, unsafeEntryName } from './checks/backup';
export { isSecretFileName } from './checks/home';

/** The managed layer the checks read: the override, else the platform's place. */
export function managedFileOf(ctx: CheckContext): string {
  return managedConfigPath(ctx.codeHome, { platform: ctx.platform, override: ctx.settings.managedConfig, cwd: ctx.cwd });
}

function sharedFacts(ctx: CheckContext): RunShared {
  let configs: Promise<ConfigLayers> | undefined;
  let servers: Promise<ServerProcess[]> | undefined;
  return {
    configs: () =>
      (configs ??= ctx.deps.loadConfigLayers(
        { config: ctx.paths.configToml, managed: managedFileOf(ctx) },
        { dialect: ctx.settings.dialect, serverCommand: ctx.settings.serverCommand, env: ctx.env, target: ctx.settings.target },
      )),
    servers: () => (servers ??= runningServers(ctx, () => ctx.deps.listServerProcesses())),
  };
}

/** Runs the checks (all, or `only`) concurrently; each result carries its own timing. Never rejects. */
export async function runChecks(ctx: CheckContext, only?: readonly CheckId[]): Promise<CheckResult[]> {
  const wanted = CHECKS.filter((c) => !only || only.includes(c.id));
  const shared = sharedFacts(ctx);
  return Promise.all(
    wanted.map(async (c) => {
      const started = Date.now();
      let verdict: Verdict;
      try {
        verdict = await c.run(ctx, shared);
      } catch (err) {
        verdict = { status: 'fail', detail: `The check could not run: ${short(err instanceof Error ? err.message : String(err), 120)}` };
      }
      return { id: c.id, ...verdict, detail: maskSecrets(verdict.detail), at: ctx.now(), durationMs: Date.now() - started };
    }),
  );
}

export function summarize(results: readonly { status: CheckStatus }[]): Record<CheckStatus, number> {
  const out: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const r of results) out[r.status]++;
  return out;
}

/** `<binary> --version` with a deadline; the first non-empty line of its output. */
export function readVersion(executable: string, env: NodeJS.ProcessEnv, timeoutMs = 5000): Promise<{ version?: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(executable, ['--version'], { env, timeout: timeoutMs, maxBuffer: 64 * 1024, windowsHide: true }, (err, stdout, stderr) => {
      const line = `${stdout}`.split(/\r?\n/).find((l) => l.trim()) ?? `${stderr}`.split(/\r?\n/).find((l) => l.trim());
      if (err && !line) resolve({ error: err.killed ? `no answer within ${timeoutMs} ms` : err.message });
      else if (err) resolve({ error: maskSecrets(line!.trim()) });
      else resolve(line ? { version: maskSecrets(line.trim()) } : { error: 'no output' });
    });
  });
}
