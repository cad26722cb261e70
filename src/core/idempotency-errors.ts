import { hasErrorKind, ItsmError, type Platform, type RetryMetadata } from './errors.js';

/**
 * A keyed create failed ambiguously (the request may have reached the
 * platform) and the lookups by key could not tell whether the ticket exists:
 * they failed, or the call's deadline came first. The ticket **may exist**:
 * look it up by `key` before creating it again (a keyed create does that for
 * you, so calling it again with the same key is safe).
 */
export class TicketMayExistError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'TicketMayExistError';

  readonly platform: Platform;
  /** The correlation key the ticket carries if it was created. */
  readonly key: string;
  /** Always true: a write may have happened. */
  readonly maybeSent = true as const;
  /** Lookups made after the ambiguous failure. */
  readonly polls: number;
  /** The create call's attempts and time, set by the transport when the error ends the call. */
  declare readonly retry: RetryMetadata | undefined;
  constructor(init: { platform: Platform; key: string; polls: number; reason: string; message?: string; cause?: unknown }) {
    super(
      init.message ??
        `${init.platform} create with correlation key "${init.key}" failed ambiguously and the ticket may exist: ${init.reason} after ${init.polls} lookup${init.polls === 1 ? '' : 's'}. Create it again with the same key (the retry looks it up first), never without one`,
      { cause: init.cause },
    );
    this.platform = init.platform;
    this.key = init.key;
    this.polls = init.polls;
  }
}

/** Another call holds the key and did not finish within `waitedMs`: this one created nothing. */
export class IdempotencyConflictError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'IdempotencyConflictError';

  readonly key: string;
  readonly waitedMs: number;
  constructor(key: string, waitedMs: number) {
    super(
      `Create with key "${key}" is already in progress elsewhere and did not finish within ${waitedMs} ms; nothing was sent. Call again with the same key later: it returns that ticket once the other call is done`,
    );
    this.key = key;
    this.waitedMs = waitedMs;
  }
}

/** The key was used before for a different request (Stripe's rule: one key, one request). Nothing was sent. */
export class IdempotencyKeyReusedError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'IdempotencyKeyReusedError';

  readonly key: string;
  constructor(key: string) {
    super(
      `Key "${key}" was already used for a different ticket payload; nothing was sent. Use a new key for a different ticket, or send exactly the same payload to get the first ticket back`,
    );
    this.key = key;
  }
}

/** The idempotency store could not take the reservation. Nothing was sent: a keyed create never sends without its reservation. */
export class IdempotencyStoreError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'IdempotencyStoreError';

  readonly key: string;
  constructor(key: string, cause: unknown) {
    super(`The idempotency store could not reserve key "${key}"${describe(cause)}; nothing was sent. Retry when the store is back`, { cause });
    this.key = key;
  }
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return '';
  const code = (cause as { code?: unknown }).code;
  // The name and code only: a driver's message can quote connection details.
  return ` (${cause.name}${typeof code === 'string' ? ` ${code}` : ''})`;
}

/** True for {@link TicketMayExistError} (Jira's `IssueMayExistError` included; works across duplicate installs). */
export const isTicketMayExistError = (e: unknown): e is TicketMayExistError => hasErrorKind(e, 'TicketMayExistError');
/** True for {@link IdempotencyConflictError}. */
export const isIdempotencyConflictError = (e: unknown): e is IdempotencyConflictError => hasErrorKind(e, 'IdempotencyConflictError');
/** True for {@link IdempotencyKeyReusedError}. */
export const isIdempotencyKeyReusedError = (e: unknown): e is IdempotencyKeyReusedError => hasErrorKind(e, 'IdempotencyKeyReusedError');
/** True for {@link IdempotencyStoreError}. */
export const isIdempotencyStoreError = (e: unknown): e is IdempotencyStoreError => hasErrorKind(e, 'IdempotencyStoreError');
