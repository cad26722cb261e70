import { isHttpError, isItsmError, isServerError } from '../../../src/core/errors.js';
import type { Logger } from '../../../src/core/logger.js';
import { RetryPolicy, type RetryPolicyOptions } from '../../../src/core/retry-policy.js';
import type { FetchLike } from '../../../src/core/transport.js';
import type { ConnectionRecord } from '../../../src/connections/connection.js';
import { ConnectionsClient } from '../../../src/connections/client.js';
import { WEBHOOK_ACTIONS } from '../../../src/connections/host/service.js';
import { createDataSourcesSandbox, type DataSourcesSandbox } from '../../../src/testing/datasources-sandbox.js';
import { FaultInjector, type FaultMatch } from '../../../src/testing/faults.js';
import { handlerFetch, type Handler } from '../../../src/testing/handler.js';
import { serveHandler, type ServedHandler } from '../../../src/testing/serve.js';
import { isRetryMetadata, saysMayExist, type CallOutcome, type CallVerdict } from './verdict.js';

/** The data-sources API calls the connection scenarios make. */
export type DataSourcesOperation = 'verify' | 'sync' | 'get' | 'list';

/** The webhook each triggering operation sends to the external sync service. */
export const WEBHOOK_OF: Readonly<Partial<Record<DataSourcesOperation, string>>> = { verify: WEBHOOK_ACTIONS.verify, sync: WEBHOOK_ACTIONS.sync };

/** Options of {@link dataSourcesRig}. */
export interface DataSourcesRigOptions {
  /** The ConnectionsClient's retry policy. */
  readonly retry?: RetryPolicyOptions;
  /** `in-process` (handlerFetch) or a loopback node:http server. @default 'in-process' */
  readonly via?: 'in-process' | 'loopback';
  /** Wraps the API handler (after its fault injector), for behaviours FaultInjector has no kind for. */
  readonly wrap?: (handler: Handler) => Handler;
  readonly logger?: Logger;
  /** Wraps the fetch the clients use (a recorder). */
  readonly wrapFetch?: (fetch: FetchLike) => FetchLike;
  /** The member client's bearer token. @default the sandbox's member token */
  readonly token?: string;
}

/**
 * The data-sources sandbox (reference handler over a ConnectionService with a
 * memory store, its webhooks reaching a FakeSyncService whose status messages
 * a StatusConsumer applies), with a FaultInjector in front of the API and a
 * ConnectionsClient (member) on it. Faults on the webhook target go on
 * `sandbox.syncService.faults`.
 */
export interface DataSourcesRig {
  readonly sandbox: DataSourcesSandbox;
  /** Faults on the data-sources API, before the handler. */
  readonly api: FaultInjector;
  /** A member's client, under the scenario's retry policy. */
  readonly client: ConnectionsClient;
  /** The ConnectionsClient's retry budget, in ms. */
  readonly budgetMs: number;
  /** The budget of the sandbox's webhook transport (default policy), in ms. */
  readonly webhookBudgetMs: number;
  /** The fault match for an operation's endpoint. */
  match(operation: DataSourcesOperation, id: string): FaultMatch;
  /** Seeds the organization and returns its connection of `type` (as the store holds it). */
  connection(type: string): Promise<ConnectionRecord>;
  /** A connection ready to sync: verified with good credentials and enabled (done directly on the service). */
  syncable(type: string): Promise<ConnectionRecord>;
  /** The connection as the store holds it now. */
  current(id: string): Promise<ConnectionRecord>;
  /** Webhooks with `action` the external service took for a connection (faulted-before ones never reach it). */
  webhooks(connectionId: string, action: string): number;
  /** Waits until every status message published so far has been consumed (fake sync service timers included). */
  settle(): Promise<void>;
  /** Requests the API received, faulted ones included. */
  requests: number;
  close(): Promise<void>;
}

const ORIGIN = 'https://platform.example.com';

/** Builds a {@link DataSourcesRig}. */
export async function dataSourcesRig(options: DataSourcesRigOptions = {}): Promise<DataSourcesRig> {
  const service = createDataSourcesSandbox();
  const sandbox = service.fake;
  const api = new FaultInjector();
  let requests = 0;
  const faulted = api.wrap(service.handler);
  const wrapped = options.wrap ? options.wrap(faulted) : faulted;
  const counted: Handler = (request) => {
    requests++;
    return wrapped(request);
  };
  let server: ServedHandler | undefined;
  let fetch: FetchLike | undefined;
  let baseUrl = ORIGIN;
  if ((options.via ?? 'in-process') === 'in-process') fetch = handlerFetch(counted);
  else {
    server = await serveHandler(counted);
    baseUrl = server.url;
  }
  const chosen = options.wrapFetch ? options.wrapFetch(fetch ?? ((input, init) => globalThis.fetch(input, init))) : fetch;
  const client = new ConnectionsClient({
    baseUrl,
    token: options.token ?? service.credentials['token'] ?? '',
    ...(chosen ? { fetch: chosen } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { admin } = sandbox.actors;
  const basePath = '/api/data-sources';
  const settle = async () => {
    // The fake sync service publishes each status message on a timer after answering the webhook.
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await sandbox.source.drain();
    }
  };
  const connection = async (type: string) => {
    await sandbox.service.seed(admin);
    const [found] = await sandbox.service.list(admin, { type });
    if (!found) throw new Error(`no ${type} connection after seeding`);
    return found;
  };
  return {
    sandbox,
    api,
    client,
    budgetMs: RetryPolicy.from(options.retry).totalBudgetMs,
    webhookBudgetMs: RetryPolicy.from().totalBudgetMs,
    match: (operation, id) => {
      switch (operation) {
        case 'verify':
          return { method: 'POST', path: `${basePath}/${id}/verify` };
        case 'sync':
          return { method: 'POST', path: `${basePath}/${id}/sync` };
        case 'get':
          return { method: 'GET', path: new RegExp(`${basePath}/${id}$`) };
        case 'list':
          return { method: 'GET', path: new RegExp(`${basePath}$`) };
      }
    },
    connection,
    async syncable(type) {
      const found = await connection(type);
      await sandbox.service.verify(admin, found.id, { credentials: { api_token: 'good-token', email: 'ops@example.com' } });
      await settle();
      return sandbox.service.patch(admin, found.id, { enabled: true });
    },
    current: (id) => sandbox.service.get(admin, id),
    webhooks: (connectionId, action) => sandbox.syncService.received.filter((w) => w['connection_id'] === connectionId && w['action'] === action).length,
    settle,
    get requests() {
      return requests;
    },
    async close() {
      await sandbox.consumer.stop();
      await server?.close();
    },
  };
}

/**
 * Judges one data-sources call by the webhooks the external service took: a
 * triggering call that succeeded took exactly one; a failure took none, or
 * one when its error says the request may have reached the server
 * (`maybeSent`; a 5xx to a write; a 2xx whose body was unreadable, which
 * says the write was accepted); never two (a retry re-sending a
 * verification or sync). Reads (`get`, `list`) take none.
 */
export function judgeWebhooks(outcome: CallOutcome, webhooks: number, triggers: boolean): CallVerdict {
  const expected = triggers ? 1 : 0;
  const duplicates = Math.max(0, webhooks - 1);
  if (outcome.ok) {
    return { ok: true, tickets: webhooks, duplicates, lost: webhooks !== expected, flagged: false, untyped: false, missingRetry: false, errorName: undefined, retry: outcome.value.retry };
  }
  const error = outcome.error;
  const typed = isItsmError(error);
  const retry = (error as { retry?: unknown } | null)?.retry;
  const says = saysMayExist(error) || (triggers && (isServerError(error) || (isHttpError(error) && error.status < 300)));
  const flagged = webhooks > 0 && says;
  return {
    ok: false,
    tickets: webhooks,
    duplicates,
    lost: webhooks > 0 && !flagged,
    flagged,
    untyped: !typed,
    missingRetry: typed && !isRetryMetadata(retry),
    errorName: error instanceof Error ? error.name : typeof error,
    retry: isRetryMetadata(retry) ? retry : undefined,
  };
}
