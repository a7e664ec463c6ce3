import * as path from 'node:path';

/**
 * Where the managed layer lives: on Unix `/etc/code/managed_config.toml`,
 * elsewhere `$CODE_HOME/managed_config.toml` (Beacon's
 * `managed_config_default_path`). `override` (a setting or `--managed-config`) wins.
 */
export function managedConfigPath(codeHome: string, options: { platform?: NodeJS.Platform; override?: string; cwd?: string } = {}): string {
  const override = options.override?.trim();
  if (override) return path.resolve(options.cwd ?? codeHome, override);
  const platform = options.platform ?? process.platform;
  return platform === 'win32' ? path.join(codeHome, 'managed_config.toml') : '/etc/code/managed_config.toml';
}
