import { FaultInjector } from '../faults.js';
import { FakeJiraAttachments, JIRA_ATTACHMENT_PATH } from './attachments.js';
import { type Handler, type HandlerFetch, handlerFetch, json } from '../handler.js';
import { FakeServiceDesk } from './fake-service-desk.js';
import { JqlError, matches, parseJql, type ParsedJql } from './jql.js';
import {
  type FakeComment,
  type FakeDirectoryUser,
  type FakeIssue,
  type FakeProject,
  type FakeStatus,
  findRef,
  ISSUE_TYPES,
  jiraTime,
  PRIORITIES,
  RESOLUTIONS,
  seedUsers,
  SETTABLE_FIELDS,
  STATUSES,
  statusField,
  userMatches,
  WORKFLOW,
} from './store.js';

/** Options of a {@link FakeJira}. */
export interface FakeJiraOptions {
  /** Cloud (v3, ADF, enhanced search, 410 on the old search) or Data Center (v2 only, strings, `startAt` search). @default 'cloud' */
  readonly deployment?: 'cloud' | 'datacenter';
  /** The Cloud basic-auth pair it accepts. @default { email: 'demo@example.com', apiToken: 'sandbox-api-token' } */
  readonly credentials?: { readonly email: string; readonly apiToken: string };
  /** Data Center personal access tokens it accepts as Bearer. @default ['sandbox-pat'] */
  readonly personalAccessTokens?: readonly string[];
  /** The OAuth 2.0 (3LO) app and site. @default cloudId 'sandbox-cloud', client 'sandbox-client' / 'sandbox-client-secret' */
  readonly oauth?: { readonly cloudId: string; readonly clientId: string; readonly clientSecret: string };
  /** Projects. @default OPS (Operations) and DEV (Development) */
  readonly projects?: readonly { readonly key: string; readonly name: string }[];
  /** Time source for timestamps and search lag. @default Date.now */
  readonly now?: () => number;
  /**
   * Eventual consistency: a new issue shows up in search only after `ms` have
   * passed and `searches` searches have been made since it was created. @default none
   */
  readonly searchLag?: { readonly ms?: number; readonly searches?: number };
  /** The attachment size limit (`/attachment/meta` `uploadLimit`), in bytes: larger uploads get 413. @default 1073741824 (1 GiB) */
  readonly attachmentUploadLimitBytes?: number;
}

/** One request the fake received. */
export interface RecordedJiraRequest {
  readonly method: string;
  /** The full URL as received. */
  readonly url: string;
  /** The path, with an OAuth gateway prefix (`/ex/jira/{cloudId}`) removed. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

interface Ctx {
  readonly req: Request;
  readonly url: URL;
  readonly version: '2' | '3';
  readonly user: FakeUser | undefined;
  readonly body: unknown;
  readonly origin: string;
}

interface FakeUser {
  readonly accountId: string;
  readonly displayName: string;
  readonly emailAddress: string;
}

const ERR = (errorMessages: string[], errors: Record<string, string> = {}, status = 400) => json({ errorMessages, errors }, status);
const NOT_FOUND = () => ERR(['Issue does not exist or you do not have permission to see it.'], {}, 404);
const NOT_AUTHENTICATED = () => ERR(['You are not authenticated. Authentication required to perform this operation.'], {}, 401);
const GONE =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';
const UNBOUNDED = 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.';
const ADF_REQUIRED = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const STRING_REQUIRED = 'Operation value must be a string';
const SEARCH_BODY_KEYS = new Set(['jql', 'nextPageToken', 'maxResults', 'fields', 'expand', 'properties', 'fieldsByKeys', 'failFast', 'reconcileIssues']);

/**
 * An in-memory Jira that answers like the real one on the wire (see the
 * reference notes): 201 `{id, key, self}` with string ids, 204 edits and
 * transitions, the `{errorMessages, errors}` envelope, ADF on v3 and strings
 * on v2, the enhanced search with `nextPageToken`/`isLast` (no total, ids only
 * by default, bounded JQL, 415 problem+json without a JSON body), 410 on the
 * removed search, approximate count, issue properties, a To Do -> In Progress
 * -> Done workflow, bad credentials treated as anonymous except on `/myself`
 * (401 text/html) and on the OAuth gateway (401 for a bad token), OAuth 2.0 token refresh with rotating refresh tokens, and
 * scripted faults through `faults`.
 *
 * @example
 * const jira = new FakeJira();
 * const client = new JiraClient({ baseUrl: 'https://acme.atlassian.net', auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' }, fetch: jira.fetch });
 */
export class FakeJira {
  /** Scripted faults (429 with rate-limit headers, 5xx, delays, drops). */
  readonly faults = new FaultInjector();
  /** Every request received, in order, faulted ones included (recorded before faults apply). */
  readonly requests: RecordedJiraRequest[] = [];
  /** Issues by id. */
  readonly issues = new Map<string, FakeIssue>();
  readonly projects: FakeProject[];
  /** The user directory `GET /user/search` answers from (seeded; add with {@link addUser}). */
  readonly users: FakeDirectoryUser[];
  readonly deployment: 'cloud' | 'datacenter';
  /** Jira Service Management (`/rest/servicedeskapi`): desks, request types, customers, requests, SLAs, approvals. */
  readonly serviceDesk: FakeServiceDesk;
  /** The handler, with faults applied: mount it on msw, a loopback server or `handlerFetch`. */
  readonly handle: Handler;
  /** A `fetch` answering from this fake in-process (`handlerFetch(handle)`). */
  readonly fetch: HandlerFetch;
  /** OAuth token requests received. */
  tokenRequests = 0;
  /** Stored attachments, `enabled` and `uploadLimitBytes` (both settable). */
  readonly attachments: FakeJiraAttachments;
  private readonly options: FakeJiraOptions;
  private readonly now: () => number;
  private readonly user: FakeUser;
  private readonly accessTokens = new Set<string>();
  private refreshToken = 'sandbox-refresh-token-0';
  private tokenSeq = 0;
  private issueSeq = 10000;
  private commentSeq = 10000;
  private readonly keySeq = new Map<string, number>();
  private searchSeq = 0;
  private readonly deniedProjects = new Set<string>();

  constructor(options: FakeJiraOptions = {}) {
    this.options = options;
    this.deployment = options.deployment ?? 'cloud';
    this.now = options.now ?? Date.now;
    const credentials = options.credentials ?? { email: 'demo@example.com', apiToken: 'sandbox-api-token' };
    this.user = { accountId: '557058:demo-account', displayName: 'Demo User', emailAddress: credentials.email };
    this.users = seedUsers(credentials.email);
    this.projects = (options.projects ?? [
      { key: 'OPS', name: 'Operations' },
      { key: 'DEV', name: 'Development' },
    ]).map((p, i) => ({ id: String(10000 + i), key: p.key, name: p.name }));
    this.serviceDesk = new FakeServiceDesk(this, this.now);
    this.attachments = new FakeJiraAttachments(this.deployment, this.now, options.attachmentUploadLimitBytes ?? 1024 * 1024 * 1024);
    const faulted = this.faults.wrap((req) => this.route(req));
    this.handle = async (req) => {
      // An upload's body is streamed to the attachment store, not recorded.
      const upload = req.method === 'POST' && JIRA_ATTACHMENT_PATH.test(new URL(req.url).pathname.replace(/^\/ex\/jira\/[^/]+/, ''));
      await this.record(upload ? new Request(req.url, { method: req.method, headers: req.headers }) : req.clone());
      return faulted(req);
    };
    this.fetch = handlerFetch(this.handle);
  }

  /** The OAuth settings in force. */
  get oauth(): { cloudId: string; clientId: string; clientSecret: string } {
    return { cloudId: 'sandbox-cloud', clientId: 'sandbox-client', clientSecret: 'sandbox-client-secret', ...this.options.oauth };
  }

  /** The refresh token the token endpoint accepts now (it rotates on every refresh). */
  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  /** Issues an access token, as an authorization-code exchange would; returns it. */
  grantAccessToken(): string {
    const token = `sandbox-access-${++this.tokenSeq}`;
    this.accessTokens.add(token);
    return token;
  }

  /** Revokes every access token (the next call with one gets the anonymous treatment). */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** Adds a person (an active `atlassian` account with a visible address unless said otherwise) to the directory; returns it. */
  addUser(init: Pick<FakeDirectoryUser, 'displayName' | 'emailAddress'> & Partial<FakeDirectoryUser>): FakeDirectoryUser {
    const n = this.users.length;
    const user: FakeDirectoryUser = {
      accountId: `712020:fake-${n}`,
      key: `JIRAUSER${10000 + n}`,
      name: init.emailAddress.split('@')[0] || `user${n}`,
      accountType: 'atlassian',
      active: true,
      emailVisible: true,
      ...init,
    };
    this.users.push(user);
    return user;
  }

  /** Makes writes to a project answer 403. */
  denyWrites(projectKey: string): void {
    this.deniedProjects.add(projectKey.toUpperCase());
  }

  /** Issues whose labels include `label`, ignoring search lag (for assertions). */
  issuesWithLabel(label: string): FakeIssue[] {
    return [...this.issues.values()].filter((i) => (i.fields['labels'] as string[]).includes(label));
  }

  /** An issue by key or id. */
  issue(idOrKey: string): FakeIssue | undefined {
    return this.issues.get(idOrKey) ?? [...this.issues.values()].find((i) => i.key.toLowerCase() === idOrKey.toLowerCase());
  }

  private async route(req: Request): Promise<Response> {
    const url = new URL(req.url);
    let path = url.pathname;
    const gateway = /^\/ex\/jira\/([^/]+)(\/.*)$/.exec(path);
    if (gateway) {
      if (decodeURIComponent(gateway[1] as string) !== this.oauth.cloudId) return ERR(['Site not found'], {}, 404);
      path = gateway[2] as string;
    }
    if (JIRA_ATTACHMENT_PATH.test(path)) {
      return this.attachments.handle({ req, url, path, origin: gateway ? `${url.origin}/ex/jira/${gateway[1]}` : url.origin, accountId: this.authenticate(req)?.accountId, issueId: (ref) => this.issue(ref)?.id });
    }
    const { body, isJson, text } = await readBody(req);
    if (text && isJson && body === undefined) return ERR(['Unexpected character in the JSON body.']);
    if (path === '/oauth/token' && req.method === 'POST') return this.token(body, isJson);

    const jsm = /^\/rest\/servicedeskapi(\/.*)$/.exec(path);
    if (jsm) {
      const user = this.authenticate(req);
      if (gateway && !user) return json({ code: 401, message: 'Unauthorized' }, 401);
      const caller = user && this.users.find((u) => u.accountId === user.accountId);
      return this.serviceDesk.route({ method: req.method, path: jsm[1] as string, url, body, caller, origin: gateway ? `${url.origin}/ex/jira/${gateway[1]}` : url.origin });
    }
    const m = /^\/rest\/api\/(2|3)(\/.*)$/.exec(path);
    if (!m) return ERR([`null for uri: ${url.href}`], {}, 404);
    const version = m[1] as '2' | '3';
    const rest = m[2] as string;
    if (this.deployment === 'datacenter' && version === '3') return ERR([`null for uri: ${url.href}`], {}, 404);
    const user = this.authenticate(req);
    // The OAuth gateway refuses a bad token outright; the site treats bad credentials as anonymous.
    if (gateway && !user) return json({ code: 401, message: 'Unauthorized' }, 401);
    const ctx: Ctx = { req, url, version, user, body, origin: gateway ? `${url.origin}/ex/jira/${gateway[1]}` : url.origin };
    const method = req.method;

    if (rest === '/myself' && method === 'GET') return this.myself(ctx);
    if (rest === '/user/search' && method === 'GET') return this.userSearch(ctx);
    if (rest === '/search' || rest === '/search/') {
      if (this.deployment === 'cloud') return ERR([GONE], {}, 410);
      return this.searchStartAt(ctx);
    }
    if (rest === '/search/jql' && (method === 'GET' || method === 'POST')) return this.searchJql(ctx, isJson);
    if (rest === '/search/approximate-count' && method === 'POST') return this.approximateCount(ctx, isJson);
    if (rest === '/issue' && method === 'POST') return this.create(ctx);
    const issuePath = /^\/issue\/([^/]+)(\/.*)?$/.exec(rest);
    if (issuePath) {
      const issue = ctx.user ? this.issue(decodeURIComponent(issuePath[1] as string)) : undefined;
      const sub = issuePath[2] ?? '';
      if (!issue) return ctx.user || method === 'GET' ? NOT_FOUND() : NOT_AUTHENTICATED();
      if (method !== 'GET' && this.deniedProjects.has(issue.projectKey)) return ERR(["You currently don't have access to perform this operation."], {}, 403);
      if (sub === '' && method === 'GET') return json(this.project(issue, ctx, ctx.url.searchParams.get('fields')?.split(',') ?? ['*all']));
      if (sub === '' && method === 'PUT') return this.edit(ctx, issue);
      if (sub === '' && method === 'DELETE') {
        this.issues.delete(issue.id);
        return new Response(null, { status: 204 });
      }
      if (sub === '/transitions' && method === 'GET') return json({ expand: 'transitions', transitions: this.transitionsOf(issue, ctx) });
      if (sub === '/transitions' && method === 'POST') return this.transition(ctx, issue);
      if (sub === '/comment' && method === 'GET') return this.listComments(ctx, issue);
      if (sub === '/comment' && method === 'POST') return this.addComment(ctx, issue);
      if (sub === '/assignee' && method === 'PUT') return this.assign(ctx, issue);
      if (sub === '/properties' && method === 'GET') {
        return json({ keys: [...issue.properties.keys()].map((key) => ({ key, self: `${ctx.origin}/rest/api/${version}/issue/${issue.id}/properties/${key}` })) });
      }
      const prop = /^\/properties\/([^/]+)$/.exec(sub);
      if (prop) {
        const key = decodeURIComponent(prop[1] as string);
        if (method === 'GET') return issue.properties.has(key) ? json({ key, value: issue.properties.get(key) }) : ERR([`The property with key '${key}' does not exist.`], {}, 404);
        if (method === 'PUT') {
          const existed = issue.properties.has(key);
          issue.properties.set(key, body);
          return new Response(null, { status: existed ? 200 : 201 });
        }
      }
    }
    return ERR([`null for uri: ${url.href}`], {}, 404);
  }

  private async record(req: Request): Promise<void> {
    const url = new URL(req.url);
    const { body, text } = await readBody(req);
    this.requests.push({
      method: req.method,
      url: req.url,
      path: url.pathname.replace(/^\/ex\/jira\/[^/]+/, ''),
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(req.headers),
      body: body ?? (text || undefined),
    });
  }

  private authenticate(req: Request): FakeUser | undefined {
    const header = req.headers.get('authorization') ?? '';
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
      const credentials = this.options.credentials ?? { email: 'demo@example.com', apiToken: 'sandbox-api-token' };
      return decoded === `${credentials.email}:${credentials.apiToken}` ? this.user : undefined;
    }
    if (scheme?.toLowerCase() === 'bearer') {
      const pats = this.options.personalAccessTokens ?? ['sandbox-pat'];
      return (this.deployment === 'datacenter' && pats.includes(value)) || this.accessTokens.has(value) ? this.user : undefined;
    }
    return undefined;
  }

  private myself(ctx: Ctx): Response {
    if (!ctx.user) {
      return new Response('Client must be authenticated to access this resource.', {
        status: 401,
        headers: { 'content-type': 'text/html;charset=UTF-8', 'www-authenticate': 'OAuth realm="https%3A%2F%2Fsandbox.atlassian.net"' },
      });
    }
    return json({ self: `${ctx.origin}/rest/api/${ctx.version}/user?accountId=${this.user.accountId}`, ...this.user, active: true, timeZone: 'UTC' });
  }

  /** A directory user on the wire: Cloud hides what profile visibility hides; Data Center has `key` and `name`. */
  private userJson(u: FakeDirectoryUser, ctx: Ctx): Record<string, unknown> {
    const base = `${ctx.origin}/rest/api/${ctx.version}/user`;
    const avatarUrls = { '48x48': `${ctx.origin}/avatar/${encodeURIComponent(u.key)}?s=48` };
    if (this.deployment === 'datacenter') {
      return { self: `${base}?username=${encodeURIComponent(u.name)}`, key: u.key, name: u.name, emailAddress: u.emailAddress, avatarUrls, displayName: u.displayName, active: u.active, deleted: false, timeZone: 'UTC', locale: 'en_US' };
    }
    return {
      self: `${base}?accountId=${encodeURIComponent(u.accountId)}`,
      accountId: u.accountId,
      accountType: u.accountType,
      ...(u.emailVisible && u.emailAddress ? { emailAddress: u.emailAddress } : {}),
      avatarUrls,
      displayName: u.displayName,
      active: u.active,
      timeZone: 'UTC',
      locale: 'en_US',
    };
  }

  /**
   * `GET /user/search`: Cloud takes `query` (prefix of display name or
   * address, hidden addresses included) and returns active users only;
   * Data Center takes `username` (also the user name) with `includeActive`
   * (default true) and `includeInactive` (default false), at most 100. A bare
   * JSON array; anonymous callers get an empty one.
   */
  private userSearch(ctx: Ctx): Response {
    const q = ctx.url.searchParams;
    const dc = this.deployment === 'datacenter';
    const query = q.get(dc ? 'username' : 'query') ?? '';
    if (query.trim() === '') return ERR([dc ? 'The username query parameter was not provided' : 'The query parameter (query, accountId or property) is required.']);
    const startAt = Number(q.get('startAt') ?? 0);
    const maxResults = Math.min(Number(q.get('maxResults') ?? 50), dc ? 100 : 1000);
    if (!Number.isInteger(startAt) || startAt < 0 || !Number.isInteger(maxResults) || maxResults < 0) return ERR(['startAt and maxResults must be non-negative integers.']);
    if (!ctx.user) return json([]);
    const withActive = !dc || q.get('includeActive') !== 'false';
    const withInactive = dc && q.get('includeInactive') === 'true';
    const hits = this.users.filter((u) => (u.active ? withActive : withInactive) && userMatches(u, query.trim(), dc));
    return json(hits.slice(startAt, startAt + maxResults).map((u) => this.userJson(u, ctx)));
  }

  private token(body: unknown, isJson: boolean): Response {
    this.tokenRequests++;
    if (!isJson) return json({ error: 'invalid_request', error_description: 'the body must be JSON' }, 400);
    const b = (body ?? {}) as Record<string, unknown>;
    if (b['client_id'] !== this.oauth.clientId || b['client_secret'] !== this.oauth.clientSecret) {
      return json({ error: 'access_denied', error_description: 'Unauthorized' }, 401);
    }
    if (b['grant_type'] !== 'refresh_token' || b['refresh_token'] !== this.refreshToken) {
      return json({ error: 'unauthorized_client', error_description: 'refresh_token is invalid' }, 403);
    }
    this.refreshToken = `sandbox-refresh-token-${this.tokenSeq + 1}`;
    const access = this.grantAccessToken();
    return json({ access_token: access, refresh_token: this.refreshToken, expires_in: 3600, scope: 'read:jira-work write:jira-work offline_access', token_type: 'Bearer' });
  }

  // --- issues -------------------------------------------------------------------

  private richTextError(field: string, value: unknown, version: '2' | '3'): string | undefined {
    if (value === null || value === undefined) return undefined;
    if (version === '3') {
      const v = value as Record<string, unknown>;
      return typeof value === 'object' && v['type'] === 'doc' && v['version'] === 1 && Array.isArray(v['content']) ? undefined : ADF_REQUIRED;
    }
    return typeof value === 'string' ? undefined : STRING_REQUIRED;
  }

  private create(ctx: Ctx): Response {
    if (!ctx.user) return NOT_AUTHENTICATED();
    const b = (ctx.body ?? {}) as Record<string, unknown>;
    const fields = b['fields'] as Record<string, unknown> | undefined;
    if (typeof fields !== 'object' || fields === null) return ERR(['Issue fields are required.']);
    const errors: Record<string, string> = {};
    const project = findRef(this.projects, fields['project']);
    if (!fields['project']) errors['project'] = 'Specify a valid project ID or key';
    else if (!project) errors['project'] = 'valid project is required';
    const type = findRef(ISSUE_TYPES, fields['issuetype']);
    if (!type) errors['issuetype'] = 'valid issue type is required';
    this.checkFields(fields, ctx.version, errors, true);
    let parent: FakeIssue | undefined;
    if (fields['parent'] !== undefined) {
      const ref = fields['parent'] as Record<string, unknown>;
      parent = this.issue(String(ref['key'] ?? ref['id'] ?? ''));
      if (!parent) errors['parent'] = 'Could not find issue by id or key.';
    } else if (type?.subtask) errors['parent'] = 'Sub-task issues must have a parent.';
    if (Object.keys(errors).length || !project || !type) return ERR([], errors);
    if (this.deniedProjects.has(project.key)) return ERR(["You currently don't have access to perform this operation."], {}, 403);

    const stored: Record<string, unknown> = {
      summary: fields['summary'],
      description: fields['description'] ?? null,
      issuetype: { id: type.id, name: type.name, subtask: type.subtask },
      project: { id: project.id, key: project.key, name: project.name },
      status: statusField(STATUSES.todo),
      priority: this.priorityOf(fields['priority']) ?? { id: '3', name: 'Medium' },
      labels: [...((fields['labels'] as string[] | undefined) ?? [])],
      components: ((fields['components'] as Record<string, unknown>[] | undefined) ?? []).map((c) => ({ id: String(c['id'] ?? '10000'), name: String(c['name'] ?? c['id']) })),
      assignee: this.userRef(fields['assignee'], ctx),
      reporter: { accountId: this.user.accountId, displayName: this.user.displayName },
      duedate: fields['duedate'] ?? null,
      resolution: null,
    };
    if (parent) stored['parent'] = { id: parent.id, key: parent.key };
    for (const [k, v] of Object.entries(fields)) if (k.startsWith('customfield_')) stored[k] = v;
    const issue = this.storeIssue(project, stored);
    for (const p of (b['properties'] as { key?: unknown; value?: unknown }[] | undefined) ?? []) {
      if (typeof p.key === 'string') issue.properties.set(p.key, p.value);
    }
    return json({ id: issue.id, key: issue.key, self: `${ctx.origin}/rest/api/${ctx.version}/issue/${issue.id}` }, 201);
  }

  /**
   * Stores a new issue in `project` with the next id and key, `created` and
   * `updated` set to now: what a create through `/rest/api` or a customer
   * request through `/rest/servicedeskapi` makes. Returns it.
   */
  storeIssue(project: FakeProject, fields: Record<string, unknown>): FakeIssue {
    const now = this.now();
    const id = String(++this.issueSeq);
    const n = (this.keySeq.get(project.key) ?? 0) + 1;
    this.keySeq.set(project.key, n);
    const key = `${project.key}-${n}`;
    const issue: FakeIssue = { id, key, projectKey: project.key, fields: { ...fields, created: jiraTime(now), updated: jiraTime(now) }, properties: new Map(), comments: [], createdMs: now, searchSeq: this.searchSeq };
    this.issues.set(id, issue);
    return issue;
  }

  /** The next comment id (shared by Jira comments and service desk comments, as on a real site). */
  nextCommentId(): string {
    return String(++this.commentSeq);
  }

  private checkFields(fields: Record<string, unknown>, version: '2' | '3', errors: Record<string, string>, creating: boolean): void {
    for (const name of Object.keys(fields)) {
      if (!SETTABLE_FIELDS.has(name) && !name.startsWith('customfield_')) errors[name] = `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.`;
    }
    const summary = fields['summary'];
    if ((creating || 'summary' in fields) && (typeof summary !== 'string' || summary.trim() === '')) errors['summary'] = 'You must specify a summary of the issue.';
    else if (typeof summary === 'string' && summary.length > 255) errors['summary'] = 'Summary must be less than 255 characters.';
    for (const field of ['description', 'environment']) {
      const problem = this.richTextError(field, fields[field], version);
      if (problem) errors[field] = problem;
    }
    if (fields['priority'] !== undefined && fields['priority'] !== null && !this.priorityOf(fields['priority'])) errors['priority'] = 'Specify a valid priority';
    const labels = fields['labels'];
    if (labels !== undefined) {
      if (!Array.isArray(labels)) errors['labels'] = 'Labels must be a list';
      else {
        const bad = labels.find((l) => typeof l !== 'string' || /\s/.test(l) || l === '');
        if (bad !== undefined) errors['labels'] = `The label '${String(bad)}' contains spaces which is invalid.`;
      }
    }
    if (typeof fields['duedate'] === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(fields['duedate'])) errors['duedate'] = 'Error parsing date string: ' + fields['duedate'];
  }

  private priorityOf(ref: unknown): { id: string; name: string } | undefined {
    const p = findRef(PRIORITIES, ref);
    return p ? { id: p.id, name: p.name } : undefined;
  }

  /** A user reference as an issue field stores it: the directory user when it knows them (by account id; on Data Center by name or key). */
  private userRef(ref: unknown, ctx: Ctx): Record<string, unknown> | null {
    if (typeof ref !== 'object' || ref === null) return null;
    const r = ref as Record<string, unknown>;
    const id = String(r['id'] ?? r['accountId'] ?? r['name'] ?? r['key'] ?? '');
    const known = this.users.find((u) => (this.deployment === 'datacenter' ? u.name === id || u.key === id : u.accountId === id));
    if (known) return this.userJson(known, ctx);
    return id ? { accountId: id, displayName: id === this.user.accountId ? this.user.displayName : id } : null;
  }

  private edit(ctx: Ctx, issue: FakeIssue): Response {
    if (!ctx.user) return NOT_AUTHENTICATED();
    const fields = ((ctx.body ?? {}) as Record<string, unknown>)['fields'] as Record<string, unknown> | undefined;
    if (typeof fields !== 'object' || fields === null) return ERR(['Can not deserialize the edit request.']);
    const errors: Record<string, string> = {};
    this.checkFields(fields, ctx.version, errors, false);
    for (const f of ['project', 'parent']) if (f in fields) errors[f] = `Field '${f}' cannot be set. It is not on the appropriate screen, or unknown.`;
    let type: (typeof ISSUE_TYPES)[number] | undefined;
    if (fields['issuetype'] !== undefined) {
      type = findRef(ISSUE_TYPES, fields['issuetype']);
      if (!type) errors['issuetype'] = 'valid issue type is required';
    }
    if (Object.keys(errors).length) return ERR([], errors);
    for (const [k, v] of Object.entries(fields)) {
      if (k === 'issuetype' && type) issue.fields[k] = { id: type.id, name: type.name, subtask: type.subtask };
      else if (k === 'priority') issue.fields[k] = v === null ? null : this.priorityOf(v);
      else if (k === 'assignee') issue.fields[k] = this.userRef(v, ctx);
      else if (k === 'components') issue.fields[k] = ((v as Record<string, unknown>[] | null) ?? []).map((c) => ({ id: String(c['id'] ?? '10000'), name: String(c['name'] ?? c['id']) }));
      else issue.fields[k] = v;
    }
    issue.fields['updated'] = jiraTime(this.now());
    if (ctx.url.searchParams.get('returnIssue') === 'true') return json(this.project(issue, ctx, ['*all']));
    return new Response(null, { status: 204 });
  }

  /**
   * `PUT /issue/{key}/assignee`: `{accountId}` on Cloud, `{name}` on Data
   * Center (`null` unassigns), 204; someone the directory does not hold as an
   * active user is a 400 on `assignee`.
   */
  private assign(ctx: Ctx, issue: FakeIssue): Response {
    if (!ctx.user) return NOT_AUTHENTICATED();
    const b = (ctx.body ?? {}) as Record<string, unknown>;
    const field = this.deployment === 'cloud' ? 'accountId' : 'name';
    if (!(field in b)) return ERR([], { assignee: `The ${field} of the assignee is required.` });
    const id = b[field];
    if (id === null) {
      issue.fields['assignee'] = null;
    } else {
      const known = this.users.find((u) => u.active && (this.deployment === 'cloud' ? u.accountId === id : u.name === id));
      if (!known) return ERR([], { assignee: `User '${String(id)}' cannot be assigned issues.` });
      issue.fields['assignee'] = this.userJson(known, ctx);
    }
    issue.fields['updated'] = jiraTime(this.now());
    return new Response(null, { status: 204 });
  }

  private currentStatus(issue: FakeIssue): FakeStatus {
    const id = (issue.fields['status'] as { id: string }).id;
    return Object.values(STATUSES).find((s) => s.id === id) ?? STATUSES.todo;
  }

  private transitionsOf(issue: FakeIssue, ctx: Ctx): unknown[] {
    return (WORKFLOW[this.currentStatus(issue).id] ?? []).map((t) => ({
      id: t.id,
      name: t.name,
      to: { self: `${ctx.origin}/rest/api/${ctx.version}/status/${t.to.id}`, ...statusField(t.to) },
      hasScreen: t.to.category === 'done',
      isGlobal: false,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
    }));
  }

  private transition(ctx: Ctx, issue: FakeIssue): Response {
    if (!ctx.user) return NOT_AUTHENTICATED();
    const b = (ctx.body ?? {}) as Record<string, unknown>;
    const id = (b['transition'] as Record<string, unknown> | undefined)?.['id'];
    if (id === undefined || !/^\d+$/.test(String(id))) return ERR(["'transition' identifier must be an integer"]);
    const t = (WORKFLOW[this.currentStatus(issue).id] ?? []).find((x) => x.id === String(id));
    if (!t) return ERR([`Transition id '${String(id)}' is not valid for this issue.`]);
    const fields = (b['fields'] ?? {}) as Record<string, unknown>;
    let resolution: { id: string; name: string } | null = null;
    if (t.to.category === 'done') {
      const r = fields['resolution'] === undefined ? RESOLUTIONS[0] : findRef(RESOLUTIONS, fields['resolution']);
      if (!r) return ERR([], { resolution: 'Could not find valid resolution.' });
      resolution = { id: r.id, name: r.name };
    } else if (fields['resolution'] !== undefined) {
      return ERR([], { resolution: "Field 'resolution' cannot be set. It is not on the appropriate screen, or unknown." });
    }
    const comments = ((b['update'] as Record<string, unknown> | undefined)?.['comment'] ?? []) as { add?: { body?: unknown } }[];
    for (const c of comments) {
      const problem = this.richTextError('comment', c.add?.body, ctx.version);
      if (problem || c.add?.body === undefined) return ERR([], { comment: problem ?? 'Comment body can not be empty!' });
    }
    issue.fields['status'] = statusField(t.to);
    issue.fields['resolution'] = resolution;
    issue.fields['updated'] = jiraTime(this.now());
    for (const c of comments) issue.comments.push({ id: String(++this.commentSeq), body: c.add?.body, authorAccountId: this.user.accountId, created: this.now() });
    return new Response(null, { status: 204 });
  }

  private commentJson(issue: FakeIssue, c: FakeComment, ctx: Ctx): Record<string, unknown> {
    const author = { accountId: c.authorAccountId, displayName: this.user.displayName, active: true };
    return { id: c.id, self: `${ctx.origin}/rest/api/${ctx.version}/issue/${issue.id}/comment/${c.id}`, author, body: c.body, updateAuthor: author, created: jiraTime(c.created), updated: jiraTime(c.created) };
  }

  private addComment(ctx: Ctx, issue: FakeIssue): Response {
    if (!ctx.user) return NOT_AUTHENTICATED();
    const body = ((ctx.body ?? {}) as Record<string, unknown>)['body'];
    if (body === undefined || body === '') return ERR([], { comment: 'Comment body can not be empty!' });
    const problem = this.richTextError('comment', body, ctx.version);
    if (problem) return ERR([], { comment: problem });
    const c: FakeComment = { id: String(++this.commentSeq), body, authorAccountId: this.user.accountId, created: this.now() };
    issue.comments.push(c);
    return json(this.commentJson(issue, c, ctx), 201);
  }

  private listComments(ctx: Ctx, issue: FakeIssue): Response {
    const startAt = Number(ctx.url.searchParams.get('startAt') ?? 0);
    const maxResults = Math.min(Number(ctx.url.searchParams.get('maxResults') ?? 100), 100);
    const page = issue.comments.slice(startAt, startAt + maxResults);
    return json({ startAt, maxResults, total: issue.comments.length, comments: page.map((c) => this.commentJson(issue, c, ctx)) });
  }

  // --- search -------------------------------------------------------------------

  /** The issue as a search or GET returns it, with only the fields asked for. */
  private project(issue: FakeIssue, ctx: Ctx, fields: readonly string[]): Record<string, unknown> {
    const self = `${ctx.origin}/rest/api/${ctx.version}/issue/${issue.id}`;
    const wanted = fields.map((f) => f.trim()).filter(Boolean);
    if (wanted.length === 1 && wanted[0] === 'id') return { id: issue.id };
    const all = wanted.includes('*all') || wanted.includes('*navigable');
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(issue.fields)) {
      if ((all || wanted.includes(k)) && !wanted.includes(`-${k}`)) out[k] = v;
    }
    return { expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields', id: issue.id, self, key: issue.key, fields: out };
  }

  private parse(query: string, requireBounded: boolean): ParsedJql | Response {
    let parsed: ParsedJql;
    try {
      parsed = parseJql(query);
    } catch (error) {
      if (error instanceof JqlError) return ERR([error.message]);
      throw error;
    }
    if (requireBounded && !parsed.where) return ERR([UNBOUNDED]);
    const unknown = this.unknownValue(parsed.where);
    return unknown ? ERR([unknown]) : parsed;
  }

  private unknownValue(node: ParsedJql['where']): string | undefined {
    if (!node) return undefined;
    if (node.type === 'not') return this.unknownValue(node.node);
    if (node.type !== 'clause') return this.unknownValue(node.left) ?? this.unknownValue(node.right);
    const known: Record<string, () => string[]> = {
      project: () => this.projects.flatMap((p) => [p.key, p.id, p.name]),
      status: () => Object.values(STATUSES).flatMap((s) => [s.name, s.id]),
      issuetype: () => ISSUE_TYPES.flatMap((t) => [t.name, t.id]),
      statusCategory: () => ['To Do', 'In Progress', 'Done', 'new', 'indeterminate', 'done'],
    };
    const list = known[node.field]?.().map((v) => v.toLowerCase());
    const bad = list && node.values.find((v) => !list.includes(v.toLowerCase()));
    return bad === undefined ? undefined : `The value '${bad}' does not exist for the field '${node.field}'.`;
  }

  private read(issue: FakeIssue, field: string): string[] {
    const f = issue.fields;
    const name = (v: unknown) => (v && typeof v === 'object' ? [String((v as Record<string, unknown>)['name'] ?? ''), String((v as Record<string, unknown>)['id'] ?? '')] : []);
    switch (field) {
      case 'project':
        return [issue.projectKey, ...name(f['project'])];
      case 'status':
        return name(f['status']);
      case 'statusCategory': {
        const cat = (f['status'] as { statusCategory: { key: string; name: string } }).statusCategory;
        return [cat.key, cat.name];
      }
      case 'labels':
        return f['labels'] as string[];
      case 'issuetype':
      case 'priority':
      case 'resolution':
        return name(f[field]).filter(Boolean);
      case 'key':
        return [issue.key, issue.id];
      case 'summary':
        return [String(f['summary'] ?? '')];
      case 'assignee': {
        const a = f['assignee'] as { accountId?: string; name?: string } | null;
        return [a?.accountId, a?.name].filter((v): v is string => typeof v === 'string');
      }
      default:
        return [String(f[field] ?? '')];
    }
  }

  /** Issues a query matches, in order, honouring search lag. */
  private run(parsed: ParsedJql, ctx: Ctx, reconcile: readonly string[] = []): FakeIssue[] {
    if (!ctx.user) return [];
    const seq = ++this.searchSeq;
    const lag = this.options.searchLag ?? {};
    const now = this.now();
    const visible = [...this.issues.values()].filter(
      (i) => reconcile.includes(i.id) || (now - i.createdMs >= (lag.ms ?? 0) && seq - i.searchSeq > (lag.searches ?? 0)),
    );
    const hits = visible.filter((i) => matches(parsed.where, (field) => this.read(i, field)));
    const order = parsed.orderBy.length ? parsed.orderBy : [{ field: 'created', direction: 'DESC' as const }];
    return hits.sort((a, b) => {
      for (const { field, direction } of order) {
        const d = this.sortValue(a, field) - this.sortValue(b, field);
        if (d !== 0) return direction === 'ASC' ? d : -d;
      }
      const last = order[order.length - 1]?.direction ?? 'DESC';
      return last === 'ASC' ? Number(a.id) - Number(b.id) : Number(b.id) - Number(a.id);
    });
  }

  private sortValue(issue: FakeIssue, field: string): number {
    if (field === 'key') return Number(issue.id);
    if (field === 'updated') return Date.parse(String(issue.fields['updated']).replace(/(\d{2})(\d{2})$/, '$1:$2'));
    return issue.createdMs;
  }

  private searchJql(ctx: Ctx, isJson: boolean): Response {
    let params: Record<string, unknown>;
    if (ctx.req.method === 'POST') {
      if (!isJson || ctx.body === undefined) {
        return new Response(JSON.stringify({ type: 'about:blank', title: 'Unsupported Media Type', status: 415, detail: `Content-Type '${ctx.req.headers.get('content-type') ?? 'null'}' is not supported.`, instance: '/rest/api/3/search/jql' }), {
          status: 415,
          headers: { 'content-type': 'application/problem+json' },
        });
      }
      params = ctx.body as Record<string, unknown>;
      const unknown = Object.keys(params).find((k) => !SEARCH_BODY_KEYS.has(k));
      if (unknown) return ERR([`Unrecognized field "${unknown}"`]);
    } else {
      const q = ctx.url.searchParams;
      params = { jql: q.get('jql') ?? '', nextPageToken: q.get('nextPageToken') ?? undefined, maxResults: q.get('maxResults') ?? undefined, fields: q.get('fields')?.split(',') };
    }
    const maxResults = params['maxResults'] === undefined ? 50 : Number(params['maxResults']);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 5000) return ERR(['The maxResults parameter must be between 1 and 5000.']);
    const parsed = this.parse(String(params['jql'] ?? ''), true);
    if (parsed instanceof Response) return parsed;
    let offset = 0;
    const token = params['nextPageToken'];
    if (token !== undefined && token !== null) {
      const decoded = /^tok-(\d+)$/.exec(atobSafe(String(token)));
      if (!decoded) return ERR(['Invalid nextPageToken.']);
      offset = Number(decoded[1]);
    }
    const fields = Array.isArray(params['fields']) ? (params['fields'] as string[]) : ['id'];
    const reconcile = Array.isArray(params['reconcileIssues']) ? (params['reconcileIssues'] as unknown[]).map(String) : [];
    const hits = this.run(parsed, ctx, reconcile);
    const page = hits.slice(offset, offset + maxResults);
    const isLast = offset + maxResults >= hits.length;
    return json({ issues: page.map((i) => this.project(i, ctx, fields)), ...(isLast ? {} : { nextPageToken: btoa(`tok-${offset + maxResults}`) }), isLast });
  }

  private approximateCount(ctx: Ctx, isJson: boolean): Response {
    if (!isJson) return ERR(['Content-Type must be application/json'], {}, 415);
    const parsed = this.parse(String((ctx.body as Record<string, unknown> | undefined)?.['jql'] ?? ''), true);
    if (parsed instanceof Response) return parsed;
    return json({ count: this.run(parsed, ctx).length });
  }

  private searchStartAt(ctx: Ctx): Response {
    const source = ctx.req.method === 'POST' ? ((ctx.body ?? {}) as Record<string, unknown>) : Object.fromEntries(ctx.url.searchParams);
    const parsed = this.parse(String(source['jql'] ?? ''), false);
    if (parsed instanceof Response) return parsed;
    const startAt = Number(source['startAt'] ?? 0);
    const maxResults = Math.min(Number(source['maxResults'] ?? 50), 1000);
    const fieldsParam = source['fields'];
    const fields = Array.isArray(fieldsParam) ? (fieldsParam as string[]) : typeof fieldsParam === 'string' ? fieldsParam.split(',') : ['*navigable'];
    const hits = this.run(parsed, ctx);
    return json({ expand: 'schema,names', startAt, maxResults, total: hits.length, issues: hits.slice(startAt, startAt + maxResults).map((i) => this.project(i, ctx, fields)) });
  }
}

async function readBody(req: Request): Promise<{ body: unknown; isJson: boolean; text: string }> {
  const text = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text();
  const isJson = /json/i.test(req.headers.get('content-type') ?? '');
  if (!text || !isJson) return { body: undefined, isJson, text };
  try {
    return { body: JSON.parse(text), isJson, text };
  } catch {
    return { body: undefined, isJson, text };
  }
}

function atobSafe(value: string): string {
  try {
    return atob(value);
  } catch {
    return '';
  }
}
