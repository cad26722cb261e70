import pRetry from 'p-retry';
import * as z from 'zod/mini';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { ConfigError, type ItsmError, type RateLimitInfo, type RetryMetadata } from './errors.js';
import { zodIssues } from './zod-issues.js';

/** Options of a {@link RetryPolicy}. Every field is optional; defaults follow. */
export interface RetryPolicyOptions {
  /** Retries after the first attempt. @default 5 */
  readonly retries?: number;
  /** Exponential growth of the delay per retry. @default 2 */
  readonly factor?: number;
  /** The base delay before the first retry, in ms. @default 500 */
  readonly minDelayMs?: number;
  /** The cap on any computed delay, in ms. @default 30000 */
  readonly maxDelayMs?: number;
  /** `full`: each delay is uniform in [0, computed]; `none`: exactly the computed delay. @default 'full' */
  readonly jitter?: 'full' | 'none';
  /** Statuses that are retried. 500 is opt-in; other 4xx never are. @default [429, 502, 503, 504] */
  readonly retryOnStatus?: readonly number[];
  /** Whether connection failures and attempt timeouts are retried. @default true */
  readonly retryNetworkErrors?: boolean;
  /**
   * Whether a refused connection or a host name that does not resolve is
   * retried. Nothing was sent, so it is safe, and it rides out a restart; turn
   * it off to fail at once where a refusal means a wrong URL (the CLI does). @default true
   */
  readonly retryRefused?: boolean;
  /** The whole call's budget, every attempt and delay included, in ms. @default 60000 */
  readonly totalBudgetMs?: number;
  /** One attempt's timeout, in ms; never more than what is left of the budget. @default 30000 */
  readonly attemptTimeoutMs?: number;
}

// zod/mini (not the full zod): it tree-shakes, so `import { ServiceNowClient }`
// stays small (full zod is ~100 KB gzip in a bundle). Mini has no default
// messages, hence the explicit ones.
const count = (min: number, max: number) =>
  z.optional(z.number('must be a number').check(z.int('must be an integer'), z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`)));
const ms = () => z.optional(z.number('must be a number of ms').check(z.gte(0, 'must not be negative')));
const positiveMs = () => z.optional(z.number('must be a number of ms').check(z.gt(0, 'must be greater than 0')));

/** The checks `RetryPolicy.from` runs on its options (the ITSM config's JSON Schema is generated from them too). */
export const RETRY_POLICY_OPTIONS_SCHEMA = z.strictObject({
  retries: count(0, 100),
  factor: z.optional(z.number('must be a number').check(z.gte(1, 'must be at least 1'), z.lte(10, 'must be at most 10'))),
  minDelayMs: ms(),
  maxDelayMs: ms(),
  jitter: z.optional(z.enum(['full', 'none'], 'must be "full" or "none"')),
  retryOnStatus: z.optional(z.array(z.number('must be a number').check(z.int('must be an integer'), z.gte(400, 'must be a 4xx or 5xx status'), z.lte(599, 'must be a 4xx or 5xx status')), 'must be a list of statuses')),
  retryNetworkErrors: z.optional(z.boolean('must be true or false')),
  retryRefused: z.optional(z.boolean('must be true or false')),
  totalBudgetMs: positiveMs(),
  attemptTimeoutMs: positiveMs(),
}, 'must be an object');

/** How an attempt failed, as the transport classifies it for the policy. */
export interface AttemptFailureInfo {
  /** The HTTP status, when a response came back. */
  readonly status?: number | undefined;
  /** `network` or `timeout` when no response came back. */
  readonly kind: 'status' | 'network' | 'timeout';
  /** The server's `Retry-After`, in ms. */
  readonly retryAfterMs?: number | undefined;
  /** Every rate-limit header of the response, when there was one. */
  readonly rateLimit?: RateLimitInfo | undefined;
  /** Whether the request may have changed server state (a write whose body was sent). */
  readonly ambiguous: boolean;
  /** `false` when trying again cannot help (a refused connection, an untrusted certificate), whatever the policy says. */
  readonly retryable?: boolean;
  /** Builds the final error with the call's retry metadata. */
  build(retry: RetryMetadata, hint?: string): ItsmError;
}

/** Thrown by an attempt function to tell the policy how it failed. */
export class AttemptFailure extends Error {
  constructor(readonly info: AttemptFailureInfo) {
    super(`attempt failed (${info.kind}${info.status ? ` ${info.status}` : ''})`);
  }
}

/** What an attempt knows about its own limits. */
export interface AttemptContext {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The timeout for this attempt: the per-attempt timeout, capped by what is left of the budget. */
  readonly timeoutMs: number;
  /** Whether `timeoutMs` was cut down by the total budget (so a timeout ends the call). */
  readonly cappedByBudget: boolean;
}

/** Passed to `onRetry` before each delay. */
export interface RetryDecisionInfo {
  readonly attempt: number;
  readonly delayMs: number;
  readonly failure: AttemptFailureInfo;
}

/** Per-call inputs to {@link RetryPolicy.execute}. */
export interface ExecuteOptions {
  readonly clock?: Clock;
  readonly signal?: AbortSignal | undefined;
  /**
   * Whether it is safe to send again after this failure. The transport says no
   * for a non-idempotent write that failed ambiguously.
   */
  readonly mayResend?: (failure: AttemptFailureInfo) => Promise<boolean | string> | boolean | string;
  readonly onRetry?: (info: RetryDecisionInfo) => void;
  /** Source of randomness for jitter, for tests. @default Math.random */
  readonly random?: () => number;
}

/** A value and the retry metadata of the call that produced it. */
export interface Retried<T> {
  readonly value: T;
  readonly retry: RetryMetadata;
}

/**
 * The SDK's one retry layer: exponential backoff with full jitter on p-retry,
 * `Retry-After` honoured, a cap per delay, at most N retries and a total budget
 * that also bounds each attempt's timeout.
 *
 * @example
 * const policy = RetryPolicy.from({ retries: 3, retryOnStatus: [429, 500, 502, 503, 504] });
 */
export class RetryPolicy {
  readonly retries: number;
  readonly factor: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: 'full' | 'none';
  readonly retryOnStatus: ReadonlySet<number>;
  readonly retryNetworkErrors: boolean;
  readonly retryRefused: boolean;
  readonly totalBudgetMs: number;
  readonly attemptTimeoutMs: number;
  private readonly options: RetryPolicyOptions;
  private readonly derived = new Map<string, RetryPolicy>();

  private constructor(options: RetryPolicyOptions) {
    this.options = options;
    this.retries = options.retries ?? 5;
    this.factor = options.factor ?? 2;
    this.minDelayMs = options.minDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.jitter = options.jitter ?? 'full';
    this.retryOnStatus = new Set(options.retryOnStatus ?? [429, 502, 503, 504]);
    this.retryNetworkErrors = options.retryNetworkErrors ?? true;
    this.retryRefused = options.retryRefused ?? true;
    this.totalBudgetMs = options.totalBudgetMs ?? 60_000;
    this.attemptTimeoutMs = Math.min(options.attemptTimeoutMs ?? 30_000, this.totalBudgetMs);
  }

  /** Validates options once (a {@link ConfigError} names each bad key) and builds a policy. */
  static from(options: RetryPolicyOptions | RetryPolicy = {}): RetryPolicy {
    if (options instanceof RetryPolicy) return options;
    const parsed = RETRY_POLICY_OPTIONS_SCHEMA.safeParse(options);
    if (!parsed.success) throw new ConfigError('Invalid retry policy', zodIssues(parsed.error, 'retry'));
    if ((options.minDelayMs ?? 500) > (options.maxDelayMs ?? 30_000)) {
      throw new ConfigError('Invalid retry policy', [
        { field: 'retry.minDelayMs', rule: 'range', message: 'must not be greater than retry.maxDelayMs' },
      ]);
    }
    return new RetryPolicy(options);
  }

  /**
   * This policy with some options replaced (per-call overrides), validated like
   * {@link RetryPolicy.from}; `false` means a single attempt. Policies derived
   * from the same overrides are built once.
   */
  with(overrides: RetryPolicyOptions | false): RetryPolicy {
    const options = overrides === false ? { retries: 0 } : overrides;
    const key = JSON.stringify(options);
    let policy = this.derived.get(key);
    if (!policy) {
      policy = RetryPolicy.from({ ...this.options, ...options });
      if (this.derived.size < 32) this.derived.set(key, policy);
    }
    return policy;
  }

  /** The computed delay before retry number `retry` (1-based), before jitter and `Retry-After`. */
  backoffMs(retry: number): number {
    return Math.min(this.maxDelayMs, this.minDelayMs * this.factor ** (retry - 1));
  }

  /** Whether a failure is of a retryable kind (ignoring idempotency and budget). */
  isRetryable(failure: AttemptFailureInfo): boolean {
    if (failure.retryable === false) return false;
    if (failure.kind === 'status') return failure.status !== undefined && this.retryOnStatus.has(failure.status);
    return this.retryNetworkErrors;
  }

  /**
   * Runs `attempt` until it succeeds, fails for good, or the budget is spent.
   * The attempt throws {@link AttemptFailure} to describe a failure; anything
   * else it throws ends the call at once.
   */
  async execute<T>(attempt: (ctx: AttemptContext) => Promise<T>, options: ExecuteOptions = {}): Promise<Retried<T>> {
    const clock = options.clock ?? systemClock;
    const started = clock.now();
    options.signal?.throwIfAborted();
    // The first attempt runs outside p-retry and without the retry bookkeeping: most calls
    // succeed at once, and on loopback that bookkeeping was a measurable share of the SDK's overhead.
    let value: T;
    try {
      value = await attempt(this.attemptContext(1, started + this.totalBudgetMs - clock.now()));
    } catch (error) {
      return this.retryAfter(error, attempt, options, clock, started);
    }
    return { value, retry: { attempts: 1, elapsedMs: clock.now() - started, delaysMs: [] } };
  }

  private attemptContext(attempt: number, left: number): AttemptContext {
    const timeoutMs = Math.max(1, Math.min(this.attemptTimeoutMs, left));
    return { attempt, timeoutMs, cappedByBudget: timeoutMs < this.attemptTimeoutMs };
  }

  /** Carries on after the first attempt failed with `firstError`. */
  private async retryAfter<T>(firstError: unknown, attempt: (ctx: AttemptContext) => Promise<T>, options: ExecuteOptions, clock: Clock, started: number): Promise<Retried<T>> {
    const random = options.random ?? Math.random;
    const deadline = started + this.totalBudgetMs;
    const delays: number[] = [];
    let attempts = 1;
    const meta = (): RetryMetadata => ({ attempts, elapsedMs: clock.now() - started, delaysMs: [...delays] });
    const finish = (failure: AttemptFailureInfo, hint?: string): never => {
      throw new FinalError(failure.build(meta(), hint));
    };

    const run = (n: number): Promise<T> => {
      attempts = n;
      return attempt(this.attemptContext(n, deadline - clock.now()));
    };
    const onFailure = async (error: unknown, retriesLeft: number): Promise<void> => {
      if (!(error instanceof AttemptFailure)) throw error;
      const failure = error.info;
      if (!this.isRetryable(failure)) finish(failure);
      if (retriesLeft <= 0) finish(failure);
      if (failure.ambiguous) {
        const verdict = (await options.mayResend?.(failure)) ?? true;
        if (verdict !== true) finish(failure, typeof verdict === 'string' ? verdict : undefined);
      }
      const delayMs = this.delayFor(attempts, failure, random);
      if (clock.now() + delayMs >= deadline) {
        finish(failure, `Not retried: waiting ${delayMs} ms would pass the ${this.totalBudgetMs} ms retry budget`);
      }
      delays.push(delayMs);
      options.onRetry?.({ attempt: attempts, delayMs, failure });
      if (delayMs > 0) await clock.sleep(delayMs, options.signal);
    };

    try {
      await onFailure(firstError, this.retries);
      const value = await pRetry((n) => run(n + 1), {
        retries: this.retries - 1,
        // Delays are ours (jitter, Retry-After, the injected clock): p-retry's own stay at zero.
        minTimeout: 0,
        maxTimeout: 0,
        ...(options.signal ? { signal: options.signal } : {}),
        onFailedAttempt: ({ error, retriesLeft }) => onFailure(error, retriesLeft),
      });
      return { value, retry: meta() };
    } catch (error) {
      if (error instanceof FinalError) throw error.error;
      throw error;
    }
  }

  private delayFor(attempt: number, failure: AttemptFailureInfo, random: () => number): number {
    if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
    const ceiling = this.backoffMs(attempt);
    return this.jitter === 'full' ? Math.round(random() * ceiling) : ceiling;
  }
}

/** Wraps the final error so p-retry rethrows it untouched (it must not be a TypeError). */
class FinalError extends Error {
  constructor(readonly error: ItsmError) {
    super(error.message);
  }
}
