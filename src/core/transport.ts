import type { AuthContext, AuthProvider } from './auth.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import {
  AbortedError,
  ConfigError,
  ConnectionError,
  createHttpError,
  isHttpError,
  isItsmError,
  type ItsmError,
  NetworkError,
  type Platform,
  type PlatformErrorDetail,
  type RetryMetadata,
  TimeoutError,
} from './errors.js';
import { createEmitter, type Emitter, type TransportEvents } from './events.js';
import { KeyedCreates, type IdempotencyOptions } from './keyed-create.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import { readRateLimit } from './rate-limit.js';
import { errorType, type TracedAttemptScope, type TracedCallScope, type TransportTracer } from './tracing.js';
import { checkHttpOptions, httpSecrets, proxyHostFor, type HttpOptions } from './http-options.js';
import { isRedirect, isRedirectRefusal, redirectRefused } from './redirect.js';
import { hasSecretQuery, redactUrl, scrubHeaders, scrubSecrets } from './redact.js';
import { AttemptFailure, RetryPolicy, type RetryPolicyOptions } from './retry-policy.js';
import { VERSION } from '../version.js';
import { AttemptTimeout, ERROR_BODY_LIMIT, toHeaders, type FetchLike, type ResponseHeaders, type Wire, type WireResponse } from './wire.js';
import { chooseWire, usesNodeWire } from './default-wire.js';

export type { FetchLike } from './wire.js';

/** HTTP methods the transport sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Query values; `undefined` and `null` are left out. */
export type QueryValue = string | number | boolean | undefined | null;

/** What a request's body is parsed as. */
export type ResponseKind = 'json' | 'text' | 'none' | 'stream';

/** One request, as platform clients describe it to the transport. */
export interface RequestSpec {
  readonly method: HttpMethod;
  /** A path relative to the base URL (encode segments with `path`), or an absolute URL. */
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** A JSON body. */
  readonly json?: unknown;
  /** A form-encoded body. */
  readonly form?: Readonly<Record<string, string>>;
  /** A streamed body (an upload): sent once unless it is replayable (see {@link StreamBody}). */
  readonly body?: StreamBody;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Whether sending again after an ambiguous failure (timeout, reset, 5xx after
   * the body was sent) is safe. @default true for GET, HEAD, PUT and DELETE; false for POST and PATCH
   */
  readonly idempotent?: boolean;
  /**
   * For a non-idempotent write: looks up whether an ambiguous attempt took
   * effect. Return the body the write would have returned to finish the call
   * with it, or `undefined` to send again.
   */
  readonly reconcile?: (ctx: ReconcileContext) => Promise<{ readonly data: unknown } | undefined>;
  /** Said in the error when a non-idempotent write is not retried. */
  readonly notRetriedHint?: string;
  /** A name for the operation, carried on events and log lines (`incident.create`). */
  readonly operation?: string;
  /**
   * Follow 3xx redirects. Off by default: the REST APIs the SDK calls never
   * redirect, so a redirect means a wrong `baseUrl`, and following one can
   * replay a write as a GET or drop its credentials. Off also spares fetch a
   * copy of every request body. A redirect then ends the call with a
   * `ConfigError`. Webhooks turn it on (some receivers answer with one). @default false
   */
  readonly followRedirects?: boolean;
  readonly signal?: AbortSignal | undefined;
  /** This call's per-attempt timeout, in ms (see {@link CallOptions.timeoutMs}). */
  readonly timeoutMs?: number | undefined;
  /** Overrides of the retry policy for this call, or `false` for one attempt. */
  readonly retry?: RetryPolicyOptions | false | undefined;
  /** `false` sends without credentials (token endpoints). */
  readonly auth?: false;
  /** How to read a success body. @default 'json' */
  readonly responseType?: ResponseKind;
  /** An absolute deadline (epoch ms) inherited from an enclosing call. */
  readonly deadline?: number;
}

/**
 * A request body streamed from its source (an attachment upload). Each attempt
 * opens it; a body that is not replayable (a stream) is never sent again once
 * any of it went out: the call ends with the attempt's error.
 */
export interface StreamBody {
  readonly contentType: string;
  /** Its size in bytes, sent as `Content-Length` when known (otherwise chunked). */
  readonly length: number | undefined;
  /** Whether {@link open} can be called again for a retry (a file, bytes, a Blob). */
  readonly replayable: boolean;
  /** Whether an opened stream had any bytes read. */
  readonly sent: boolean;
  /** The error the source failed with mid-upload: it ends the call as is (it names the file). */
  readonly failure: ItsmError | undefined;
  /** The body for one attempt; rejects with an {@link ItsmError} when the source cannot be opened. */
  open(): Promise<ReadableStream<Uint8Array>>;
}

/** Passed to {@link RequestSpec.reconcile}. */
export interface ReconcileContext {
  readonly signal: AbortSignal | undefined;
  /** The enclosing call's deadline: lookups must finish before it. */
  readonly deadline: number;
  /**
   * Whether the write may still be in flight on the server: the attempt timed
   * out, the connection failed after sending, or a gateway answered 504. False
   * when the server answered (502, 503, an unreadable 2xx): whatever it did is done.
   */
  readonly inFlight: boolean;
}

/** A successful response. */
export interface TransportResponse<T = unknown> {
  readonly status: number;
  /** The response headers (built when first read). */
  readonly headers: Headers;
  readonly data: T;
  readonly retry: RetryMetadata;
  readonly requestId: string | undefined;
  /** True when an ambiguous write was found to have taken effect, and `data` comes from the lookup. */
  readonly reconciled: boolean;
}

/** Options of a {@link Transport}. */
export interface TransportOptions {
  /** The service's base URL, e.g. `https://acme.service-now.com`. */
  readonly baseUrl: string;
  /** The name the caller gave the base URL (`instanceUrl`), for errors that point at it. @default 'baseUrl' */
  readonly baseUrlOption?: string | undefined;
  readonly platform: Platform;
  readonly auth?: AuthProvider | undefined;
  /**
   * Sends through this `fetch` instead of the default: on Node, undici with the
   * `http` options (or the global fetch when something replaced it, such as
   * msw); elsewhere the global fetch.
   */
  readonly fetch?: FetchLike | undefined;
  /** Proxy, TLS, connect timeout and pool of the Node transport (see {@link HttpOptions}). */
  readonly http?: HttpOptions | undefined;
  /** The client these options belong to, for messages that name it. @default the platform's client */
  readonly clientName?: string | undefined;
  /** A policy or its options. @default RetryPolicy.from() */
  readonly retry?: RetryPolicy | RetryPolicyOptions | undefined;
  /** @default silentLogger */
  readonly logger?: Logger | undefined;
  /** @default systemClock */
  readonly clock?: Clock | undefined;
  /** Headers sent on every request. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Appended to the User-Agent, e.g. `my-service/2.1`. */
  readonly userAgent?: string | undefined;
  /** Reads the platform's error envelope out of an error body (parsed JSON, or the text of a non-JSON body). */
  readonly parseError?: ((body: unknown) => PlatformErrorDetail | undefined) | undefined;
  /** Shares an emitter between transports (a client and its token endpoint). */
  readonly events?: Emitter<TransportEvents> | undefined;
  /** Source of randomness for jitter, for tests. */
  readonly random?: (() => number) | undefined;
  /** How creates with a correlation key are made once (see {@link KeyedCreates}). */
  readonly idempotency?: IdempotencyOptions | undefined;
  /** Reports every call and attempt, e.g. as OpenTelemetry spans (`otelTracer` from `itsmkit/otel`). @default none */
  readonly tracer?: TransportTracer | undefined;
}

const REQUEST_ID_HEADERS = ['x-request-id', 'x-transaction-id', 'x-arequestid', 'atl-traceid'];
/** Errors of this kind happen before anything was sent, so any request may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The one HTTP stack: every call to ServiceNow, Jira, the data-sources API,
 * webhooks and token endpoints goes through here. It adds auth, timeouts, the
 * retry policy, redaction and events; platform clients add paths and mapping.
 */
export class Transport {
  /** Typed events: `request`, `response`, `retry`, `error`. */
  readonly events: Emitter<TransportEvents>;
  readonly platform: Platform;
  readonly policy: RetryPolicy;
  /** Creates with a correlation key, made once per key. */
  readonly keyedCreates: KeyedCreates;
  private readonly base: URL;
  /** Origin and base path without its trailing slash: a plain path is appended to it as is. */
  private readonly prefix: string;
  private readonly wire: Wire;
  private readonly extraSecrets: readonly string[];
  /** The proxy (`host:port`) requests to a URL go through, on the Node transport. */
  private readonly proxyHost: ((href: string) => string | undefined) | undefined;
  private readonly auth: AuthProvider | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly headers: Record<string, string>;
  private readonly parseError: ((body: unknown) => PlatformErrorDetail | undefined) | undefined;
  private readonly random: (() => number) | undefined;
  private readonly authContextBase: Omit<AuthContext, 'signal'>;
  private readonly baseUrlOption: string;
  private readonly tracer: TransportTracer | undefined;

  constructor(options: TransportOptions) {
    this.baseUrlOption = options.baseUrlOption ?? 'baseUrl';
    this.base = parseBaseUrl(options.baseUrl, this.baseUrlOption, options.platform);
    this.prefix = this.base.origin + this.base.pathname.replace(/\/$/, '');
    this.platform = options.platform;
    this.policy = RetryPolicy.from(options.retry ?? {});
    const clientName = options.clientName ?? CLIENT_NAMES[options.platform] ?? `${options.platform} client`;
    const http = checkHttpOptions(options.http, clientName);
    this.wire = chooseWire(options.fetch, http, clientName);
    const node = usesNodeWire(options.fetch);
    this.extraSecrets = node ? httpSecrets(http, process.env) : [];
    this.proxyHost = node ? (href) => proxyHostFor(http, href, process.env) : undefined;
    if (http?.tls?.rejectUnauthorized === false) warnInsecure(clientName, options.logger);
    this.auth = options.auth;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.parseError = options.parseError;
    this.random = options.random;
    this.tracer = options.tracer;
    this.events = options.events ?? createEmitter<TransportEvents>();
    this.keyedCreates = new KeyedCreates(options.idempotency ?? {}, {
      platform: this.platform,
      clock: this.clock,
      events: this.events,
      attemptTimeoutMs: this.policy.attemptTimeoutMs,
    });
    this.headers = {
      accept: 'application/json',
      'user-agent': `itsmkit/${VERSION}${options.userAgent ? ` ${options.userAgent}` : ''}`,
      ...lowerKeys(options.headers ?? {}),
    };
    this.authContextBase = { send: (spec) => this.request(spec) };
    this.subscribeLogger();
  }

  /** The base URL requests are resolved against. */
  get baseUrl(): string {
    return this.base.toString();
  }

  /** Secret values known to the auth provider (for scrubbing messages). */
  secrets(): readonly string[] {
    const own = this.auth?.secrets?.() ?? [];
    return this.extraSecrets.length ? [...own, ...this.extraSecrets] : own;
  }

  /** Sends one request under the retry policy and returns the parsed response, or throws an {@link ItsmError}. */
  async request<T = unknown>(spec: RequestSpec): Promise<TransportResponse<T>> {
    const { href, redacted } = this.buildUrl(spec);
    const idempotent = isIdempotent(spec);
    const policy = this.policyFor(spec);
    const started = this.clock.now();
    const deadline = Math.min(spec.deadline ?? Infinity, started + policy.totalBudgetMs);
    const base = { platform: this.platform, method: spec.method, url: redacted, operation: spec.operation };
    let lastAmbiguous = false;
    let lastInFlight = false;
    let reconciled: { data: unknown } | undefined;
    let attempts = 0;
    const delays: number[] = [];
    // Arguments of an optional call are not evaluated without a tracer: nothing is allocated for it.
    const traced: TracedCallScope | undefined = this.tracer?.startCall({ platform: base.platform, operation: base.operation, method: base.method, url: base.url });

    try {
      const { value, retry } = await policy.execute(
        async (ctx) => {
          attempts = ctx.attempt;
          if (lastAmbiguous && spec.reconcile) {
            reconciled = await spec.reconcile({ signal: spec.signal, deadline, inFlight: lastInFlight });
            if (reconciled) return undefined;
          }
          const timeoutMs = Math.max(1, Math.min(ctx.timeoutMs, deadline - this.clock.now()));
          const budgetCapped = ctx.cappedByBudget || timeoutMs < ctx.timeoutMs;
          const tracedAttempt: TracedAttemptScope | undefined = traced?.startAttempt({ attempt: ctx.attempt });
          try {
            // Spelled out, not `{ ...base, attempt }`: on Node 20 adding a key to a spread copy costs about 1 µs.
            const event = { platform: base.platform, method: base.method, url: base.url, operation: base.operation, attempt: ctx.attempt };
            const received = await this.attempt(spec, href, event, timeoutMs, budgetCapped ? policy.totalBudgetMs : undefined, policy, tracedAttempt?.headers);
            tracedAttempt?.end({ status: received.status });
            return received;
          } catch (error) {
            tracedAttempt?.end(attemptOutcome(error, { attempts: ctx.attempt, elapsedMs: this.clock.now() - started, delaysMs: delays }));
            if (spec.body && error instanceof AttemptFailure) throw unrepeatable(error, spec.body, policy);
            lastAmbiguous = error instanceof AttemptFailure && error.info.ambiguous;
            lastInFlight = error instanceof AttemptFailure && (error.info.kind !== 'status' || error.info.status === 504);
            if (spec.reconcile && !idempotent && error instanceof AttemptFailure && isSuccessStatus(error.info.status)) {
              // A 2xx whose body could not be read (truncated, not JSON): a write may have taken
              // effect, and 2xx is not retried, so look it up now rather than report it as failed.
              reconciled = await spec.reconcile({ signal: spec.signal, deadline, inFlight: false });
              if (reconciled) return undefined;
            }
            throw error;
          }
        },
        {
          clock: this.clock,
          signal: spec.signal,
          ...(this.random ? { random: this.random } : {}),
          mayResend: () =>
            idempotent ||
            Boolean(spec.reconcile) ||
            `Not retried: ${spec.method} is not idempotent and the request may have reached the server${spec.notRetriedHint ? ` (${spec.notRetriedHint})` : ''}`,
          onRetry: ({ attempt, delayMs, failure }) => {
            delays.push(delayMs);
            this.events.emit('retry', {
              ...base,
              attempt,
              delayMs,
              reason: failure.kind === 'status' ? `status ${failure.status}` : failure.kind,
              status: failure.status,
              rateLimit: failure.rateLimit,
            });
          },
        },
      );
      if (reconciled) {
        traced?.end({ status: 200, retry, reconciled: true });
        return new Success(200, NO_HEADERS, reconciled.data as T, retry, true);
      }
      const res = value as Received;
      traced?.end({ status: res.status, retry, reconciled: false });
      return new Success(res.status, res.headers, res.data as T, retry, false);
    } catch (error) {
      const retry: RetryMetadata = { attempts: Math.max(1, attempts), elapsedMs: this.clock.now() - started, delaysMs: delays };
      const final = this.finalError(error, base, retry);
      if (!('retry' in final)) {
        // Errors the policy did not build (thrown by reconcile, or an abort) get the call's metadata too.
        Object.defineProperty(final, 'retry', { value: retry, enumerable: true });
      }
      const finalRetry = (final as unknown as { retry: RetryMetadata }).retry;
      traced?.end({ status: isHttpError(final) ? final.status : undefined, errorType: errorType(final), error: final, retry: finalRetry, reconciled: false });
      this.events.emit('error', { ...base, error: final, retry: finalRetry });
      throw final;
    }
  }

  /** The client's policy, or one with this call's overrides. */
  private policyFor(spec: RequestSpec): RetryPolicy {
    if (spec.retry === undefined && spec.timeoutMs === undefined) return this.policy;
    if (spec.timeoutMs !== undefined && !(typeof spec.timeoutMs === 'number' && spec.timeoutMs > 0)) {
      throw new ConfigError('Invalid call options', [{ field: 'timeoutMs', rule: 'range', message: 'must be a number of ms greater than 0' }]);
    }
    const overrides = spec.retry === false ? { retries: 0 } : (spec.retry ?? {});
    return this.policy.with(spec.timeoutMs === undefined ? overrides : { ...overrides, attemptTimeoutMs: spec.timeoutMs });
  }

  private finalError(error: unknown, base: { platform: Platform; method: string; url: string }, retry: RetryMetadata): ItsmError {
    if (isItsmError(error)) return error;
    if (isAbort(error)) return new AbortedError(`${base.platform} ${base.method} ${base.url}: aborted by the caller`, { cause: error });
    return new NetworkError({ ...base, retry, maybeSent: true, cause: error });
  }

  private async attempt(
    spec: RequestSpec,
    href: string,
    event: { platform: Platform; method: string; url: string; operation: string | undefined; attempt: number },
    timeoutMs: number,
    /** The call's budget, when it cut this attempt's timeout short (a timeout then ends the call). */
    budgetMs: number | undefined,
    policy: RetryPolicy,
    /** The tracer's headers for this attempt (`traceparent`). */
    traceHeaders: Readonly<Record<string, string>> | undefined,
  ): Promise<Received> {
    const auth = spec.auth === false ? undefined : this.auth;
    const authCtx: AuthContext | undefined = auth ? { send: this.authContextBase.send, signal: spec.signal } : undefined;
    const sentAt = this.clock.now();
    const stream = spec.responseType === 'stream';
    let refreshed = false;
    for (;;) {
      // Copied key by key: on Node 20 a spread copy that then gains keys (auth, content type) costs microseconds.
      const headers: Record<string, string> = {};
      copyInto(headers, this.headers);
      if (spec.headers) copyInto(headers, lowerKeys(spec.headers));
      if (traceHeaders) copyInto(headers, traceHeaders);
      if (auth && authCtx) {
        const authHeaders = auth.headers(authCtx);
        // Most providers answer synchronously: awaiting them would only add a turn of the event loop.
        copyInto(headers, authHeaders instanceof Promise ? await authHeaders : authHeaders);
      }
      let body: string | ReadableStream<Uint8Array> | undefined;
      if (spec.json !== undefined) {
        body = JSON.stringify(spec.json);
        headers['content-type'] = 'application/json';
      } else if (spec.form) {
        body = new URLSearchParams(spec.form).toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      } else if (spec.body) {
        body = await spec.body.open();
        headers['content-type'] = spec.body.contentType;
        if (spec.body.length !== undefined) headers['content-length'] = String(spec.body.length);
      }
      this.events.emit('request', event);
      let response: WireResponse;
      try {
        response = await this.wire({ url: href, method: spec.method, headers, body, signal: spec.signal, timeoutMs, followRedirects: spec.followRedirects === true, stream });
      } catch (error) {
        // The upload's source failed (a file that shrank, a stream that errored): that, not the network, ends the call.
        if (spec.body?.failure) throw spec.body.failure;
        throw await this.sendFailure(error, spec, href, event, timeoutMs, budgetMs, policy);
      }
      const status = response.status;
      if (isRedirect(status) && !spec.followRedirects) {
        // A wire that hands the redirect back instead of refusing it (undici, a test handler, Workers' 'manual').
        throw redirectRefused(event, this.baseUrlOption, response.headers.get('location') ?? undefined, href);
      }
      if (this.events.listenerCount('response') > 0) {
        this.events.emit('response', { ...event, status, durationMs: this.clock.now() - sentAt, requestId: readRequestId(response.headers) });
      }
      if (status === 401 && !refreshed && auth?.refresh && authCtx) {
        refreshed = await auth.refresh(authCtx);
        if (refreshed) continue;
      }
      if (status >= 200 && status < 300) return { status, headers: response.headers, data: this.readSuccess(response, spec, event) };
      throw this.statusFailure(response, spec, event);
    }
  }

  /** A success body, read as the request asked (see {@link RequestSpec.responseType}). */
  private readSuccess(response: WireResponse, spec: RequestSpec, event: { platform: Platform; method: string; url: string }): unknown {
    const kind = spec.responseType ?? 'json';
    if (kind === 'stream') return response.response;
    if (response.status === 204 || spec.method === 'HEAD' || kind === 'none') return undefined;
    return kind === 'text' ? response.text : this.parseJson(response.text, response, spec, event);
  }

  private parseJson(text: string, response: WireResponse, spec: RequestSpec, event: { platform: Platform; method: string; url: string }): unknown {
    // An object or array (every API answer) is parsed at once; anything else is first checked for an HTML page.
    if (!JSON_CONTAINER.test(text)) {
      if (text.trim() === '') return undefined;
      if (/html/i.test(response.headers.get('content-type') ?? '') || /^\s*</.test(text)) {
        throw this.unexpected(response, spec, event, text, 'answered with an HTML page instead of JSON (a hibernating or misconfigured instance, or a login page)');
      }
    }
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw this.unexpected(response, spec, event, text, 'answered with a body that is not valid JSON', cause);
    }
  }

  private unexpected(response: WireResponse, spec: RequestSpec, event: { platform: Platform; method: string; url: string }, text: string, hint: string, cause?: unknown): AttemptFailure {
    const init = {
      ...event,
      status: response.status,
      requestId: readRequestId(response.headers),
      body: text.slice(0, ERROR_BODY_LIMIT),
      headers: scrubHeaders(headerObject(response.headers), this.secrets()),
      // The parser's message quotes the body, which may echo a secret: scrubbed like the rest.
      cause: cause instanceof Error ? Object.assign(new SyntaxError(scrubSecrets(cause.message, this.secrets())), { name: cause.name }) : cause,
      // A write answered 2xx took effect, whatever the body says.
      maybeSent: !isIdempotent(spec) && response.status < 300,
    };
    return new AttemptFailure({
      kind: 'status',
      status: response.status,
      ambiguous: false,
      build: (retry) => createHttpError({ ...init, retry, hint: `The server ${hint}` }),
    });
  }

  private statusFailure(response: WireResponse, spec: RequestSpec, event: { platform: Platform; method: string; url: string }): AttemptFailure {
    const requestId = readRequestId(response.headers);
    const text = response.text;
    let body: unknown = text;
    if (text && !/^\s*</.test(text)) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    // Every error body goes to the parser, text ones too (some platforms answer errors in text or HTML);
    // what it reads out is scrubbed of known secrets, since a server may echo what it was sent.
    const parsed = body === '' ? undefined : this.parseError?.(body);
    const platformError = parsed ? scrubDetail(parsed, this.secrets()) : undefined;
    const rateLimit = readRateLimit(response.headers, this.clock.now());
    const status = response.status;
    const ambiguous = !isIdempotent(spec) && status >= 500;
    return new AttemptFailure({
      kind: 'status',
      status,
      retryAfterMs: rateLimit.retryAfterMs,
      rateLimit: Object.keys(rateLimit).length ? rateLimit : undefined,
      // 429 means "not processed"; a 5xx after a write's body was sent may have taken effect.
      ambiguous,
      build: (retry, hint) =>
        createHttpError({
          ...event,
          maybeSent: ambiguous,
          status,
          requestId,
          body,
          platformError,
          headers: scrubHeaders(headerObject(response.headers), this.secrets()),
          rateLimit,
          retry,
          hint,
        }),
    });
  }

  private async sendFailure(error: unknown, spec: RequestSpec, href: string, event: { platform: Platform; method: string; url: string }, timeoutMs: number, budgetMs: number | undefined, policy: RetryPolicy): Promise<AttemptFailure | ItsmError> {
    const idempotent = isIdempotent(spec);
    const write = spec.method !== 'GET' && spec.method !== 'HEAD';
    const reason = errorReason(error);
    if (reason instanceof AttemptTimeout) {
      return new AttemptFailure({
        kind: 'timeout',
        ambiguous: write && !idempotent,
        build: (retry, hint) =>
          new TimeoutError({ ...event, retry, maybeSent: write, scope: budgetMs === undefined ? 'attempt' : 'total', timeoutMs: budgetMs ?? timeoutMs, cause: error, hint }),
      });
    }
    if (spec.signal?.aborted) {
      return new AbortedError(`${event.platform} ${event.method} ${event.url}: aborted by the caller`, { cause: spec.signal.reason });
    }
    if (!spec.followRedirects && isRedirectRefusal(error)) return redirectRefused(event, this.baseUrlOption);
    // Loaded when a connection fails (Node-only knowledge: bundles for browsers leave it out, see package.json#browser).
    const { classifyConnectionFailure } = await import('./connect-errors.js');
    const failure = classifyConnectionFailure?.(error, { href, urlOption: this.baseUrlOption, proxy: this.proxyHost?.(href), retryRefused: policy.retryRefused });
    if (failure) {
      const sent = write && failure.maybeSent;
      return new AttemptFailure({
        kind: 'network',
        ambiguous: sent && !idempotent,
        retryable: failure.retryable,
        build: (retry) => new ConnectionError({ ...event, retry, maybeSent: sent, cause: error, hint: failure.hint, reason: failure.reason, option: failure.option }),
      });
    }
    const code = errorCode(error);
    const maybeSent = write && !(code && NOT_SENT_CODES.has(code));
    return new AttemptFailure({
      kind: 'network',
      ambiguous: maybeSent && !idempotent,
      build: (retry, hint) => new NetworkError({ ...event, retry, maybeSent, cause: error, hint }),
    });
  }

  /** The request URL, and the same URL redacted for events and errors. */
  private buildUrl(spec: RequestSpec): { href: string; redacted: string } {
    if (PLAIN_PATH.test(spec.path)) {
      // The URL parser would leave such a path as it is, so it is appended without one.
      let href = this.prefix + spec.path;
      const params = spec.query && queryParams(spec.query);
      if (!params) return { href, redacted: href };
      const search = params.toString();
      href += `?${search}`;
      return { href, redacted: this.scrubUrl(hasSecretQuery(search) ? redactUrl(new URL(href)) : href) };
    }
    const url = /^https?:\/\//i.test(spec.path) ? new URL(spec.path) : new URL(joinPath(this.base.pathname, spec.path), this.base);
    for (const [key, value] of (spec.query && queryParams(spec.query)) ?? []) url.searchParams.set(key, value);
    return { href: url.href, redacted: this.scrubUrl(redactUrl(url)) };
  }

  /** A URL with every known secret taken out, in any encoding (a query value a caller built from one). */
  private scrubUrl(url: string): string {
    if (!url.includes('?')) return url;
    const secrets = this.secrets();
    return secrets.length ? scrubSecrets(url, secrets) : url;
  }

  private subscribeLogger(): void {
    if (this.logger === silentLogger) return;
    const log = this.logger;
    this.events.on('retry', (e) => log.warn('itsmkit retry', { ...e }));
    this.events.on('error', (e) => log.error('itsmkit request failed', { platform: e.platform, method: e.method, url: e.url, operation: e.operation, error: e.error.name, message: e.error.message, attempts: e.retry.attempts }));
    this.events.on('response', (e) => log.debug('itsmkit response', { ...e }));
  }
}

/** What a successful attempt read, before the call's retry metadata is known. */
interface Received {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly data: unknown;
}

/** A {@link TransportResponse}; its `Headers` and request id are built only when asked for. */
class Success<T> implements TransportResponse<T> {
  #headers: Headers | undefined;

  constructor(
    readonly status: number,
    private readonly raw: ResponseHeaders,
    readonly data: T,
    readonly retry: RetryMetadata,
    readonly reconciled: boolean,
  ) {}

  get headers(): Headers {
    this.#headers ??= toHeaders(this.raw);
    return this.#headers;
  }

  get requestId(): string | undefined {
    return readRequestId(this.raw);
  }
}

const NO_HEADERS: ResponseHeaders = { get: () => null, forEach: () => {} };

/** A body whose first non-space character opens a JSON object or array. */
const JSON_CONTAINER = /^\s*[{[]/;


/**
 * An absolute path of non-empty segments, none starting with a dot, in characters
 * the URL parser neither encodes nor normalises.
 */
const PLAIN_PATH = /^(?:\/(?![./]|%2e)[\w\-.~!$&'()*+,;=:@%]*)+$/i;

/** The query's values, leaving out `undefined` and `null`; `undefined` when nothing is left. */
function queryParams(query: Readonly<Record<string, QueryValue>>): URLSearchParams | undefined {
  let params: URLSearchParams | undefined;
  for (const key in query) {
    const value = query[key];
    if (value !== undefined && value !== null) (params ??= new URLSearchParams()).append(key, String(value));
  }
  return params;
}

/** A success body read as JSON: the default, unless it is empty by status or method. */

/** A failed attempt whose stream body went out at least in part: final, saying why it is not retried. */
function unrepeatable(failure: AttemptFailure, body: StreamBody, policy: RetryPolicy): AttemptFailure {
  if (body.replayable || !body.sent || !policy.isRetryable(failure.info)) return failure;
  const hint = 'Not retried: the body was a stream and was already (partly) sent; pass a file path, Blob or bytes to let the upload be sent again';
  return new AttemptFailure({ ...failure.info, retryable: false, build: (retry, given) => failure.info.build(retry, given ?? hint) });
}

/** POST and PATCH are not idempotent unless the caller says so. */
function isIdempotent(spec: RequestSpec): boolean {
  return spec.idempotent ?? !(spec.method === 'POST' || spec.method === 'PATCH');
}

/** An example base URL per platform, for messages about a missing or malformed one. */
const EXAMPLE_URLS: Readonly<Record<string, string>> = { servicenow: 'https://acme.service-now.com', jira: 'https://acme.atlassian.net' };
/** The client a platform's options belong to, for messages that name it. */
const CLIENT_NAMES: Readonly<Record<string, string>> = { servicenow: 'ServiceNowClient', jira: 'JiraClient', datasources: 'ConnectionsClient' };

function parseBaseUrl(value: unknown, option: string, platform: Platform): URL {
  const example = EXAMPLE_URLS[platform] ?? 'https://api.example.com';
  const issue = (message: string) => new ConfigError(`Invalid ${CLIENT_NAMES[platform] ?? `${platform} client`} options`, [{ field: option, rule: 'url', message }]);
  if (typeof value !== 'string' || value.trim() === '') throw issue(`is required, e.g. ${example}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value is not echoed: a malformed URL may still carry a token or password.
    throw issue(`is not an absolute URL such as ${example}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw issue(`protocol ${url.protocol} is not http or https`);
  if (url.username || url.password) throw issue('credentials belong in auth, not in the URL');
  if (url.search || url.hash) throw issue('must not carry a query string or fragment');
  return url;
}

/** Said once per client: a client that accepts any certificate hands its credentials to whoever can intercept it. */
function warnInsecure(clientName: string, logger: Logger | undefined): void {
  const message = `itsmkit: ${clientName} accepts any TLS certificate (http.tls.rejectUnauthorized: false): its credentials can be read by anyone on the network path. Trust your CA with http.tls.ca instead.`;
  logger?.warn(message);
  (globalThis as { process?: { emitWarning?: (message: string, type: string) => void } }).process?.emitWarning?.(message, 'InsecureTLSWarning');
}

function joinPath(basePath: string, path: string): string {
  const left = basePath.endsWith('/') ? basePath.slice(0, -1) : basePath;
  return `${left}${path.startsWith('/') ? '' : '/'}${path}`;
}

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function copyInto(target: Record<string, string>, source: Readonly<Record<string, string>>): void {
  for (const key in source) target[key] = source[key] as string;
}

function headerObject(headers: ResponseHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key !== 'set-cookie') out[key] = value;
  });
  return out;
}

function readRequestId(headers: ResponseHeaders): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

function scrubDetail(detail: PlatformErrorDetail, secrets: readonly string[]): PlatformErrorDetail {
  if (secrets.length === 0) return detail;
  const scrub = (s: string | undefined) => (s === undefined ? undefined : scrubSecrets(s, secrets));
  return {
    ...(detail.message === undefined ? {} : { message: scrub(detail.message) as string }),
    ...(detail.detail === undefined ? {} : { detail: scrub(detail.detail) as string }),
    ...(detail.issues ? { issues: detail.issues.map((i) => ({ ...i, message: scrubSecrets(i.message, secrets) })) } : {}),
  };
}

function errorReason(error: unknown): unknown {
  if (error instanceof AttemptTimeout) return error;
  if (error && typeof error === 'object' && 'name' in error && (error as Error).name === 'AbortError') {
    // fetch rejects with a DOMException whose `cause` is the signal's reason in Node.
    return (error as { cause?: unknown }).cause ?? error;
  }
  return error;
}

function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function isSuccessStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}

/** How a failed attempt ended, for the tracer: its status, and the type of the error it would end the call with. */
function attemptOutcome(error: unknown, retry: RetryMetadata): { status: number | undefined; errorType: string } {
  if (error instanceof AttemptFailure) {
    const { status } = error.info;
    // Built only while tracing, to name the error class a network failure maps to (ConnectionError or NetworkError).
    return { status, errorType: status !== undefined && status >= 400 ? String(status) : error.info.build(retry).name };
  }
  return { status: undefined, errorType: isItsmError(error) ? errorType(error) : error instanceof Error ? error.name : 'Error' };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

