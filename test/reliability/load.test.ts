import { describe, it } from 'vitest';
import { LOAD_FAULT_MIX, loadOnSandbox } from './support/load.js';

describe('load on the loopback sandbox', () => {
  it('100 concurrent ServiceNow incident creations', async () => {
    await loadOnSandbox('servicenow', { scenario: '100 concurrent incident creations', calls: 100, concurrency: 100 });
  });

  it('100 concurrent Jira issue creations', async () => {
    await loadOnSandbox('jira', { scenario: '100 concurrent issue creations', calls: 100, concurrency: 100 });
  });

  it('1,000 ServiceNow creations with 10% injected faults', async () => {
    await loadOnSandbox('servicenow', { scenario: '1,000 incident creations, 10% faults', calls: 1_000, concurrency: 50, faultRate: 0.1, faults: LOAD_FAULT_MIX });
  });

  it('1,000 Jira creations with 10% injected faults', async () => {
    await loadOnSandbox('jira', { scenario: '1,000 issue creations, 10% faults', calls: 1_000, concurrency: 50, faultRate: 0.1, faults: LOAD_FAULT_MIX });
  });
});
