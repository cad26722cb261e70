import {
  type AuthProvider,
  cacheTtlOption,
  callFields,
  type CallOptions,
  type Clock,
  ConfigError,
  type Emitter,
  type FetchLike,
  type HttpError,
  type HttpOptions,
  type IdempotencyOptions,
  isAuthError,
  isHttpError,
  isItsmError,
  type ItsmError,
  type Logger,
  redactUrl,
  type RequestSpec,
  type RetryPolicy,
  type RetryPolicyOptions,
  systemClock,
  Transport,
  type TransportEvents,
  type TransportResponse,
  type TransportTracer,
  withClientName, scrubSecrets
} from '../core/index.js';
import { type JiraAuth, jiraAuthProvider, oauthBaseUrl } from './auth.js';
import type { ConsistencyOptions, JiraContext } from './context.js';
import { decodeUser } from './decoders.js';
import { withJiraContext } from './errors.js';
import { JiraAttachments } from './attachments.js';
import { JiraIssues } from './issues.js';
import { fromWireUser } from './mapper.js';
import { parseJiraError } from './parse-error.js';
import type { JiraDeployment, JiraUser } from './types.js';
import { JiraUsers } from './users.js';
import { JiraServiceDesk } from './service-desk/service-desk.js';

/** Options of a {@link JiraClient}. */
export interface JiraClientOptions {
  /**
   * The site URL (`https://acme.atlassian.net`, or the Data Center base URL).
   * Not needed with an OAuth configuration: calls then go through the Atlassian gateway.
   */
  readonly baseUrl?: string;
  readonly auth: JiraAuth;
  /** Cloud (REST v3, ADF) or Data Center (REST v2, strings). @default 'cloud' */
  readonly deployment?: JiraDeployment;
  /**
   * Sends through this `fetch` (a test fake, msw, your own networking). Without
   * it the client uses undici on Node, set up by `http`, and the global fetch elsewhere.
   */
  readonly fetch?: FetchLike;
  /** Proxy, TLS (private CA, mutual TLS), connect timeout and pool of the Node transport. */
  readonly http?: HttpOptions;
  /** A retry policy or its options. @default RetryPolicy.from() */
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
  /** How long a create with a correlation key waits for search to show an ambiguous write. @default { polls: 4, intervalMs: 500 } */
  readonly consistency?: ConsistencyOptions;
  /** How creates with a correlation key are made once: the store shared across processes, waits and windows. */
  readonly idempotency?: IdempotencyOptions;
  /** How long `users.resolve` keeps an answer, in ms (0: not at all; failures never). @default 300000 (5 minutes) */
  readonly userCacheTtlMs?: number;
  /**
   * Reports every call as a span and each HTTP attempt in it as a child span,
   * with `traceparent` sent on every attempt: `otelTracer()` from `itsmkit/otel`,
   * or any {@link TransportTracer}. @default none (no tracing, no cost)
   */
  readonly tracer?: TransportTracer;
}

/**
 * The site root, without the REST path: the client adds `/rest/api/3` (or 2)
 * itself, so a base URL ending in it would call `/rest/api/3/rest/api/3/...`.
 * A context path (`https://jira.acme.com/jira`) is kept.
 */
function checkBaseUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const rest = /\/rest(\/|$)/.exec(value);
  if (!rest) return value;
  const root = value.slice(0, rest.index) || value;
  throw new ConfigError('Invalid JiraClient options', [
    { field: 'baseUrl', rule: 'url', message: `is the site root without the REST path: use "${safeOrigin(root)}" (the client adds /rest/api/3 or /rest/api/2)` },
  ]);
}

/** The URL without credentials, query or fragment, for quoting in a message. */
function safeOrigin(value: string): string {
  try {
    const url = new URL(value);
    return `${url.origin}${url.pathname.replace(/\/$/, '')}`;
  } catch {
    return '(the site root)';
  }
}

/** The outcome of {@link JiraClient.testConnection}. */
export type JiraConnectionResult =
  | { readonly ok: true; readonly user: JiraUser | undefined; readonly deployment: JiraDeployment }
  | {
      readonly ok: false;
      /** `credentials`: `/myself` refused them (401); `error`: anything else (network, 5xx, 403...). */
      readonly reason: 'credentials' | 'error';
      readonly message: string;
      readonly error: ItsmError;
    };

const CREDENTIALS_HINT =
  'Jira treats a call whose credentials it does not accept as anonymous (404 or 403 instead of 401), and GET /myself refused these credentials: they are the likely cause';

/**
 * A typed client for Jira Cloud and Data Center on the shared transport
 * (retries, timeouts, redaction, events).
 *
 * @example
 * const jira = new JiraClient({ baseUrl: 'https://acme.atlassian.net', auth: { type: 'basic', email, apiToken } });
 * const issue = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Disk full on db-1' });
 */
export class JiraClient {
  readonly deployment: JiraDeployment;
  /** Issues, search, transitions and comments. */
  readonly issues: JiraIssues;
  /** Attachments: streamed uploads to issues, downloads, deletes and the site's limits. */
  readonly attachments: JiraAttachments;
  /** Users: the account (Cloud) or user name (Data Center) behind an email address or a name. */
  readonly users: JiraUsers;
  /** Jira Service Management (`/rest/servicedeskapi`): desks, request types, customer requests, comments, SLAs, approvals. */
  readonly serviceDesk: JiraServiceDesk;
  /** The transport every call goes through. */
  readonly transport: Transport;
  private credentialCheck: Promise<boolean> | undefined;
  private readonly ctx: JiraContext;

  constructor(options: JiraClientOptions) {
    this.deployment = options.deployment ?? 'cloud';
    if (this.deployment !== 'cloud' && this.deployment !== 'datacenter') {
      throw new ConfigError('Invalid JiraClient options', [{ field: 'deployment', rule: 'enum', message: 'must be "cloud" or "datacenter"' }]);
    }
    const clock = options.clock ?? systemClock;
    const userCacheTtlMs = cacheTtlOption(options.userCacheTtlMs, 'JiraClient', 'userCacheTtlMs');
    const auth = options.auth as JiraAuth | undefined;
    if (auth === undefined || auth === null) {
      throw new ConfigError('Invalid JiraClient options', [{ field: 'auth', rule: 'required', message: 'is required: {type: "basic" | "bearer" | "oauth", ...}' }]);
    }
    const isOAuth = typeof auth === 'object' && 'type' in auth && auth.type === 'oauth';
    if (isOAuth && this.deployment === 'datacenter') {
      throw new ConfigError('Invalid JiraClient options', [{ field: 'auth.type', rule: 'enum', message: 'OAuth 2.0 (3LO) is for Jira Cloud; Data Center uses a personal access token (type "bearer")' }]);
    }
    const provider: AuthProvider = withClientName('JiraClient', () => jiraAuthProvider(auth, clock));
    const baseUrl = isOAuth ? oauthBaseUrl(auth) : checkBaseUrl(options.baseUrl);
    this.transport = new Transport({
      baseUrl: baseUrl as string,
      platform: 'jira',
      auth: provider,
      fetch: options.fetch,
      http: options.http,
      retry: options.retry,
      logger: options.logger,
      clock,
      userAgent: options.userAgent,
      headers: options.headers,
      parseError: parseJiraError,
      idempotency: options.idempotency,
      tracer: options.tracer,
    });
    this.ctx = {
      keyed: this.transport.keyedCreates,
      host: new URL(this.transport.baseUrl).host,
      deployment: this.deployment,
      api: this.deployment === 'cloud' ? '/rest/api/3' : '/rest/api/2',
      clock,
      consistency: { polls: options.consistency?.polls ?? 4, intervalMs: options.consistency?.intervalMs ?? 500 },
      send: (spec) => this.send(spec),
      where: (spec) => () => ({ platform: 'jira', method: spec.method, url: redactUrl(new URL(spec.path.replace(/^\//, ''), `${this.transport.baseUrl.replace(/\/$/, '')}/`)) }),
    };
    this.users = new JiraUsers(this.ctx, userCacheTtlMs);
    this.issues = new JiraIssues(this.ctx, this.users);
    this.serviceDesk = new JiraServiceDesk(this.ctx);
    this.attachments = new JiraAttachments(this.ctx);
  }

  /** Typed transport events (`request`, `response`, `retry`, `error`) for logging and metrics. */
  get events(): Emitter<TransportEvents> {
    return this.transport.events;
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
   * Checks the URL and credentials with `GET /myself`, the one endpoint that
   * answers 401 to bad credentials (others treat the call as anonymous).
   */
  async testConnection(options: CallOptions = {}): Promise<JiraConnectionResult> {
    try {
      const spec: RequestSpec = { method: 'GET', path: `${this.ctx.api}/myself`, operation: 'jira.myself', ...callFields(options) };
      const user = decodeUser(await this.send(spec), this.ctx.where(spec));
      this.credentialCheck = Promise.resolve(false);
      return { ok: true, user: fromWireUser(user), deployment: this.deployment };
    } catch (error) {
      if (!isItsmError(error)) throw error;
      if (isAuthError(error)) this.credentialCheck = Promise.resolve(true);
      return { ok: false, reason: isAuthError(error) ? 'credentials' : 'error', message: error.message, error };
    }
  }

  private async send<T>(spec: RequestSpec): Promise<TransportResponse<T>> {
    try {
      return await this.transport.request<T>(spec);
    } catch (error) {
      throw isHttpError(error) ? await this.explain(error, spec) : error;
    }
  }

  /** Adds what Jira's answers leave implicit: that rejected credentials are the likely cause of a 404 or 403. */
  private async explain(error: HttpError, spec: RequestSpec): Promise<HttpError> {
    const anonymous = (error.status === 404 || error.status === 403) && spec.auth !== false && (await this.credentialsRejected());
    return anonymous ? withJiraContext(error, { hint: CREDENTIALS_HINT }) : error;
  }

  /** Whether `/myself` refuses the credentials: asked once, lazily, and remembered. */
  private credentialsRejected(): Promise<boolean> {
    this.credentialCheck ??= this.transport
      .request({ method: 'GET', path: `${this.ctx.api}/myself`, operation: 'jira.myself.check' })
      .then(
        () => false,
        (error: unknown) => {
          if (isAuthError(error)) return true;
          // Unknown (network, 5xx): ask again next time.
          this.credentialCheck = undefined;
          return false;
        },
      );
    return this.credentialCheck;
  }
}
