import type { AuthContext, AuthProvider, TokenSource } from '../core/auth.js';
import { bearerAuth } from '../core/auth.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { AbortedError, ConfigError, isHttpError, TimeoutError, ValidationError } from '../core/errors.js';
import type { Emitter, TransportEvents } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { path } from '../core/path.js';
import { redactUrl, scrubSecrets } from '../core/redact.js';
import type { RetryPolicy, RetryPolicyOptions } from '../core/retry-policy.js';
import { type FetchLike, Transport } from '../core/transport.js';
import { isItsmType, ITSM_SOURCE_TYPES, type ItsmSystemType } from './catalog.js';
import type { ConnectionState, ConnectionStatus, DataSourceConnection } from './connection.js';
import { type CredentialDelegation, fromWireConnection, fromWireDelegation, parseDataSourcesError } from './mapper.js';
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
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** @default RetryPolicy.from() */
  readonly retry?: RetryPolicy | RetryPolicyOptions;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
  readonly headers?: Readonly<Record<string, string>>;
  /** Appended to the User-Agent. */
  readonly userAgent?: string;
  /** @default '/api/data-sources' */
  readonly basePath?: string;
  /** @default '/api/credential-delegations' */
  readonly delegationsPath?: string;
  /** The SSE stream. @default `${basePath}/events` */
  readonly eventsPath?: string;
}

/** Filters of {@link ConnectionsClient.list}. */
export interface ListConnectionsOptions {
  readonly status?: ConnectionStatus | (string & {});
  readonly type?: string;
  readonly enabled?: boolean;
}

/** The answer of {@link ConnectionsClient.seed}. */
export interface SeedConnectionsResult {
  readonly created: number;
  readonly existing: number;
  readonly message: string;
}

/** The answer of {@link ConnectionsClient.verify}: the result arrives later as a live update. */
export interface VerifyResult {
  readonly id: string;
  readonly status: string;
  readonly message: string;
}

/** The answer of {@link ConnectionsClient.sync} and {@link ConnectionsClient.syncTickets}. */
export interface SyncResult {
  readonly id: string;
  readonly status: string;
  readonly triggeredAt: string;
}

/** A delegation just created, with its one-time token. */
export interface CreatedDelegation extends CredentialDelegation {
  /** The invitation token: shown once, never stored by the client. */
  readonly token: string | null;
}

/** Options of {@link ConnectionsClient.waitFor}. */
export interface WaitForOptions {
  /** @default 60000 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Also test the connection's current state (fetched once subscribed). @default true */
  readonly checkCurrent?: boolean;
}

/**
 * A typed client for a host platform's `/api/data-sources` API (seed 002)
 * and credential delegations (seed 000), on the core transport.
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
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    });
    this.events = this.transport.events;
    this.basePath = (options.basePath ?? '/api/data-sources').replace(/\/+$/, '');
    this.delegationsPath = (options.delegationsPath ?? '/api/credential-delegations').replace(/\/+$/, '');
    this.eventsPath = options.eventsPath ?? `${this.basePath}/events`;
  }

  /** Creates the organization's missing default connections (idempotent). */
  async seed(): Promise<SeedConnectionsResult> {
    const { data } = await this.transport.request<Record<string, unknown>>({ method: 'POST', path: `${this.basePath}/seed`, idempotent: true, operation: 'datasources.seed' });
    return { created: num(data?.['created']), existing: num(data?.['existing']), message: String(data?.['message'] ?? '') };
  }

  /** The organization's connections, optionally filtered. An unknown type or status is refused by the server (400, `issues` lists the allowed values). */
  async list(filter: ListConnectionsOptions = {}): Promise<DataSourceConnection[]> {
    const { data } = await this.transport.request<{ data?: unknown }>({
      method: 'GET',
      path: this.basePath,
      query: { status: filter.status, type: filter.type, enabled: filter.enabled },
      operation: 'datasources.list',
    });
    return Array.isArray(data?.data) ? data.data.map(fromWireConnection) : [];
  }

  /** One connection. */
  async get(id: string, options: { readonly signal?: AbortSignal } = {}): Promise<DataSourceConnection> {
    const { data } = await this.transport.request<{ data?: unknown }>({ method: 'GET', path: this.one(id), operation: 'datasources.get', ...signalOf(options.signal) });
    return fromWireConnection(data?.data);
  }

  /**
   * Sends credentials to be verified by the external service; the connection
   * goes to `verifying` and the outcome arrives as a live update (see
   * {@link waitFor}). The only call that sends credentials. Like {@link sync}
   * it is not sent again after an ambiguous failure (a 5xx, a timeout or a
   * reset after sending), which would verify twice; the error says so.
   */
  async verify(id: string, input: VerifyInput): Promise<VerifyResult> {
    const secrets = secretStrings(input.credentials).filter((s) => s.length >= 4);
    for (const secret of secrets) this.inFlightSecrets.set(secret, (this.inFlightSecrets.get(secret) ?? 0) + 1);
    try {
      const { data } = await this.transport.request<{ data?: Record<string, unknown> }>({
        method: 'POST',
        path: `${this.one(id)}/verify`,
        json: { ...(input.config === undefined ? {} : { config: input.config }), credentials: input.credentials },
        // Not re-sent after an ambiguous failure: each accepted verify sends the external service a webhook.
        operation: 'datasources.verify',
        notRetriedHint: 'watch the connection: a verification that started shows status verifying and its result arrives as a live update',
      });
      const d = data?.data ?? {};
      return { id: String(d['id'] ?? id), status: String(d['status'] ?? ''), message: String(d['message'] ?? '') };
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
  async update(id: string, input: ConnectionUpdate): Promise<DataSourceConnection> {
    const { data } = await this.transport.request<{ data?: unknown }>({ method: 'PUT', path: this.one(id), json: input, operation: 'datasources.update' });
    return fromWireConnection(data?.data);
  }

  /** Saves some fields (PATCH), e.g. `{ enabled: false }` (admins and owners only). */
  async patch(id: string, input: ConnectionPatch): Promise<DataSourceConnection> {
    const { data } = await this.transport.request<{ data?: unknown }>({
      method: 'PATCH',
      path: this.one(id),
      json: input,
      // Setting the same fields twice gives the same row.
      idempotent: true,
      operation: 'datasources.patch',
    });
    return fromWireConnection(data?.data);
  }

  /** Soft-deletes a connection (admins and owners only). */
  async remove(id: string): Promise<{ id: string; deletedAt: string }> {
    const { data } = await this.transport.request<{ data?: Record<string, unknown> }>({ method: 'DELETE', path: this.one(id), operation: 'datasources.remove' });
    return { id: String(data?.data?.['id'] ?? id), deletedAt: String(data?.data?.['deleted_at'] ?? '') };
  }

  /** Triggers a sync (the connection must be enabled, configured and not syncing, unless `force`). */
  async sync(id: string, input: SyncInput = {}): Promise<SyncResult> {
    return this.startSync(`${this.one(id)}/sync`, input, 'datasources.sync');
  }

  /**
   * Triggers a ticket sync, which only ITSM connections (`servicenow_itsm`,
   * `jira`) support. Pass the connection (or `{ id, type }`) to check its
   * type with no request at all; with an id alone the connection is fetched
   * first. Either way a non-ITSM connection is refused with a `ValidationError`
   * before the sync request is sent.
   */
  async syncTickets(connection: string | Pick<DataSourceConnection, 'id' | 'type'>, input: SyncInput = {}): Promise<SyncResult> {
    const known = typeof connection === 'string' ? await this.get(connection) : connection;
    if (!isItsmType(known.type)) {
      throw new ValidationError('Ticket sync is only supported for ServiceNow ITSM and Jira connections', [
        { field: 'type', rule: 'enum', message: `'${known.type}' is not one of: ${ITSM_SOURCE_TYPES.join(', ')}` },
      ]);
    }
    return this.startSync(`${this.one(known.id)}/sync-tickets`, input, 'datasources.syncTickets');
  }

  /** Invites someone to enter an ITSM connection's credentials. `itsmSystemType` must be `servicenow_itsm` or `jira` (checked before sending). */
  async createDelegation(input: { readonly itsmSystemType: ItsmSystemType; readonly delegateEmail: string; readonly connectionId?: string }): Promise<CreatedDelegation> {
    assertItsmSystemType(input.itsmSystemType);
    const { data } = await this.transport.request<{ data?: Record<string, unknown> }>({
      method: 'POST',
      path: this.delegationsPath,
      json: { itsm_system_type: input.itsmSystemType, delegate_email: input.delegateEmail, ...(input.connectionId ? { connection_id: input.connectionId } : {}) },
      operation: 'delegations.create',
      notRetriedHint: 'list delegations to see whether the invitation was created',
    });
    const token = data?.data?.['token'];
    return { ...fromWireDelegation(data?.data), token: typeof token === 'string' ? token : null };
  }

  /** The organization's delegations, optionally of one ITSM type. */
  async listDelegations(filter: { readonly itsmSystemType?: ItsmSystemType } = {}): Promise<CredentialDelegation[]> {
    if (filter.itsmSystemType !== undefined) assertItsmSystemType(filter.itsmSystemType);
    const { data } = await this.transport.request<{ data?: unknown }>({
      method: 'GET',
      path: this.delegationsPath,
      query: { itsm_system_type: filter.itsmSystemType },
      operation: 'delegations.list',
    });
    return Array.isArray(data?.data) ? data.data.map(fromWireDelegation) : [];
  }

  /** Revokes a delegation (idempotent). */
  async revokeDelegation(id: string): Promise<CredentialDelegation> {
    const { data } = await this.transport.request<{ data?: unknown }>({
      method: 'POST',
      path: `${this.delegationsPath}${path`/${id}`}/revoke`,
      idempotent: true,
      operation: 'delegations.revoke',
    });
    return fromWireDelegation(data?.data);
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
          headers: { accept: 'text/event-stream', ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
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
    const watch = this.watch({ signal: controller.signal });
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
        const current = await settle(this.get(id, { signal: controller.signal }));
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

  private async startSync(target: string, input: SyncInput, operation: string): Promise<SyncResult> {
    const { data } = await this.transport.request<{ data?: Record<string, unknown> }>({
      method: 'POST',
      path: target,
      json: input.force === undefined ? {} : { force: input.force },
      operation,
      notRetriedHint: 'watch the connection: a sync that started shows status syncing',
    });
    const d = data?.data ?? {};
    return { id: String(d['id'] ?? ''), status: String(d['status'] ?? ''), triggeredAt: String(d['triggered_at'] ?? '') };
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

function signalOf(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
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
