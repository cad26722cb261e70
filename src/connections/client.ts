import {
  AbortedError,
  type AuthContext,
  type AuthProvider,
  bearerAuth,
  callFields,
  type CallOptions,
  type Clock,
  ConfigError,
  type Emitter,
  type FetchLike,
  type HttpMethod,
  type HttpOptions,
  isHttpError,
  type Logger,
  path,
  redactUrl,
  type RequestSpec,
  type RetryPolicy,
  type RetryPolicyOptions,
  scrubSecrets,
  systemClock,
  TimeoutError,
  type TokenSource,
  Transport,
  type TransportEvents,
  type TransportTracer,
  ValidationError,
} from '../core/index.js';
import { isItsmType, ITSM_SOURCE_TYPES, type ItsmSystemType } from './catalog.js';
import type { ConnectionState, ConnectionStatus, DataSourceConnection } from './connection.js';
import { CONNECTIONS_DECODERS, type CreatedDelegation, type DecodeContext, type RemovedConnection, type SeedConnectionsResult, type SyncResult, type VerifyResult } from './decoders.js';
import { type CredentialDelegation, parseDataSourcesError } from './mapper.js';
import type { ConnectionPatch, ConnectionUpdate, SyncInput, VerifyInput } from './requests.js';
import { ConnectionWatch, type WatchOptions } from './watch.js';

/** Options of a {@link ConnectionsClient}. */
export interface ConnectionsClientOptions {
  /** The host platform's origin, e.g. `https://app.example.com`. */
  readonly baseUrl: string;
  /** A bearer token, or a function returning one per request (rotating session tokens). Either this or `auth`. */
  readonly token?: TokenSource;
  /** Any auth provider instead of a bearer token. */
  readonly auth?: AuthProvider;
  /**
   * Sends through this `fetch` (a test fake, msw, your own networking). Without
   * it the client uses undici on Node, set up by `http`, and the global fetch elsewhere.
   */
  readonly fetch?: FetchLike;
  /** Proxy, TLS (private CA, mutual TLS), connect timeout and pool of the Node transport. */
  readonly http?: HttpOptions;
  /** @default RetryPolicy.from() */
  readonly retry?: RetryPolicy | RetryPolicyOptions;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Headers sent on every request (names case-insensitive). A call's own
   * `headers` override them; the credentials' `authorization` always wins.
   * @default none
   * @example { 'x-request-source': 'alerting' }
   */
  readonly headers?: Readonly<Record<string, string>>;
  /** Appended to the User-Agent. */
  readonly userAgent?: string;
  /** @default '/api/data-sources' */
  readonly basePath?: string;
  /** @default '/api/credential-delegations' */
  readonly delegationsPath?: string;
  /** The server-sent event stream of live updates. @default '/api/sse' */
  readonly eventsPath?: string;
  /**
   * Reports every call as a span and each HTTP attempt in it as a child span,
   * with `traceparent` sent on every attempt: `otelTracer()` from `itsmkit/otel`,
   * or any {@link TransportTracer}. @default none (no tracing, no cost)
   */
  readonly tracer?: TransportTracer;
}

/** Filters of {@link ConnectionsClient.list}. */
export interface ListConnectionsOptions {
  readonly status?: ConnectionStatus | (string & {});
  readonly type?: string;
  readonly enabled?: boolean;
}

/** Options of {@link ConnectionsClient.waitFor}: its `signal` and `headers` apply to the stream and the read it makes. */
export interface WaitForOptions extends Pick<CallOptions, 'signal' | 'headers'> {
  /** How long to wait in all for the state (not a per-request timeout). @default 60000 */
  readonly timeoutMs?: number;
  /** Also test the connection's current state (fetched once subscribed). @default true */
  readonly checkCurrent?: boolean;
}

/**
 * A typed client for a host platform's `/api/data-sources` API and its
 * credential delegations, on the core transport. Each method reads its
 * answer with its own decoder: the record wrapped in `data` or bare, unknown
 * fields ignored, and an answer without what the method returns (an `id`, a
 * `status`) refused with an `UnexpectedResponseError` naming the field.
 *
 * Credentials go out only in {@link verify}'s body; the client never keeps,
 * logs or emits them, and scrubs them from error messages.
 *
 * @example
 * const ds = new ConnectionsClient({ baseUrl: 'https://app.example.com', token: () => session.token() });
 * await ds.seed();
 * const [confluence] = await ds.list({ type: 'confluence' });
 */
export class ConnectionsClient {
  /** Transport events (`request`, `response`, `retry`, `error`): never bodies. */
  readonly events: Emitter<TransportEvents>;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly basePath: string;
  private readonly delegationsPath: string;
  private readonly eventsPath: string;
  private readonly inFlightSecrets = new Map<string, number>();

  constructor(options: ConnectionsClientOptions) {
    if (options.auth === undefined && options.token === undefined) {
      throw new ConfigError('Missing credentials: token or auth is required', [{ field: 'token', rule: 'required', message: 'pass a bearer token, a token function or an auth provider' }]);
    }
    const base = options.auth ?? bearerAuth(options.token as TokenSource, 'token');
    // Credentials of in-flight verify calls count as secrets, so the transport scrubs any echo of them
    // from error messages before an error event or log line is emitted.
    const auth: AuthProvider = {
      headers: (ctx) => base.headers(ctx),
      ...(base.refresh ? { refresh: (ctx: AuthContext) => base.refresh!(ctx) } : {}),
      secrets: () => [...(base.secrets?.() ?? []), ...this.inFlightSecrets.keys()],
    };
    this.clock = options.clock ?? systemClock;
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      platform: 'datasources',
      auth,
      parseError: parseDataSourcesError,
      clock: this.clock,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.http ? { http: options.http } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      ...(options.tracer ? { tracer: options.tracer } : {}),
    });
    this.events = this.transport.events;
    this.basePath = (options.basePath ?? '/api/data-sources').replace(/\/+$/, '');
    this.delegationsPath = (options.delegationsPath ?? '/api/credential-delegations').replace(/\/+$/, '');
    this.eventsPath = options.eventsPath ?? '/api/sse';
  }

  /** Creates the organization's missing default connections (idempotent). */
  async seed(options: CallOptions = {}): Promise<SeedConnectionsResult> {
    return this.call('seed', { method: 'POST', path: `${this.basePath}/seed`, idempotent: true, operation: 'datasources.seed', ...callFields(options) });
  }

  /** The organization's connections, optionally filtered. An unknown type or status is refused by the server (400, `issues` lists the allowed values). */
  async list(filter: ListConnectionsOptions = {}, options: CallOptions = {}): Promise<DataSourceConnection[]> {
    return this.call('list', { method: 'GET', path: this.basePath, query: { status: filter.status, type: filter.type, enabled: filter.enabled }, operation: 'datasources.list', ...callFields(options) });
  }

  /** One connection. */
  async get(id: string, options: CallOptions = {}): Promise<DataSourceConnection> {
    return this.call('get', { method: 'GET', path: this.one(id), operation: 'datasources.get', ...callFields(options) }, id);
  }

  /**
   * Sends credentials to be verified by the external service; the connection
   * goes to `verifying` and the outcome arrives as a live update (see
   * {@link waitFor}). The only call that sends credentials. Like {@link sync}
   * it is not sent again after an ambiguous failure (a 5xx, a timeout or a
   * reset after sending), which would verify twice; the error says so.
   */
  async verify(id: string, input: VerifyInput, options: CallOptions = {}): Promise<VerifyResult> {
    const secrets = secretStrings(input.credentials).filter((s) => s.length >= 4);
    for (const secret of secrets) this.inFlightSecrets.set(secret, (this.inFlightSecrets.get(secret) ?? 0) + 1);
    try {
      return await this.call(
        'verify',
        {
          method: 'POST',
          path: `${this.one(id)}/verify`,
          json: { ...(input.config === undefined ? {} : { config: input.config }), credentials: input.credentials },
          // Not re-sent after an ambiguous failure: each accepted verify sends the external service a webhook.
          operation: 'datasources.verify',
          notRetriedHint: 'watch the connection: a verification that started shows status verifying and its result arrives as a live update',
          ...callFields(options),
        },
        id,
      );
    } catch (error) {
      throw scrubError(error, secrets);
    } finally {
      for (const secret of secrets) {
        const left = (this.inFlightSecrets.get(secret) ?? 1) - 1;
        if (left > 0) this.inFlightSecrets.set(secret, left);
        else this.inFlightSecrets.delete(secret);
      }
    }
  }

  /** Saves a full configuration (PUT); credentials are not part of it. */
  async update(id: string, input: ConnectionUpdate, options: CallOptions = {}): Promise<DataSourceConnection> {
    return this.call('update', { method: 'PUT', path: this.one(id), json: input, operation: 'datasources.update', ...callFields(options) }, id);
  }

  /** Saves some fields (PATCH), e.g. `{ enabled: false }` (admins and owners only). */
  async patch(id: string, input: ConnectionPatch, options: CallOptions = {}): Promise<DataSourceConnection> {
    // Setting the same fields twice gives the same row.
    return this.call('patch', { method: 'PATCH', path: this.one(id), json: input, idempotent: true, operation: 'datasources.patch', ...callFields(options) }, id);
  }

  /** Soft-deletes a connection (admins and owners only). */
  async remove(id: string, options: CallOptions = {}): Promise<RemovedConnection> {
    return this.call('remove', { method: 'DELETE', path: this.one(id), operation: 'datasources.remove', ...callFields(options) }, id);
  }

  /** Triggers a sync (the connection must be enabled, configured and not syncing, unless `force`). */
  async sync(id: string, input: SyncInput = {}, options: CallOptions = {}): Promise<SyncResult> {
    return this.startSync('sync', id, `${this.one(id)}/sync`, input, options);
  }

  /**
   * Triggers a ticket sync, which only ITSM connections (`servicenow_itsm`,
   * `jira`) support. Pass the connection (or `{ id, type }`) to check its
   * type with no request at all; with an id alone the connection is fetched
   * first. Either way a non-ITSM connection is refused with a `ValidationError`
   * before the sync request is sent. `options` apply to both requests.
   */
  async syncTickets(connection: string | Pick<DataSourceConnection, 'id' | 'type'>, input: SyncInput = {}, options: CallOptions = {}): Promise<SyncResult> {
    const known = typeof connection === 'string' ? await this.get(connection, options) : connection;
    if (!isItsmType(known.type)) {
      throw new ValidationError('Ticket sync is only supported for ServiceNow ITSM and Jira connections', [
        { field: 'type', rule: 'enum', message: `'${known.type}' is not one of: ${ITSM_SOURCE_TYPES.join(', ')}` },
      ]);
    }
    return this.startSync('syncTickets', known.id, `${this.one(known.id)}/sync-tickets`, input, options);
  }

  /** Invites someone to enter an ITSM connection's credentials. `itsmSystemType` must be `servicenow_itsm` or `jira` (checked before sending). */
  async createDelegation(
    input: { readonly itsmSystemType: ItsmSystemType; readonly delegateEmail: string; readonly connectionId?: string },
    options: CallOptions = {},
  ): Promise<CreatedDelegation> {
    assertItsmSystemType(input.itsmSystemType);
    return this.call('createDelegation', {
      method: 'POST',
      path: this.delegationsPath,
      json: { itsm_system_type: input.itsmSystemType, delegate_email: input.delegateEmail, ...(input.connectionId ? { connection_id: input.connectionId } : {}) },
      operation: 'delegations.create',
      notRetriedHint: 'list delegations to see whether the invitation was created',
      ...callFields(options),
    });
  }

  /** The organization's delegations, optionally of one ITSM type. */
  async listDelegations(filter: { readonly itsmSystemType?: ItsmSystemType } = {}, options: CallOptions = {}): Promise<CredentialDelegation[]> {
    if (filter.itsmSystemType !== undefined) assertItsmSystemType(filter.itsmSystemType);
    return this.call('listDelegations', { method: 'GET', path: this.delegationsPath, query: { itsm_system_type: filter.itsmSystemType }, operation: 'delegations.list', ...callFields(options) });
  }

  /** Revokes a delegation (idempotent). */
  async revokeDelegation(id: string, options: CallOptions = {}): Promise<CredentialDelegation> {
    return this.call('revokeDelegation', { method: 'POST', path: `${this.delegationsPath}${path`/${id}`}/revoke`, idempotent: true, operation: 'delegations.revoke', ...callFields(options) }, id);
  }

  /**
   * Live `data_source_update` events of the organization over server-sent
   * events, reconnecting with `Last-Event-ID`.
   *
   * @example
   * const watch = ds.watch();
   * for await (const update of watch) if (update.status === 'idle') break;
   */
  watch(options: WatchOptions = {}): ConnectionWatch {
    return new ConnectionWatch(
      async (lastEventId, signal) => {
        const { data } = await this.transport.request<Response>({
          method: 'GET',
          path: this.eventsPath,
          headers: { ...options.headers, accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
          responseType: 'stream',
          operation: 'datasources.watch',
          signal,
        });
        if (!data.body) throw new TypeError('The event stream has no body');
        return data.body;
      },
      this.clock,
      options,
    );
  }

  /**
   * Resolves with the first state of connection `id` that satisfies
   * `predicate`: its current state (fetched once the live stream is open, so
   * nothing is missed), then each live update. Rejects with a `TimeoutError`
   * after `timeoutMs`, or an `AbortedError` when `signal` aborts.
   *
   * @example
   * const { triggeredAt } = await ds.sync(id);
   * const done = await ds.waitFor(id, (s) => s.status === 'idle' && (s.lastSyncAt ?? '') >= triggeredAt, { timeoutMs: 30_000 });
   */
  async waitFor(id: string, predicate: (state: ConnectionState) => boolean, options: WaitForOptions = {}): Promise<ConnectionState> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const started = this.clock.now();
    const controller = new AbortController();
    const outer = options.signal;
    const onAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) throw new AbortedError('waitFor was aborted', { cause: outer.reason });
    outer?.addEventListener('abort', onAbort, { once: true });
    const headers = options.headers ? { headers: options.headers } : {};
    const watch = this.watch({ signal: controller.signal, ...headers });
    const iterator = watch[Symbol.asyncIterator]();
    const timer = this.clock.sleep(timeoutMs, controller.signal).then(
      () => ({ kind: 'timeout' as const }),
      () => ({ kind: 'aborted' as const }),
    );
    const settle = async <T>(promise: Promise<T>): Promise<{ kind: 'value'; value: T } | { kind: 'timeout' } | { kind: 'aborted' }> =>
      Promise.race([promise.then((value) => ({ kind: 'value' as const, value })), timer]);
    const fail = (kind: 'timeout' | 'aborted'): never => {
      if (kind === 'aborted') throw new AbortedError('waitFor was aborted', { cause: outer?.reason });
      throw new TimeoutError({
        platform: 'datasources',
        method: 'GET',
        url: redactUrl(new URL(this.eventsPath, this.transport.baseUrl)),
        retry: { attempts: 1, elapsedMs: this.clock.now() - started, delaysMs: [] },
        maybeSent: false,
        scope: 'total',
        timeoutMs,
        hint: `connection ${id} did not reach the expected state`,
      });
    };
    let pending = iterator.next();
    pending.catch(() => {});
    try {
      const ready = await settle(watch.connected);
      if (ready.kind !== 'value') fail(ready.kind);
      if (options.checkCurrent ?? true) {
        const current = await settle(this.get(id, { signal: controller.signal, ...headers }));
        if (current.kind !== 'value') fail(current.kind);
        else if (predicate(current.value)) return current.value;
      }
      for (;;) {
        const next = await settle(pending);
        if (next.kind !== 'value') return fail(next.kind);
        if (next.value.done) return fail(outer?.aborted ? 'aborted' : 'timeout');
        if (next.value.value.connectionId === id && predicate(next.value.value)) return next.value.value;
        pending = iterator.next();
        pending.catch(() => {});
      }
    } finally {
      outer?.removeEventListener('abort', onAbort);
      controller.abort();
      void iterator.return?.(undefined)?.catch(() => {});
    }
  }

  private startSync(method: 'sync' | 'syncTickets', id: string, target: string, input: SyncInput, options: CallOptions): Promise<SyncResult> {
    return this.call(
      method,
      {
        method: 'POST',
        path: target,
        json: input.force === undefined ? {} : { force: input.force },
        operation: `datasources.${method}`,
        notRetriedHint: 'watch the connection: a sync that started shows status syncing',
        ...callFields(options),
      },
      id,
    );
  }

  /** Sends one request and reads its answer with the method's decoder. */
  private async call<M extends keyof typeof CONNECTIONS_DECODERS>(method: M, spec: RequestSpec & { readonly method: HttpMethod }, id?: string): Promise<ReturnType<(typeof CONNECTIONS_DECODERS)[M]>> {
    const sentAt = new Date(this.clock.now()).toISOString();
    const res = await this.transport.request(spec);
    const context: DecodeContext = {
      platform: 'datasources',
      method: spec.method,
      url: redactUrl(new URL(`${this.transport.baseUrl.replace(/\/+$/, '')}${spec.path}`)),
      sentAt,
      ...(id === undefined ? {} : { id }),
    };
    return (CONNECTIONS_DECODERS[method] as (res: unknown, ctx: DecodeContext) => ReturnType<(typeof CONNECTIONS_DECODERS)[M]>)(res, context);
  }

  private one(id: string): string {
    return `${this.basePath}${path`/${id}`}`;
  }
}

function assertItsmSystemType(type: unknown): void {
  if (!isItsmType(type)) {
    throw new ValidationError('Invalid ITSM system type', [{ field: 'itsmSystemType', rule: 'enum', message: `must be one of: ${ITSM_SOURCE_TYPES.join(', ')}` }]);
  }
}

/** Every string value (at any depth) of a credentials object, for scrubbing. */
function secretStrings(value: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object' && depth < 10) for (const v of Object.values(value)) secretStrings(v, out, depth + 1);
  return out;
}

/** Removes echoed credential values from an HTTP error's message and parsed platform error (the error is ours, fresh from the transport). */
function scrubError(error: unknown, secrets: readonly string[]): unknown {
  if (!isHttpError(error) || secrets.length === 0) return error;
  Object.defineProperty(error, 'message', { value: scrubSecrets(error.message, secrets), configurable: true, writable: true });
  const detail = error.platformError;
  if (detail) {
    Object.defineProperty(error, 'platformError', {
      value: {
        ...(detail.message === undefined ? {} : { message: scrubSecrets(detail.message, secrets) }),
        ...(detail.detail === undefined ? {} : { detail: scrubSecrets(detail.detail, secrets) }),
        ...(detail.issues ? { issues: detail.issues.map((i) => ({ ...i, message: scrubSecrets(i.message, secrets) })) } : {}),
      },
    });
  }
  if (typeof error.stack === 'string') Object.defineProperty(error, 'stack', { value: scrubSecrets(error.stack, secrets), configurable: true, writable: true });
  // The raw body may echo them too.
  Object.defineProperty(error, 'body', { value: undefined, enumerable: false });
  return error;
}
