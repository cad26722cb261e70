import {
  callFields,
  type CallOptions,
  type FieldIssue,
  fingerprintOf,
  isAbortedError,
  isNotFoundError,
  path,
  type ReconcileContext,
  type RequestSpec,
  ValidationError,
} from '../core/index.js';
import { validateAdf } from './adf.js';
import { type AddCommentOptions, addComment, listComments } from './comments.js';
import type { JiraContext } from './context.js';
import { decodeIssue } from './decoders.js';
import { IssueMayExistError } from './errors.js';
import { jql } from './jql.js';
import { fromWireIssue, toCreateFields, toUpdateFields } from './mapper.js';
import { countIssues, type JiraSearchOptions, type JiraSearchPageOptions, type SearchPage, searchIssues, searchPage } from './search.js';
import { listTransitions, type TransitionInput, transitionIssue } from './transitions.js';
import type { CreatedIssue, CreateIssueInput, JiraComment, JiraIssue, JiraRichText, JiraTransition, UpdateIssueInput } from './types.js';
import type { JiraUsers } from './users.js';

/** The entity property a correlation key is stored under. */
export const CORRELATION_PROPERTY = 'itsmkit.correlation';

/** The label a correlation key is stored as: `itsmkit-corr-<key>`. */
export function correlationLabel(correlationKey: string): string {
  return `itsmkit-corr-${correlationKey}`;
}

/** The label a closed duplicate gets besides its correlation label. */
const DUPLICATE_LABEL = 'itsmkit-duplicate';
/** Issues with one key a keyed create reads, to spot duplicates. */
const DUPLICATE_SCAN = 10;

interface IssueRef {
  readonly id: string;
  readonly key: string;
  readonly self: string | undefined;
  readonly raw: unknown;
}

/** The id, key and link of an issue from a create or get answer its decoder checked. */
function refOf(data: Record<string, unknown>, raw: unknown): IssueRef {
  return { id: String(data['id']), key: String(data['key']), self: typeof data['self'] === 'string' ? data['self'] : undefined, raw };
}

const MAX_SUMMARY = 255;
const CORRELATION_KEY = /^[A-Za-z0-9._-]{1,200}$/;

/** Options of {@link JiraIssues.get}, with the per-call ones ({@link CallOptions}). */
export interface GetIssueOptions extends CallOptions {
  /** Fields to return (`*all`, `*navigable`, `-comment`, names, custom field ids). @default all fields */
  readonly fields?: readonly string[];
  /** Jira's `expand` (`renderedFields`, `names`, `transitions`, `changelog`, ...). */
  readonly expand?: readonly string[];
}

/** Options of writes: the per-call ones ({@link CallOptions}). */
export interface WriteOptions extends CallOptions {}

/**
 * Who {@link JiraIssues.assign} assigns: a person by email address (or
 * anything else `users.resolve` takes), a user by `id` as issue fields take
 * it (the account id on Cloud, the user name on Data Center), or `null` for nobody.
 */
export type AssignTo = { readonly email: string } | { readonly id: string } | null;

/**
 * Issues: create, read, edit, delete, search, transitions and comments. Get it
 * as `jira.issues`.
 */
export class JiraIssues {
  /** @internal */
  constructor(
    private readonly ctx: JiraContext,
    private readonly users: JiraUsers,
  ) {}

  /**
   * Creates an issue (`POST /issue`, 201 `{id, key, self}`). The input is
   * checked first: every problem (empty or over-long summary, missing project or
   * issue type, malformed ADF, bad labels, custom field ids) is one
   * {@link ValidationError}, and nothing is sent.
   *
   * **Once per correlation key.** With `correlationKey`, the key is stored as
   * the label `itsmkit-corr-<key>` (searchable with JQL) and the entity
   * property `itsmkit.correlation` (the key verbatim; entity properties are
   * not searchable without an app), and the create happens once per key:
   * - a repeat, or a concurrent duplicate, gets the first issue back with
   *   `created: false` (the client's idempotency store remembers it, so this
   *   does not depend on Jira's eventually consistent search);
   * - otherwise an issue already carrying the label is returned (`created: false`);
   * - after an ambiguous failure (a timeout, a reset after sending, a
   *   502/503/504) the label is searched up to `consistency.polls` times with
   *   doubling waits from `consistency.intervalMs` before anything is re-sent:
   *   found, it is returned (`reconciled: true`); a search failed, or the
   *   deadline came first: an {@link IssueMayExistError} (a `TicketMayExistError`).
   *
   * Without a key an ambiguous failure is not retried, since the issue may exist.
   */
  async create(input: CreateIssueInput, options: WriteOptions = {}): Promise<CreatedIssue> {
    checkCreate(input);
    const { correlationKey } = input;
    if (!correlationKey) return this.send(input, options);
    const label = correlationLabel(correlationKey);
    const outcome = await this.ctx.keyed.run<IssueRef>({
      key: correlationKey,
      scope: `jira:${this.ctx.host}/${input.projectKey}`,
      fingerprint: fingerprintOf(input),
      operation: 'jira.issue.create',
      signal: options.signal,
      fetch: async (id) => {
        try {
          const spec: RequestSpec = { method: 'GET', path: `${this.ctx.api}${path`/issue/${id}`}`, query: { fields: 'labels' }, operation: 'jira.issue.get', ...callFields(options) };
          const res = await this.ctx.send(spec);
          return { value: refOf(decodeIssue(res, this.ctx.where(spec)), res.data), retry: res.retry };
        } catch (error) {
          if (isNotFoundError(error)) return undefined;
          throw error;
        }
      },
      find: async () => {
        const query = jql`project = ${input.projectKey} AND labels = ${label} ORDER BY created ASC`;
        const page = await searchPage(this.ctx, query, { fields: ['labels'], pageSize: DUPLICATE_SCAN, ...callFields(options) });
        return { values: page.issues.map((i) => ({ id: i.id, key: i.key, self: i.self, raw: i.raw })), retry: page.retry };
      },
      create: async () => {
        const created = await this.send(input, options);
        return { value: { id: created.id, key: created.key, self: created.self, raw: created.raw }, retry: created.retry, reconciled: created.reconciled };
      },
      ref: (issue) => issue.id,
      closeDuplicate: async (kept, newer) => {
        await addComment(this.ctx, newer.key, `Duplicate of ${kept.key} (same correlation key); itsmkit keeps the oldest issue.`, callFields(options));
        await this.update(newer.key, { labels: [label, DUPLICATE_LABEL] }, callFields(options));
      },
    });
    const { value } = outcome;
    return { id: value.id, key: value.key, self: value.self, created: outcome.created, reconciled: outcome.reconciled, retry: outcome.retry, raw: value.raw };
  }

  /** One POST, with the correlation-key reconcile when there is a key. */
  private async send(input: CreateIssueInput, options: WriteOptions): Promise<CreatedIssue> {
    const { correlationKey } = input;
    const fields = toCreateFields(input, this.ctx.deployment, correlationKey ? [correlationLabel(correlationKey)] : []);
    const properties = correlationKey ? [{ key: CORRELATION_PROPERTY, value: { correlationKey } }] : undefined;
    const spec: RequestSpec = {
      method: 'POST',
      path: `${this.ctx.api}/issue`,
      json: { fields, ...(properties ? { properties } : {}) },
      operation: 'jira.issue.create',
      ...callFields(options),
      ...(correlationKey
        ? { reconcile: (rc: ReconcileContext) => this.reconcile(input.projectKey, correlationKey, rc, options) }
        : { notRetriedHint: 'pass correlationKey to make the create safe to retry' }),
    };
    const res = await this.ctx.send(spec);
    const ref = refOf(decodeIssue(res, this.ctx.where(spec)), res.data);
    return { ...ref, created: true, reconciled: res.reconciled, retry: res.retry };
  }

  /**
   * Finds the issue created with a correlation key, if Jira's search shows it
   * yet (search is eventually consistent: a fresh issue can be missing for a moment).
   */
  async findByCorrelationKey(projectKey: string, correlationKey: string, options: CallOptions & { readonly deadline?: number } = {}): Promise<JiraIssue | undefined> {
    const query = jql`project = ${projectKey} AND labels = ${correlationLabel(correlationKey)} ORDER BY created ASC`;
    const within = options.deadline === undefined ? {} : { deadline: options.deadline };
    const page = await searchPage(this.ctx, query, { fields: ['summary', 'labels', 'status', 'created'], pageSize: 1, ...callFields(options), ...within });
    return page.issues[0];
  }

  /** Looks for an ambiguous create's issue, with the create's call options (its headers, timeout and retry overrides). */
  private async reconcile(projectKey: string, correlationKey: string, rc: ReconcileContext, options: WriteOptions): Promise<{ data: unknown } | undefined> {
    const { clock, consistency } = this.ctx;
    let wait = consistency.intervalMs;
    let failure: unknown;
    let polls = 0;
    const mayExist = (reason: string) =>
      new IssueMayExistError({ correlationKey, projectKey, label: correlationLabel(correlationKey), polls, reason, cause: failure });
    for (;;) {
      if (clock.now() >= rc.deadline) throw mayExist('the call deadline passed');
      polls++;
      try {
        const found = await this.findByCorrelationKey(projectKey, correlationKey, { ...callFields(options), deadline: rc.deadline, signal: rc.signal });
        if (found) return { data: { id: found.id, key: found.key, self: found.self } };
        failure = undefined;
      } catch (error) {
        if (isAbortedError(error)) throw error;
        failure = error;
      }
      if (polls >= consistency.polls) {
        if (failure) throw mayExist('the search failed');
        return undefined;
      }
      if (clock.now() + wait >= rc.deadline) throw mayExist(`the call deadline left no time to wait for search to catch up`);
      await clock.sleep(wait, rc.signal);
      wait *= 2;
    }
  }

  /** Reads an issue (`GET /issue/{idOrKey}`). Jira may answer with the issue's current key if it moved. */
  async get(issueIdOrKey: string, options: GetIssueOptions = {}): Promise<JiraIssue> {
    const spec: RequestSpec = {
      method: 'GET',
      path: `${this.ctx.api}${path`/issue/${issueIdOrKey}`}`,
      query: { fields: options.fields?.join(','), expand: options.expand?.join(',') },
      operation: 'jira.issue.get',
      ...callFields(options),
    };
    return fromWireIssue(decodeIssue(await this.ctx.send(spec), this.ctx.where(spec)));
  }

  /** Edits fields (`PUT /issue/{idOrKey}`, 204). Only the fields given are sent; checked like {@link create}. */
  async update(issueIdOrKey: string, input: UpdateIssueInput, options: WriteOptions & { notifyUsers?: boolean } = {}): Promise<void> {
    checkUpdate(input);
    await this.ctx.send({
      method: 'PUT',
      path: `${this.ctx.api}${path`/issue/${issueIdOrKey}`}`,
      query: { notifyUsers: options.notifyUsers },
      json: { fields: toUpdateFields(input, this.ctx.deployment) },
      responseType: 'none',
      operation: 'jira.issue.update',
      ...callFields(options),
    });
  }

  /**
   * Assigns the issue (`PUT /issue/{idOrKey}/assignee`, 204; needs the
   * *Assign issues* permission rather than *Edit issues*): to the one active
   * person an email address names (resolved with `users.resolve`, cached), to
   * a user id, or to nobody with `null`. The call options apply to the lookup and the write.
   *
   * @example
   * await jira.issues.assign('OPS-42', { email: 'ops@example.com' });
   */
  async assign(issueIdOrKey: string, to: AssignTo, options: WriteOptions = {}): Promise<void> {
    const id = to === null ? null : 'email' in to ? (await this.users.resolve(to.email, callFields(options))).id : to.id;
    if (id !== null && (typeof id !== 'string' || id.trim() === '')) {
      throw new ValidationError('Invalid assignee', [{ field: 'id', rule: 'required', message: 'must be an account id (Cloud) or a user name (Data Center), or pass { email } or null' }]);
    }
    await this.ctx.send({
      method: 'PUT',
      path: `${this.ctx.api}${path`/issue/${issueIdOrKey}/assignee`}`,
      json: this.ctx.deployment === 'cloud' ? { accountId: id } : { name: id },
      responseType: 'none',
      operation: 'jira.issue.assign',
      ...callFields(options),
    });
  }

  /** Deletes an issue (`DELETE /issue/{idOrKey}`, 204); `deleteSubtasks` is needed when it has sub-tasks. */
  async delete(issueIdOrKey: string, options: WriteOptions & { deleteSubtasks?: boolean } = {}): Promise<void> {
    await this.ctx.send({
      method: 'DELETE',
      path: `${this.ctx.api}${path`/issue/${issueIdOrKey}`}`,
      query: { deleteSubtasks: options.deleteSubtasks },
      responseType: 'none',
      operation: 'jira.issue.delete',
      ...callFields(options),
    });
  }

  /**
   * One page of the issues a JQL query matches; pass its `nextCursor` as
   * `cursor` for the next (see {@link iterate} for every issue). Build queries
   * with the `jql` template so values cannot break out.
   *
   * @example
   * const page = await jira.issues.search(jql`project = ${key} AND statusCategory != Done`, { pageSize: 20 });
   * const next = page.nextCursor === undefined ? undefined : await jira.issues.search(query, { pageSize: 20, cursor: page.nextCursor });
   */
  search(query: string, options: JiraSearchPageOptions = {}): Promise<SearchPage> {
    return searchPage(this.ctx, query, options);
  }

  /**
   * Every issue a JQL query matches (up to `limit`), as an async iterable
   * that fetches page by page.
   *
   * @example
   * const keys: string[] = [];
   * for await (const issue of jira.issues.iterate(jql`project = ${key} AND statusCategory != Done`)) keys.push(issue.key);
   */
  iterate(query: string, options: JiraSearchOptions = {}): AsyncGenerator<JiraIssue, void, undefined> {
    return searchIssues(this.ctx, query, options);
  }

  /** How many issues a query matches, without fetching them (approximate on Cloud). */
  count(query: string, options: CallOptions = {}): Promise<number> {
    return countIssues(this.ctx, query, options);
  }

  /** Transitions available from the issue's current status. */
  transitions(issueIdOrKey: string, options: CallOptions = {}): Promise<JiraTransition[]> {
    return listTransitions(this.ctx, issueIdOrKey, options);
  }

  /** Moves the issue along a transition by id, name or target status (see {@link TransitionInput}); throws a {@link TransitionNotAvailableError} listing the available ones when none matches. */
  transition(issueIdOrKey: string, input: TransitionInput): Promise<JiraTransition> {
    return transitionIssue(this.ctx, issueIdOrKey, input);
  }

  /** Adds a comment (plain text or ADF; see {@link AddCommentOptions}). */
  addComment(issueIdOrKey: string, body: JiraRichText, options: AddCommentOptions = {}): Promise<JiraComment> {
    return addComment(this.ctx, issueIdOrKey, body, options);
  }

  /** Every comment on the issue, oldest first. */
  comments(issueIdOrKey: string, options: CallOptions = {}): Promise<JiraComment[]> {
    return listComments(this.ctx, issueIdOrKey, options);
  }
}

function checkSummary(summary: unknown, issues: FieldIssue[]): void {
  if (typeof summary !== 'string' || summary.trim() === '') issues.push({ field: 'summary', rule: 'required', message: 'must not be empty' });
  else if (summary.length > MAX_SUMMARY) issues.push({ field: 'summary', rule: 'maxLength', message: `must be at most ${MAX_SUMMARY} characters (got ${summary.length})` });
}

function checkCommon(input: UpdateIssueInput, issues: FieldIssue[]): void {
  if (input.description !== undefined && input.description !== null && typeof input.description !== 'string') {
    issues.push(...validateAdf(input.description, 'description'));
  }
  input.labels?.forEach((label, i) => {
    if (typeof label !== 'string' || label === '' || /\s/.test(label) || label.length > 255) {
      issues.push({ field: `labels[${i}]`, rule: 'pattern', message: 'labels must be 1 to 255 characters without spaces' });
    }
  });
  if (typeof input.dueDate === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(input.dueDate)) {
    issues.push({ field: 'dueDate', rule: 'pattern', message: 'must be a date as YYYY-MM-DD' });
  }
  for (const key of Object.keys(input.customFields ?? {})) {
    if (!/^customfield_\d+$/.test(key)) issues.push({ field: `customFields.${key}`, rule: 'pattern', message: 'custom fields are passed by id, e.g. customfield_10010' });
  }
}

function checkCreate(input: CreateIssueInput): void {
  const issues: FieldIssue[] = [];
  if (typeof input.projectKey !== 'string' || input.projectKey.trim() === '') issues.push({ field: 'projectKey', rule: 'required', message: 'must not be empty' });
  if (typeof input.issueType !== 'string' || input.issueType.trim() === '') issues.push({ field: 'issueType', rule: 'required', message: 'must not be empty (a name such as Task, or an id)' });
  checkSummary(input.summary, issues);
  checkCommon(input, issues);
  if (input.correlationKey !== undefined && !CORRELATION_KEY.test(input.correlationKey)) {
    issues.push({ field: 'correlationKey', rule: 'pattern', message: 'must be 1 to 200 letters, digits, ".", "_" or "-" (it becomes a label)' });
  }
  if (issues.length) throw new ValidationError('Invalid Jira issue', issues);
}

function checkUpdate(input: UpdateIssueInput): void {
  const issues: FieldIssue[] = [];
  if (input.summary !== undefined) checkSummary(input.summary, issues);
  if (input.issueType !== undefined && input.issueType.trim() === '') issues.push({ field: 'issueType', rule: 'required', message: 'must not be empty' });
  checkCommon(input, issues);
  if (issues.length) throw new ValidationError('Invalid Jira issue update', issues);
}
