import { callFields, type CallOptions, type FieldIssue, isHttpError, type RequestSpec, type RetryMetadata, type TransportResponse, ValidationError } from '../core/index.js';
import type { JiraContext } from './context.js';
import { decodeCount, decodeSearchPage } from './decoders.js';
import { withJiraContext } from './errors.js';
import { isBoundedJql } from './jql.js';
import { fromWireIssue } from './mapper.js';
import type { JiraIssue } from './types.js';

/** Options of a search, with the per-call ones ({@link CallOptions}), which apply to each page's request. */
export interface JiraSearchOptions extends CallOptions {
  /**
   * Fields to return. Cloud's enhanced search returns ids only unless asked,
   * so the default asks for every navigable field. @default ['*navigable']
   */
  readonly fields?: readonly string[];
  /** Issues per page: 1 to 5000 on Cloud (Jira may return fewer), 1 to 1000 on Data Center. @default 50 */
  readonly pageSize?: number;
  /** Jira's `expand`, comma-separated (`renderedFields,names`). */
  readonly expand?: string;
  /** Stop after this many issues in total. */
  readonly limit?: number;
  /** An absolute deadline (epoch ms) for each request of the search. */
  readonly deadline?: number;
}

/** One page of results. There is no total on Cloud: the enhanced search does not report one. */
export interface SearchPage {
  readonly issues: readonly JiraIssue[];
  /** Whether this is the last page. */
  readonly isLast: boolean;
  /** Data Center only: the total Jira reported. */
  readonly total: number | undefined;
  /** Attempts and time of this page's request. */
  readonly retry: RetryMetadata;
}

interface CloudPage {
  nextPageToken?: unknown;
  isLast?: unknown;
}

interface DataCenterPage {
  total?: unknown;
}

const JQL_HINT = 'Jira rejected the JQL query; the field issues and message say where';

/** Checks JQL and options before any request; throws a {@link ValidationError} listing every problem. */
export function checkSearch(ctx: JiraContext, jql: unknown, options: JiraSearchOptions = {}): void {
  const issues: FieldIssue[] = [];
  if (typeof jql !== 'string') issues.push({ field: 'jql', rule: 'type', message: 'must be a string' });
  else if (ctx.deployment === 'cloud' && !isBoundedJql(jql)) {
    issues.push({ field: 'jql', rule: 'bounded', message: 'Jira Cloud refuses unbounded queries: add a search restriction such as project = KEY (ORDER BY alone is not one)' });
  }
  const max = ctx.deployment === 'cloud' ? 5000 : 1000;
  const { pageSize, limit } = options;
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= max)) {
    issues.push({ field: 'pageSize', rule: 'range', message: `must be an integer from 1 to ${max}` });
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) issues.push({ field: 'limit', rule: 'range', message: 'must be a non-negative integer' });
  if (issues.length) throw new ValidationError('Invalid search', issues);
}

/**
 * Pages through a JQL search. Cloud uses the enhanced search
 * (`POST /rest/api/3/search/jql`, `nextPageToken` until `isLast` or no token);
 * Data Center `GET /rest/api/2/search` with `startAt`. A query the server
 * rejects is an `HttpError` (400) whose `platformError` says why.
 */
export async function* searchPages(ctx: JiraContext, jql: string, options: JiraSearchOptions = {}): AsyncGenerator<SearchPage> {
  checkSearch(ctx, jql, options);
  const fields = [...(options.fields ?? ['*navigable'])];
  const pageSize = options.pageSize ?? 50;
  let left = options.limit ?? Infinity;
  if (left === 0) return;
  if (ctx.deployment === 'cloud') {
    let token: string | undefined;
    for (;;) {
      const res = await query<CloudPage>(ctx, {
        method: 'POST',
        path: `${ctx.api}/search/jql`,
        json: { jql, fields, maxResults: Math.min(pageSize, left), ...(token ? { nextPageToken: token } : {}), ...(options.expand ? { expand: options.expand } : {}) },
        idempotent: true,
        operation: 'jira.search',
        ...callFields(options),
        ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
      });
      const data = res.data;
      const issues = res.issues.slice(0, left).map(fromWireIssue);
      left -= issues.length;
      const next = typeof data.nextPageToken === 'string' ? data.nextPageToken : undefined;
      // The last page has isLast: true and no token; a repeated token would loop forever.
      const isLast = data.isLast === true || !next || next === token || left <= 0;
      yield { issues, isLast, total: undefined, retry: res.retry };
      if (isLast) return;
      token = next;
    }
  }
  let startAt = 0;
  for (;;) {
    const res = await query<DataCenterPage>(ctx, {
      method: 'GET',
      path: `${ctx.api}/search`,
      query: { jql, startAt, maxResults: Math.min(pageSize, left), fields: fields.join(','), expand: options.expand },
      operation: 'jira.search',
      ...callFields(options),
      ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
    });
    const data = res.data;
    const raw = res.issues;
    const issues = raw.slice(0, left).map(fromWireIssue);
    left -= issues.length;
    startAt += raw.length;
    const total = typeof data.total === 'number' ? data.total : undefined;
    const isLast = raw.length === 0 || (total !== undefined && startAt >= total) || left <= 0;
    yield { issues, isLast, total, retry: res.retry };
    if (isLast) return;
  }
}

/** Every issue a JQL query matches, page by page (see {@link searchPages}). */
export async function* searchIssues(ctx: JiraContext, jql: string, options: JiraSearchOptions = {}): AsyncGenerator<JiraIssue> {
  for await (const page of searchPages(ctx, jql, options)) yield* page.issues;
}

/**
 * How many issues a query matches, without fetching them: Cloud's
 * approximate count (`POST /rest/api/3/search/approximate-count`, recent
 * changes may be missing), Data Center's `total`.
 */
export async function countIssues(ctx: JiraContext, jql: string, options: CallOptions = {}): Promise<number> {
  checkSearch(ctx, jql);
  if (ctx.deployment === 'cloud') {
    return count(ctx, 'count', {
      method: 'POST',
      path: `${ctx.api}/search/approximate-count`,
      json: { jql },
      idempotent: true,
      operation: 'jira.count',
      ...callFields(options),
    });
  }
  return count(ctx, 'total', {
    method: 'GET',
    path: `${ctx.api}/search`,
    query: { jql, maxResults: 0 },
    operation: 'jira.count',
    ...callFields(options),
  });
}

async function count(ctx: JiraContext, key: 'count' | 'total', spec: RequestSpec): Promise<number> {
  return decodeCount(await send(ctx, spec), ctx.where(spec), key);
}

/** A search page: the answer, its decoded issues and the call's retry metadata. */
async function query<T>(ctx: JiraContext, spec: RequestSpec): Promise<{ data: T; issues: Record<string, unknown>[]; retry: RetryMetadata }> {
  const res = await send<T>(ctx, spec);
  return { data: res.data, issues: decodeSearchPage(res, ctx.where(spec)), retry: res.retry };
}

async function send<T>(ctx: JiraContext, spec: RequestSpec): Promise<TransportResponse<T>> {
  try {
    return await ctx.send<T>(spec);
  } catch (error) {
    if (isHttpError(error) && error.status === 400) throw withJiraContext(error, { hint: JQL_HINT });
    throw error;
  }
}
