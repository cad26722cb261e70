import type { RetryPolicyOptions } from '../../src/core/retry-policy.js';
import { JiraClient, type JiraClientOptions } from '../../src/jira/client.js';
import { FakeJira, type FakeJiraOptions } from '../../src/testing/fake-jira/fake-jira.js';
import { FakeClock } from '../helpers/fake-clock.js';

export { FakeClock } from '../helpers/fake-clock.js';
export { unexpected } from '../helpers/expect-failure.js';

export const BASE = 'https://acme.atlassian.net';
export const CREDS = { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } as const;
export const FAST_RETRY: RetryPolicyOptions = { jitter: 'none', minDelayMs: 100, retries: 3 };

/** A fake Jira and a client wired to it in-process, both on one fake clock. */
export function setup(options: { fake?: FakeJiraOptions; client?: Partial<JiraClientOptions> } = {}) {
  const clock = new FakeClock();
  const fake = new FakeJira({ now: () => clock.now(), ...options.fake });
  const jira = new JiraClient({
    baseUrl: BASE,
    auth: options.fake?.deployment === 'datacenter' ? { type: 'bearer', token: 'sandbox-pat' } : CREDS,
    deployment: options.fake?.deployment ?? 'cloud',
    fetch: fake.fetch,
    clock,
    retry: FAST_RETRY,
    ...options.client,
  });
  return { fake, jira, clock };
}
