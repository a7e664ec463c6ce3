import * as vscode from 'vscode';
import { maskSecrets } from '../core/mask';
import type { ApprovalDecision, ApprovalRequest } from '../core/appServer/approvals';

/**
 * Asks the person in a modal. Declined at once when the window is not focused
 * (setting), or when the modal is dismissed; the supervisor declines on its
 * own deadline if nobody answers.
 */
export function createApprovalPrompt(declineWhenUnfocused: () => boolean, log: (line: string) => void): (request: ApprovalRequest) => Promise<ApprovalDecision> {
  return async (request) => {
    if (declineWhenUnfocused() && !vscode.window.state.focused) {
      log(`[approval] declined ${request.method} (window not focused): ${request.title}`);
      void vscode.window.showWarningMessage(`Code Ops declined an approval request because this window was not focused: ${maskSecrets(request.title)}`, 'Show Output').then((pick) => {
        if (pick) void vscode.commands.executeCommand('codeOps.appServer.showOutput');
      });
      return 'decline';
    }
    const approve = 'Approve';
    const session = 'Approve for Session';
    const decline = 'Decline';
    const pick = await vscode.window.showWarningMessage(maskSecrets(request.title), { modal: true, detail: request.detail === undefined ? undefined : maskSecrets(request.detail) }, approve, session, decline);
    const decision: ApprovalDecision = pick === approve ? 'approve' : pick === session ? 'approveForSession' : 'decline';
    log(`[approval] ${decision} ${request.method}: ${request.title}`);
    return decision;
  };
}
