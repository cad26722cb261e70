/**
 * docs/no-duplicate-tickets.md: a queue consumer that opens one incident per
 * alert however often the alert is delivered. The key is the alert id; the
 * consumer is killed between the create and the ack once, the broker
 * redelivers, a restarted consumer (new client, empty memory store) finds
 * the incident by its key instead of opening a second one. Then a server
 * that commits after the client gave up, and a create without a key.
 */
import { ServiceNowClient, isNetworkError, type Incident } from '../src/index.js';
import { FakeServiceNow } from '../src/testing/index.js';

interface Alert {
  readonly id: string;
  readonly host: string;
  readonly text: string;
}
interface Delivery {
  readonly alert: Alert;
  ack(): void;
}

const fake = new FakeServiceNow();
const client = (settleMs?: number) =>
  new ServiceNowClient({
    instanceUrl: 'https://acme.service-now.com',
    auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
    fetch: fake.fetch,
    retry: { minDelayMs: 10, attemptTimeoutMs: 200 },
    ...(settleMs === undefined ? {} : { idempotency: { settleMs } }),
  });

// A tiny broker: unacked messages are delivered again.
const queue: Alert[] = [
  { id: 'alert-4711', host: 'db-1', text: 'Disk full' },
  { id: 'alert-4711', host: 'db-1', text: 'Disk full' }, // the monitor sent it twice
  { id: 'alert-4712', host: 'web-3', text: 'HTTP 5xx above 2%' },
];
function* deliveries(): Generator<Delivery> {
  while (queue.length) {
    const alert = queue[0] as Alert;
    let acked = false;
    yield { alert, ack: () => void (acked = true) };
    if (acked) queue.shift();
  }
}

async function handle(sn: ServiceNowClient, delivery: Delivery, killBeforeAck: boolean): Promise<Incident> {
  const { alert } = delivery;
  const incident = await sn.incidents.create({ shortDescription: `${alert.text} on ${alert.host}`, urgency: 'high', correlationId: alert.id });
  console.log(`${alert.id}: ${incident.created ? 'created' : 'found'} ${incident.number}`);
  if (killBeforeAck) throw new Error('consumer killed before ack');
  delivery.ack();
  return incident;
}

let sn = client();
let killOnce = true;
for (const delivery of deliveries()) {
  try {
    await handle(sn, delivery, killOnce);
  } catch (error) {
    console.log(`${delivery.alert.id}: ${(error as Error).message}; the broker redelivers, a new consumer starts`);
    killOnce = false;
    sn = client(); // a restart: new client, empty memory store
  }
}
const stored = fake.table('incident');
console.log(`deliveries handled, incidents stored: ${stored.length} (${stored.map((r) => r['correlation_id']).join(', ')})`);
if (stored.length !== 2) throw new Error('expected one incident per alert');

// A server that commits the insert 300 ms after the client's 200 ms attempt timeout:
// lookups by key during the settle window find it, so nothing is posted again.
const posts = () => fake.requestsTo('/api/now/table/incident', 'POST').length;
const postsBefore = posts();
fake.faults.add({ fault: { kind: 'lateCommit', afterMs: 300 }, match: { method: 'POST' } });
const slow = await client(2_000).incidents.create({ shortDescription: 'Slow commit', correlationId: 'alert-4713' });
await fake.faults.lateCommits();
console.log(`slow commit: got ${slow.number} (reconciled=${slow.reconciled}); POSTs for it: ${posts() - postsBefore}; incidents with the key: ${fake.table('incident').filter((r) => r['correlation_id'] === 'alert-4713').length}`);

// Without a key an ambiguous failure is not re-sent, and the error says so.
fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST' } });
try {
  await sn.incidents.create({ shortDescription: 'No key' });
} catch (error) {
  if (!isNetworkError(error)) throw error;
  console.log(`without a key: ${error.name}, not re-sent (maybeSent=${error.maybeSent})`);
}
