import { isHttpError, type ItsmError, type Platform, type RetryMetadata } from './errors.js';

/**
 * The tracing port: the transport reports each logical call and each HTTP
 * attempt in it to a tracer, which turns them into spans (OpenTelemetry in
 * `itsmkit/otel`, or anything else). Nothing here depends on a tracing
 * library. Without a tracer the transport makes no call and allocates nothing for it.
 *
 * @example
 * // Counts attempts per operation, and tags each attempt with a header.
 * const tracer: TransportTracer = {
 *   startCall: (call) => ({
 *     startAttempt: (attempt) => ({ headers: { 'x-attempt': String(attempt.attempt) }, end: () => {} }),
 *     end: (outcome) => console.log(call.operation, outcome.retry.attempts),
 *   }),
 * };
 */
export interface TransportTracer {
  /** Called once per logical call (one `Transport.request`), before its first attempt. */
  startCall(call: TracedCall): TracedCallScope;
}

/** One logical call, as the transport describes it to a {@link TransportTracer}. */
export interface TracedCall {
  readonly platform: Platform;
  /** The operation's name (`incident.create`), when the caller gave one. */
  readonly operation: string | undefined;
  readonly method: string;
  /** The request URL with userinfo and secret-looking query values redacted, the same as on events and errors. */
  readonly url: string;
}

/** A started call: it reports its attempts and then ends exactly once. */
export interface TracedCallScope {
  /** Called before each attempt is sent (a token refresh after a 401 is sent in the same attempt). */
  startAttempt(attempt: TracedAttempt): TracedAttemptScope;
  /** Called once when the call succeeds or fails, after its last attempt ended. */
  end(outcome: TracedCallOutcome): void;
}

/** One attempt of a call. */
export interface TracedAttempt {
  /** 1 for the first attempt. */
  readonly attempt: number;
}

/** A started attempt. */
export interface TracedAttemptScope {
  /**
   * Headers added to this attempt's request, e.g. W3C `traceparent`. They go
   * over the client's and the call's headers; the credentials still win.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Called once when the attempt has an answer or failed. */
  end(outcome: TracedAttemptOutcome): void;
}

/** How an attempt ended. */
export interface TracedAttemptOutcome {
  /** The HTTP status, when a response came back. */
  readonly status?: number | undefined;
  /** Set when the attempt failed: see {@link errorType}. */
  readonly errorType?: string | undefined;
}

/** How a call ended. */
export interface TracedCallOutcome {
  /** The final HTTP status, when a response came back (200 for a write found by reconciliation). */
  readonly status?: number | undefined;
  /** Set when the call failed: see {@link errorType}. */
  readonly errorType?: string | undefined;
  /** The error the call throws, when it failed. */
  readonly error?: ItsmError | undefined;
  /** Attempts, elapsed time and the delays between attempts. */
  readonly retry: RetryMetadata;
  /** True when an ambiguous write was found to have taken effect by a lookup. */
  readonly reconciled: boolean;
}

/**
 * A failure's low-cardinality type, as the OpenTelemetry `error.type`
 * attribute wants it: the status code as a string for an HTTP error answer
 * (`'503'`), otherwise the error's name (`'TimeoutError'`, `'ConnectionError'`).
 */
export function errorType(error: ItsmError): string {
  return isHttpError(error) && error.status >= 400 ? String(error.status) : error.name;
}
