import { type CallOptions, type FieldIssue, path, ValidationError } from '../../core/index.js';
import type { JiraContext } from '../context.js';
import { allOf, oneOf, pageOf } from './calls.js';
import { fromWireComment } from './mapper.js';
import type { JsmCall, JsmPageOptions } from './page.js';
import { requestSubject } from './requests.js';
import type { JsmPage, RequestComment } from './types.js';

/** A comment to add to a request. */
export interface AddRequestCommentInput {
  /** The text (plain text or wiki markup; JSM's API takes a string on Cloud and Data Center). */
  readonly body: string;
  /**
   * `true`: a reply the customer sees (and is notified of); `false`: an
   * internal note only agents see. Required, so a note never reaches a customer by default.
   */
  readonly public: boolean;
}

/** Which comments to list; by default both kinds. */
export interface ListRequestCommentsOptions extends JsmPageOptions {
  /** Include public replies. @default true */
  readonly public?: boolean;
  /** Include internal notes (agents only see them). @default true */
  readonly internal?: boolean;
}

/**
 * Adds a public reply or an internal note (`POST /request/{key}/comment`, 201).
 * Customers may only add public ones (JSM refuses an internal note from them).
 * Not re-sent after an ambiguous failure, so a reply is never posted twice.
 */
export async function addRequestComment(ctx: JiraContext, issueIdOrKey: string, input: AddRequestCommentInput, options: CallOptions = {}): Promise<RequestComment> {
  const issues: FieldIssue[] = [];
  if (typeof input.body !== 'string' || input.body.trim() === '') issues.push({ field: 'body', rule: 'required', message: 'must be a non-empty string' });
  if (typeof input.public !== 'boolean') issues.push({ field: 'public', rule: 'required', message: 'must be true (a reply the customer sees) or false (an internal note)' });
  if (issues.length) throw new ValidationError('Invalid request comment', issues);
  const call: JsmCall = {
    method: 'POST',
    path: path`/request/${issueIdOrKey}/comment`,
    operation: 'jsm.request.comment.add',
    json: { body: input.body, public: input.public },
    notRetriedHint: 'a comment has no key to look it up by; list the request\'s comments before adding it again',
  };
  return await oneOf(ctx, call, fromWireComment, requestSubject(issueIdOrKey), options);
}

const commentsCall = (issueIdOrKey: string, options: ListRequestCommentsOptions): JsmCall => ({
  method: 'GET',
  path: path`/request/${issueIdOrKey}/comment`,
  operation: 'jsm.request.comment.list',
  query: { public: options.public ?? true, internal: options.internal ?? true },
});

/** One page of a request's comments, oldest first (`GET /request/{key}/comment`). */
export function listRequestComments(ctx: JiraContext, issueIdOrKey: string, options: ListRequestCommentsOptions = {}): Promise<JsmPage<RequestComment>> {
  return pageOf(ctx, commentsCall(issueIdOrKey, options), fromWireComment, requestSubject(issueIdOrKey), options);
}

/** Every comment of a request. */
export function iterateRequestComments(ctx: JiraContext, issueIdOrKey: string, options: ListRequestCommentsOptions = {}): AsyncGenerator<RequestComment, void, undefined> {
  return allOf(ctx, commentsCall(issueIdOrKey, options), fromWireComment, requestSubject(issueIdOrKey), options);
}
