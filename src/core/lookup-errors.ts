import { hasErrorKind, ItsmError, type Platform } from './errors.js';

/** One record a lookup found, as the errors below name it. */
export interface LookupCandidate {
  /** What the platform identifies it by (an account id, a user name, a sys_id). */
  readonly id: string;
  /** How a person recognises it (`Sam Lee <sam.lee@example.com>`). */
  readonly label: string;
}

/** What a lookup was for, for both lookup errors. */
export interface LookupInit {
  readonly platform: Platform;
  /** What was looked up, singular (`user`, `group`). */
  readonly what: string;
  /** The value the caller gave (an email address, a name). */
  readonly query: string;
  /** What to do about it, said after the finding. */
  readonly hint: string;
}

/**
 * A lookup by a human-friendly value (an email address, a name) found nothing.
 * The message names the platform, the value and what to do.
 */
export class NoMatchError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'NoMatchError';

  readonly platform: Platform;
  readonly what: string;
  readonly query: string;
  constructor(init: LookupInit) {
    super(`No ${init.platform} ${init.what} matches "${init.query}": ${init.hint}`);
    this.platform = init.platform;
    this.what = init.what;
    this.query = init.query;
  }
}

/**
 * A lookup by a human-friendly value matched several records, so it cannot
 * pick one; `candidates` (also in the message, at most ten) are what matched.
 */
export class AmbiguousMatchError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'AmbiguousMatchError';

  readonly platform: Platform;
  readonly what: string;
  readonly query: string;
  readonly candidates: readonly LookupCandidate[];
  constructor(init: LookupInit & { readonly candidates: readonly LookupCandidate[] }) {
    const shown = init.candidates.slice(0, 10).map((c) => `${c.label} (${c.id})`);
    const more = init.candidates.length > shown.length ? ` and ${init.candidates.length - shown.length} more` : '';
    super(`${init.candidates.length} ${init.platform} ${init.what}s match "${init.query}": ${shown.join(', ')}${more}; ${init.hint}`);
    this.platform = init.platform;
    this.what = init.what;
    this.query = init.query;
    this.candidates = init.candidates;
  }
}

/** True for {@link NoMatchError} (works across duplicate installs). */
export const isNoMatchError = (e: unknown): e is NoMatchError => hasErrorKind(e, 'NoMatchError');
/** True for {@link AmbiguousMatchError} (works across duplicate installs). */
export const isAmbiguousMatchError = (e: unknown): e is AmbiguousMatchError => hasErrorKind(e, 'AmbiguousMatchError');
