import { InMemoryMetricsSink, type Logger } from '../core/index.js';
import { JiraClient } from '../jira/index.js';
import { ServiceNowClient } from '../servicenow/index.js';
import { createTicketsHandler, SupportCounter, TicketService } from '../tickets/index.js';
import type { FakeJira } from './fake-jira/fake-jira.js';
import type { FakeServiceNow } from './fake-servicenow/fake-servicenow.js';
import { handlerFetch } from './handler.js';
import type { SandboxService } from './sandbox.js';

/** Everything behind the sandbox's tickets API, for tests and the demo to inspect. */
export interface TicketsSandbox {
  readonly tickets: TicketService;
  readonly support: SupportCounter;
  readonly metrics: InMemoryMetricsSink;
}

/** Options of {@link createTicketsSandbox}. */
export interface TicketsSandboxOptions {
  /** @default silentLogger */
  readonly logger?: Logger;
}

/**
 * The tickets API (the support counter's endpoints and the template endpoints)
 * over a TicketService whose clients reach the given fakes in-process, so
 * tickets land in the same fakes the sandbox serves as `servicenow` and `jira`.
 * Metrics go to an in-memory sink.
 */
export function createTicketsSandbox(servicenow: FakeServiceNow, jira: FakeJira, options: TicketsSandboxOptions = {}): SandboxService<TicketsSandbox> {
  const logger = options.logger ? { logger: options.logger } : {};
  const metrics = new InMemoryMetricsSink();
  const tickets = new TicketService({
    servicenow: new ServiceNowClient({
      instanceUrl: 'https://sandbox.service-now.com',
      auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
      fetch: handlerFetch(servicenow.handle),
      userAgent: 'itsmkit-sandbox',
      ...logger,
    }),
    jira: new JiraClient({
      baseUrl: 'https://sandbox.atlassian.net',
      auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' },
      fetch: handlerFetch(jira.handle),
      userAgent: 'itsmkit-sandbox',
      ...logger,
    }),
    metrics,
    ...logger,
  });
  const support = new SupportCounter({ tickets, ...logger });
  return { fake: { tickets, support, metrics }, handler: createTicketsHandler({ tickets, support, ...logger }), credentials: {} };
}
