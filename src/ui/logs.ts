import type { CodeOpsContext } from './context';

// Skeleton: log followers arrive with the log-tail work.
export function registerLogs(_ctx: CodeOpsContext): void {}
