/**
 * docs/no-duplicate-tickets.md: the connection drops after the instance
 * created the incident. With a correlation id the client looks it up before
 * re-sending and returns the one that exists; without one it does not re-send
 * and says why.
 */
import { ServiceNowClient, isNetworkError } from '../src/index.js';
import { FakeServiceNow } from '../src/testing/index.js';

const fake = new FakeServiceNow();
const sn = new ServiceNowClient({
  instanceUrl: 'https://acme.service-now.com',
  auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
  fetch: fake.fetch,
  retry: { minDelayMs: 10 },
});
const creates = () => fake.requestsTo('/api/now/table/incident', 'POST').length;

fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST' } });
const incident = await sn.incidents.create({ shortDescription: 'Disk full on db-1', correlationId: 'alert-db1-disk' });
console.log(`with correlationId: got ${incident.number} after the reset; POSTs sent: ${creates()}; incidents stored: ${fake.table('incident').length}`);

fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST' } });
try {
  await sn.incidents.create({ shortDescription: 'Disk full on db-2' });
} catch (error) {
  if (!isNetworkError(error)) throw error;
  console.log(`without: ${error.name}, not re-sent (maybeSent=${error.maybeSent}): ${error.message}`);
}
console.log(`POSTs sent in total: ${creates()}; incidents stored: ${fake.table('incident').length}`);
