import type { LogFields, Logger } from '../../src/core/logger.js';
import { InMemoryMetricsSink } from '../../src/core/metrics.js';
import { JiraClient } from '../../src/jira/client.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { FakeJira } from '../../src/testing/fake-jira/fake-jira.js';
import { FakeServiceNow } from '../../src/testing/fake-servicenow/fake-servicenow.js';
import { TicketService, type TicketServiceOptions } from '../../src/tickets/ticket-service.js';
import { FakeClock } from '../helpers/fake-clock.js';

export { unexpected } from '../helpers/expect-failure.js';

/** A secret that must never show up in a log line, metric or error body. */
export const CANARY = 'canary-pa55word-7f3e9d';

/** One captured log line. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields;
}

/** A logger that keeps every line. */
export function captureLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, fields: LogFields = {}) => void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * Fake ServiceNow and Jira, clients wired to them in-process on one fake
 * clock (retries and Jira's consistency waits take no time), and a
 * TicketService with an in-memory sink and a capturing logger. The
 * ServiceNow password is the canary.
 */
export function setup(options: Partial<TicketServiceOptions> & { password?: string } = {}) {
  const clock = new FakeClock();
  const snFake = new FakeServiceNow({ now: () => clock.now(), users: [{ userName: 'admin', password: CANARY }] });
  const jiraFake = new FakeJira({ now: () => clock.now() });
  const logger = captureLogger();
  const metrics = new InMemoryMetricsSink();
  const servicenow = new ServiceNowClient({
    instanceUrl: 'https://acme.service-now.com',
    auth: { type: 'basic', username: 'admin', password: options.password ?? CANARY },
    fetch: snFake.fetch,
    clock,
    retry: { minDelayMs: 10, maxDelayMs: 50, jitter: 'none' },
  });
  const jira = new JiraClient({
    baseUrl: 'https://acme.atlassian.net',
    auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' },
    fetch: jiraFake.fetch,
    clock,
    retry: { minDelayMs: 10, maxDelayMs: 50, jitter: 'none', retries: 3 },
  });
  const { password: _password, ...rest } = options;
  const tickets = new TicketService({ servicenow, jira, metrics, logger, clock, ...rest });
  return { clock, snFake, jiraFake, servicenow, jira, tickets, metrics, logger };
}
