import type { TableDeclaration } from '../../servicenow/index.js';
import { FaultInjector } from '../faults.js';
import { handlerFetch, json, type Handler, type HandlerFetch } from '../handler.js';
import { ATTACHMENT_PATH, FakeServiceNowAttachments } from './attachments.js';
import { FakeTokenIssuer, type FakeOAuthClient } from './oauth.js';
import { matches, parseQuery, sortRows } from './query.js';
import { renderRow, type RenderOptions } from './render.js';
import { FakeStore, StoreError, type WriteContext } from './store.js';
import { ADMIN_SYS_ID, type Row } from './tables.js';

/** A user the fake accepts with basic auth (and the OAuth password grant). */
export interface FakeServiceNowUser {
  readonly userName: string;
  readonly password: string;
}

/** A rate-limit rule (off unless configured, as on a real instance). */
export interface FakeRateLimitRule {
  /** Requests allowed per window. */
  readonly limit: number;
  /** @default 3600 (ServiceNow rules are per hour) */
  readonly windowSeconds?: number;
}

/** Options of a {@link FakeServiceNow}. */
export interface FakeServiceNowOptions {
  /** Basic-auth users. @default [{ userName: 'admin', password: 'sandbox-password' }] */
  readonly users?: readonly FakeServiceNowUser[];
  /** Accepted `x-sn-apikey` values. @default [] */
  readonly apiKeys?: readonly string[];
  /** Registered OAuth clients. @default [{ clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }] */
  readonly oauthClients?: readonly FakeOAuthClient[];
  /** Access-token lifetime. @default 1799 */
  readonly tokenTtlSeconds?: number;
  /** Whether resolving/closing an incident without close_code and close_notes is a 403. @default true */
  readonly dataPolicy?: boolean;
  readonly rateLimit?: FakeRateLimitRule;
  /** The fake's clock (epoch ms), for token expiry, rate-limit windows and timestamps. @default Date.now */
  readonly now?: () => number;
  /**
   * Tables of your own, declared with `defineTable`: the fake models them as
   * it models the built-in ones (references, journals, choice labels,
   * numbering, a new row's defaults). @default []
   */
  readonly tables?: readonly TableDeclaration[];
  /** The instance's attachment size limit (`com.glide.attachment.max_size`), in bytes: larger uploads get 413. @default 1073741824 (1024 MB) */
  readonly attachmentMaxSizeBytes?: number;
}

/** One request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, the form as an object, or undefined. */
  readonly body: unknown;
}

const UNAUTHENTICATED = { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' };
const TABLE_PATH = /^\/api\/now\/(?:(v1|v2)\/)?table\/([^/]+)(?:\/([^/]+))?\/?$/;

/**
 * A fake ServiceNow instance as a `(Request) => Promise<Response>` handler,
 * behaving as the Table API does on the wire: `result` envelopes, 201 +
 * Location, 204 on DELETE, 404 `No Record found`, string values, references,
 * the three display-value modes, `X-Total-Count` and `Link` paging, the
 * encoded-query subset, journals via `sys_journal_field`, priority from impact
 * x urgency, a data-policy 403, 401 `User Not Authenticated`,
 * `/oauth_token.do`, an optional rate-limit rule, and scripted faults.
 *
 * @example
 * const sn = new FakeServiceNow();
 * const client = new ServiceNowClient({ instanceUrl: 'https://fake.service-now.com', auth: { type: 'basic', username: 'admin', password: 'sandbox-password' }, fetch: sn.fetch });
 */
export class FakeServiceNow {
  /** The handler, faults included: mount it on msw or serve it on loopback. */
  readonly handle: Handler;
  /** `handle` as a fetch function, for injecting into a client. */
  readonly fetch: HandlerFetch;
  /** Scripted faults (429, 5xx, delays, drops, HTML pages). */
  readonly faults = new FaultInjector();
  /** Every request received, in order (faulted ones included). */
  readonly requests: RecordedRequest[] = [];
  /** The OAuth token endpoint's state. */
  readonly oauth: FakeTokenIssuer;
  /** The in-memory database. */
  readonly store: FakeStore;
  /** The Attachment API's state: stored files, and `maxSizeBytes` (settable). */
  readonly attachments: FakeServiceNowAttachments;
  /** The rate-limit rule in force, if any; set it to switch one on or off. */
  rateLimit: FakeRateLimitRule | undefined;
  private readonly users: readonly FakeServiceNowUser[];
  private readonly apiKeys: Set<string>;
  private readonly now: () => number;
  private readonly readAcls = new Map<string, (row: Readonly<Row>) => boolean>();
  private window = { start: 0, count: 0 };

  constructor(options: FakeServiceNowOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.users = options.users ?? [{ userName: 'admin', password: 'sandbox-password' }];
    this.apiKeys = new Set(options.apiKeys ?? []);
    this.rateLimit = options.rateLimit;
    this.store = new FakeStore(this.now(), options.tables);
    this.store.dataPolicy = options.dataPolicy ?? true;
    this.oauth = new FakeTokenIssuer(
      options.oauthClients ?? [{ clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }],
      (user, password) => this.users.some((u) => u.userName === user && u.password === password),
      this.now,
      options.tokenTtlSeconds ?? 1799,
    );
    this.attachments = new FakeServiceNowAttachments(this.store, this.now, options.attachmentMaxSizeBytes ?? 1024 * 1024 * 1024);
    // Attachment bodies are streamed to the Attachment API, neither read as text nor recorded.
    const streamed = (request: Request) => request.method === 'GET' || request.method === 'HEAD' || ATTACHMENT_PATH.test(new URL(request.url).pathname);
    const faulted = this.faults.wrap(async (request) => this.route(request, streamed(request) ? '' : await request.text()));
    this.handle = async (request) => {
      this.requests.push(await recordRequest(streamed(request) ? new Request(request.url, { method: request.method, headers: request.headers }) : request.clone()));
      return faulted(request);
    };
    this.fetch = handlerFetch(this.handle);
  }

  /** Switches the incident resolution data policy. */
  set dataPolicy(on: boolean) {
    this.store.dataPolicy = on;
  }

  get dataPolicy(): boolean {
    return this.store.dataPolicy;
  }

  /** Copies of a table's rows (database values), for assertions. */
  table(name: string): Row[] {
    return this.store.rows(name).map((r) => ({ ...r }));
  }

  /** Inserts a row directly (defaults, numbering and journal as for a POST), for seeding tests. */
  insert(table: string, values: Readonly<Record<string, unknown>>): Row {
    return { ...this.store.insert(table, values, this.writer('admin')) };
  }

  /**
   * Hides rows from reads, as an ACL does: applied after `sysparm_limit`, so a
   * page can come back short (or empty) while more rows exist.
   */
  setReadAcl(table: string, canRead: ((row: Readonly<Row>) => boolean) | undefined): void {
    if (canRead) this.readAcls.set(table, canRead);
    else this.readAcls.delete(table);
  }

  /** Requests received on a path prefix (default: the Table API), optionally of one method. */
  requestsTo(pathPrefix = '/api/now/table/', method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix) && (!method || r.method === method));
  }

  private async route(request: Request, text: string): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/oauth_token.do' && request.method === 'POST') {
      const answer = this.oauth.grant(request.headers.get('content-type') ?? '', text);
      return json(answer.body, answer.status, { 'cache-control': 'no-store' });
    }
    const user = this.authenticate(request);
    if (!user) return json(UNAUTHENTICATED, 401);
    const limited = this.rateLimitHeaders();
    if (limited.denied) return json({ error: { message: 'Rate limit exceeded', detail: `Rate limit of ${this.rateLimit?.limit} requests per hour for Table API exceeded` }, status: 'failure' }, 429, limited.headers);
    const response = ATTACHMENT_PATH.test(url.pathname) ? await this.attachments.handle(url, request, user) : this.tableApi(url, request, text, user);
    for (const [k, v] of Object.entries(limited.headers)) response.headers.set(k, v);
    return response;
  }

  private tableApi(url: URL, request: Request, text: string, userName: string): Response {
    const m = TABLE_PATH.exec(url.pathname);
    if (!m) return failure(400, 'Requested URI does not represent any resource', null);
    const [, version, rawTable, rawId] = m;
    const table = decodeURIComponent(rawTable!);
    if (!/^[a-z0-9_]+$/.test(table)) return failure(400, `Invalid table ${table}`, null);
    const sysId = rawId === undefined ? undefined : decodeURIComponent(rawId);
    const render = this.renderOptions(url);
    const ctx = this.writer(userName);
    try {
      switch (request.method) {
        case 'GET':
        case 'HEAD':
          return sysId === undefined ? this.list(url, table, render, version) : this.getOne(table, sysId, render);
        case 'POST': {
          if (sysId !== undefined) return failure(405, 'Method not Supported', 'POST is not allowed on a record');
          const body = parseBody(request, text);
          if (body instanceof Response) return body;
          const row = this.store.insert(table, body, ctx);
          return json({ result: renderRow(this.store, table, row, render) }, 201, { location: `${url.origin}/api/now/table/${table}/${row['sys_id']}` });
        }
        case 'PUT':
        case 'PATCH': {
          if (sysId === undefined) return failure(405, 'Method not Supported', `${request.method} needs a sys_id`);
          if (!this.canRead(table, sysId)) return notFound();
          const body = parseBody(request, text);
          if (body instanceof Response) return body;
          const row = this.store.update(table, sysId, body, ctx);
          return json({ result: renderRow(this.store, table, row, render) }, 200);
        }
        case 'DELETE':
          if (sysId === undefined) return failure(405, 'Method not Supported', 'DELETE needs a sys_id');
          if (!this.canRead(table, sysId) || !this.store.delete(table, sysId)) return notFound();
          return new Response(null, { status: 204 });
        default:
          return failure(405, 'Method not Supported', `${request.method} is not supported`);
      }
    } catch (error) {
      if (error instanceof StoreError) return json({ error: error.detail, status: 'failure' }, error.status);
      throw error;
    }
  }

  private getOne(table: string, sysId: string, render: RenderOptions): Response {
    const row = this.store.find(table, sysId);
    if (!row || !this.canRead(table, sysId)) return notFound();
    return json({ result: renderRow(this.store, table, row, render) });
  }

  private list(url: URL, table: string, render: RenderOptions, version: string | undefined): Response {
    const params = url.searchParams;
    const query = parseQuery(params.get('sysparm_query') ?? '');
    const limit = intParam(params.get('sysparm_limit'), 10_000);
    const offset = intParam(params.get('sysparm_offset'), 0);
    // Whether a column exists is asked once per field, not once per row: it builds the table's defaults.
    const knownFields = new Map<string, boolean>();
    const known = (f: string) => knownFields.get(f) ?? knownFields.set(f, this.store.knows(table, f)).get(f) === true;
    const matched = this.store.rows(table).filter((row) => matches(query, (f) => this.store.queryValue(table, row, f), known));
    sortRows(matched, query, (row, f) => this.store.read(table, row, f));
    // The limit applies before ACLs, as on a real instance: a page can be short with more to come.
    const acl = this.readAcls.get(table);
    const page = matched.slice(offset, offset + limit).filter((row) => !acl || acl(row));
    if (version === 'v1' && page.length === 0) return failure(404, 'No Record found', 'Records not found');
    const headers: Record<string, string> = {};
    if (params.get('sysparm_no_count') !== 'true') headers['x-total-count'] = String(matched.length);
    if (params.get('sysparm_suppress_pagination_header') !== 'true') {
      const link = linkHeader(url, offset, limit, matched.length);
      if (link) headers['link'] = link;
    }
    return json({ result: page.map((row) => renderRow(this.store, table, row, render)) }, 200, headers);
  }

  private canRead(table: string, sysId: string): boolean {
    const acl = this.readAcls.get(table);
    const row = this.store.find(table, sysId);
    return Boolean(row) && (!acl || acl(row!));
  }

  private renderOptions(url: URL): RenderOptions {
    const p = url.searchParams;
    const mode = p.get('sysparm_display_value');
    const fields = p.get('sysparm_fields');
    return {
      mode: mode === 'true' || mode === 'all' ? mode : 'false',
      excludeLinks: p.get('sysparm_exclude_reference_link') === 'true',
      fields: fields ? fields.split(',').map((f) => f.trim()).filter(Boolean) : undefined,
      origin: url.origin,
      userName: (name) => this.store.rows('sys_user').find((u) => u['user_name'] === name || u['sys_id'] === name)?.['name'] ?? name,
    };
  }

  private writer(userName: string): WriteContext {
    const user = this.store.rows('sys_user').find((u) => u['user_name'] === userName);
    return { now: this.now(), userName, userSysId: user?.['sys_id'] ?? ADMIN_SYS_ID };
  }

  private authenticate(request: Request): string | undefined {
    const apiKey = request.headers.get('x-sn-apikey');
    if (apiKey !== null) return this.apiKeys.has(apiKey) ? 'admin' : undefined;
    const header = request.headers.get('authorization') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(header);
    if (basic) {
      let decoded = '';
      try {
        decoded = new TextDecoder().decode(Uint8Array.from(atob(basic[1]!), (c) => c.charCodeAt(0)));
      } catch {
        return undefined;
      }
      const colon = decoded.indexOf(':');
      const name = decoded.slice(0, colon);
      const password = decoded.slice(colon + 1);
      return colon > 0 && this.users.some((u) => u.userName === name && u.password === password) ? name : undefined;
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(header);
    return bearer ? this.oauth.userFor(bearer[1]!) : undefined;
  }

  private rateLimitHeaders(): { denied: boolean; headers: Record<string, string> } {
    const rule = this.rateLimit;
    if (!rule) return { denied: false, headers: {} };
    const windowMs = (rule.windowSeconds ?? 3600) * 1000;
    const now = this.now();
    if (now >= this.window.start + windowMs) this.window = { start: now - (now % windowMs), count: 0 };
    const resetMs = this.window.start + windowMs;
    const headers = {
      'x-ratelimit-limit': String(rule.limit),
      'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
      'x-ratelimit-rule': 'e0f5b0e7c0a8016401d2f5b3f0f5a8c1',
    };
    if (this.window.count >= rule.limit) {
      return { denied: true, headers: { ...headers, 'retry-after': String(Math.max(1, Math.ceil((resetMs - now) / 1000))) } };
    }
    this.window.count++;
    return { denied: false, headers };
  }
}

function failure(status: number, message: string, detail: string | null): Response {
  return json({ error: { message, detail }, status: 'failure' }, status);
}

function notFound(): Response {
  return failure(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");
}

function intParam(value: string | null, fallback: number): number {
  const n = value === null ? Number.NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

function parseBody(request: Request, text: string): Record<string, unknown> | Response {
  if (!/application\/json/i.test(request.headers.get('content-type') ?? '')) {
    return failure(400, 'Invalid content type', 'POST, PUT and PATCH need Content-Type: application/json');
  }
  try {
    const body: unknown = JSON.parse(text);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    return body as Record<string, unknown>;
  } catch {
    return failure(400, 'Exception while reading request', 'The payload is not valid JSON.');
  }
}

function linkHeader(url: URL, offset: number, limit: number, total: number): string | undefined {
  if (limit <= 0) return undefined;
  const at = (o: number) => {
    const u = new URL(url);
    u.searchParams.set('sysparm_offset', String(o));
    u.searchParams.set('sysparm_limit', String(limit));
    return `<${u.toString()}>`;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const parts = [`${at(0)};rel="first"`];
  if (offset > 0) parts.push(`${at(Math.max(0, offset - limit))};rel="prev"`);
  if (offset + limit < total) parts.push(`${at(offset + limit)};rel="next"`);
  parts.push(`${at(last)};rel="last"`);
  return parts.join(',');
}

async function recordRequest(request: Request): Promise<RecordedRequest> {
  const url = new URL(request.url);
  const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
  const headers: Record<string, string> = {};
  request.headers.forEach((v, k) => {
    headers[k] = v;
  });
  let body: unknown;
  if (text) {
    if (/x-www-form-urlencoded/i.test(headers['content-type'] ?? '')) body = Object.fromEntries(new URLSearchParams(text));
    else {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
  }
  return { method: request.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body };
}
