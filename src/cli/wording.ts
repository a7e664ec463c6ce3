import type { CodeHomeSource } from '../core/codeHome';

/**
 * The core writes its advice for the editor ("set codeOps.appServer.command"); on the command
 * line the same advice names the flag ("set --command"). Longer phrases come first so a
 * setting without a flag reads as what it is on the command line.
 */
const SETTING_TO_FLAG: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bin codeOps\.appServer\.env\b/g, 'in the environment of code-ops'],
  [/\bcodeOps\.appServer\.env\b/g, 'the environment of code-ops'],
  [/\bcodeOps\.appServer\.cwd\b/g, 'the folder code-ops runs in'],
  [/\bcodeOps\.appServer\.command\b/g, '--command'],
  [/\bcodeOps\.appServer\.args\b/g, '--arg'],
  [/\bcodeOps\.appServer\.socket\b/g, '--socket'],
  [/\bcodeOps\.appServer\.probeTimeoutMs\b/g, '--timeout'],
  [/\bcodeOps\.codeHome\b/g, '--code-home'],
  [/\bcodeOps\.readiness\.checklistFile\b/g, '--checklist'],
  [/\bcodeOps\.readiness\.backupGlob\b/g, '--backup-glob'],
  [/\bcodeOps\.readiness\.backupMaxAgeDays\b/g, '--backup-max-age-days'],
  [/\bcodeOps\.readiness\.target\b/g, '--target'],
  [/\bcodeOps\.config\.dialect\b/g, '--dialect'],
  [/\bcodeOps\.config\.managedConfig\b/g, '--managed-config'],
  [/\bcodeOps\.logs\.initialLines\b/g, '--lines'],
  // the editor's Run button on the readiness row; here the command is the way
  [/Use Run \(or `code-ops otel-test`\)/g, 'Run `code-ops otel-test`'],
];

/** A core sentence as the CLI says it: flags instead of VS Code settings. */
export function flagsForSettings(text: string): string {
  let out = text;
  for (const [pattern, flag] of SETTING_TO_FLAG) out = out.replace(pattern, flag);
  return out;
}

/** "(from --code-home)", "(from CODE_HOME)", "(from CODEX_HOME)" or "(default ~/.code)". */
export function codeHomeOrigin(source: CodeHomeSource): string {
  switch (source) {
    case 'setting':
      return '(from --code-home)';
    case 'CODE_HOME':
    case 'CODEX_HOME':
      return `(from ${source})`;
    default:
      return '(default ~/.code)';
  }
}
