import { type Actor, ConnectionService, createDataSourcesHandler, CredentialDelegationService, HttpWebhookTransport, StatusConsumer } from '../connections/index.js';
import { MemoryAuditLog, MemoryConnectionStore, MemoryDelegationStore, MemoryMessageSource } from '../adapters/memory/index.js';
import { FakeSyncService } from './fake-sync-service.js';
import { handlerFetch } from './handler.js';
import type { SandboxService } from './sandbox.js';

/** Everything behind the sandbox's data-sources API, for tests to inspect. */
export interface DataSourcesSandbox {
  readonly service: ConnectionService;
  readonly delegations: CredentialDelegationService;
  readonly store: MemoryConnectionStore;
  readonly source: MemoryMessageSource;
  readonly consumer: StatusConsumer;
  readonly syncService: FakeSyncService;
  readonly audit: MemoryAuditLog;
  /** The callers the demo tokens stand for. */
  readonly actors: { readonly member: Actor; readonly admin: Actor };
}

/** Options of {@link createDataSourcesSandbox}. */
export interface DataSourcesSandboxOptions {
  /** Delay between the fake sync service's status messages, in ms. @default 0 */
  readonly stepDelayMs?: number;
  /** The reconnection delay the SSE stream advertises, in ms. @default 1000 */
  readonly sseRetryMs?: number;
}

const ORG = '6f1c2b9a-0000-4000-8000-000000000001';
const AUTOMATION_AUTH = 'Bearer sandbox-automation-key';

/**
 * The data-sources API as the sandbox runs it: the reference handler over a
 * ConnectionService (memory store), whose webhooks reach a fake external sync
 * service in-process, which publishes status messages to an in-memory queue
 * consumed by a StatusConsumer. Tokens: `demo-member-token` (member) and
 * `demo-admin-token` (admin), both in one organization.
 */
export function createDataSourcesSandbox(options: DataSourcesSandboxOptions = {}): SandboxService<DataSourcesSandbox> {
  const store = new MemoryConnectionStore();
  const source = new MemoryMessageSource();
  const audit = new MemoryAuditLog();
  const syncService = new FakeSyncService({ source, authorization: AUTOMATION_AUTH, stepDelayMs: options.stepDelayMs ?? 0 });
  const service = new ConnectionService({
    store,
    audit,
    webhook: new HttpWebhookTransport({ url: 'http://sync.sandbox.invalid/webhook', auth: AUTOMATION_AUTH, fetch: handlerFetch(syncService.handle) }),
  });
  const delegations = new CredentialDelegationService({ connections: store, store: new MemoryDelegationStore(), service });
  const consumer = new StatusConsumer({ source, store, updates: service.updates, audit });
  void consumer.start();
  const actors = {
    member: { userId: '6f1c2b9a-0000-4000-8000-0000000000a1', userEmail: 'member@example.com', organizationId: ORG, role: 'member' },
    admin: { userId: '6f1c2b9a-0000-4000-8000-0000000000a2', userEmail: 'admin@example.com', organizationId: ORG, role: 'admin' },
  } as const;
  const tokens: Record<string, Actor> = { 'demo-member-token': actors.member, 'demo-admin-token': actors.admin };
  const handler = createDataSourcesHandler(service, {
    delegations,
    ...(options.sseRetryMs === undefined ? {} : { sseRetryMs: options.sseRetryMs }),
    authenticate: (request) => {
      const header = request.headers.get('authorization') ?? '';
      return header.startsWith('Bearer ') ? tokens[header.slice(7)] : undefined;
    },
  });
  return {
    fake: { service, delegations, store, source, consumer, syncService, audit, actors },
    handler,
    credentials: { token: 'demo-member-token', adminToken: 'demo-admin-token' },
  };
}
