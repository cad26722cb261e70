import { type CallOptions, path, ValidationError } from '../../core/index.js';
import type { JiraContext } from '../context.js';
import { allOf, oneOf, pageOf } from './calls.js';
import { fromWireTransition } from './mapper.js';
import type { JsmCall, JsmPageOptions } from './page.js';
import { requestSubject } from './requests.js';
import type { CustomerTransition, JsmPage } from './types.js';

/** A customer transition to make. */
export interface RequestTransitionInput {
  /** The transition id (`listTransitions(key)`). */
  readonly id: string;
  /** A public comment added with it (JSM's `additionalComment.body`). */
  readonly comment?: string;
}

/**
 * `X-ExperimentalApi` is sent although Cloud does not mark it experimental (Atlassian's JSM Cloud OpenAPI document, as generated into jira.js v5.4.0 `src/serviceDesk/request.ts`):
 * older Service Desk releases marked customer transitions experimental, and a
 * server where the method is stable ignores the header.
 */
const transitionsCall = (issueIdOrKey: string): JsmCall => ({ method: 'GET', path: path`/request/${issueIdOrKey}/transition`, operation: 'jsm.request.transition.list', experimental: true });

/** One page of the transitions the caller can make on a request as a customer (`GET /request/{key}/transition`). */
export function listTransitions(ctx: JiraContext, issueIdOrKey: string, options: JsmPageOptions = {}): Promise<JsmPage<CustomerTransition>> {
  return pageOf(ctx, transitionsCall(issueIdOrKey), fromWireTransition, requestSubject(issueIdOrKey), options);
}

/** Every transition the caller can make on a request. */
export function iterateTransitions(ctx: JiraContext, issueIdOrKey: string, options: JsmPageOptions = {}): AsyncGenerator<CustomerTransition, void, undefined> {
  return allOf(ctx, transitionsCall(issueIdOrKey), fromWireTransition, requestSubject(issueIdOrKey), options);
}

/**
 * Makes a customer transition (`POST /request/{key}/transition`, 204), with
 * an optional public comment. A transition that is not available now is
 * JSM's 400. Applying it twice fails rather than doubling, so it is retried.
 */
export async function transitionRequest(ctx: JiraContext, issueIdOrKey: string, input: RequestTransitionInput, options: CallOptions = {}): Promise<void> {
  if (typeof input.id !== 'string' || !/^\d+$/.test(input.id)) {
    throw new ValidationError('Invalid request transition', [{ field: 'id', rule: 'type', message: 'must be a transition id, digits only (list them with serviceDesk.listTransitions(key))' }]);
  }
  if (input.comment !== undefined && (typeof input.comment !== 'string' || input.comment.trim() === '')) {
    throw new ValidationError('Invalid request transition', [{ field: 'comment', rule: 'type', message: 'must be a non-empty string when given' }]);
  }
  await oneOf(
    ctx,
    {
      method: 'POST',
      path: path`/request/${issueIdOrKey}/transition`,
      operation: 'jsm.request.transition.do',
      json: { id: input.id, ...(input.comment === undefined ? {} : { additionalComment: { body: input.comment } }) },
      experimental: true,
      idempotent: true,
      responseType: 'none',
    },
    () => undefined,
    requestSubject(issueIdOrKey),
    options,
  );
}
