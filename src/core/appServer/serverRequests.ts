import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { approvalReply, describeApproval } from './approvals';
import type { ApprovalHandler, ApprovalOutcome } from './supervisorConfig';

/** Settles with `fallback` after `ms` unless `p` settles first. */
function withDeadline<T>(p: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => resolve(fallback()), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

/**
 * Answers one server-initiated request. Approvals go to `handler` (a person)
 * with a deadline and are declined when nobody answers; anything else is
 * refused with MethodNotFound (thrown as a ResponseError, which becomes the reply).
 */
export async function answerServerRequest(
  method: string,
  params: unknown,
  handler: ApprovalHandler | undefined,
  timeoutMs: number,
  report: { approval(outcome: ApprovalOutcome): void; unknown(method: string): void },
): Promise<unknown> {
  const request = describeApproval(method, params);
  if (!request) {
    report.unknown(method);
    throw new ResponseError(ErrorCodes.MethodNotFound, `Code Ops does not handle the server request '${method}'.`);
  }
  let outcome: ApprovalOutcome;
  if (!handler) {
    outcome = { request, decision: 'decline', auto: 'no-handler' };
  } else {
    try {
      outcome = await withDeadline<ApprovalOutcome>(
        handler(request).then((decision) => ({ request, decision })),
        timeoutMs,
        () => ({ request, decision: 'decline', auto: 'timeout' }),
      );
    } catch {
      outcome = { request, decision: 'decline', auto: 'handler-failed' };
    }
  }
  report.approval(outcome);
  return approvalReply(request, outcome.decision);
}

async function defaultHttpGet(url: string, timeoutMs: number): Promise<number> {
  const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel().catch(() => undefined);
  return res.status;
}

/** GET the health URL: undefined when it answered 200, else why not. */
export async function probeHealthUrl(url: string | undefined, timeoutMs: number, httpGet = defaultHttpGet): Promise<string | undefined> {
  if (!url) return undefined;
  try {
    const status = await httpGet(url, timeoutMs);
    return status === 200 ? undefined : `health URL answered HTTP ${status}`;
  } catch (err) {
    // fetch says only "fetch failed"; the cause names the network error (ECONNREFUSED, ENOTFOUND…).
    const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message;
    const name = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${(err as Error).message}${detail ? ` (${detail})` : ''}`;
    return `health URL ${url} failed: ${name}`;
  }
}
