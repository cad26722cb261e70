import type { RetryPolicyOptions } from './retry-policy.js';
import type { RequestSpec } from './transport.js';

/**
 * Options every operation takes, last argument: cancel it, give it its own
 * timeout or retry policy, or add headers to its requests.
 *
 * @example
 * await sn.incidents.get(id, { timeoutMs: 2_000, retry: false, headers: { 'x-trace': traceId } });
 */
export interface CallOptions {
  /** Cancels the call (an {@link AbortedError} ends it; a wait between retries ends at once). */
  readonly signal?: AbortSignal | undefined;
  /** This call's per-attempt timeout, in ms (never more than the retry budget). @default the client's `retry.attemptTimeoutMs` */
  readonly timeoutMs?: number | undefined;
  /** Overrides of the client's retry policy for this call, or `false` for a single attempt. */
  readonly retry?: RetryPolicyOptions | false | undefined;
  /** Headers added to this call's requests, over the client's default `headers` (the credentials always win). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** The request fields of a {@link CallOptions}, only those set (spread into a request spec). */
export function callFields(options: CallOptions | undefined): Pick<RequestSpec, 'signal' | 'timeoutMs' | 'retry' | 'headers'> {
  if (!options) return {};
  const { signal, timeoutMs, retry, headers } = options;
  if (timeoutMs === undefined && retry === undefined && headers === undefined) return signal ? { signal } : {};
  return {
    ...(signal ? { signal } : {}),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(retry === undefined ? {} : { retry }),
    ...(headers ? { headers } : {}),
  };
}

/** Call options given as options or, in the older form some methods still accept, as a bare `AbortSignal`. */
export function asCallOptions(options: CallOptions | AbortSignal | undefined): CallOptions {
  if (options === undefined) return {};
  return options instanceof AbortSignal ? { signal: options } : options;
}
