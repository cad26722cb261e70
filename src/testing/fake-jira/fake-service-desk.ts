import { textToAdf } from '../../jira/index.js';
import { json } from '../handler.js';
import {
  CUSTOMER_TRANSITIONS,
  type FakeDesk,
  type FakeRequestType,
  FIRST_RESPONSE_GOAL_MS,
  JSM_STATUSES,
  seedServiceDesks,
} from './service-desk-store.js';
import { type FakeDirectoryUser, type FakeIssue, type FakeProject, type FakeStatus, jiraTime, statusField } from './store.js';

/** What the fake service desk needs from the fake Jira it lives in. */
export interface FakeServiceDeskHost {
  readonly deployment: 'cloud' | 'datacenter';
  readonly users: readonly FakeDirectoryUser[];
  readonly projects: FakeProject[];
  storeIssue(project: FakeProject, fields: Record<string, unknown>): FakeIssue;
  nextCommentId(): string;
  issue(idOrKey: string): FakeIssue | undefined;
}

/** One request of the fake service desk: what JSM keeps beside the Jira issue. */
export interface FakeCustomerRequest {
  readonly issue: FakeIssue;
  readonly desk: FakeDesk;
  readonly requestType: FakeRequestType;
  readonly reporter: FakeDirectoryUser;
  /** The field values as given (after presets), by field id. */
  readonly values: Record<string, unknown>;
  /** Status changes, oldest first. */
  readonly history: { status: FakeStatus; at: number }[];
  readonly comments: FakeRequestComment[];
  readonly approvals: FakeApproval[];
  /** When an agent first replied in public (stops `Time to first response`). */
  firstResponseAt: number | undefined;
  /** When it reached a done status (stops `Time to resolution`). */
  resolvedAt: number | undefined;
}

/** A comment of a request: a public reply or an internal note. */
export interface FakeRequestComment {
  readonly id: string;
  readonly body: string;
  readonly public: boolean;
  readonly author: FakeDirectoryUser;
  readonly created: number;
}

/** An approval of a request. */
export interface FakeApproval {
  readonly id: string;
  readonly name: string;
  readonly approvers: FakeDirectoryUser[];
  decision: 'approved' | 'declined' | 'pending';
  readonly created: number;
  completed: number | undefined;
}

/** One servicedeskapi call as the fake Jira hands it over. */
export interface ServiceDeskCall {
  readonly method: string;
  /** The path after `/rest/servicedeskapi`. */
  readonly path: string;
  readonly url: URL;
  readonly body: unknown;
  /** The authenticated caller, or `undefined` for anonymous. */
  readonly caller: FakeDirectoryUser | undefined;
  /** The site root as the caller sees it (the OAuth gateway prefix included). */
  readonly origin: string;
}

/** JSM's error body: `{errorMessage, i18nErrorMessage: {i18nKey, parameters}}`. */
const ERR = (status: number, errorMessage: string, i18nKey: string, parameters: string[] = []) => json({ errorMessage, i18nErrorMessage: { i18nKey, parameters } }, status);
const NOT_FOUND = (what: string) => ERR(404, `The ${what} you are trying to view does not exist.`, `sd.${what.replace(/\s+/g, '.')}.not.found`);
const MAX_LIMIT = 100;

/**
 * A fake Jira Service Management inside the fake Jira (`fakeJira.serviceDesk`),
 * answering `/rest/servicedeskapi` like the real one: `{size, start, limit,
 * isLastPage, values, _links}` pages, `{iso8601, jira, friendly, epochMillis}`
 * dates, `{errorMessage, i18nErrorMessage}` errors with 400/401/403/404,
 * customer requests stored as issues of the desk's project (visible through
 * `/rest/api` too), JSM's statuses and customer transitions, public replies
 * and internal notes, `Time to first response` and `Time to resolution` SLAs,
 * and approvals. Customers are account ids on Cloud, user names on Data Center.
 *
 * Seeded: desk 1 "IT Help" (project ITSM) with request types 10 "Get IT
 * help", 11 "Report an incident" (required description and affected system)
 * and 12 "Request new software" (approval by the caller first), customers
 * Casey Customer and Sam Lee; desk 2 "HR Services" (HR), where the caller may
 * not raise requests (403).
 */
export class FakeServiceDesk {
  readonly desks: FakeDesk[];
  readonly requestTypes: FakeRequestType[];
  /** Requests by issue id. */
  readonly requests = new Map<string, FakeCustomerRequest>();
  private approvalSeq = 0;

  /** @internal */
  constructor(
    private readonly host: FakeServiceDeskHost,
    private readonly now: () => number,
  ) {
    const customers = host.users.filter((u) => u.accountType === 'customer' || u.name === 'sam.lee').map((u) => this.idOf(u));
    const seed = seedServiceDesks(customers);
    this.desks = seed.desks;
    this.requestTypes = seed.requestTypes;
    for (const desk of this.desks) {
      if (!host.projects.some((p) => p.key === desk.projectKey)) host.projects.push({ id: desk.projectId, key: desk.projectKey, name: desk.projectName });
    }
  }

  /** Makes a user (account id on Cloud, user name on Data Center) a customer of a desk. */
  addCustomer(deskId: string, user: string): void {
    this.deskById(deskId)?.customers.add(user);
  }

  /** Makes a desk refuse the caller's requests (403) or accept them again. */
  denyRequests(deskId: string, denied = true): void {
    const desk = this.deskById(deskId);
    if (desk) desk.denied = denied;
  }

  /** A request by issue key or id. */
  request(idOrKey: string): FakeCustomerRequest | undefined {
    const issue = this.host.issue(idOrKey);
    return issue ? this.requests.get(issue.id) : undefined;
  }

  /** @internal Answers one `/rest/servicedeskapi` call. */
  route(call: ServiceDeskCall): Response {
    if (!call.caller) return ERR(401, 'You are not authenticated. Authentication required to perform this operation.', 'sd.user.not.authenticated');
    const { method, path } = call;
    if (path === '/servicedesk' && method === 'GET') return this.page(call, this.desks.map((d) => this.deskJson(d, call)));
    const desk = /^\/servicedesk\/([^/]+)(\/.*)?$/.exec(path);
    if (desk) return this.routeDesk(call, decodeURIComponent(desk[1] as string), desk[2] ?? '');
    if (path === '/request' && method === 'POST') return this.create(call);
    const req = /^\/request\/([^/]+)(\/.*)?$/.exec(path);
    if (req) {
      const found = this.request(decodeURIComponent(req[1] as string));
      if (!found) return NOT_FOUND('request');
      return this.routeRequest(call, found, req[2] ?? '');
    }
    return ERR(404, `null for uri: ${call.url.href}`, 'sd.resource.not.found');
  }

  private routeDesk(call: ServiceDeskCall, ref: string, sub: string): Response {
    const desk = this.deskById(ref) ?? this.desks.find((d) => d.projectKey.toLowerCase() === ref.toLowerCase() || d.projectId === ref);
    if (!desk) return NOT_FOUND('service desk');
    if (sub === '' && call.method === 'GET') return json(this.deskJson(desk, call));
    const types = this.requestTypes.filter((t) => t.serviceDeskId === desk.id);
    if (sub === '/requesttype' && call.method === 'GET') return this.page(call, types.map((t) => this.requestTypeJson(t, call)));
    const field = /^\/requesttype\/([^/]+)\/field$/.exec(sub);
    if (field && call.method === 'GET') {
      const type = types.find((t) => t.id === decodeURIComponent(field[1] as string));
      if (!type) return NOT_FOUND('request type');
      const agent = !desk.denied;
      return json({
        requestTypeFields: type.fields.map((f) => ({ fieldId: f.fieldId, name: f.name, required: f.required, visible: f.visible, validValues: f.validValues.map((v) => ({ ...v, children: [] })), jiraSchema: f.jiraSchema })),
        canRaiseOnBehalfOf: agent,
        canAddRequestParticipants: agent,
      });
    }
    return ERR(404, `null for uri: ${call.url.href}`, 'sd.resource.not.found');
  }

  private routeRequest(call: ServiceDeskCall, r: FakeCustomerRequest, sub: string): Response {
    const m = call.method;
    if (sub === '' && m === 'GET') return json(this.requestJson(r, call));
    if (sub === '/status' && m === 'GET') return this.page(call, [...r.history].reverse().map((h) => this.statusJson(h.status, h.at)));
    if (sub === '/comment' && m === 'GET') {
      const wantPublic = call.url.searchParams.get('public') !== 'false';
      const wantInternal = call.url.searchParams.get('internal') !== 'false';
      return this.page(call, r.comments.filter((c) => (c.public ? wantPublic : wantInternal)).map((c) => this.commentJson(r, c, call)));
    }
    if (sub === '/comment' && m === 'POST') return this.addComment(call, r);
    if (sub === '/sla' && m === 'GET') return this.page(call, this.slas(r, call));
    if (sub === '/approval' && m === 'GET') return this.page(call, r.approvals.map((a) => this.approvalJson(r, a, call)));
    const approval = /^\/approval\/([^/]+)$/.exec(sub);
    if (approval) {
      const a = r.approvals.find((x) => x.id === decodeURIComponent(approval[1] as string));
      if (!a) return NOT_FOUND('approval');
      if (m === 'GET') return json(this.approvalJson(r, a, call));
      if (m === 'POST') return this.answer(call, r, a);
    }
    if (sub === '/transition' && m === 'GET') return this.page(call, (CUSTOMER_TRANSITIONS[this.status(r).id] ?? []).map((t) => ({ id: t.id, name: t.name })));
    if (sub === '/transition' && m === 'POST') return this.transition(call, r);
    return ERR(404, `null for uri: ${call.url.href}`, 'sd.resource.not.found');
  }

  // --- create ---------------------------------------------------------------------

  private create(call: ServiceDeskCall): Response {
    const b = (typeof call.body === 'object' && call.body !== null ? call.body : {}) as Record<string, unknown>;
    const desk = this.deskById(String(b['serviceDeskId'] ?? ''));
    if (!desk) return NOT_FOUND('service desk');
    const type = this.requestTypes.find((t) => t.serviceDeskId === desk.id && t.id === String(b['requestTypeId'] ?? ''));
    if (!type) return NOT_FOUND('request type');
    if (desk.denied) return ERR(403, 'You do not have permission to create requests in this service desk.', 'sd.request.create.permission.denied');
    const given = (typeof b['requestFieldValues'] === 'object' && b['requestFieldValues'] !== null ? b['requestFieldValues'] : {}) as Record<string, unknown>;
    const invalid = (detail: string) => ERR(400, `Your request could not be created. Please check the fields have been correctly filled in. ${detail}`, 'sd.request.create.field.errors');
    for (const id of Object.keys(given)) {
      if (!type.fields.some((f) => f.fieldId === id)) return invalid(`The field '${id}' is not valid for this request type.`);
    }
    const values: Record<string, unknown> = {};
    for (const f of type.fields) {
      const value = given[f.fieldId] ?? f.preset;
      const empty = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
      if (empty) {
        // Jira Cloud's words for an empty required field, as a live answer recorded them:
        // "Your request could not be created. Please check the fields have been correctly filled in. Please provide a valid value for field 'Summary'"
        if (f.required) return invalid(`Please provide a valid value for field '${f.name}'`);
        continue;
      }
      if (f.validValues.length) {
        const id = typeof value === 'object' ? String((value as Record<string, unknown>)['id'] ?? '') : String(value);
        const option = f.validValues.find((v) => v.value === id);
        if (!option) return invalid(`Specify a valid value for ${f.name}.`);
        values[f.fieldId] = { id: option.value, value: option.label };
      } else if (typeof value !== 'string') return invalid(`${f.name}: Operation value must be a string.`);
      else values[f.fieldId] = value;
    }
    const reporter = this.reporterFor(call, desk, b['raiseOnBehalfOf']);
    if (reporter instanceof Response) return reporter;
    const participants = Array.isArray(b['requestParticipants']) ? b['requestParticipants'] : [];
    for (const p of participants) {
      const user = this.findUser(p);
      if (!user) return ERR(400, `The user '${String(p)}' does not exist.`, 'sd.user.not.found', [String(p)]);
      if (!this.isCustomer(desk, user)) return ERR(400, `The user '${String(p)}' does not have permission to participate in requests of this service desk.`, 'sd.request.participant.permission', [String(p)]);
    }
    const now = this.now();
    const project = this.host.projects.find((p) => p.key === desk.projectKey) as FakeProject;
    const status = type.approval ? JSM_STATUSES.waitingForApproval : JSM_STATUSES.waitingForSupport;
    const description = values['description'];
    const issue = this.host.storeIssue(project, {
      summary: values['summary'],
      description: typeof description === 'string' ? (this.host.deployment === 'cloud' ? textToAdf(description) : description) : null,
      issuetype: { id: type.issueTypeId, name: type.issueTypeId === '10003' ? 'Incident' : 'Task', subtask: false },
      project: { id: project.id, key: project.key, name: project.name },
      status: statusField(status),
      priority: { id: '3', name: 'Medium' },
      labels: [],
      components: [],
      assignee: null,
      reporter: { accountId: reporter.accountId, displayName: reporter.displayName },
      duedate: null,
      resolution: null,
      ...Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('customfield_'))),
    });
    const approvals: FakeApproval[] = type.approval
      ? [{ id: String(++this.approvalSeq), name: type.approval.name, approvers: [call.caller as FakeDirectoryUser], decision: 'pending', created: now, completed: undefined }]
      : [];
    const request: FakeCustomerRequest = { issue, desk, requestType: type, reporter, values, history: [{ status, at: now }], comments: [], approvals, firstResponseAt: undefined, resolvedAt: undefined };
    this.requests.set(issue.id, request);
    return json(this.requestJson(request, call), 201);
  }

  /** The reporter: the caller, or the customer raised for (agents only, customers of the desk only). */
  private reporterFor(call: ServiceDeskCall, desk: FakeDesk, onBehalf: unknown): FakeDirectoryUser | Response {
    const caller = call.caller as FakeDirectoryUser;
    if (onBehalf === undefined) return caller;
    const user = this.findUser(onBehalf);
    if (!user) return ERR(400, `The user '${String(onBehalf)}' does not exist.`, 'sd.user.not.found', [String(onBehalf)]);
    if (!this.isCustomer(desk, user)) {
      return ERR(400, `The user '${String(onBehalf)}' does not have permission to raise requests in this service desk.`, 'sd.request.create.raiseonbehalfof.permission', [String(onBehalf)]);
    }
    return user;
  }

  // --- comments, approvals, transitions -----------------------------------------

  private addComment(call: ServiceDeskCall, r: FakeCustomerRequest): Response {
    const b = (call.body ?? {}) as Record<string, unknown>;
    if (typeof b['body'] !== 'string' || b['body'].trim() === '') return ERR(400, 'The comment body cannot be empty.', 'sd.comment.body.empty');
    if (b['public'] !== undefined && typeof b['public'] !== 'boolean') return ERR(400, "The value of 'public' must be true or false.", 'sd.comment.public.invalid');
    const isPublic = b['public'] !== false;
    const author = call.caller as FakeDirectoryUser;
    const comment: FakeRequestComment = { id: this.host.nextCommentId(), body: b['body'], public: isPublic, author, created: this.now() };
    r.comments.push(comment);
    r.issue.comments.push({ id: comment.id, body: this.host.deployment === 'cloud' ? textToAdf(comment.body) : comment.body, authorAccountId: author.accountId, created: comment.created });
    // JSM's default automation: an agent's public reply waits for the customer.
    if (isPublic && author !== r.reporter) {
      r.firstResponseAt ??= comment.created;
      if (this.status(r).id === JSM_STATUSES.waitingForSupport.id) this.move(r, JSM_STATUSES.waitingForCustomer);
    }
    return json(this.commentJson(r, comment, call), 201);
  }

  private answer(call: ServiceDeskCall, r: FakeCustomerRequest, a: FakeApproval): Response {
    const decision = ((call.body ?? {}) as Record<string, unknown>)['decision'];
    if (decision !== 'approve' && decision !== 'decline') return ERR(400, `The decision '${String(decision)}' is not valid. Use 'approve' or 'decline'.`, 'sd.approval.decision.invalid', [String(decision)]);
    if (!a.approvers.includes(call.caller as FakeDirectoryUser)) return ERR(403, 'You are not an approver of this approval.', 'sd.approval.not.approver');
    if (a.decision !== 'pending') return ERR(400, 'This approval has already been completed.', 'sd.approval.already.completed');
    a.decision = decision === 'approve' ? 'approved' : 'declined';
    a.completed = this.now();
    this.move(r, a.decision === 'approved' ? JSM_STATUSES.waitingForSupport : JSM_STATUSES.declined);
    return json(this.approvalJson(r, a, call));
  }

  private transition(call: ServiceDeskCall, r: FakeCustomerRequest): Response {
    const b = (call.body ?? {}) as Record<string, unknown>;
    const t = (CUSTOMER_TRANSITIONS[this.status(r).id] ?? []).find((x) => x.id === String(b['id'] ?? ''));
    if (!t) return ERR(400, `The transition with id '${String(b['id'])}' is not valid for this request.`, 'sd.request.transition.invalid', [String(b['id'])]);
    const comment = (b['additionalComment'] as Record<string, unknown> | undefined)?.['body'];
    if (typeof comment === 'string' && comment.trim() !== '') {
      const c: FakeRequestComment = { id: this.host.nextCommentId(), body: comment, public: true, author: call.caller as FakeDirectoryUser, created: this.now() };
      r.comments.push(c);
    }
    this.move(r, t.to);
    return new Response(null, { status: 204 });
  }

  private move(r: FakeCustomerRequest, to: FakeStatus): void {
    const now = this.now();
    r.history.push({ status: to, at: now });
    r.issue.fields['status'] = statusField(to);
    r.issue.fields['updated'] = jiraTime(now);
    r.issue.fields['resolution'] = to.category === 'done' ? { id: '10000', name: 'Done' } : null;
    r.resolvedAt = to.category === 'done' ? now : undefined;
  }

  private status(r: FakeCustomerRequest): FakeStatus {
    return (r.history[r.history.length - 1] as { status: FakeStatus }).status;
  }

  // --- wire shapes ----------------------------------------------------------------

  /** JSM's date: `{iso8601, jira, friendly, epochMillis}` (UTC here; a real site uses its zone). */
  private date(ms: number): Record<string, unknown> {
    const jira = jiraTime(ms);
    const d = new Date(ms);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const hours = d.getUTCHours() % 12 || 12;
    const friendly = `${String(d.getUTCDate()).padStart(2, '0')}/${months[d.getUTCMonth()]}/${String(d.getUTCFullYear()).slice(2)} ${hours}:${String(d.getUTCMinutes()).padStart(2, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
    return { iso8601: jira.replace(/\.\d{3}/, ''), jira, friendly, epochMillis: ms };
  }

  /** JSM's duration: `{millis, friendly}` with hours and total minutes (`4h 240m`), as the vendor's examples show. */
  private duration(ms: number): Record<string, unknown> {
    return { millis: ms, friendly: `${Math.trunc(ms / 3_600_000)}h ${Math.trunc(ms / 60_000)}m` };
  }

  private userJson(u: FakeDirectoryUser, call: ServiceDeskCall): Record<string, unknown> {
    const cloud = this.host.deployment === 'cloud';
    const ref = cloud ? `accountId=${encodeURIComponent(u.accountId)}` : `username=${encodeURIComponent(u.name)}`;
    const links = { jiraRest: `${call.origin}/rest/api/2/user?${ref}`, avatarUrls: { '48x48': `${call.origin}/avatar/${encodeURIComponent(u.key)}?s=48` }, self: `${call.origin}/rest/api/2/user?${ref}` };
    const email = !cloud || u.emailVisible ? { emailAddress: u.emailAddress } : {};
    return cloud
      ? { accountId: u.accountId, ...email, displayName: u.displayName, active: u.active, timeZone: 'UTC', _links: links }
      : { key: u.key, name: u.name, ...email, displayName: u.displayName, active: u.active, timeZone: 'UTC', _links: links };
  }

  private deskJson(d: FakeDesk, call: ServiceDeskCall): Record<string, unknown> {
    return { id: d.id, projectId: d.projectId, projectName: d.projectName, projectKey: d.projectKey, _links: { self: `${call.origin}/rest/servicedeskapi/servicedesk/${d.id}` } };
  }

  private requestTypeJson(t: FakeRequestType, call: ServiceDeskCall): Record<string, unknown> {
    return {
      _expands: [],
      id: t.id,
      _links: { self: `${call.origin}/rest/servicedeskapi/servicedesk/${t.serviceDeskId}/requesttype/${t.id}` },
      name: t.name,
      description: t.description,
      ...(t.helpText ? { helpText: t.helpText } : {}),
      issueTypeId: t.issueTypeId,
      serviceDeskId: t.serviceDeskId,
      portalId: t.serviceDeskId,
      groupIds: [],
    };
  }

  private statusJson(status: FakeStatus, at: number): Record<string, unknown> {
    const category = { new: 'NEW', indeterminate: 'INDETERMINATE', done: 'DONE' }[status.category];
    return { status: status.name, ...(this.host.deployment === 'cloud' ? { statusCategory: category } : {}), statusDate: this.date(at) };
  }

  private requestJson(r: FakeCustomerRequest, call: ServiceDeskCall): Record<string, unknown> {
    const { issue } = r;
    const last = r.history[r.history.length - 1] as { status: FakeStatus; at: number };
    return {
      _expands: ['participant', 'status', 'sla', 'requestType', 'serviceDesk', 'attachment', 'action', 'comment'],
      issueId: issue.id,
      issueKey: issue.key,
      ...(this.host.deployment === 'cloud' ? { summary: r.values['summary'] } : {}),
      requestTypeId: r.requestType.id,
      serviceDeskId: r.desk.id,
      createdDate: this.date(issue.createdMs),
      reporter: this.userJson(r.reporter, call),
      requestFieldValues: r.requestType.fields
        .filter((f) => f.visible && r.values[f.fieldId] !== undefined)
        .map((f) => ({ fieldId: f.fieldId, label: f.name, value: r.values[f.fieldId] })),
      currentStatus: this.statusJson(last.status, last.at),
      _links: {
        jiraRest: `${call.origin}/rest/api/2/issue/${issue.id}`,
        web: `${call.origin}/servicedesk/customer/portal/${r.desk.id}/${issue.key}`,
        ...(this.host.deployment === 'cloud' ? { agent: `${call.origin}/browse/${issue.key}` } : {}),
        self: `${call.origin}/rest/servicedeskapi/request/${issue.id}`,
      },
    };
  }

  private commentJson(r: FakeCustomerRequest, c: FakeRequestComment, call: ServiceDeskCall): Record<string, unknown> {
    return {
      _expands: ['attachment', 'renderedBody'],
      id: c.id,
      body: c.body,
      public: c.public,
      author: this.userJson(c.author, call),
      created: this.date(c.created),
      _links: { self: `${call.origin}/rest/servicedeskapi/request/${r.issue.id}/comment/${c.id}` },
    };
  }

  private approvalJson(r: FakeCustomerRequest, a: FakeApproval, call: ServiceDeskCall): Record<string, unknown> {
    return {
      id: a.id,
      name: a.name,
      finalDecision: a.decision,
      canAnswerApproval: a.decision === 'pending' && a.approvers.includes(call.caller as FakeDirectoryUser),
      approvers: a.approvers.map((u) => ({ approver: this.userJson(u, call), approverDecision: a.decision })),
      createdDate: this.date(a.created),
      ...(a.completed === undefined ? {} : { completedDate: this.date(a.completed) }),
      _links: { self: `${call.origin}/rest/servicedeskapi/request/${r.issue.id}/approval/${a.id}` },
    };
  }

  /** `Time to first response` (stops at the first public agent reply) and `Time to resolution` (paused while waiting for the customer). */
  private slas(r: FakeCustomerRequest, call: ServiceDeskCall): Record<string, unknown>[] {
    const now = this.now();
    const start = r.issue.createdMs;
    const cycle = (goal: number, stop: number | undefined, paused: boolean): Record<string, unknown> => {
      const elapsed = (stop ?? now) - start;
      const common = { breached: elapsed > goal, goalDuration: this.duration(goal), elapsedTime: this.duration(elapsed), remainingTime: this.duration(goal - elapsed) };
      return stop === undefined
        ? { startTime: this.date(start), breachTime: this.date(start + goal), ...common, paused, withinCalendarHours: true }
        : { startTime: this.date(start), stopTime: this.date(stop), breachTime: this.date(start + goal), ...common };
    };
    const metric = (id: string, name: string, goal: number, stop: number | undefined, paused = false) => ({
      id,
      name,
      _links: { self: `${call.origin}/rest/servicedeskapi/request/${r.issue.id}/sla/${id}` },
      completedCycles: stop === undefined ? [] : [cycle(goal, stop, false)],
      ...(stop === undefined ? { ongoingCycle: cycle(goal, undefined, paused) } : {}),
    });
    return [
      metric('1', 'Time to first response', FIRST_RESPONSE_GOAL_MS, r.firstResponseAt),
      metric('2', 'Time to resolution', r.requestType.resolutionGoalMs, r.resolvedAt, this.status(r).id === JSM_STATUSES.waitingForCustomer.id),
    ];
  }

  /** A JSM page of `values`, from the call's `start` and `limit` (at most 100 here). */
  private page(call: ServiceDeskCall, all: readonly unknown[]): Response {
    const q = call.url.searchParams;
    const start = Math.max(0, Number.parseInt(q.get('start') ?? '0', 10) || 0);
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number.parseInt(q.get('limit') ?? '50', 10) || 50));
    const values = all.slice(start, start + limit);
    const isLastPage = start + values.length >= all.length;
    const base = `${call.origin}/rest/servicedeskapi`;
    const at = (s: number) => `${base}${call.path}?start=${s}&limit=${limit}`;
    return json({
      _expands: [],
      size: values.length,
      start,
      limit,
      isLastPage,
      _links: { base, context: '', ...(isLastPage ? {} : { next: at(start + limit) }), ...(start > 0 ? { prev: at(Math.max(0, start - limit)) } : {}) },
      values,
    });
  }

  // --- users ----------------------------------------------------------------------

  private idOf(u: FakeDirectoryUser): string {
    return this.host.deployment === 'cloud' ? u.accountId : u.name;
  }

  private findUser(ref: unknown): FakeDirectoryUser | undefined {
    return typeof ref === 'string' ? this.host.users.find((u) => this.idOf(u) === ref) : undefined;
  }

  private isCustomer(desk: FakeDesk, u: FakeDirectoryUser): boolean {
    return desk.openAccess || desk.customers.has(this.idOf(u));
  }

  private deskById(id: string): FakeDesk | undefined {
    return this.desks.find((d) => d.id === id);
  }
}
