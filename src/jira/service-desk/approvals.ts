import { type CallOptions, path, ValidationError } from '../../core/index.js';
import type { JiraContext } from '../context.js';
import { allOf, oneOf, pageOf } from './calls.js';
import { fromWireApproval } from './mapper.js';
import type { JsmCall, JsmPageOptions } from './page.js';
import { requestSubject } from './requests.js';
import type { Approval, JsmPage } from './types.js';

/** An answer to an approval: JSM's `decision`. */
export type ApprovalAnswer = 'approve' | 'decline';

const ANSWERS: readonly string[] = ['approve', 'decline'];

/**
 * `X-ExperimentalApi` is sent: Atlassian's KB lists "This API is experimental.
 * Experimental APIs are not guaranteed to be stable within the preview period..."
 * as the first error of both approval endpoints on Data Center 5.7+
 * (confluence.atlassian.com/jirakb/jira-service-management-how-to-how-to-fix-common-errors-when-using-the-rest-api-end-points-related-to-approvals-1456180538.html).
 * Cloud does not mark them experimental (its JSM OpenAPI document, as generated
 * into jira.js v5.4.0 `src/serviceDesk/request.ts`) and ignores the header.
 */
const approvalsCall = (issueIdOrKey: string): JsmCall => ({ method: 'GET', path: path`/request/${issueIdOrKey}/approval`, operation: 'jsm.request.approval.list', experimental: true });

/** One page of a request's approvals (`GET /request/{key}/approval`). */
export function listApprovals(ctx: JiraContext, issueIdOrKey: string, options: JsmPageOptions = {}): Promise<JsmPage<Approval>> {
  return pageOf(ctx, approvalsCall(issueIdOrKey), fromWireApproval, requestSubject(issueIdOrKey), options);
}

/** Every approval of a request. */
export function iterateApprovals(ctx: JiraContext, issueIdOrKey: string, options: JsmPageOptions = {}): AsyncGenerator<Approval, void, undefined> {
  return allOf(ctx, approvalsCall(issueIdOrKey), fromWireApproval, requestSubject(issueIdOrKey), options);
}

/**
 * Approves or declines an approval as the caller, who must be one of its
 * approvers (`POST /request/{key}/approval/{approvalId}`); returns the approval
 * as it is now. Any decision but `approve` or `decline` is a `ValidationError`
 * before anything is sent. Not re-sent after an ambiguous failure (JSM
 * refuses an approval already answered, so a blind retry would fail after
 * success): list the approvals to see whether the answer landed.
 */
export async function answerApproval(ctx: JiraContext, issueIdOrKey: string, approvalId: string, decision: ApprovalAnswer, options: CallOptions = {}): Promise<Approval> {
  if (!ANSWERS.includes(decision)) {
    throw new ValidationError('Invalid approval decision', [{ field: 'decision', rule: 'enum', message: `must be "approve" or "decline", got ${JSON.stringify(decision)}` }]);
  }
  return await oneOf(
    ctx,
    {
      method: 'POST',
      path: path`/request/${issueIdOrKey}/approval/${approvalId}`,
      operation: 'jsm.request.approval.answer',
      json: { decision },
      experimental: true,
      notRetriedHint: "list the request's approvals to see whether the answer landed before answering again",
    },
    fromWireApproval,
    { what: `approval ${approvalId} of request ${issueIdOrKey}`, find: 'list the request\'s approvals with serviceDesk.listApprovals(key)' },
    options,
  );
}
