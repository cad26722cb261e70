import type { IdempotencyOptions } from '../../../src/core/keyed-create.js';
import type { RetryMetadata } from '../../../src/core/errors.js';
import type { Logger } from '../../../src/core/logger.js';
import type { InMemoryMetricsSink } from '../../../src/core/metrics.js';
import type { RetryPolicyOptions } from '../../../src/core/retry-policy.js';
import type { FetchLike } from '../../../src/core/transport.js';
import { JiraClient } from '../../../src/jira/client.js';
import { correlationLabel } from '../../../src/jira/issues.js';
import { ServiceNowClient } from '../../../src/servicenow/client.js';
import { FakeJira } from '../../../src/testing/fake-jira/fake-jira.js';
import { FakeServiceNow } from '../../../src/testing/fake-servicenow/fake-servicenow.js';
import type { FaultInjector, FaultMatch } from '../../../src/testing/faults.js';
import { handlerFetch, type Handler } from '../../../src/testing/handler.js';
import { serveHandler, type ServedHandler } from '../../../src/testing/serve.js';
import { TicketService } from '../../../src/tickets/ticket-service.js';

/** Which requests of a target a scripted fault hits. */
export type FaultSite = 'create' | 'lookup' | 'any';

/** A created ticket, as every target reports it. */
export interface CreatedTicket {
  /** The platform's id (ServiceNow sys_id, Jira key). */
  readonly id: string;
  /** Retry metadata, where the client returns it on success (Jira does; a ServiceNow record does not). */
  readonly retry: RetryMetadata | undefined;
  readonly reconciled: boolean | undefined;
}

/**
 * Something that creates tickets under a correlation key against a fake, and
 * can count what the fake holds. The reliability scenarios run against this
 * shape only, so a later layer (TicketService, ConnectionService) plugs in by
 * adding a target, not a scenario.
 */
export interface TicketTarget {
  /** `servicenow`, `jira`, ... */
  readonly area: string;
  /** The fake's fault injector. */
  readonly faults: FaultInjector;
  /** The retry budget calls run under, in ms. */
  readonly budgetMs: number;
  /** The fault match for a site (the create endpoint, the reconcile lookup, anything). */
  match(site: FaultSite): FaultMatch | undefined;
  /** Creates one ticket; `key` is its correlation id/key, or undefined to create without one. */
  create(key: string | undefined, index: number): Promise<CreatedTicket>;
  /** Tickets the fake holds under a correlation key (or, for an unkeyed create, with the summary of call `index`). */
  ticketsFor(key: string | undefined, index: number): number;
  /** Whether the ticket `id` exists in the fake. */
  holds(id: string): boolean;
  /** Every ticket the fake holds. */
  ticketCount(): number;
  /** Requests the fake received, faulted ones included. */
  requestCount(): number;
  /**
   * Where the target keeps its own books (TicketService metrics), how they
   * disagree with the calls it made: one line per disagreement, empty when
   * they agree. Absent for targets that keep none.
   */
  audit?(): string[];
  close(): Promise<void>;
}

/** Options every target takes. */
export interface TargetOptions {
  readonly retry?: RetryPolicyOptions;
  /** Wraps the fake's handler (faults included), for behaviours FaultInjector has no kind for. */
  readonly wrap?: (handler: Handler) => Handler;
  /** `in-process` (handlerFetch), `loopback` (a node:http server of our own), or an already served URL. */
  readonly via?: 'in-process' | 'loopback' | { readonly url: string };
  readonly logger?: Logger;
  /** Wraps the fetch the client uses (a recorder). */
  readonly wrapFetch?: (fetch: FetchLike) => FetchLike;
  /**
   * Creates go through a TicketService (validation, field mapping, correlation
   * keys, metrics into this sink) on the client instead of the client itself;
   * the target's area becomes `tickets/<platform>` and it audits the metrics.
   */
  readonly ticketService?: InMemoryMetricsSink;
  /** The client's keyed-create options (settle window, store). */
  readonly idempotency?: IdempotencyOptions;
}

/** The creation outcomes a TicketService target made, to hold its metrics against. */
class TicketBooks {
  success = 0;
  error = 0;
  retries = 0;
  constructor(
    private readonly platform: 'servicenow' | 'jira',
    private readonly metrics: InMemoryMetricsSink,
  ) {}

  /** Runs one create, counting how it ended. */
  async count<T extends { retry: RetryMetadata }>(create: () => Promise<T>): Promise<T> {
    try {
      const result = await create();
      this.success++;
      this.retries += result.retry.attempts - 1;
      return result;
    } catch (error) {
      this.error++;
      throw error;
    }
  }

  audit(): string[] {
    const out: string[] = [];
    const platform = this.platform;
    const check = (what: string, actual: number, expected: number) => {
      if (actual !== expected) out.push(`${what}: ${actual}, expected ${expected}`);
    };
    const total = 'itsm_ticket_creation_total';
    check(`${total}{outcome=success}`, this.metrics.counter(total, { platform, outcome: 'success' }), this.success);
    check(`${total}{outcome=error}`, this.metrics.counter(total, { platform, outcome: 'error' }), this.error);
    check(`${total}{outcome=validation_error}`, this.metrics.counter(total, { platform, outcome: 'validation_error' }), 0);
    check(`${total} summed`, this.metrics.counter(total, { platform }), this.success + this.error);
    for (const outcome of ['success', 'error'] as const) {
      check(`itsm_ticket_creation_duration_seconds{outcome=${outcome}} count`, this.metrics.histogram('itsm_ticket_creation_duration_seconds', { platform, outcome })?.count ?? 0, this[outcome]);
    }
    // Successes carry their retries; failed calls' retries are counted too, so the metric is at least that.
    const retried = this.metrics.counter('itsm_ticket_retry_attempts_total', { platform });
    if (retried < this.retries) out.push(`itsm_ticket_retry_attempts_total: ${retried}, below the ${this.retries} retries successful creates report`);
    return out;
  }
}

const SN_USER = { type: 'basic', username: 'admin', password: 'sandbox-password' } as const;
const JIRA_CREDS = { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } as const;
const IN_PROCESS_SN = 'https://acme.service-now.com';
const IN_PROCESS_JIRA = 'https://acme.atlassian.net';

async function connect(handler: Handler, via: TargetOptions['via'], inProcessUrl: string): Promise<{ url: string; fetch: FetchLike | undefined; server: ServedHandler | undefined }> {
  if (via === undefined || via === 'in-process') return { url: inProcessUrl, fetch: handlerFetch(handler), server: undefined };
  if (via === 'loopback') {
    const server = await serveHandler(handler);
    return { url: server.url, fetch: undefined, server };
  }
  return { url: via.url, fetch: undefined, server: undefined };
}

function withFetch(fetch: FetchLike | undefined, wrap: TargetOptions['wrapFetch']): FetchLike | undefined {
  if (!wrap) return fetch;
  return wrap(fetch ?? ((input, init) => globalThis.fetch(input, init)));
}

/** ServiceNow incidents, keyed by `correlation_id`. */
export async function serviceNowTarget(options: TargetOptions & { readonly fake?: FakeServiceNow } = {}): Promise<TicketTarget> {
  const fake = options.fake ?? new FakeServiceNow();
  const handler = options.wrap ? options.wrap(fake.handle) : fake.handle;
  const { url, fetch, server } = await connect(handler, options.via, IN_PROCESS_SN);
  const chosen = withFetch(fetch, options.wrapFetch);
  const client = new ServiceNowClient({
    instanceUrl: url,
    auth: SN_USER,
    ...(chosen ? { fetch: chosen } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.idempotency ? { idempotency: options.idempotency } : {}),
  });
  const rows = () => fake.store.rows('incident');
  const summary = (index: number) => `Reliability incident ${index}`;
  const metrics = options.ticketService;
  const service = metrics ? new TicketService({ servicenow: client, metrics }) : undefined;
  const books = metrics ? new TicketBooks('servicenow', metrics) : undefined;
  return {
    area: service ? 'tickets/servicenow' : 'servicenow',
    faults: fake.faults,
    budgetMs: client.transport.policy.totalBudgetMs,
    match: (site) =>
      site === 'create' ? { method: 'POST', path: '/api/now/table/incident' } : site === 'lookup' ? { method: 'GET', path: '/api/now/table/incident' } : undefined,
    async create(key, index) {
      if (service && books) {
        const payload = { shortDescription: summary(index), urgency: 'high', impact: 'medium' };
        const r = await books.count(() => service.create({ platform: 'servicenow', payload, ...(key ? { correlationKey: key } : {}) }));
        return { id: r.id, retry: r.retry, reconciled: r.reconciled };
      }
      const inc = await client.incidents.create({ shortDescription: summary(index), urgency: 'high', impact: 'medium', ...(key ? { correlationId: key } : {}) });
      return { id: inc.sysId, retry: undefined, reconciled: undefined };
    },
    ticketsFor: (key, index) => rows().filter((r) => (key ? r['correlation_id'] === key : r['short_description'] === summary(index))).length,
    holds: (id) => fake.store.find('incident', id) !== undefined,
    ticketCount: () => rows().length,
    requestCount: () => fake.requests.length,
    ...(books ? { audit: () => books.audit() } : {}),
    close: async () => {
      service?.close();
      await server?.close();
    },
  };
}

/** Jira issues, keyed by the correlation label. */
export async function jiraTarget(options: TargetOptions & { readonly fake?: FakeJira; readonly consistency?: { polls: number; intervalMs: number } } = {}): Promise<TicketTarget> {
  const fake = options.fake ?? new FakeJira();
  const handler = options.wrap ? options.wrap(fake.handle) : fake.handle;
  const { url, fetch, server } = await connect(handler, options.via, IN_PROCESS_JIRA);
  const chosen = withFetch(fetch, options.wrapFetch);
  const client = new JiraClient({
    baseUrl: url,
    auth: JIRA_CREDS,
    ...(chosen ? { fetch: chosen } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.consistency ? { consistency: options.consistency } : {}),
  });
  const summary = (index: number) => `Reliability issue ${index}`;
  const metrics = options.ticketService;
  const service = metrics ? new TicketService({ jira: client, metrics }) : undefined;
  const books = metrics ? new TicketBooks('jira', metrics) : undefined;
  return {
    area: service ? 'tickets/jira' : 'jira',
    faults: fake.faults,
    budgetMs: client.transport.policy.totalBudgetMs,
    match: (site) => (site === 'create' ? { method: 'POST', path: /\/rest\/api\/3\/issue$/ } : site === 'lookup' ? { path: '/search/jql' } : undefined),
    async create(key, index) {
      if (service && books) {
        const payload = { projectKey: 'OPS', issueType: 'Task', summary: summary(index) };
        const r = await books.count(() => service.create({ platform: 'jira', payload, ...(key ? { correlationKey: key } : {}) }));
        return { id: r.key ?? r.id, retry: r.retry, reconciled: r.reconciled };
      }
      const issue = await client.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: summary(index), ...(key ? { correlationKey: key } : {}) });
      return { id: issue.key, retry: issue.retry, reconciled: issue.reconciled };
    },
    ticketsFor: (key, index) =>
      key ? fake.issuesWithLabel(correlationLabel(key)).length : [...fake.issues.values()].filter((i) => i.fields['summary'] === summary(index)).length,
    holds: (id) => fake.issue(id) !== undefined,
    ticketCount: () => fake.issues.size,
    requestCount: () => fake.requests.length,
    ...(books ? { audit: () => books.audit() } : {}),
    close: async () => {
      service?.close();
      await server?.close();
    },
  };
}
