import { createHttpError } from '../core/errors.js';
import type { TransportResponse } from '../core/transport.js';
import type { RawRecord } from './mapper.js';

/** Where a response came from, for the error when its envelope is wrong. */
export interface EnvelopeContext {
  readonly method: string;
  /** The redacted request URL. */
  readonly url: string;
}

/**
 * The `result` of a Table API success body. A body without it (an empty 200,
 * a proxy's JSON, a different API) is an {@link UnexpectedResponseError}, not
 * a crash further down. `where` is called only then.
 */
export function unwrapResult(res: TransportResponse, where: () => EnvelopeContext, shape: 'object'): RawRecord;
export function unwrapResult(res: TransportResponse, where: () => EnvelopeContext, shape: 'array'): RawRecord[];
export function unwrapResult(res: TransportResponse, where: () => EnvelopeContext, shape: 'object' | 'array'): RawRecord | RawRecord[] {
  const result = res.data !== null && typeof res.data === 'object' ? (res.data as { result?: unknown }).result : undefined;
  const ok = shape === 'array' ? Array.isArray(result) && result.every(isRecord) : isRecord(result);
  if (ok) return result as RawRecord | RawRecord[];
  const ctx = where();
  throw createHttpError({
    platform: 'servicenow',
    method: ctx.method,
    url: ctx.url,
    status: res.status,
    requestId: res.requestId,
    body: res.data,
    retry: res.retry,
    hint: `The instance answered without a "result" ${shape === 'array' ? 'array of records' : 'object'}; this is not a Table API response (check instanceUrl, or a proxy in between)`,
  });
}

function isRecord(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
