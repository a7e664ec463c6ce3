/**
 * Server-initiated approval requests of both servers. Beacon (code-app-server)
 * sends `execCommandApproval` / `applyPatchApproval` and expects
 * `{decision: "approved" | "approved_for_session" | "denied" | "abort"}`;
 * upstream codex sends `item/commandExecution/requestApproval` /
 * `item/fileChange/requestApproval` and expects
 * `{decision: "accept" | "acceptForSession" | "decline" | "cancel"}`.
 */
export const APPROVAL_METHODS = [
  'execCommandApproval',
  'applyPatchApproval',
  'item/commandExecution/requestApproval',
  'item/fileChange/requestApproval',
] as const;

export type ApprovalMethod = (typeof APPROVAL_METHODS)[number];

export type ApprovalDecision = 'approve' | 'approveForSession' | 'decline' | 'cancel';

export interface ApprovalRequest {
  method: ApprovalMethod;
  kind: 'command' | 'patch';
  dialect: 'beacon' | 'upstream';
  /** One line: what is asked. */
  title: string;
  /** The command, cwd, files and reason, for the modal's detail text. */
  detail: string;
  params: unknown;
}

export function isApprovalMethod(method: string): method is ApprovalMethod {
  return (APPROVAL_METHODS as readonly string[]).includes(method);
}

const MAX_DETAIL = 2000;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function commandText(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.map((a) => (/^[\w@%+=:,./-]+$/.test(String(a)) ? String(a) : `'${String(a).replace(/'/g, `'\\''`)}'`)).join(' ');
  return str(v);
}

function clip(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

/** Describes an approval request for a person; undefined when `method` is not one. */
export function describeApproval(method: string, params: unknown): ApprovalRequest | undefined {
  if (!isApprovalMethod(method)) return undefined;
  const p = (typeof params === 'object' && params !== null ? params : {}) as Record<string, unknown>;
  const dialect = method.startsWith('item/') ? 'upstream' : 'beacon';
  const kind = method === 'execCommandApproval' || method === 'item/commandExecution/requestApproval' ? 'command' : 'patch';
  const lines: string[] = [];
  let title: string;
  if (kind === 'command') {
    const cmd = commandText(p.command);
    title = cmd ? `The app server asks to run: ${cmd.length > 120 ? `${cmd.slice(0, 120)}…` : cmd}` : 'The app server asks to run a command.';
    if (cmd) lines.push(`Command: ${cmd}`);
    if (str(p.cwd)) lines.push(`In: ${p.cwd}`);
  } else {
    const changes = p.fileChanges ?? p.changes;
    const files = changes && typeof changes === 'object' ? Object.keys(changes as object) : [];
    title = files.length ? `The app server asks to change ${files.length} file${files.length === 1 ? '' : 's'}.` : 'The app server asks to apply a patch.';
    for (const f of files.slice(0, 20)) {
      const change = (changes as Record<string, unknown>)[f];
      const op = change && typeof change === 'object' ? Object.keys(change as object)[0] : undefined;
      lines.push(`${op ? `${op}: ` : ''}${f}`);
    }
    if (files.length > 20) lines.push(`… and ${files.length - 20} more`);
    if (str(p.grantRoot)) lines.push(`Grants write access under: ${p.grantRoot}`);
  }
  if (str(p.reason)) lines.push(`Reason: ${p.reason}`);
  const thread = str(p.conversationId) ?? str(p.threadId);
  if (thread) lines.push(`${dialect === 'beacon' ? 'Conversation' : 'Thread'}: ${thread}`);
  return { method, kind, dialect, title, detail: clip(lines.join('\n')), params };
}

/** The reply the server expects for a decision, in its own dialect. */
export function approvalReply(request: Pick<ApprovalRequest, 'dialect'>, decision: ApprovalDecision): { decision: string } {
  if (request.dialect === 'beacon') {
    const map: Record<ApprovalDecision, string> = { approve: 'approved', approveForSession: 'approved_for_session', decline: 'denied', cancel: 'abort' };
    return { decision: map[decision] };
  }
  const map: Record<ApprovalDecision, string> = { approve: 'accept', approveForSession: 'acceptForSession', decline: 'decline', cancel: 'cancel' };
  return { decision: map[decision] };
}
