import type { CodeOpsContext } from './context';

// Skeleton: the config.toml language client arrives with the validation work.
export function registerConfig(_ctx: CodeOpsContext): void {}
