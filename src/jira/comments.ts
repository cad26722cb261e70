import { callFields, type CallOptions, path, type RequestSpec, ValidationError } from '../core/index.js';
import { assertAdf } from './adf.js';
import type { JiraContext } from './context.js';
import { decodeComment, decodeComments } from './decoders.js';
import { fromWireComment, toWireRichText } from './mapper.js';
import type { JiraComment, JiraRichText } from './types.js';

/** Options of {@link JiraIssues.addComment}, with the per-call ones ({@link CallOptions}). */
export interface AddCommentOptions extends CallOptions {
  /** Restrict the comment to a group or a project role. */
  readonly visibility?: { readonly type: 'group' | 'role'; readonly value: string };
}

/**
 * Adds a comment (`POST .../comment`, 201): plain text becomes ADF on Cloud and
 * stays a string on Data Center. Not retried after an ambiguous failure (a
 * comment has no natural key), so a timeout never posts it twice.
 */
export async function addComment(ctx: JiraContext, issueKey: string, body: JiraRichText, options: AddCommentOptions = {}): Promise<JiraComment> {
  if (typeof body === 'string' && body.trim() === '') {
    throw new ValidationError('Invalid comment', [{ field: 'body', rule: 'required', message: 'must not be empty' }]);
  }
  if (typeof body !== 'string') assertAdf(body, 'body');
  const spec: RequestSpec = {
    method: 'POST',
    path: `${ctx.api}${path`/issue/${issueKey}/comment`}`,
    json: { body: toWireRichText(body, ctx.deployment), ...(options.visibility ? { visibility: options.visibility } : {}) },
    operation: 'jira.comment.add',
    notRetriedHint: 'a comment has no key to look it up by; check the issue before adding it again',
    ...callFields(options),
  };
  return fromWireComment(decodeComment(await ctx.send(spec), ctx.where(spec)));
}

/** Every comment on an issue, oldest first, following Jira's `startAt` paging. */
export async function listComments(ctx: JiraContext, issueKey: string, options: CallOptions = {}): Promise<JiraComment[]> {
  const out: JiraComment[] = [];
  for (;;) {
    const spec: RequestSpec = {
      method: 'GET',
      path: `${ctx.api}${path`/issue/${issueKey}/comment`}`,
      query: { startAt: out.length, maxResults: 100, orderBy: 'created' },
      operation: 'jira.comment.list',
      ...callFields(options),
    };
    const res = await ctx.send<{ total?: unknown }>(spec);
    const page = decodeComments(res, ctx.where(spec));
    out.push(...page.map(fromWireComment));
    if (page.length === 0 || typeof res.data.total !== 'number' || out.length >= res.data.total) return out;
  }
}
