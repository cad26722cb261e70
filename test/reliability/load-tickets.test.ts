import { describe, it } from 'vitest';
import { InMemoryMetricsSink } from '../../src/core/metrics.js';
import { LOAD_FAULT_MIX, loadOnSandbox } from './support/load.js';

/** The 100-creation loads through TicketService, its metrics audited against every outcome. */
describe('load through TicketService on the loopback sandbox', () => {
  it('100 concurrent ServiceNow creations through TicketService', async () => {
    await loadOnSandbox('servicenow', { scenario: '100 concurrent TicketService creations', calls: 100, concurrency: 100 }, { ticketService: new InMemoryMetricsSink() });
  });

  it('100 concurrent Jira creations through TicketService', async () => {
    await loadOnSandbox('jira', { scenario: '100 concurrent TicketService creations', calls: 100, concurrency: 100 }, { ticketService: new InMemoryMetricsSink() });
  });

  it('1,000 ServiceNow creations through TicketService with 10% injected faults', async () => {
    await loadOnSandbox('servicenow', { scenario: '1,000 TicketService creations, 10% faults', calls: 1_000, concurrency: 50, faultRate: 0.1, faults: LOAD_FAULT_MIX }, { ticketService: new InMemoryMetricsSink() });
  });

  it('1,000 Jira creations through TicketService with 10% injected faults', async () => {
    await loadOnSandbox('jira', { scenario: '1,000 TicketService creations, 10% faults', calls: 1_000, concurrency: 50, faultRate: 0.1, faults: LOAD_FAULT_MIX }, { ticketService: new InMemoryMetricsSink() });
  });
});
