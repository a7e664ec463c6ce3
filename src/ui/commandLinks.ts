import type { LabeledAction, OpsAction } from '../core/actions';

/**
 * Which command does an action, for `command:` links and tree items. No vscode, no dispatch:
 * the status bar renders these at activation; running an action (src/ui/dispatch.ts) loads later.
 */

/** Our commands that run an action without arguments (also the tooltip's `command:` links). */
const COMMANDS: Partial<Record<OpsAction['kind'], string>> = {
  startServer: 'codeOps.appServer.start',
  stopServer: 'codeOps.appServer.stop',
  restartServer: 'codeOps.appServer.restart',
  showServerOutput: 'codeOps.appServer.showOutput',
  sendRequest: 'codeOps.appServer.sendRequest',
  showTimeline: 'codeOps.appServer.showTimeline',
  validateConfig: 'codeOps.config.validate',
  showReadiness: 'workbench.view.extension.codeOps',
};

/** The command and arguments of an action, where one command does it (links in Markdown, tree items). */
export function commandFor(action: OpsAction): { command: string; args: unknown[] } | undefined {
  const plain = COMMANDS[action.kind];
  if (plain) return { command: plain, args: [] };
  switch (action.kind) {
    case 'openConfig':
      return {
        command: 'codeOps.config.open',
        args: action.line !== undefined || action.file ? [{ file: action.file, line: action.line ?? 0, character: action.character ?? 0 }] : [],
      };
    case 'openSetting':
      return { command: 'workbench.action.openSettings', args: [action.setting] };
    case 'showLog':
      return { command: 'codeOps.logs.show', args: [action.log === 'tui' ? 'code-tui' : 'critical'] };
    case 'runCheck':
      return { command: 'codeOps.readiness.rerunCheck', args: [action.id] };
    default:
      return undefined;
  }
}

/** A `command:` link for a Markdown string, or undefined when the action needs more than a command. */
export function commandLink(item: LabeledAction): string | undefined {
  const c = commandFor(item.action);
  if (!c || !c.command.startsWith('codeOps.')) return undefined;
  const query = c.args.length ? `?${encodeURIComponent(JSON.stringify(c.args))}` : '';
  return `[${item.label.replace(/^\$\([^)]*\)\s*/, '')}](command:${c.command}${query})`;
}
