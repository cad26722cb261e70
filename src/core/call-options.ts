import type { RetryPolicyOptions } from './retry-policy.js';
import type { RequestSpec } from './transport.js';

/**
 * Options every operation takes, last argument: cancel it, give it its own
 * timeout or retry policy, or add headers to its requests. An operation that
 * makes several requests (a number resolved before a write, the lookup before
 * a keyed create, the pages of a search) applies them to each.
 *
 * @example
 * // One attempt of at most 2 s, with a trace header over the client's `headers`.
 * await sn.incidents.get('INC0010001', { timeoutMs: 2_000, retry: false, headers: { 'x-trace-id': traceId } });
 * // Fewer retries for this search, cancellable.
 * for await (const issue of jira.issues.iterate(jql`project = OPS`, { retry: { retries: 1 }, signal })) keys.push(issue.key);
 */
export interface CallOptions {
  /** Cancels the call (an {@link AbortedError} ends it; a wait between retries ends at once). */
  readonly signal?: AbortSignal | undefined;
  /**
   * This call's per-attempt timeout, in ms (never more than the retry budget);
   * a value that is not a number above 0 is a `ConfigError` and nothing is sent.
   * @default the client's `retry.attemptTimeoutMs`
   */
  readonly timeoutMs?: number | undefined;
  /** Overrides of the client's retry policy for this call, or `false` for a single attempt. @default the client's policy */
  readonly retry?: RetryPolicyOptions | false | undefined;
  /** Headers added to this call's requests, over the client's default `headers` by name, case-insensitive (the credentials always win). @default none */
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
