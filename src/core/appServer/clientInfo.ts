import type { ClientInfo } from './connection';

declare const CODE_OPS_VERSION: string | undefined;

/** What Code Ops calls itself in `initialize` (the extension passes its manifest version). */
export function codeOpsClientInfo(version?: string): ClientInfo {
  return {
    name: 'code-ops',
    title: 'Code Ops',
    version: version ?? (typeof CODE_OPS_VERSION === 'string' ? CODE_OPS_VERSION : 'dev'),
  };
}
