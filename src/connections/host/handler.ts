import type { Actor } from '../connection.js';
import type { CredentialDelegationService } from './delegation-service.js';
import { DataSourceError, isDataSourceError } from '../errors.js';
import { formatServerSentEvent } from '../event-stream.js';
import { toWireConnection, toWireDelegation, toWireUpdate } from '../mapper.js';
import type { ConnectionService } from './service.js';
import type { PublishedUpdate } from './update-hub.js';

/** Options of {@link createDataSourcesHandler}. */
export interface DataSourcesHandlerOptions {
  /** Resolves the caller from the request (session, bearer token); `undefined` answers 401. */
  readonly authenticate: (request: Request) => Actor | undefined | Promise<Actor | undefined>;
  /** Enables `/api/credential-delegations`. @default not mounted */
  readonly delegations?: CredentialDelegationService;
  /** @default '/api/data-sources' */
  readonly basePath?: string;
  /** @default '/api/credential-delegations' */
  readonly delegationsPath?: string;
  /** The server-sent event stream of the organization's live updates (also served at `{basePath}/events`). @default '/api/sse' */
  readonly eventsPath?: string;
  /** The reconnection delay the SSE stream advertises (`retry:`), in ms. @default 1000 */
  readonly sseRetryMs?: number;
}

type Route = (ctx: { request: Request; actor: Actor; params: string[]; url: URL }) => Promise<Response>;

/** One route; `public` ones run without `authenticate` (their `actor` is not set). */
interface RouteEntry {
  readonly method: string;
  readonly pattern: RegExp;
  readonly run: Route;
  readonly public?: boolean;
}

/**
 * A reference HTTP handler for the `/api/data-sources` endpoints (and the
 * credential delegations) over a {@link ConnectionService}, as a web
 * `(Request) => Promise<Response>`: mount it in any framework that speaks
 * fetch, or serve it with node:http. `GET /api/sse` is the server-sent event
 * stream of the organization's updates: unnamed events whose data is
 * `{ "type": "data_source_update", "data": {...} }`, with `Last-Event-ID` resume.
 * `POST {delegationsPath}/redeem` (`{ token, credentials, config? }`) is the
 * one route without `authenticate`: the invitation token is the delegate's credential.
 *
 * Errors answer with `{ error, message, allowed_types? }`.
 */
export function createDataSourcesHandler(service: ConnectionService, options: DataSourcesHandlerOptions): (request: Request) => Promise<Response> {
  const base = (options.basePath ?? '/api/data-sources').replace(/\/+$/, '');
  const delegationsBase = (options.delegationsPath ?? '/api/credential-delegations').replace(/\/+$/, '');
  const eventsPath = (options.eventsPath ?? '/api/sse').replace(/\/+$/, '');
  const retryMs = options.sseRetryMs ?? 1000;

  const routes: RouteEntry[] = [
    { method: 'POST', pattern: /^\/seed$/, run: async ({ actor }) => json({ success: true, ...(await service.seed(actor)) }) },
    {
      method: 'GET',
      pattern: /^$/,
      run: async ({ actor, url }) => {
        const q = url.searchParams;
        const enabled = q.get('enabled');
        if (enabled !== null && enabled !== 'true' && enabled !== 'false') {
          throw new DataSourceError(`enabled must be 'true' or 'false'`, { code: 'invalid_request', title: 'Invalid request' });
        }
        const list = await service.list(actor, {
          status: q.get('status') ?? undefined,
          type: q.get('type') ?? undefined,
          enabled: enabled === null ? undefined : enabled === 'true',
        });
        return json({ data: list.map(toWireConnection) });
      },
    },
    { method: 'POST', pattern: /^$/, run: async () => notImplemented('Creating custom data sources is not supported: configure a seeded one with PUT') },
    { method: 'GET', pattern: /^\/events$/, run: async ({ request, actor }) => stream(service, request, actor, retryMs) },
    { method: 'GET', pattern: /^\/([^/]+)$/, run: async ({ actor, params }) => json({ data: toWireConnection(await service.get(actor, params[0]!)) }) },
    {
      method: 'POST',
      pattern: /^\/([^/]+)\/verify$/,
      run: async ({ request, actor, params }) => json({ data: await service.verify(actor, params[0]!, (await body(request)) as never) }),
    },
    { method: 'PUT', pattern: /^\/([^/]+)$/, run: async ({ request, actor, params }) => json({ data: toWireConnection(await service.update(actor, params[0]!, (await body(request)) as never)) }) },
    { method: 'PATCH', pattern: /^\/([^/]+)$/, run: async ({ request, actor, params }) => json({ data: toWireConnection(await service.patch(actor, params[0]!, (await body(request)) as never)) }) },
    {
      method: 'DELETE',
      pattern: /^\/([^/]+)$/,
      run: async ({ actor, params }) => {
        const { id, deletedAt } = await service.remove(actor, params[0]!);
        return json({ data: { id, deleted_at: deletedAt } });
      },
    },
    {
      method: 'POST',
      pattern: /^\/([^/]+)\/sync$/,
      run: async ({ request, actor, params }) => syncAnswer(await service.sync(actor, params[0]!, (await body(request)) as never)),
    },
    {
      method: 'POST',
      pattern: /^\/([^/]+)\/sync-tickets$/,
      run: async ({ request, actor, params }) => syncAnswer(await service.syncTickets(actor, params[0]!, (await body(request)) as never)),
    },
  ];

  const events: RouteEntry[] = [{ method: 'GET', pattern: /^$/, run: async ({ request, actor }) => stream(service, request, actor, retryMs) }];
  const delegationRoutes: RouteEntry[] = options.delegations
    ? [
        {
          method: 'POST',
          pattern: /^$/,
          run: async ({ request, actor }) => {
            const input = (await body(request)) as Record<string, unknown>;
            const { delegation, token } = await options.delegations!.create(actor, input);
            return json({ data: toWireDelegation(delegation, token) }, 201);
          },
        },
        {
          method: 'POST',
          pattern: /^\/redeem$/,
          public: true,
          run: async ({ request }) => {
            const raw = await body(request);
            const { token, ...input } = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
            const { delegation, verification } = await options.delegations!.validateCredentials(token as string, input as never);
            return json({ data: { ...toWireDelegation(delegation), verification: { connection_id: verification.id, status: verification.status, message: verification.message } } });
          },
        },
        {
          method: 'GET',
          pattern: /^$/,
          run: async ({ actor, url }) => {
            const list = await options.delegations!.list(actor, { itsmSystemType: url.searchParams.get('itsm_system_type') ?? undefined });
            return json({ data: list.map((d) => toWireDelegation(d)) });
          },
        },
        { method: 'POST', pattern: /^\/([^/]+)\/revoke$/, run: async ({ actor, params }) => json({ data: toWireDelegation(await options.delegations!.revoke(actor, params[0]!)) }) },
      ]
    : [];

  return async (request) => {
    const url = new URL(request.url);
    let table: typeof routes;
    let rest: string;
    if (url.pathname === eventsPath || url.pathname === `${eventsPath}/`) {
      table = events;
      rest = '';
    } else if (url.pathname === base || url.pathname.startsWith(`${base}/`)) {
      table = routes;
      rest = url.pathname.slice(base.length);
    } else if (delegationRoutes.length && (url.pathname === delegationsBase || url.pathname.startsWith(`${delegationsBase}/`))) {
      table = delegationRoutes;
      rest = url.pathname.slice(delegationsBase.length);
    } else {
      return json({ error: 'Not found', message: `No route for ${url.pathname}` }, 404);
    }
    rest = rest.replace(/\/+$/, '');
    const matching = table.filter((r) => r.pattern.test(rest));
    if (matching.length === 0) return json({ error: 'Not found', message: `No route for ${url.pathname}` }, 404);
    const route = matching.find((r) => r.method === request.method);
    if (!route) return json({ error: 'Method not allowed', message: `${request.method} is not supported here` }, 405, { allow: matching.map((r) => r.method).join(', ') });
    try {
      const actor = route.public ? ({} as Actor) : await options.authenticate(request);
      if (!actor) return json({ error: 'Unauthorized', message: 'Authentication required' }, 401);
      const params = (route.pattern.exec(rest) ?? []).slice(1).map((p) => decodeURIComponent(p));
      return await route.run({ request, actor, params, url });
    } catch (error) {
      if (isDataSourceError(error)) return json(error.body(), error.status);
      // Anything else stays opaque: it may carry internals.
      return json({ error: 'Internal error', message: 'The request could not be completed' }, 500);
    }
  };
}

function syncAnswer(started: { id: string; status: string; triggeredAt: string }): Response {
  return json({ data: { id: started.id, status: started.status, triggered_at: started.triggeredAt } });
}

async function body(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new DataSourceError('The request body is not valid JSON', { code: 'invalid_request', title: 'Invalid request' });
  }
}

function notImplemented(message: string): Response {
  return json({ error: 'Not implemented', message }, 501);
}

function json(payload: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(payload), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

function stream(service: ConnectionService, request: Request, actor: Actor, retryMs: number): Response {
  const encoder = new TextEncoder();
  let unsubscribe: (() => void) | undefined;
  const close = () => {
    unsubscribe?.();
    unsubscribe = undefined;
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // An opening comment flushes the headers, so clients know they are subscribed.
      controller.enqueue(encoder.encode(`: connected\n${formatServerSentEvent({ retry: retryMs })}`));
      const send = (published: PublishedUpdate) => {
        try {
          controller.enqueue(encoder.encode(formatServerSentEvent({ id: published.id, data: JSON.stringify({ type: 'data_source_update', data: toWireUpdate(published.update) }) })));
        } catch {
          close();
        }
      };
      unsubscribe = service.updates.subscribe(actor.organizationId, send, { lastEventId: request.headers.get('last-event-id') ?? undefined });
      request.signal.addEventListener('abort', () => {
        close();
        try {
          controller.close();
        } catch {
          // Already closed.
        }
      });
    },
    cancel: close,
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' } });
}
