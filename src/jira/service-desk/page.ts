import { callFields, type CallOptions, type FieldIssue, type QueryValue, type RequestSpec, type TransportResponse, ValidationError, wrongAnswer } from '../../core/index.js';
import type { JiraContext } from '../context.js';
import type { Fail } from './mapper.js';
import type { JsmPage } from './types.js';

/** The REST root of Jira Service Management, the same on Cloud and Data Center. */
export const JSM_API = '/rest/servicedeskapi';

/** Options of a page of a JSM list, with the per-call ones ({@link CallOptions}). */
export interface JsmPageOptions extends CallOptions {
  /** The index of the first value (JSM's `start`). @default 0 */
  readonly start?: number;
  /** Values per page (JSM's `limit`; the server may apply a lower maximum). @default 50 */
  readonly limit?: number;
}

/** What one JSM call needs besides the context. */
export interface JsmCall {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly operation: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly json?: unknown;
  /**
   * Sends `X-ExperimentalApi`: for endpoints older Service Desk releases
   * marked experimental (they refuse them without it; stable servers ignore it).
   */
  readonly experimental?: boolean;
  readonly idempotent?: boolean;
  readonly notRetriedHint?: string;
  /** `none` for an answer without a body (204). */
  readonly responseType?: 'none';
}

/**
 * `X-ExperimentalApi`: Cloud documents `opt-in`, Data Center (the "Special
 * headers" page) `true`. Of the endpoints this SDK calls, the Cloud OpenAPI
 * document marks none experimental (it does mark others: customers, knowledge
 * base, CSAT feedback, comment attachments, request type create/delete and
 * properties); Data Center marks approvals. The header is harmless where the
 * method is stable, so it is sent on SLAs, approvals and customer transitions.
 */
function experimentalHeader(ctx: JiraContext): Record<string, string> {
  return { 'X-ExperimentalApi': ctx.deployment === 'cloud' ? 'opt-in' : 'true' };
}

/** The request spec of a JSM call: the call's own headers over the experimental one. */
export function jsmSpec(ctx: JiraContext, call: JsmCall, options: CallOptions = {}): RequestSpec {
  const fields = callFields(options);
  const headers = call.experimental ? { ...experimentalHeader(ctx), ...fields.headers } : fields.headers;
  return {
    method: call.method,
    path: `${JSM_API}${call.path}`,
    operation: call.operation,
    ...(call.query ? { query: call.query } : {}),
    ...(call.json === undefined ? {} : { json: call.json }),
    ...(call.idempotent === undefined ? {} : { idempotent: call.idempotent }),
    ...(call.notRetriedHint ? { notRetriedHint: call.notRetriedHint } : {}),
    ...(call.responseType ? { responseType: call.responseType } : {}),
    ...fields,
    ...(headers ? { headers } : {}),
  };
}

/** Sends one JSM call; `fail` reports an answer of the wrong shape as an `UnexpectedResponseError`. */
export async function sendJsm(ctx: JiraContext, call: JsmCall, options: CallOptions = {}): Promise<{ res: TransportResponse; fail: Fail }> {
  const spec = jsmSpec(ctx, call, options);
  const res = await ctx.send(spec);
  const where = ctx.where(spec);
  return {
    res,
    fail: (problem) => {
      throw wrongAnswer(res, where(), problem);
    },
  };
}

/** Checks `start` and `limit`; throws a {@link ValidationError} naming each bad one. */
export function checkPageOptions(options: JsmPageOptions): void {
  const issues: FieldIssue[] = [];
  if (options.start !== undefined && !(Number.isInteger(options.start) && options.start >= 0)) issues.push({ field: 'start', rule: 'range', message: 'must be a whole number, 0 or more' });
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 1)) issues.push({ field: 'limit', rule: 'range', message: 'must be a whole number, 1 or more' });
  if (issues.length) throw new ValidationError('Invalid page options', issues);
}

/** One page of a JSM list (`{size, start, limit, isLastPage, values}`), each value mapped. */
export async function listPage<T>(ctx: JiraContext, call: JsmCall, map: (raw: unknown, fail: Fail) => T, options: JsmPageOptions = {}): Promise<JsmPage<T>> {
  checkPageOptions(options);
  const start = options.start ?? 0;
  const limit = options.limit ?? 50;
  const { res, fail } = await sendJsm(ctx, { ...call, query: { ...call.query, start, limit } }, options);
  const body = res.data;
  if (typeof body !== 'object' || body === null || !Array.isArray((body as Record<string, unknown>)['values'])) {
    fail('has no "values" array (not a Jira Service Management page: check baseUrl, or a proxy in between)');
  }
  const page = body as Record<string, unknown>;
  const values = (page['values'] as unknown[]).map((raw, i) => {
    if (typeof raw !== 'object' || raw === null) fail(`has a "values" entry (index ${i}) that is not an object`);
    return map(raw, fail);
  });
  const at = typeof page['start'] === 'number' ? page['start'] : start;
  // A page that says neither way ends the list when it came back empty.
  const isLastPage = typeof page['isLastPage'] === 'boolean' ? page['isLastPage'] : values.length === 0;
  return {
    values,
    start: at,
    limit: typeof page['limit'] === 'number' ? page['limit'] : limit,
    isLastPage,
    nextStart: isLastPage || values.length === 0 ? undefined : at + values.length,
    retry: res.retry,
  };
}

/** Every value of a JSM list, page after page until `isLastPage`. */
export async function* iteratePages<T>(ctx: JiraContext, call: JsmCall, map: (raw: unknown, fail: Fail) => T, options: JsmPageOptions = {}): AsyncGenerator<T, void, undefined> {
  let start: number | undefined = options.start ?? 0;
  while (start !== undefined) {
    const page: JsmPage<T> = await listPage(ctx, call, map, { ...options, start });
    yield* page.values;
    start = page.nextStart;
  }
}
