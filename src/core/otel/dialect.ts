import * as path from 'node:path';
import type { DetectDialectOptions, Dialect } from './api';

function isInside(file: string, dir: string | undefined): boolean {
  const d = dir?.trim();
  if (!d) return false;
  const rel = path.relative(path.resolve(d), path.resolve(file));
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Which server's rules apply. An explicit setting wins. With `auto`: the server
 * that will read the file decides first (`code-app-server` → beacon, `codex` →
 * codex), then where the file lives (`CODE_HOME` or `~/.code` → beacon,
 * `CODEX_HOME` or `~/.codex` → codex); Code (Beacon) otherwise, since this
 * extension is for Code operators.
 */
export function detectDialect(opts: DetectDialectOptions = {}): Dialect {
  if (opts.setting === 'beacon' || opts.setting === 'codex') return opts.setting;
  const server = opts.serverCommand?.trim();
  if (server) {
    const base = path.basename(server.replace(/\\/g, '/')).replace(/\.(exe|cmd|bat)$/i, '').toLowerCase();
    if (base === 'code-app-server' || base === 'code') return 'beacon';
    if (base === 'codex' || base === 'codex-app-server') return 'codex';
  }
  const file = opts.filePath;
  if (file) {
    const env = opts.env ?? process.env;
    const inCode = isInside(file, env.CODE_HOME);
    const inCodex = isInside(file, env.CODEX_HOME);
    if (inCode && !inCodex) return 'beacon';
    if (inCodex && !inCode) return 'codex';
    const parts = path.resolve(file).split(/[\\/]/);
    if (parts.includes('.codex')) return 'codex';
    if (parts.includes('.code')) return 'beacon';
  }
  return 'beacon';
}
