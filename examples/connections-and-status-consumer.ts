/**
 * docs/connections-and-status-consumer.md: the host side (ConnectionService,
 * StatusConsumer, the reference handler) assembled from the memory adapters,
 * and the client side (ConnectionsClient) talking to it over HTTP.
 */
import assert from 'node:assert/strict';
import {
  type Actor,
  ConnectionsClient,
  ConnectionService,
  createDataSourcesHandler,
  CredentialDelegationService,
  HttpWebhookTransport,
  MemoryAuditLog,
  MemoryConnectionStore,
  MemoryDelegationStore,
  MemoryMessageSource,
  parseStatusMessage,
  StatusConsumer,
} from '../src/index.js';
import { FakeSyncService, handlerFetch, serveHandler } from '../src/testing/index.js';

// 1. Host side. The ports: a store, a message source, a webhook transport (here the memory ones and a fake sync service).
const store = new MemoryConnectionStore();
const source = new MemoryMessageSource();
const audit = new MemoryAuditLog();
const syncService = new FakeSyncService({ source, authorization: 'Bearer automation-key', stepDelayMs: 50 });
const service = new ConnectionService({
  store,
  audit,
  webhook: new HttpWebhookTransport({ url: 'https://sync.example.com/webhook', auth: 'Bearer automation-key', fetch: handlerFetch(syncService.handle) }),
});
// Invitations for someone else to enter an ITSM connection's credentials.
const delegations = new CredentialDelegationService({ connections: store, store: new MemoryDelegationStore(), service });
// Status messages from the broker: parse -> reduce -> store -> publish to the live stream -> audit; ack only after the store has it.
const consumer = new StatusConsumer({ source, store, updates: service.updates, audit });
await consumer.start();

const alice: Actor = { userId: '6f1c2b9a-0000-4000-8000-0000000000a1', userEmail: 'alice@example.com', organizationId: '6f1c2b9a-0000-4000-8000-000000000001', role: 'admin' };
const handler = createDataSourcesHandler(service, {
  delegations,
  // Resolve the caller from your session or token; undefined answers 401.
  authenticate: (request) => (request.headers.get('authorization') === 'Bearer alice-session' ? alice : undefined),
});
const server = await serveHandler(handler);

try {
  // 2. Client side: the REST API and the live updates.
  const ds = new ConnectionsClient({ baseUrl: server.url, token: 'alice-session' });
  const seeded = await ds.seed();
  console.log(`seeded: ${seeded.created} created, ${seeded.existing} existing`);
  const [confluence] = await ds.list({ type: 'confluence' });
  assert.ok(confluence);
  await ds.patch(confluence.id, { enabled: true });

  // Verify: credentials go to the external service and nowhere else; the result arrives as a live update.
  const live = ds.watch();
  const seen: string[] = [];
  const following = (async () => {
    for await (const update of live) if (update.connectionId === confluence.id) seen.push(`${update.trigger} -> ${update.status}`);
  })();
  await live.connected;
  await ds.verify(confluence.id, { credentials: { email: 'bot@example.com', apiToken: 'an-api-token' }, config: { baseUrl: 'https://acme.atlassian.net/wiki' } });
  const verified = await ds.waitFor(confluence.id, (s) => s.status === 'idle' && s.lastVerificationAt !== null, { timeoutMs: 10_000 });
  console.log(`verified: options ${JSON.stringify(verified.latestOptions)}`);

  // Sync, and wait for its end.
  const { triggeredAt } = await ds.sync(confluence.id);
  const done = await ds.waitFor(confluence.id, (s) => s.status === 'idle' && Date.parse(s.lastSyncAt ?? '') >= Date.parse(triggeredAt), { timeoutMs: 10_000 });
  console.log(`sync ${done.lastSyncStatus}`);
  assert.equal(done.lastSyncStatus, 'completed');
  live.close();
  await following;
  console.log('live updates:', seen);
  assert.ok(seen.includes('sync_completed -> idle'));

  // 3. Status messages are untrusted input: parsed without throwing, poison dead-lettered with a reason.
  const parsed = parseStatusMessage('{"connection_id":"c1","tenant_id":"t1","status":"completed"}', { queue: 'data_source.sync_status' });
  assert.ok(parsed.ok);
  console.log(`older per-queue shape: ${parsed.message.kind} ${parsed.message.status}`);
  source.publish('{"type":"sync"');
  source.publish({ type: 'sync', connection_id: confluence.id, tenant_id: '6f1c2b9a-0000-4000-8000-00000000beef', status: 'sync_started', timestamp: new Date().toISOString() });
  await source.drain();
  console.log('dead letters:', source.deadLetters.map((d) => d.info.reason));
  assert.deepEqual(source.deadLetters.map((d) => d.info.reason), ['invalid_json', 'unknown_connection']);
  console.log('consumer:', consumer.stats);
  console.log('audited status changes:', audit.entries.filter((e) => e.actorId === 'system').map((e) => e.action));

  // 4. A credential delegation: the ITSM admin redeems the invitation once, with the credentials (no session needed).
  const invitation = await ds.createDelegation({ itsmSystemType: 'servicenow_itsm', delegateEmail: 'itsm-admin@example.com' });
  const redeem = () =>
    fetch(`${server.url}/api/credential-delegations/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: invitation.token, credentials: { username: 'svc-itsm', password: 'a-password' }, config: { instance: 'acme.service-now.com' } }),
    });
  const first = await redeem();
  const again = await redeem();
  console.log(`redeem: ${first.status}, again: ${again.status} ${JSON.stringify(await again.json())}`);
  assert.equal(first.status, 200);
  assert.equal(again.status, 409);
} finally {
  await consumer.stop();
  await server.close();
}
