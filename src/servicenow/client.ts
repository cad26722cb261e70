import {
  cacheTtlOption,
  callFields,
  type CallOptions,
  type Clock,
  ConfigError,
  type Emitter,
  type FetchLike,
  type HttpOptions,
  type IdempotencyOptions,
  isItsmError,
  type ItsmError,
  type Logger,
  type RetryMetadata,
  type RetryPolicy,
  type RetryPolicyOptions,
  systemClock,
  Transport,
  type TransportEvents,
  type TransportTracer,
  withClientName, scrubSecrets
} from '../core/index.js';
import { serviceNowAuthProvider, type ServiceNowAuth } from './auth.js';
import { ServiceNowAttachments } from './attachments.js';
import { ChangeRequestsResource } from './change-requests.js';
import { ChangeTasksResource } from './change-tasks.js';
import { ConfigurationItemsResource } from './configuration-items.js';
import { GroupsResource } from './groups.js';
import { IncidentsResource } from './incidents.js';
import { JournalResource } from './journal.js';
import { parseServiceNowError } from './parse-error.js';
import { ProblemsResource } from './problems.js';
import { RequestedItemsResource } from './requested-items.js';
import { UsersResource } from './users.js';
import { mapTableRecord, TableResource, type TableRecord } from './table-resource.js';

/** Options of a {@link ServiceNowClient}. */
export interface ServiceNowClientOptions {
  /** The instance, e.g. `https://acme.service-now.com` (http allowed for loopback sandboxes). */
  readonly instanceUrl: string;
  /** Credentials: basic, bearer, API key, OAuth, an AuthProvider, or a function returning one of the configs. */
  readonly auth: ServiceNowAuth;
  /**
   * Sends through this `fetch` (a test fake, msw, your own networking). Without
   * it the client uses undici on Node, set up by `http`, and the global fetch elsewhere.
   */
  readonly fetch?: FetchLike;
  /** Proxy, TLS (private CA, mutual TLS), connect timeout and pool of the Node transport. */
  readonly http?: HttpOptions;
  /** A retry policy or its options. @default RetryPolicy.from() (5 retries, 60 s budget) */
  readonly retry?: RetryPolicy | RetryPolicyOptions;
  /** @default silentLogger */
  readonly logger?: Logger;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Appended to the User-Agent, e.g. `my-service/2.1`. */
  readonly userAgent?: string;
  /**
   * Headers sent on every request (names case-insensitive). A call's own
   * `headers` override them; the credentials' `authorization` always wins.
   * @default none
   * @example { 'x-request-source': 'alerting' }
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The instance's attachment size limit (`com.glide.attachment.max_size`), in MB:
   * larger uploads are refused before they are sent. @default 1024
   */
  readonly attachmentMaxSizeMb?: number;
  /** How long `users`, `groups` and `configurationItems` keep a lookup's answer (0: not at all). @default 300000 (5 minutes) */
  readonly lookupCacheTtlMs?: number;
  /** How creates with a correlation id are made once: the store shared across processes, waits and windows. */
  readonly idempotency?: IdempotencyOptions;
  /**
   * Reports every call as a span and each HTTP attempt in it as a child span,
   * with `traceparent` sent on every attempt: `otelTracer()` from `itsmkit/otel`,
   * or any {@link TransportTracer}. @default none (no tracing, no cost)
   */
  readonly tracer?: TransportTracer;
}

/** What {@link ServiceNowClient.testConnection} found. */
export type TestConnectionResult =
  | { readonly ok: true; readonly instanceUrl: string; readonly retry: RetryMetadata }
  | { readonly ok: false; readonly instanceUrl: string; readonly error: ItsmError };

/**
 * A ServiceNow instance: the Table API, typed incidents, problems, change
 * requests and tasks, requested items, journal entries, and lookups of users,
 * groups and configuration items. Every call goes through the one transport
 * (retries, timeouts, redaction, events).
 *
 * @example
 * const sn = new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username, password } });
 * const inc = await sn.incidents.create({ shortDescription: 'VPN down', urgency: 'high', impact: 'medium' });
 */
export class ServiceNowClient {
  /** The normalised instance URL. */
  readonly instanceUrl: string;
  readonly transport: Transport;
  /** Typed events: `request`, `response`, `retry`, `error`. */
  readonly events: Emitter<TransportEvents>;
  /** Journal entries (work notes, comments) of any table. */
  readonly journal: JournalResource;
  readonly incidents: IncidentsResource;
  readonly problems: ProblemsResource;
  readonly changeRequests: ChangeRequestsResource;
  readonly changeTasks: ChangeTasksResource;
  /** Requested items (`sc_req_item`) of service catalog orders: read and work notes. */
  readonly requestedItems: RequestedItemsResource;
  /** Users (`sys_user`), looked up by email or user name. */
  readonly users: UsersResource;
  /** Groups (`sys_user_group`), looked up by name. */
  readonly groups: GroupsResource;
  /** Configuration items (`cmdb_ci`), looked up by name. */
  readonly configurationItems: ConfigurationItemsResource;
  /** The Attachment API: streamed uploads and downloads of files on any record. */
  readonly attachments: ServiceNowAttachments;

  constructor(options: ServiceNowClientOptions) {
    if (options === null || typeof options !== 'object') throw new ConfigError('ServiceNowClient needs options', [{ field: '(root)', rule: 'type', message: 'must be an object' }]);
    this.instanceUrl = checkInstanceUrl(options.instanceUrl);
    this.transport = new Transport({
      baseUrl: this.instanceUrl,
      baseUrlOption: 'instanceUrl',
      platform: 'servicenow',
      auth: withClientName('ServiceNowClient', () => serviceNowAuthProvider(options.auth, options.clock)),
      fetch: options.fetch,
      http: options.http,
      retry: options.retry,
      logger: options.logger,
      clock: options.clock,
      userAgent: options.userAgent,
      headers: options.headers,
      parseError: parseServiceNowError,
      idempotency: options.idempotency,
      tracer: options.tracer,
    });
    this.events = this.transport.events;
    this.journal = new JournalResource(this.transport);
    this.incidents = new IncidentsResource(this.transport, this.journal);
    this.problems = new ProblemsResource(this.transport, this.journal);
    this.changeRequests = new ChangeRequestsResource(this.transport, this.journal);
    this.changeTasks = new ChangeTasksResource(this.transport, this.journal);
    this.requestedItems = new RequestedItemsResource(this.transport, this.journal);
    const ttl = cacheTtlOption(options.lookupCacheTtlMs, 'ServiceNowClient', 'lookupCacheTtlMs');
    const clock = options.clock ?? systemClock;
    this.users = new UsersResource(this.transport, ttl, clock);
    this.groups = new GroupsResource(this.transport, ttl, clock);
    this.configurationItems = new ConfigurationItemsResource(this.transport, ttl, clock);
    this.attachments = new ServiceNowAttachments(this.transport, options.attachmentMaxSizeMb);
  }

  /**
   * The Table API for any table, speaking wire names (`short_description`) on
   * input and camelCase on output. Table names are lower-case letters, digits and `_`.
   * `identity` names the columns every read asks for and every answer must
   * carry (a `WrongAnswerError` otherwise), e.g. `['sys_id', 'number']` for a
   * numbered table; `sys_id` always.
   */
  table(name: string, options: { readonly identity?: readonly string[] } = {}): TableResource<TableRecord> {
    const identity = options.identity ? ['sys_id', ...options.identity.filter((column) => column !== 'sys_id')] : undefined;
    return new TableResource(this.transport, name, mapTableRecord, undefined, identity);
  }

  /**
   * `text` with this client's credentials (password, tokens, client secret,
   * proxy credentials, in every encoding) replaced by `[REDACTED]`: for
   * messages you log or store yourself. The SDK's own errors, events and logs
   * are scrubbed already.
   */
  redactSecrets(text: string): string {
    return scrubSecrets(text, this.transport.secrets());
  }

  /**
   * Checks the URL, the credentials and read access by listing one record of
   * `table` (ids only). Resolves `{ ok: false, error }` instead of throwing
   * for errors from the instance or the network.
   */
  async testConnection(options: CallOptions & { readonly table?: string } = {}): Promise<TestConnectionResult> {
    try {
      const page = await this.table(options.table ?? 'incident').list({ limit: 1, fields: ['sys_id'], ...callFields(options) });
      return { ok: true, instanceUrl: this.instanceUrl, retry: page.retry };
    } catch (error) {
      if (isItsmError(error)) return { ok: false, instanceUrl: this.instanceUrl, error };
      throw error;
    }
  }
}

function checkInstanceUrl(value: unknown): string {
  const bad = (message: string) => new ConfigError('Invalid ServiceNowClient options', [{ field: 'instanceUrl', rule: 'url', message }]);
  if (typeof value !== 'string' || value.trim() === '') throw bad('is required, e.g. https://acme.service-now.com');
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw bad('is not an absolute URL such as https://acme.service-now.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad('must use https (or http for a local sandbox)');
  if (url.username || url.password) throw bad('must not carry credentials; put them in auth');
  if (url.search || url.hash) throw bad('must not carry a query string or fragment');
  if (url.pathname !== '/' && url.pathname !== '') throw bad(`is the instance root without a path: use "${url.origin}" (the client adds /api/now/...)`);
  return url.origin;
}
