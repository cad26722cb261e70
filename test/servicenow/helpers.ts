import type { Clock } from '../../src/core/clock.js';
import { ServiceNowClient, type ServiceNowClientOptions } from '../../src/servicenow/client.js';
import { FakeServiceNow, type FakeServiceNowOptions } from '../../src/testing/fake-servicenow/fake-servicenow.js';

export const INSTANCE = 'https://acme.service-now.com';

/** A clock that never waits: sleeps advance it and are recorded. */
export function fakeClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)): Clock & { sleeps: number[]; advance(ms: number): void } {
  let t = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** A fake instance and a client wired to it with basic auth and a fast retry policy. */
export function setup(
  options: { fake?: FakeServiceNowOptions; client?: Partial<ServiceNowClientOptions> } = {},
): { fake: FakeServiceNow; sn: ServiceNowClient; clock: ReturnType<typeof fakeClock> } {
  const clock = fakeClock();
  const fake = new FakeServiceNow({ now: clock.now, ...options.fake });
  const sn = new ServiceNowClient({
    instanceUrl: INSTANCE,
    auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
    fetch: fake.fetch,
    clock,
    retry: { minDelayMs: 10, maxDelayMs: 50, jitter: 'none' },
    ...options.client,
  });
  return { fake, sn, clock };
}

/** The error a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
