import type { Clock } from '../../src/core/clock.js';
import type { RetryPolicyOptions } from '../../src/core/retry-policy.js';
import { JiraClient, type JiraClientOptions } from '../../src/jira/client.js';
import { FakeJira, type FakeJiraOptions } from '../../src/testing/fake-jira/fake-jira.js';

/** A clock whose sleeps advance virtual time at once and are recorded. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.time += ms;
  }
}

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

/** Fails the test if a call that should fail succeeds: `await p.then(unexpected, (e) => e)`. */
export const unexpected = (): never => {
  throw new Error('expected the call to fail, but it succeeded');
};
