import { hasErrorKind, isItsmError, type RetryMetadata } from '../../../src/core/errors.js';
import type { CreatedTicket, TicketTarget } from './targets.js';

/** How one create call ended. */
export type CallOutcome = { readonly ok: true; readonly value: CreatedTicket } | { readonly ok: false; readonly error: unknown };

/** What one call did, judged against the fake's store. */
export interface CallVerdict {
  readonly ok: boolean;
  /** Tickets the fake holds for the call's correlation key. */
  readonly tickets: number;
  /** Tickets beyond the one there should be. */
  readonly duplicates: number;
  /** A success whose ticket is missing, or a failure that left a ticket without saying it may exist. */
  readonly lost: boolean;
  /** A failure that left a ticket and whose error says so (`maybeSent`, `IssueMayExistError`). */
  readonly flagged: boolean;
  /** The failure is not an itsmkit error. */
  readonly untyped: boolean;
  /** The failure is an itsmkit error without retry metadata. */
  readonly missingRetry: boolean;
  /** The error's class name, for reports. */
  readonly errorName: string | undefined;
  /** Retry metadata of the outcome, when it has some. */
  readonly retry: RetryMetadata | undefined;
}

/** Whether an error tells the caller the write may have happened. */
export function saysMayExist(error: unknown): boolean {
  return (error as { maybeSent?: unknown } | null)?.maybeSent === true || hasErrorKind(error, 'IssueMayExistError');
}

/** Whether a value is complete retry metadata. */
export function isRetryMetadata(value: unknown): value is RetryMetadata {
  const r = value as Partial<RetryMetadata> | undefined;
  return (
    typeof r === 'object' && r !== null &&
    Number.isInteger(r.attempts) && (r.attempts as number) >= 1 &&
    typeof r.elapsedMs === 'number' && r.elapsedMs >= 0 &&
    Array.isArray(r.delaysMs) && r.delaysMs.length === (r.attempts as number) - 1
  );
}

/** Judges one call: exactly one ticket on success; a typed error with retry metadata and no ticket (or a flagged one) on failure. */
export function judge(target: TicketTarget, key: string | undefined, index: number, outcome: CallOutcome): CallVerdict {
  const tickets = target.ticketsFor(key, index);
  const duplicates = Math.max(0, tickets - 1);
  if (outcome.ok) {
    return {
      ok: true,
      tickets,
      duplicates,
      lost: tickets === 0 || !target.holds(outcome.value.id),
      flagged: false,
      untyped: false,
      missingRetry: false,
      errorName: undefined,
      retry: outcome.value.retry,
    };
  }
  const error = outcome.error;
  const typed = isItsmError(error);
  const retry = (error as { retry?: unknown } | null)?.retry;
  const flagged = tickets > 0 && saysMayExist(error);
  return {
    ok: false,
    tickets,
    duplicates,
    lost: tickets > 0 && !flagged,
    flagged,
    untyped: !typed,
    missingRetry: typed && !isRetryMetadata(retry),
    errorName: error instanceof Error ? error.name : typeof error,
    retry: isRetryMetadata(retry) ? retry : undefined,
  };
}

/** Sums verdicts into the figures a report row needs. */
export class Tally {
  calls = 0;
  succeeded = 0;
  failedTyped = 0;
  flagged = 0;
  duplicates = 0;
  lost = 0;
  untypedErrors = 0;
  missingRetry = 0;
  maxElapsedMs = 0;
  readonly errors = new Map<string, number>();

  add(verdict: CallVerdict, elapsedMs: number): void {
    this.calls++;
    this.maxElapsedMs = Math.max(this.maxElapsedMs, elapsedMs);
    this.duplicates += verdict.duplicates;
    if (verdict.lost) this.lost++;
    if (verdict.flagged) this.flagged++;
    if (verdict.ok) this.succeeded++;
    else {
      if (verdict.untyped) this.untypedErrors++;
      else this.failedTyped++;
      if (verdict.missingRetry) this.missingRetry++;
      const name = verdict.errorName ?? 'unknown';
      this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
    }
  }

  /** `NetworkError x3, ServerError x1`, for the report's note column. */
  errorSummary(): string {
    return [...this.errors].map(([name, n]) => `${name} x${n}`).join(', ');
  }
}
