/**
 * docs/retries-and-timeouts.md: a 503 and a 429 with Retry-After are retried,
 * the retry metadata says what happened, events report each retry, and a slow
 * answer ends in a TimeoutError.
 */
import { ServiceNowClient, isTimeoutError } from '../src/index.js';
import { FakeServiceNow } from '../src/testing/index.js';

const fake = new FakeServiceNow();
const sn = new ServiceNowClient({
  instanceUrl: 'https://acme.service-now.com',
  auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
  fetch: fake.fetch,
  retry: { retries: 3, minDelayMs: 50, attemptTimeoutMs: 500, totalBudgetMs: 5_000 },
});
sn.events.on('retry', (e) => console.log(`retry #${e.attempt} of ${e.method} ${new URL(e.url).pathname} in ${Math.round(e.delayMs)} ms (${e.reason})`));

fake.faults.add({ fault: { kind: 'status', status: 503 } });
fake.faults.add({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit exceeded' }, status: 'failure' } } });
const page = await sn.incidents.search({ active: true });
console.log(`listed after ${page.retry.attempts} attempts, ${Math.round(page.retry.elapsedMs)} ms, waits ${page.retry.delaysMs.map(Math.round).join(' + ')} ms`);

fake.faults.add({ fault: { kind: 'delay', ms: 2_000 }, times: 10 });
try {
  await sn.incidents.search({ active: true });
} catch (error) {
  if (!isTimeoutError(error)) throw error;
  console.log(`${error.name} (${error.scope}, ${error.timeoutMs} ms) after ${error.retry.attempts} attempts`);
}
fake.faults.clear();
