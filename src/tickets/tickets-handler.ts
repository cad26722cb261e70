import * as z from 'zod/mini';
import {
  type FieldIssue,
  isConfigError,
  isHttpError,
  isItsmError,
  isNetworkError,
  isTemplateError,
  isTimeoutError,
  isValidationError,
  type Logger,
  safeParseEnglish,
  silentLogger,
  zodIssues,
} from '../core/index.js';
import type { RecommendedResource } from './config-schema.js';
import { toHttpValidationBody } from './http-validation-body.js';
import { IdempotencyReplay } from './idempotency-replay.js';
import type { AutomationActivity, IncidentListItem, SupportAutomationSummary, SupportCounter, SupportIncidentResult } from './support-counter.js';
import type { SupportRequest } from './support-request.js';
import type { TicketJob, TicketResult, TicketService } from './ticket-service.js';

/** The support counter's `POST /incident` 201 body: the enriched incident, `sys_id` spelled as ServiceNow does. */
export interface SupportIncidentBody {
  readonly sys_id: string;
  readonly number: string;
  readonly client: string;
  readonly category: string;
  readonly shortDescription: string;
  readonly detailedDescription?: string;
  readonly state: string;
  readonly priority?: string;
  readonly topic: string;
  readonly recommendedResources: readonly RecommendedResource[];
  readonly automation?: SupportAutomationSummary;
}

/** The support counter's `GET /incidents` item. */
export interface IncidentListItemBody {
  readonly sys_id: string;
  readonly number: string;
  readonly short_description: string;
  readonly description?: string;
  readonly state: string;
  readonly priority?: string;
  readonly category?: string;
  readonly sys_created_on?: string;
  readonly client?: string | null;
}

/** The support counter's `GET /automation-activity` item. */
export interface AutomationActivityBody {
  readonly timestamp: string;
  readonly incidentNumber: string;
  readonly client: string | null;
  readonly summary: string;
  readonly sys_id: string;
}

/** The wire JSON of a support incident result (the support counter's response shape, nothing more). */
export function toSupportIncidentBody(result: SupportIncidentResult): SupportIncidentBody {
  return {
    sys_id: result.sysId,
    number: result.number,
    client: result.client,
    category: result.category,
    shortDescription: result.shortDescription,
    ...(result.detailedDescription !== undefined ? { detailedDescription: result.detailedDescription } : {}),
    state: result.state,
    ...(result.priority !== undefined ? { priority: result.priority } : {}),
    topic: result.topic,
    recommendedResources: result.recommendedResources,
    automation: result.automation,
  };
}

function toListItemBody(item: IncidentListItem): IncidentListItemBody {
  return {
    sys_id: item.sysId,
    number: item.number,
    short_description: item.shortDescription,
    ...(item.description !== undefined ? { description: item.description } : {}),
    state: item.state,
    ...(item.priority !== undefined ? { priority: item.priority } : {}),
    ...(item.category !== undefined ? { category: item.category } : {}),
    ...(item.sysCreatedOn !== undefined ? { sys_created_on: item.sysCreatedOn } : {}),
    client: item.client,
  };
}

function toActivityBody(a: AutomationActivity): AutomationActivityBody {
  return { timestamp: a.timestamp, incidentNumber: a.incidentNumber, client: a.client, summary: a.summary, sys_id: a.sysId };
}

/** Options of {@link createTicketsHandler}. */
export interface TicketsHandlerOptions {
  /** Serves the template endpoints. */
  readonly tickets: TicketService;
  /** Serves the support counter's endpoints (`/incident`, `/incidents`, `/automation-activity`); without it they answer 404. */
  readonly support?: SupportCounter;
  /** A prefix the routes are mounted under, e.g. `/api`. @default '' */
  readonly basePath?: string;
  /** Gets a line for requests that fail unexpectedly. @default silentLogger */
  readonly logger?: Logger;
  /** Replays of `Idempotency-Key` requests (one process's memory). @default a new IdempotencyReplay */
  readonly idempotency?: IdempotencyReplay;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests',
  500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
const PLATFORM_NAMES: Readonly<Record<string, string>> = { servicenow: 'ServiceNow', jira: 'Jira' };

function buildTemplateBodySchema() {
  return z.object({
    variables: z.optional(z.record(z.string(), z.unknown())),
    job: z.optional(z.looseObject({ id: z.string().check(z.minLength(1)) })),
    correlationKey: z.optional(z.string().check(z.minLength(1))),
  });
}

// Built on first use, so bundles without the HTTP handler drop it.
let templateBody: ReturnType<typeof buildTemplateBodySchema> | undefined;

type Route = (request: Request, url: URL, params: readonly string[]) => Promise<Response>;

/**
 * The reference HTTP API as a `(Request) => Promise<Response>` handler, to
 * mount in any framework (Node with `serveHandler`, Hono, Bun, Deno, a Next
 * route, Express through a fetch adapter).
 *
 * Support counter: `GET /health` -> `{ status: 'ok' }`; `POST /incident` -> 201 with
 * the enriched incident; `GET /incidents?state&source&limit&offset` -> `{ incidents, total }`;
 * `GET /automation-activity?limit` -> `{ activities, count }`.
 * Templates: `GET /templates` -> `{ templates }`; `POST /templates/{name}/preview`
 * with `{ variables, job? }` -> the rendered payload and the issues it would be
 * refused for; `POST /templates/{name}/tickets` with `{ variables, job?, correlationKey? }` -> 201 with the ticket.
 *
 * `Idempotency-Key` on the two creates: the key becomes the ticket's
 * correlation key (unless the body gives one), the first 201 is replayed
 * (status and body, header `Idempotent-Replayed: true`) to a repeat with the
 * same body, a repeat while the first is in flight gets 409, and the same key
 * with a different body 422 (see {@link IdempotencyReplay}).
 *
 * Errors: 400 `{ error, details: { issues: [{ path, message }] } }` for bad
 * input and unrenderable templates; 404 for unknown routes and templates; 500
 * `{ error: 'ServiceNow API error: 401 Unauthorized', statusCode: 401 }` when
 * the platform fails (`statusCode: null` without an HTTP status).
 */
export function createTicketsHandler(options: TicketsHandlerOptions): (request: Request) => Promise<Response> {
  const { tickets, support } = options;
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  const logger = options.logger ?? silentLogger;
  const replay = options.idempotency ?? new IdempotencyReplay();
  const needSupport = (): SupportCounter => {
    if (!support) throw new RouteNotFound();
    return support;
  };

  const routes: [method: string, pattern: RegExp, route: Route][] = [
    ['GET', /^\/health$/, async () => json({ status: 'ok' })],
    [
      'POST',
      /^\/incident$/,
      async (request) => {
        const key = request.headers.get('idempotency-key');
        const body = await readJson(request);
        const create = async () => {
          // Typed as a request, checked as one: createSupportIncident validates whatever came.
          const result = await needSupport().createSupportIncident(body as SupportRequest, { ...(key ? { correlationKey: key } : {}), signal: request.signal });
          return json(toSupportIncidentBody(result), 201);
        };
        return key ? await replay.run('POST /incident', key, body, create) : await create();
      },
    ],
    [
      'GET',
      /^\/incidents$/,
      async (request, url) => {
        const q = url.searchParams;
        const filters = Object.fromEntries(['state', 'source', 'limit', 'offset'].flatMap((k) => (q.has(k) ? [[k, q.get(k)]] : [])));
        const { incidents, total } = await needSupport().listIncidents(filters, { signal: request.signal });
        return json({ incidents: incidents.map(toListItemBody), ...(total !== undefined ? { total } : {}) });
      },
    ],
    [
      'GET',
      /^\/automation-activity$/,
      async (request, url) => {
        const limit = url.searchParams.get('limit');
        const { activities, count } = await needSupport().automationActivity(limit === null ? {} : { limit }, { signal: request.signal });
        return json({ activities: activities.map(toActivityBody), count });
      },
    ],
    ['GET', /^\/templates$/, async () => json({ templates: tickets.listTemplates() })],
    [
      'POST',
      /^\/templates\/([^/]+)\/preview$/,
      async (request, _url, [name = '']) => {
        const body = parseTemplateBody(await readJson(request));
        const preview = tickets.previewTemplate(name, body.variables ?? {}, {
          ...(body.job ? { job: body.job as TicketJob } : {}),
          ...(body.correlationKey ? { correlationKey: body.correlationKey } : {}),
        });
        return json({ ...preview, valid: preview.issues.length === 0, issues: toHttpValidationBody(preview.issues).details.issues });
      },
    ],
    [
      'POST',
      /^\/templates\/([^/]+)\/tickets$/,
      async (request, _url, [name = '']) => {
        const raw = await readJson(request);
        const body = parseTemplateBody(raw);
        const key = request.headers.get('idempotency-key');
        const correlationKey = body.correlationKey ?? key ?? undefined;
        const create = async () => {
          const ticket = await tickets.createFromTemplate(name, body.variables ?? {}, {
            ...(body.job ? { job: body.job as TicketJob } : {}),
            ...(correlationKey ? { correlationKey } : {}),
            signal: request.signal,
          });
          return json(toTicketBody(ticket), 201);
        };
        return key ? await replay.run(`POST /templates/${name}/tickets`, key, raw, create) : await create();
      },
    ],
  ];

  return async (request) => {
    const url = new URL(request.url);
    if (base && !(url.pathname === base || url.pathname.startsWith(`${base}/`))) return json({ error: 'Not found' }, 404);
    const pathname = url.pathname.slice(base.length) || '/';
    const matching = routes.flatMap(([method, pattern, route]) => {
      const m = pattern.exec(pathname);
      return m ? [{ method, route, params: m.slice(1).map(decodeSegment) }] : [];
    });
    if (matching.length === 0) return json({ error: 'Not found' }, 404);
    const hit = matching.find((r) => r.method === request.method);
    if (!hit) return json({ error: 'Method not allowed' }, 405, { allow: matching.map((r) => r.method).join(', ') });
    try {
      return await hit.route(request, url, hit.params);
    } catch (error) {
      return errorResponse(error, logger, `${request.method} ${pathname}`);
    }
  };
}

class RouteNotFound extends Error {}
class BadJson extends Error {}

function decodeSegment(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BadJson((error as Error).message);
  }
}

function parseTemplateBody(input: unknown): z.output<ReturnType<typeof buildTemplateBodySchema>> {
  const result = safeParseEnglish((templateBody ??= buildTemplateBodySchema()), input);
  if (!result.success) throw new BodyIssues(zodIssues(result.error));
  return result.data;
}

class BodyIssues extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super('Invalid request payload');
  }
}

/** A ticket result as JSON: everything but the platform's raw record. */
function toTicketBody(ticket: TicketResult): Omit<TicketResult, 'raw'> {
  const { raw: _raw, ...rest } = ticket;
  return rest;
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

function errorResponse(error: unknown, logger: Logger, route: string): Response {
  if (error instanceof RouteNotFound) return json({ error: 'Not found' }, 404);
  if (error instanceof BadJson) return json(toHttpValidationBody([{ field: '(root)', rule: 'json', message: 'Body is not valid JSON' }]), 400);
  if (error instanceof BodyIssues) return json(toHttpValidationBody(error.issues), 400);
  if (isValidationError(error)) return json(toHttpValidationBody(error.issues), 400);
  if (isTemplateError(error)) {
    if (error.issues.some((i) => i.field === 'template' && i.rule === 'unknown')) return json({ error: `Unknown template "${error.template}"` }, 404);
    const issues = [...error.missing.map((field) => ({ field, rule: 'required', message: 'Required' })), ...error.issues];
    return json(toHttpValidationBody(issues, `Template "${error.template}" cannot be rendered`), 400);
  }
  if (isHttpError(error)) {
    const platform = PLATFORM_NAMES[error.platform] ?? error.platform;
    return json({ error: `${platform} API error: ${error.status} ${REASONS[error.status] ?? error.platformError?.message ?? 'Error'}`.trim(), statusCode: error.status }, 500);
  }
  if (isNetworkError(error) || isTimeoutError(error)) {
    const platform = PLATFORM_NAMES[error.platform] ?? error.platform;
    return json({ error: `${platform} API error: ${isTimeoutError(error) ? 'timeout' : 'network failure'}`, statusCode: null }, 500);
  }
  if (isConfigError(error)) return json({ error: error.message }, 500);
  logger.error('tickets.handler', { jobId: null, platform: null, operation: route, outcome: 'error', error: isItsmError(error) || error instanceof Error ? error.name : typeof error });
  return json({ error: 'Internal server error' }, 500);
}
