/**
 * One error hierarchy for the whole SDK, rooted at {@link ItsmError}.
 *
 * Every class is branded with a `Symbol.for` key, so the `isXxxError` guards
 * work even when two copies of itsmkit are installed side by side. Response
 * bodies live on the error (`body`), never in its `message`: they can carry PII.
 */

import type { ConnectionFailureReason } from './connect-errors.js';

/** Which remote system a request went to. */
export type Platform = 'servicenow' | 'jira' | 'datasources' | 'webhook' | 'oauth' | (string & {});

/** How many attempts a call took and how long it spent, on every result and every error. */
export interface RetryMetadata {
  /** Attempts made, the first one included. */
  readonly attempts: number;
  /** Wall time from the first attempt to the outcome, in ms. */
  readonly elapsedMs: number;
  /** The delay waited before each retry, in ms (length is `attempts - 1`). */
  readonly delaysMs: readonly number[];
}

/** An error a platform put in its response body, parsed into one shape for every platform. */
export interface PlatformErrorDetail {
  /** The platform's headline (`error.message` on ServiceNow, the first `errorMessages` entry on Jira). */
  readonly message?: string;
  /** ServiceNow's `error.detail`, or further Jira `errorMessages`. */
  readonly detail?: string;
  /** Field-level problems (Jira's `errors` object), in the same shape the validator uses. */
  readonly issues?: readonly FieldIssue[];
}

/** One problem with one field, as the validator, the config loader and platform errors report it. */
export interface FieldIssue {
  /** The field or dotted path the problem is on (`shortDescription`, `retry.maxDelayMs`). */
  readonly field: string;
  /** The rule that failed (`required`, `maxLength`, `enum`, `pattern`, `type`, `server`, ...). */
  readonly rule: string;
  /** A sentence a person understands. */
  readonly message: string;
}

const BRAND = Symbol.for('itsmkit.error.kinds');

/** Options every {@link ItsmError} takes. */
export interface ItsmErrorOptions {
  /** The underlying error. */
  readonly cause?: unknown;
}

/** The root of every error itsmkit throws. */
export class ItsmError extends Error {
  /**
   * @internal The name the `isXxxError` guards know a class by: a plain static
   * string, so minifiers keep it and bundlers can still drop unused classes.
   * Every class sets its own (see {@link brandError}).
   */
  static readonly errorKind: string = 'ItsmError';

  /** The class name chain, used by the cross-copy guards. */
  declare readonly [BRAND]: readonly string[];

  constructor(message: string, options: ItsmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Names come from an explicit brand, not `constructor.name`, so minifiers cannot break them.
    const kinds: string[] = [];
    for (let cls: unknown = new.target; typeof cls === 'function' && cls !== Error; cls = Object.getPrototypeOf(cls)) {
      if (Object.hasOwn(cls, 'errorKind')) kinds.push((cls as typeof ItsmError).errorKind);
    }
    this.name = kinds[0] ?? 'ItsmError';
    Object.defineProperty(this, BRAND, { value: kinds, enumerable: false });
  }
}

/** True when `value` is an itsmkit error of the branded class `kind` (works across duplicate installs). */
export function hasErrorKind(value: unknown, kind: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const kinds = (value as Record<symbol, unknown>)[BRAND];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/** What every error about one HTTP exchange carries. */
export interface RequestErrorContext {
  readonly platform: Platform;
  readonly method: string;
  /** The request URL with credentials and secret query values redacted. */
  readonly url: string;
  readonly retry: RetryMetadata;
}

/** Fields an {@link HttpError} is built from. */
export interface HttpErrorInit extends RequestErrorContext {
  readonly status: number;
  readonly requestId?: string | undefined;
  /** The parsed response body (JSON value or text, truncated past 64 KiB). */
  readonly body?: unknown;
  readonly platformError?: PlatformErrorDetail | undefined;
  readonly headers?: Record<string, string>;
  readonly cause?: unknown;
  /** A sentence appended to the message, e.g. a hint about the likely cause. */
  readonly hint?: string | undefined;
  /** Whether the request was a write that may have taken effect. @default false */
  readonly maybeSent?: boolean;
}

/** The server answered with a status that is not a success. */
export class HttpError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'HttpError';

  readonly status: number;
  readonly platform: Platform;
  readonly method: string;
  readonly url: string;
  readonly requestId: string | undefined;
  /** The response body; kept off the message because it may carry personal data. */
  readonly body: unknown;
  readonly platformError: PlatformErrorDetail | undefined;
  /** Response headers (lower-case names). */
  readonly headers: Record<string, string>;
  readonly retry: RetryMetadata;
  /**
   * True when the request was a non-idempotent write that may have taken effect
   * although this error was thrown: a 5xx answer to it, or a 2xx answer whose
   * body could not be read. Look the record up before creating it again.
   */
  readonly maybeSent: boolean;

  constructor(init: HttpErrorInit) {
    super(httpMessage(init), { cause: init.cause });
    this.status = init.status;
    this.platform = init.platform;
    this.method = init.method;
    this.url = init.url;
    this.requestId = init.requestId;
    this.platformError = init.platformError;
    this.headers = init.headers ?? {};
    this.retry = init.retry;
    this.maybeSent = init.maybeSent ?? false;
    Object.defineProperty(this, 'body', { value: init.body, enumerable: false });
  }
}

function httpMessage(init: HttpErrorInit): string {
  const outcome = init.status >= 200 && init.status < 300 ? 'answered' : 'failed with';
  const head = `${init.platform} ${init.method} ${init.url} ${outcome} ${init.status}`;
  const platformMessage = init.platformError?.message ? `: ${init.platformError.message}` : '';
  const tries = init.retry.attempts > 1 ? ` after ${init.retry.attempts} attempts` : '';
  return `${head}${platformMessage}${tries}${init.hint ? `. ${init.hint}` : ''}`;
}

/** 401: the credentials were refused. */
export class AuthError extends HttpError {
  /** @internal */
  static override readonly errorKind: string = 'AuthError';
}
/** 403: authenticated, but not allowed (ACL, data policy, business rule). */
export class ForbiddenError extends HttpError {
  /** @internal */
  static override readonly errorKind: string = 'ForbiddenError';
}
/** 404: no such resource, or an ACL hides it. */
export class NotFoundError extends HttpError {
  /** @internal */
  static override readonly errorKind: string = 'NotFoundError';
}

/** Rate-limit headers, read the same way for every platform. */
export interface RateLimitInfo {
  /** How long the server asked us to wait (`Retry-After`), in ms. */
  readonly retryAfterMs?: number;
  /** When the window resets (ServiceNow sends Unix seconds, Jira ISO 8601). */
  readonly resetAt?: Date;
  readonly limit?: number;
  readonly remaining?: number;
  /** Jira's `X-RateLimit-NearLimit`. */
  readonly nearLimit?: boolean;
  /** Jira's `RateLimit-Reason` (`jira-burst-based`, ...). */
  readonly reason?: string;
}

/** 429: too many requests. */
export class RateLimitError extends HttpError {
  /** @internal */
  static override readonly errorKind: string = 'RateLimitError';

  readonly retryAfterMs: number | undefined;
  readonly rateLimit: RateLimitInfo;
  constructor(init: HttpErrorInit & { rateLimit: RateLimitInfo }) {
    super(init);
    this.rateLimit = init.rateLimit;
    this.retryAfterMs = init.rateLimit.retryAfterMs;
  }
}

/** 5xx: the server failed. */
export class ServerError extends HttpError {
  /** @internal */
  static override readonly errorKind: string = 'ServerError';
}

/**
 * The server answered 2xx with something that is not what the API sends, for
 * example an HTML page from a hibernating ServiceNow developer instance.
 */
export class UnexpectedResponseError extends HttpError {
  /** @internal */
  static override readonly errorKind: string = 'UnexpectedResponseError';
}

/** Fields a {@link NetworkError} or {@link TimeoutError} is built from. */
export interface TransportFailureInit extends RequestErrorContext {
  readonly cause?: unknown;
  /** Whether the request body may have reached the server (so a write may have happened). */
  readonly maybeSent: boolean;
  readonly hint?: string | undefined;
}

/** The request never got a response: DNS, refused or reset connection. */
export class NetworkError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'NetworkError';

  readonly platform: Platform;
  readonly method: string;
  readonly url: string;
  readonly retry: RetryMetadata;
  readonly maybeSent: boolean;
  constructor(init: TransportFailureInit) {
    super(
      `${init.platform} ${init.method} ${init.url}: network failure${describeCause(init.cause)}${retrySuffix(init.retry)}${init.hint ? `. ${init.hint}` : ''}`,
      { cause: init.cause },
    );
    this.platform = init.platform;
    this.method = init.method;
    this.url = init.url;
    this.retry = init.retry;
    this.maybeSent = init.maybeSent;
  }
}

/**
 * A connection that cannot be made or used as configured: refused, a host that
 * does not resolve, a certificate not trusted, a client certificate turned
 * down, http spoken to a TLS port (or the reverse), a proxy that refuses.
 * `option` names the setting to fix. Not retried, except a connect timeout.
 */
export class ConnectionError extends NetworkError {
  /** @internal */
  static override readonly errorKind: string = 'ConnectionError';

  /** What failed. */
  readonly reason: ConnectionFailureReason;
  /** The option to fix (`instanceUrl`, `baseUrl`, `http.proxy`, `http.tls.ca`, `http.tls.cert`, `http.connectTimeoutMs`). */
  readonly option: string;

  constructor(init: TransportFailureInit & { reason: ConnectionFailureReason; option: string }) {
    super(init);
    this.reason = init.reason;
    this.option = init.option;
  }
}

/** A per-attempt timeout or the total budget ran out. */
export class TimeoutError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'TimeoutError';

  readonly platform: Platform;
  readonly method: string;
  readonly url: string;
  readonly retry: RetryMetadata;
  readonly maybeSent: boolean;
  /** `attempt`: one attempt took too long; `total`: the whole call's budget is spent. */
  readonly scope: 'attempt' | 'total';
  readonly timeoutMs: number;
  constructor(init: TransportFailureInit & { scope: 'attempt' | 'total'; timeoutMs: number }) {
    super(
      `${init.platform} ${init.method} ${init.url}: ${init.scope === 'total' ? 'total budget' : 'attempt timeout'} of ${init.timeoutMs} ms exceeded${retrySuffix(init.retry)}${init.hint ? `. ${init.hint}` : ''}`,
      { cause: init.cause },
    );
    this.platform = init.platform;
    this.method = init.method;
    this.url = init.url;
    this.retry = init.retry;
    this.maybeSent = init.maybeSent;
    this.scope = init.scope;
    this.timeoutMs = init.timeoutMs;
  }
}

/** The caller aborted the request through its `signal`. */
export class AbortedError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'AbortedError';
}

function retrySuffix(retry: RetryMetadata): string {
  return retry.attempts > 1 ? ` after ${retry.attempts} attempts` : '';
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return '';
  const code = (cause as { code?: unknown }).code ?? (cause.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? ` (${code})` : '';
}

/** Input failed validation; `issues` lists every problem, not just the first. */
export class ValidationError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'ValidationError';

  readonly issues: readonly FieldIssue[];
  constructor(message: string, issues: readonly FieldIssue[], options: ItsmErrorOptions = {}) {
    super(`${message}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, options);
    this.issues = issues;
  }
}

/**
 * Runs `build` (a client's parts: auth, base URL) and re-throws a
 * {@link ConfigError} it raises under the client's name, so the message says
 * which options were wrong: `Invalid JiraClient options: auth.apiToken: ...`.
 */
export function withClientName<T>(client: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`Invalid ${client} options`, error.issues, { cause: error });
    throw error;
  }
}

/** Configuration given to a constructor or loader is wrong; `issues` names each bad key by path. */
export class ConfigError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'ConfigError';

  readonly issues: readonly FieldIssue[];
  constructor(message: string, issues: readonly FieldIssue[] = [], options: ItsmErrorOptions = {}) {
    super(issues.length ? `${message}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}` : message, options);
    this.issues = issues;
  }
}

/**
 * A template could not be found, compiled or rendered; `missing` lists every
 * variable that had no value and `issues` every other problem (a variable of
 * the wrong type, a bad placeholder), each naming its path.
 */
export class TemplateError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'TemplateError';

  readonly template: string;
  readonly missing: readonly string[];
  readonly issues: readonly FieldIssue[];
  constructor(
    message: string,
    init: { template: string; missing?: readonly string[]; issues?: readonly FieldIssue[] },
    options: ItsmErrorOptions = {},
  ) {
    super(message, options);
    this.template = init.template;
    this.missing = init.missing ?? [];
    this.issues = init.issues ?? [];
  }
}

/** A broker status message could not be parsed or applied. */
export class StatusMessageError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'StatusMessageError';

  /** A machine-readable reason (`invalid_json`, `missing_field`, `unknown_type`, ...). */
  readonly reason: string;
  /** The dotted path of the offending field, when there is one. */
  readonly path: string | undefined;
  constructor(message: string, init: { reason: string; path?: string }, options: ItsmErrorOptions = {}) {
    super(message, options);
    this.reason = init.reason;
    this.path = init.path;
  }
}

/**
 * Gives an error class of yours (a subclass of {@link ItsmError}) its own name
 * in the brand chain, so its `name` and {@link hasErrorKind} work for it as for
 * itsmkit's own (which set a static `errorKind` instead).
 */
export function brandError(cls: abstract new (...args: never[]) => ItsmError, name: string): void {
  Object.defineProperty(cls, 'errorKind', { value: name });
}

/** True for any error thrown by itsmkit (works across duplicate installs). */
export const isItsmError = (e: unknown): e is ItsmError => hasErrorKind(e, 'ItsmError');
/** True for {@link HttpError} and its status subclasses. */
export const isHttpError = (e: unknown): e is HttpError => hasErrorKind(e, 'HttpError');
/** True for {@link AuthError} (401). */
export const isAuthError = (e: unknown): e is AuthError => hasErrorKind(e, 'AuthError');
/** True for {@link ForbiddenError} (403). */
export const isForbiddenError = (e: unknown): e is ForbiddenError => hasErrorKind(e, 'ForbiddenError');
/** True for {@link NotFoundError} (404). */
export const isNotFoundError = (e: unknown): e is NotFoundError => hasErrorKind(e, 'NotFoundError');
/** True for {@link RateLimitError} (429). */
export const isRateLimitError = (e: unknown): e is RateLimitError => hasErrorKind(e, 'RateLimitError');
/** True for {@link ServerError} (5xx). */
export const isServerError = (e: unknown): e is ServerError => hasErrorKind(e, 'ServerError');
/** True for {@link UnexpectedResponseError}. */
export const isUnexpectedResponseError = (e: unknown): e is UnexpectedResponseError =>
  hasErrorKind(e, 'UnexpectedResponseError');
/** True for {@link NetworkError}. */
export const isNetworkError = (e: unknown): e is NetworkError => hasErrorKind(e, 'NetworkError');
/** True for {@link ConnectionError}. */
export const isConnectionError = (e: unknown): e is ConnectionError => hasErrorKind(e, 'ConnectionError');
/** True for {@link TimeoutError}. */
export const isTimeoutError = (e: unknown): e is TimeoutError => hasErrorKind(e, 'TimeoutError');
/** True for {@link AbortedError}. */
export const isAbortedError = (e: unknown): e is AbortedError => hasErrorKind(e, 'AbortedError');
/** True for {@link ValidationError}. */
export const isValidationError = (e: unknown): e is ValidationError => hasErrorKind(e, 'ValidationError');
/** True for {@link ConfigError}. */
export const isConfigError = (e: unknown): e is ConfigError => hasErrorKind(e, 'ConfigError');
/** True for {@link TemplateError}. */
export const isTemplateError = (e: unknown): e is TemplateError => hasErrorKind(e, 'TemplateError');
/** True for {@link StatusMessageError}. */
export const isStatusMessageError = (e: unknown): e is StatusMessageError => hasErrorKind(e, 'StatusMessageError');

/**
 * What an {@link HttpError} was built from (its status, request, body, headers,
 * retry metadata and, on a 429, rate limit), without its message: to build a
 * kin of it with another hint or class.
 */
export function httpErrorFields(error: HttpError): HttpErrorInit & { rateLimit?: RateLimitInfo } {
  return {
    status: error.status,
    platform: error.platform,
    method: error.method,
    url: error.url,
    requestId: error.requestId,
    body: error.body,
    headers: error.headers,
    retry: error.retry,
    platformError: error.platformError,
    maybeSent: error.maybeSent,
    ...(isRateLimitError(error) ? { rateLimit: error.rateLimit } : {}),
  };
}

/**
 * Builds the right {@link HttpError} subclass for a status: the one factory
 * every client uses.
 */
export function createHttpError(init: HttpErrorInit & { rateLimit?: RateLimitInfo }): HttpError {
  const { status } = init;
  if (status === 401) return new AuthError(init);
  if (status === 403) return new ForbiddenError(init);
  if (status === 404) return new NotFoundError(init);
  if (status === 429) return new RateLimitError({ ...init, rateLimit: init.rateLimit ?? {} });
  if (status >= 500) return new ServerError(init);
  if (status >= 200 && status < 300) return new UnexpectedResponseError(init);
  return new HttpError(init);
}
