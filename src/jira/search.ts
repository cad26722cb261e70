import { callFields, type CallOptions, type FieldIssue, isHttpError, type RequestSpec, type RetryMetadata, type TransportResponse, ValidationError } from '../core/index.js';
import type { JiraContext } from './context.js';
import { decodeCount, decodeSearchPage } from './decoders.js';
import { withJiraContext } from './errors.js';
import { isBoundedJql } from './jql.js';
import { fromWireIssue } from './mapper.js';
import type { JiraIssue } from './types.js';

/** Options of one page of a search ({@link JiraIssues.search}), with the per-call ones ({@link CallOptions}). */
export interface JiraSearchPageOptions extends CallOptions {
  /**
   * Fields to return. Cloud's enhanced search returns ids only unless asked,
   * so the default asks for every navigable field. @default ['*navigable']
   */
  readonly fields?: readonly string[];
  /** Issues per page: 1 to 5000 on Cloud (Jira may return fewer), 1 to 1000 on Data Center. @default 50 */
  readonly pageSize?: number;
  /** Jira's `expand`, comma-separated (`renderedFields,names`). */
  readonly expand?: string;
  /** The page to read: a previous page's {@link SearchPage.nextCursor}. @default the first page */
  readonly cursor?: string;
  /** An absolute deadline (epoch ms) for each request of the search. */
  readonly deadline?: number;
}

/** Options of a search over every page ({@link JiraIssues.iterate}), with the per-call ones, which apply to each page's request. */
export interface JiraSearchOptions extends Omit<JiraSearchPageOptions, 'cursor'> {
  /** Stop after this many issues in total. */
  readonly limit?: number;
}

/** One page of results. There is no total on Cloud: the enhanced search does not report one. */
export interface SearchPage {
  readonly issues: readonly JiraIssue[];
  /**
   * Pass it as `cursor` to read the next page; `undefined` on the last page.
   * Opaque: Cloud's `nextPageToken`, Data Center's next `startAt`.
   */
  readonly nextCursor: string | undefined;
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
const START_AT = /^\d{1,9}$/;

/** Checks JQL and options before any request; throws a {@link ValidationError} listing every problem. */
export function checkSearch(ctx: JiraContext, jql: unknown, options: JiraSearchPageOptions & { readonly limit?: number } = {}): void {
  const issues: FieldIssue[] = [];
  if (typeof jql !== 'string') issues.push({ field: 'jql', rule: 'type', message: 'must be a string' });
  else if (ctx.deployment === 'cloud' && !isBoundedJql(jql)) {
    issues.push({ field: 'jql', rule: 'bounded', message: 'Jira Cloud refuses unbounded queries: add a search restriction such as project = KEY (ORDER BY alone is not one)' });
  }
  const max = ctx.deployment === 'cloud' ? 5000 : 1000;
  const { pageSize, limit, cursor } = options;
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= max)) {
    issues.push({ field: 'pageSize', rule: 'range', message: `must be an integer from 1 to ${max}` });
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) issues.push({ field: 'limit', rule: 'range', message: 'must be a non-negative integer' });
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === '' || (ctx.deployment === 'datacenter' && !START_AT.test(cursor)))) {
    issues.push({ field: 'cursor', rule: 'type', message: "must be a previous page's nextCursor" });
  }
  if (issues.length) throw new ValidationError('Invalid search', issues);
}

/**
 * One page of a JQL search. Cloud uses the enhanced search
 * (`POST /rest/api/3/search/jql`, `nextPageToken` until `isLast` or no token);
 * Data Center `GET /rest/api/2/search` with `startAt`. A query the server
 * rejects is an `HttpError` (400) whose `platformError` says why.
 */
export async function searchPage(ctx: JiraContext, jql: string, options: JiraSearchPageOptions = {}): Promise<SearchPage> {
  checkSearch(ctx, jql, options);
  return readPage(ctx, jql, options, options.pageSize ?? 50);
}

/** Every issue a JQL query matches, page by page (see {@link searchPage}), up to `limit`. */
export async function* searchIssues(ctx: JiraContext, jql: string, options: JiraSearchOptions = {}): AsyncGenerator<JiraIssue, void, undefined> {
  checkSearch(ctx, jql, options);
  const pageSize = options.pageSize ?? 50;
  let left = options.limit ?? Infinity;
  let cursor: string | undefined;
  while (left > 0) {
    const page = await readPage(ctx, jql, { ...options, ...(cursor === undefined ? {} : { cursor }) }, Math.min(pageSize, left));
    const issues = page.issues.slice(0, left);
    left -= issues.length;
    yield* issues;
    if (page.nextCursor === undefined) return;
    cursor = page.nextCursor;
  }
}

/** One page, its options checked; `maxResults` is the page size, or less near a `limit`. */
async function readPage(ctx: JiraContext, jql: string, options: JiraSearchPageOptions, maxResults: number): Promise<SearchPage> {
  const fields = [...(options.fields ?? ['*navigable'])];
  const { cursor } = options;
  const common = { operation: 'jira.search', ...callFields(options), ...(options.deadline === undefined ? {} : { deadline: options.deadline }) };
  if (ctx.deployment === 'cloud') {
    const res = await query<CloudPage>(ctx, {
      method: 'POST',
      path: `${ctx.api}/search/jql`,
      json: { jql, fields, maxResults, ...(cursor ? { nextPageToken: cursor } : {}), ...(options.expand ? { expand: options.expand } : {}) },
      idempotent: true,
      ...common,
    });
    const next = typeof res.data.nextPageToken === 'string' && res.data.nextPageToken !== '' ? res.data.nextPageToken : undefined;
    // The last page has isLast: true and no token; a repeated token would loop forever.
    const last = res.data.isLast === true || next === undefined || next === cursor;
    return { issues: res.issues.map(fromWireIssue), nextCursor: last ? undefined : next, total: undefined, retry: res.retry };
  }
  const startAt = cursor === undefined ? 0 : Number(cursor);
  const res = await query<DataCenterPage>(ctx, {
    method: 'GET',
    path: `${ctx.api}/search`,
    query: { jql, startAt, maxResults, fields: fields.join(','), expand: options.expand },
    ...common,
  });
  const raw = res.issues;
  const total = typeof res.data.total === 'number' ? res.data.total : undefined;
  const next = startAt + raw.length;
  const last = raw.length === 0 || (total !== undefined && next >= total);
  return { issues: raw.map(fromWireIssue), nextCursor: last ? undefined : String(next), total, retry: res.retry };
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
