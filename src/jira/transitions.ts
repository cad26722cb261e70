import { callFields, type CallOptions, path, type RequestSpec } from '../core/index.js';
import { assertAdf } from './adf.js';
import type { JiraContext } from './context.js';
import { decodeTransitions } from './decoders.js';
import { TransitionNotAvailableError } from './errors.js';
import { fromWireTransition, toWireRichText } from './mapper.js';
import type { JiraRichText, JiraTransition } from './types.js';

/** What to do when transitioning an issue, with the per-call options ({@link CallOptions}) for both of its requests. */
export interface TransitionInput extends CallOptions {
  /** The transition's id, its name, or the name of the status it leads to (case-insensitive). */
  readonly to: string;
  /** A resolution by name (`Fixed`, `Done`), for transitions whose screen asks for one. */
  readonly resolution?: string;
  /** A comment added with the transition. */
  readonly comment?: JiraRichText;
  /** Further fields on the transition screen, by wire name. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** The transitions available from an issue's current status (`GET .../transitions`). */
export async function listTransitions(ctx: JiraContext, issueKey: string, options: CallOptions = {}): Promise<JiraTransition[]> {
  const spec: RequestSpec = {
    method: 'GET',
    path: `${ctx.api}${path`/issue/${issueKey}/transitions`}`,
    operation: 'jira.transitions.list',
    ...callFields(options),
  };
  return decodeTransitions(await ctx.send(spec), ctx.where(spec)).map(fromWireTransition);
}

/**
 * Moves an issue through its workflow. Looks the transition up among those
 * available now (by id, then name, then target status); one that is not
 * available throws a {@link TransitionNotAvailableError} listing the available
 * ones, before anything is changed.
 */
export async function transitionIssue(ctx: JiraContext, issueKey: string, input: TransitionInput): Promise<JiraTransition> {
  if (input.comment !== undefined && typeof input.comment !== 'string') assertAdf(input.comment, 'comment');
  const available = await listTransitions(ctx, issueKey, callFields(input));
  const wanted = input.to.trim().toLowerCase();
  const match =
    available.find((t) => t.id === input.to.trim()) ??
    available.find((t) => t.name.toLowerCase() === wanted) ??
    available.find((t) => t.to?.name.toLowerCase() === wanted);
  if (!match) throw new TransitionNotAvailableError(issueKey, input.to, available);
  const fields: Record<string, unknown> = { ...input.fields };
  if (input.resolution !== undefined) fields['resolution'] = { name: input.resolution };
  await ctx.send({
    method: 'POST',
    path: `${ctx.api}${path`/issue/${issueKey}/transitions`}`,
    json: {
      transition: { id: match.id },
      ...(Object.keys(fields).length ? { fields } : {}),
      ...(input.comment !== undefined ? { update: { comment: [{ add: { body: toWireRichText(input.comment, ctx.deployment) } }] } } : {}),
    },
    // Applying the same transition twice fails (it is no longer available), it never doubles.
    idempotent: true,
    responseType: 'none',
    operation: 'jira.transitions.do',
    ...callFields(input),
  });
  return match;
}
