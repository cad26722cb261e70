import { createHttpError, type Platform, type UnexpectedResponseError } from './errors.js';
import type { TransportResponse } from './transport.js';

/** Where a success answer came from, for the error when its shape is wrong. */
export interface AnswerSource {
  readonly platform: Platform;
  readonly method: string;
  /** The redacted request URL. */
  readonly url: string;
}

/**
 * The one error for a 2xx answer that is not what the operation returns (a
 * record without its id, an empty body, another API's JSON): an
 * {@link UnexpectedResponseError} whose message says what was wrong (`problem`,
 * e.g. `has no "key"`) and never quotes the body, which stays on `error.body`.
 */
export function wrongAnswer(res: Pick<TransportResponse, 'status' | 'requestId' | 'retry' | 'data'>, where: AnswerSource, problem: string): UnexpectedResponseError {
  return createHttpError({
    platform: where.platform,
    method: where.method,
    url: where.url,
    status: res.status,
    requestId: res.requestId,
    body: res.data,
    retry: res.retry,
    hint: `The answer ${problem}`,
  }) as UnexpectedResponseError;
}
