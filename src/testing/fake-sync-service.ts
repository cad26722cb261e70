import { type Clock, redactValue, systemClock } from '../core/index.js';
import { isValidDataSourceType, SOURCE_METADATA, WEBHOOK_ACTIONS } from '../connections/index.js';
import type { MemoryMessageSource } from '../adapters/memory/index.js';
import { FaultInjector } from './faults.js';
import { type Handler, json } from './handler.js';

/** Options of a {@link FakeSyncService}. */
export interface FakeSyncServiceOptions {
  /** Where status messages are published (the queue a StatusConsumer reads). */
  readonly source: MemoryMessageSource;
  /** The `Authorization` value webhooks must carry (what hosts often call `AUTOMATION_AUTH`). @default none required */
  readonly authorization?: string;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Delay before each status message, in ms (makes a demo's updates visible). @default 0 */
  readonly stepDelayMs?: number;
}

const SAMPLE_OPTIONS: Record<string, string> = {
  spaces: 'ENG,PROD,DOCS',
  tables: 'incident,kb_knowledge,sc_cat_item',
  sites: 'site1,site2,site3',
  projects: 'OPS,SUP',
};

/**
 * A fake of the external sync service: answers the `verify_credentials`
 * and `data_source_sync_requested` webhooks (and ticket syncs) with 202, then
 * publishes the status messages the real one would (unified shape) to a
 * message source. It keeps which (tenant, connection, type) have credentials,
 * never the credentials themselves.
 */
export class FakeSyncService {
  readonly faults = new FaultInjector();
  /** The handler to mount (faults applied). */
  readonly handle: Handler;
  /** Webhooks received, credentials redacted. */
  readonly received: Record<string, unknown>[] = [];
  /** Credentials containing this string value fail verification. @default 'invalid' */
  invalidCredential = 'invalid';
  /** When set, syncs fail with this error message. */
  failSyncsWith: string | undefined;
  /** What a finished sync reports. @default 42 */
  documentsProcessed = 42;
  private readonly stored = new Set<string>();
  private readonly source: MemoryMessageSource;
  private readonly clock: Clock;
  private readonly stepDelayMs: number;
  private readonly authorization: string | undefined;
  private lastTimestamp = 0;

  constructor(options: FakeSyncServiceOptions) {
    this.source = options.source;
    this.clock = options.clock ?? systemClock;
    this.stepDelayMs = options.stepDelayMs ?? 0;
    this.authorization = options.authorization;
    this.handle = this.faults.wrap((request) => this.serve(request));
  }

  /** Whether credentials were stored for a connection. */
  hasCredentials(tenantId: string, connectionId: string, type: string): boolean {
    return this.stored.has(`${tenantId}/${connectionId}/${type}`);
  }

  private async serve(request: Request): Promise<Response> {
    if (request.method !== 'POST') return json({ error: 'Method not allowed' }, 405);
    if (this.authorization !== undefined && request.headers.get('authorization') !== this.authorization) return json({ error: 'Unauthorized' }, 401);
    let payload: Record<string, unknown>;
    try {
      payload = (await request.json()) as Record<string, unknown>;
    } catch {
      return json({ error: 'Invalid JSON' }, 400);
    }
    this.received.push(redactValue(payload) as Record<string, unknown>);
    const tenant = String(payload['tenant_id'] ?? '');
    const connection = String(payload['connection_id'] ?? '');
    const type = String(payload['connection_type'] ?? '');
    if (!tenant || !connection || !isValidDataSourceType(type)) return json({ error: 'tenant_id, connection_id and a known connection_type are required' }, 400);
    const key = `${tenant}/${connection}/${type}`;
    switch (payload['action']) {
      case WEBHOOK_ACTIONS.verify: {
        const values = Object.values((payload['credentials'] as Record<string, unknown> | undefined) ?? {});
        const valid = !values.includes(this.invalidCredential) && (values.length > 0 || !SOURCE_METADATA[type].requiresCredentials);
        if (valid) this.stored.add(key);
        const optionsKey = SOURCE_METADATA[type].optionsKey;
        this.later([
          {
            type: 'verification',
            connection_id: connection,
            tenant_id: tenant,
            status: valid ? 'success' : 'failed',
            options: valid ? (optionsKey ? { [optionsKey]: SAMPLE_OPTIONS[optionsKey] ?? '' } : {}) : null,
            error: valid ? null : 'Invalid API token or insufficient permissions',
          },
        ]);
        break;
      }
      case WEBHOOK_ACTIONS.sync:
      case WEBHOOK_ACTIONS.syncTickets: {
        const failure = SOURCE_METADATA[type].requiresCredentials && !this.stored.has(key) ? 'No credentials stored for this connection' : this.failSyncsWith;
        const base = { type: 'sync', connection_id: connection, tenant_id: tenant };
        this.later([
          () => ({ ...base, status: 'sync_started', timestamp: this.timestamp() }),
          () =>
            failure
              ? { ...base, status: 'sync_failed', error_message: failure, timestamp: this.timestamp() }
              : { ...base, status: 'sync_completed', documents_processed: this.documentsProcessed, timestamp: this.timestamp() },
        ]);
        break;
      }
      default:
        return json({ error: `Unknown action ${String(payload['action'])}` }, 400);
    }
    return json({ accepted: true }, 202);
  }

  /** Publishes each message after the webhook answered, `stepDelayMs` apart. */
  private later(messages: (Record<string, unknown> | (() => Record<string, unknown>))[]): void {
    void (async () => {
      for (const message of messages) {
        await new Promise((resolve) => setTimeout(resolve, this.stepDelayMs));
        this.source.publish(typeof message === 'function' ? message() : message);
      }
    })();
  }

  /** Strictly increasing timestamps: the reducer orders a connection's messages by them. */
  private timestamp(): string {
    this.lastTimestamp = Math.max(this.clock.now(), this.lastTimestamp + 1);
    return new Date(this.lastTimestamp).toISOString();
  }
}
