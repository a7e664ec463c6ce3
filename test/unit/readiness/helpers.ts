import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codeHomePaths } from '../../../src/core/codeHome';
import { DEFAULT_CHECK_SETTINGS, type CheckContext, type CheckSettings } from '../../../src/core/readiness/checks';
import { defaultCheckDeps } from '../../../src/core/readiness/deps';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/readiness');

/** A throwaway folder; removed by the returned cleanup. */
export function tempDir(prefix = 'code-ops-readiness-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface HomeSpec {
  mode?: number;
  files?: Record<string, string | { text: string; mode?: number; mtime?: Date }>;
}

/** Builds a CODE_HOME in a temp dir: `files` are paths relative to it. */
export function makeCodeHome(root: string, spec: HomeSpec = {}): string {
  const home = path.join(root, 'code-home');
  fs.mkdirSync(home, { recursive: true });
  for (const [rel, value] of Object.entries(spec.files ?? {})) {
    const file = path.join(home, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const v = typeof value === 'string' ? { text: value } : value;
    fs.writeFileSync(file, v.text);
    fs.chmodSync(file, v.mode ?? 0o600);
    if (v.mtime) fs.utimesSync(file, v.mtime, v.mtime);
  }
  fs.chmodSync(home, spec.mode ?? 0o700);
  return home;
}

export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function contextFor(home: string, overrides: Omit<Partial<CheckContext>, 'settings'> & { settings?: Partial<CheckSettings> } = {}): CheckContext {
  const { settings, ...rest } = overrides;
  return {
    codeHome: home,
    paths: codeHomePaths(home),
    // The managed layer beside config.toml (the setting codeOps.config.managedConfig), not /etc/code of this machine.
    settings: { ...DEFAULT_CHECK_SETTINGS, managedConfig: path.join(home, 'managed_config.toml'), ...settings },
    env: { PATH: process.env.PATH },
    cwd: path.dirname(home),
    probe: false,
    now: () => Date.now(),
    platform: process.platform,
    deps: defaultCheckDeps(),
    ...rest,
  };
}

/** A stand-in server binary that answers `--version` (a real executable script). */
export function fakeServerBinary(dir: string, versionLine = 'code-app-server 9.9.9'): string {
  const file = path.join(dir, 'code-app-server');
  fs.writeFileSync(file, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${versionLine}"; exit 0; fi\nexit 3\n`);
  fs.chmodSync(file, 0o755);
  return file;
}

/**
 * A running process the kernel names `code-app-server` (a shell script of that name: its comm),
 * with exactly `env`; it idles until killed. Stands in for a deployed server in /proc.
 */
export async function startServerProcess(dir: string, env: Record<string, string>): Promise<{ pid: number; kill(): void }> {
  const bin = path.join(dir, 'running', 'code-app-server');
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  if (!fs.existsSync(bin)) {
    fs.writeFileSync(bin, '#!/bin/sh\nwhile :; do sleep 1; done\n');
    fs.chmodSync(bin, 0o755);
  }
  const child = spawn(bin, [], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: 'ignore', detached: true });
  const pid = child.pid!;
  // Wait until /proc shows the script running under its own name.
  for (let i = 0; i < 100; i++) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'code-app-server') break;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    pid,
    kill: () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
