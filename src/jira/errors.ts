import { createHttpError, hasErrorKind, type HttpError, httpErrorFields, TicketMayExistError, ValidationError } from '../core/index.js';
import type { JiraTransition } from './types.js';

/**
 * A transition asked for by name or id is not available from the issue's
 * current status. `available` lists what is (also named in the message and in `issues`).
 */
export class TransitionNotAvailableError extends ValidationError {
  /** @internal */
  static override readonly errorKind: string = 'TransitionNotAvailableError';

  readonly issueKey: string;
  /** The name or id that was asked for. */
  readonly requested: string;
  readonly available: readonly JiraTransition[];
  constructor(issueKey: string, requested: string, available: readonly JiraTransition[]) {
    const list = available.length
      ? available.map((t) => `"${t.name}" (id ${t.id}${t.to ? ` -> ${t.to.name}` : ''})`).join(', ')
      : 'none (the user may lack the Transition issues permission)';
    super(`Cannot transition ${issueKey}`, [
      { field: 'transition', rule: 'available', message: `"${requested}" is not available from the current status; available: ${list}` },
    ]);
    this.issueKey = issueKey;
    this.requested = requested;
    this.available = available;
  }
}

/**
 * A create with a correlation key failed ambiguously (the request may have
 * reached Jira) and the follow-up search could not tell whether the issue
 * exists: searches failed, or the call's deadline came before Jira's search
 * index settled. The issue **may exist**; search for `label` before creating it again.
 */
export class IssueMayExistError extends TicketMayExistError {
  /** @internal */
  static override readonly errorKind: string = 'IssueMayExistError';

  readonly correlationKey: string;
  readonly projectKey: string;
  /** The label the issue carries if it was created. */
  readonly label: string;
  constructor(init: { correlationKey: string; projectKey: string; label: string; polls: number; reason: string; cause?: unknown }) {
    super({
      platform: 'jira',
      key: init.correlationKey,
      polls: init.polls,
      reason: init.reason,
      cause: init.cause,
      message: `Jira create for correlation key "${init.correlationKey}" in project ${init.projectKey} failed ambiguously and the issue may exist: ${init.reason} after ${init.polls} search${init.polls === 1 ? '' : 'es'} (Jira search is eventually consistent). Create it again with the same key (the retry looks it up first), or search for labels = "${init.label}"`,
    });
    this.correlationKey = init.correlationKey;
    this.projectKey = init.projectKey;
    this.label = init.label;
  }
}


/** True for {@link TransitionNotAvailableError} (works across duplicate installs). */
export const isTransitionNotAvailableError = (e: unknown): e is TransitionNotAvailableError => hasErrorKind(e, 'TransitionNotAvailableError');
/** True for {@link IssueMayExistError} (works across duplicate installs). */
export const isIssueMayExistError = (e: unknown): e is IssueMayExistError => hasErrorKind(e, 'IssueMayExistError');

/**
 * The same {@link HttpError} with a Jira hint appended to the message. Built
 * with the core factory, so the class, fields and retry metadata are kept; the
 * original is the `cause`.
 */
export function withJiraContext(error: HttpError, change: { hint: string }): HttpError {
  const init = httpErrorFields(error);
  // What the original message said beyond what the factory derives from its fields (a transport hint).
  const plain = createHttpError(init).message;
  const earlierHint = error.message.startsWith(plain) ? error.message.slice(plain.length).replace(/^\.\s*/, '') : '';
  const hint = [earlierHint, change.hint].filter(Boolean).join('. ') || undefined;
  return createHttpError({ ...init, hint, cause: error });
}
