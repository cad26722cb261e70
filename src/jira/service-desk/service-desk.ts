import type { CallOptions } from '../../core/index.js';
import type { JiraContext } from '../context.js';
import { type ApprovalAnswer, answerApproval, iterateApprovals, listApprovals } from './approvals.js';
import { type AddRequestCommentInput, addRequestComment, iterateRequestComments, listRequestComments, type ListRequestCommentsOptions } from './comments.js';
import { iterateDesks, listDesks } from './desks.js';
import type { JsmPageOptions } from './page.js';
import { iterateRequestTypes, listRequestTypes, requestTypeFields } from './request-types.js';
import { createRequest, type CreateRequestInput, type CreateRequestOptions, getRequest, iterateStatusHistory, listStatusHistory } from './requests.js';
import { iterateSlas, listSlas } from './slas.js';
import { iterateTransitions, listTransitions, type RequestTransitionInput, transitionRequest } from './transitions.js';
import type { Approval, CustomerRequest, CustomerTransition, JsmPage, RequestComment, RequestStatus, RequestType, RequestTypeFields, ServiceDesk, Sla } from './types.js';

/**
 * Jira Service Management (`/rest/servicedeskapi`, the same paths on Cloud and
 * Data Center): service desks, request types and their fields, customer
 * requests, public replies and internal notes, status history, SLAs,
 * approvals and customer transitions. Get it as `jira.serviceDesk`; it uses
 * the client's transport (auth, retries, timeouts, events).
 *
 * Lists come two ways, as everywhere in itsmkit: `listX()` returns one
 * {@link JsmPage} (`start`/`limit`, `nextStart` until the last page) and
 * `iterateX()` every value, page after page. Requests are named by issue key
 * (`ITSM-12`) or id.
 *
 * @example
 * const [desk] = (await jira.serviceDesk.listDesks()).values;
 * const request = await jira.serviceDesk.createRequest({
 *   serviceDeskId: desk.id, requestTypeId: '10',
 *   fields: { summary: 'VPN drops every hour', description: 'Since Monday' },
 * });
 * await jira.serviceDesk.addComment(request.issueKey, { body: 'Looking into it', public: true });
 */
export class JiraServiceDesk {
  /** @internal */
  constructor(private readonly ctx: JiraContext) {}

  /** One page of the service desks the caller can see. */
  listDesks(options: JsmPageOptions = {}): Promise<JsmPage<ServiceDesk>> {
    return listDesks(this.ctx, options);
  }

  /** Every service desk the caller can see. */
  iterateDesks(options: JsmPageOptions = {}): AsyncGenerator<ServiceDesk, void, undefined> {
    return iterateDesks(this.ctx, options);
  }

  /** One page of a desk's request types; an unknown desk is a `NotFoundError` saying how to list them. */
  listRequestTypes(serviceDeskId: string, options: JsmPageOptions = {}): Promise<JsmPage<RequestType>> {
    return listRequestTypes(this.ctx, serviceDeskId, options);
  }

  /** Every request type of a desk. */
  iterateRequestTypes(serviceDeskId: string, options: JsmPageOptions = {}): AsyncGenerator<RequestType, void, undefined> {
    return iterateRequestTypes(this.ctx, serviceDeskId, options);
  }

  /** A request type's fields (required, visible, valid values, Jira schema) and whether the caller may raise on behalf of others. */
  requestTypeFields(serviceDeskId: string, requestTypeId: string, options: CallOptions = {}): Promise<RequestTypeFields> {
    return requestTypeFields(this.ctx, serviceDeskId, requestTypeId, options);
  }

  /**
   * Raises a customer request in a desk, of a request type, with its field
   * values (optionally on behalf of a customer). Missing required fields are a
   * `RequestFieldsError` naming them; a customer without permission a `ServiceDeskPermissionError`.
   */
  createRequest(input: CreateRequestInput, options: CreateRequestOptions = {}): Promise<CustomerRequest> {
    return createRequest(this.ctx, input, options);
  }

  /** A customer request by issue key or id, with its current status. */
  getRequest(issueIdOrKey: string, options: CallOptions = {}): Promise<CustomerRequest> {
    return getRequest(this.ctx, issueIdOrKey, options);
  }

  /** One page of a request's status history (newest first). */
  listStatusHistory(issueIdOrKey: string, options: JsmPageOptions = {}): Promise<JsmPage<RequestStatus>> {
    return listStatusHistory(this.ctx, issueIdOrKey, options);
  }

  /** A request's whole status history. */
  iterateStatusHistory(issueIdOrKey: string, options: JsmPageOptions = {}): AsyncGenerator<RequestStatus, void, undefined> {
    return iterateStatusHistory(this.ctx, issueIdOrKey, options);
  }

  /** Adds a public reply (`public: true`, the customer sees it) or an internal note (`public: false`). */
  addComment(issueIdOrKey: string, input: AddRequestCommentInput, options: CallOptions = {}): Promise<RequestComment> {
    return addRequestComment(this.ctx, issueIdOrKey, input, options);
  }

  /** One page of a request's comments (both kinds unless `public`/`internal` say otherwise). */
  listComments(issueIdOrKey: string, options: ListRequestCommentsOptions = {}): Promise<JsmPage<RequestComment>> {
    return listRequestComments(this.ctx, issueIdOrKey, options);
  }

  /** Every comment of a request. */
  iterateComments(issueIdOrKey: string, options: ListRequestCommentsOptions = {}): AsyncGenerator<RequestComment, void, undefined> {
    return iterateRequestComments(this.ctx, issueIdOrKey, options);
  }

  /** One page of a request's SLAs (agents only). */
  listSlas(issueIdOrKey: string, options: JsmPageOptions = {}): Promise<JsmPage<Sla>> {
    return listSlas(this.ctx, issueIdOrKey, options);
  }

  /** Every SLA of a request. */
  iterateSlas(issueIdOrKey: string, options: JsmPageOptions = {}): AsyncGenerator<Sla, void, undefined> {
    return iterateSlas(this.ctx, issueIdOrKey, options);
  }

  /** One page of a request's approvals. */
  listApprovals(issueIdOrKey: string, options: JsmPageOptions = {}): Promise<JsmPage<Approval>> {
    return listApprovals(this.ctx, issueIdOrKey, options);
  }

  /** Every approval of a request. */
  iterateApprovals(issueIdOrKey: string, options: JsmPageOptions = {}): AsyncGenerator<Approval, void, undefined> {
    return iterateApprovals(this.ctx, issueIdOrKey, options);
  }

  /** Approves or declines an approval as the caller; returns it as it is now. */
  answerApproval(issueIdOrKey: string, approvalId: string, decision: ApprovalAnswer, options: CallOptions = {}): Promise<Approval> {
    return answerApproval(this.ctx, issueIdOrKey, approvalId, decision, options);
  }

  /** One page of the customer transitions available on a request now. */
  listTransitions(issueIdOrKey: string, options: JsmPageOptions = {}): Promise<JsmPage<CustomerTransition>> {
    return listTransitions(this.ctx, issueIdOrKey, options);
  }

  /** Every customer transition available on a request now. */
  iterateTransitions(issueIdOrKey: string, options: JsmPageOptions = {}): AsyncGenerator<CustomerTransition, void, undefined> {
    return iterateTransitions(this.ctx, issueIdOrKey, options);
  }

  /** Makes a customer transition by id, with an optional public comment. */
  transition(issueIdOrKey: string, input: RequestTransitionInput, options: CallOptions = {}): Promise<void> {
    return transitionRequest(this.ctx, issueIdOrKey, input, options);
  }
}
