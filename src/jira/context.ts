import type { AnswerSource, Clock, KeyedCreates, RequestSpec, TransportResponse } from '../core/index.js';
import type { JiraDeployment } from './types.js';

/** How far the no-duplicate lookup waits for Jira's eventually consistent search. */
export interface ConsistencyOptions {
  /** Searches made before concluding that an ambiguous create did not land. @default 4 */
  readonly polls?: number;
  /** The wait before the second search; it doubles after each one. @default 500 */
  readonly intervalMs?: number;
}

/** What the Jira modules share: one transport, the API flavour and the clock. Internal. */
export interface JiraContext {
  readonly deployment: JiraDeployment;
  /** `/rest/api/3` on Cloud, `/rest/api/2` on Data Center. */
  readonly api: string;
  readonly clock: Clock;
  readonly consistency: Required<ConsistencyOptions>;
  /** Creates with a correlation key, made once per key. */
  readonly keyed: KeyedCreates;
  /** The site's host, which scopes idempotency keys. */
  readonly host: string;
  /** Sends through the transport and adds Jira context to errors. */
  send<T = unknown>(spec: RequestSpec): Promise<TransportResponse<T>>;
  /** Where a request's answer came from (redacted URL), for a decoder's error. */
  where(spec: RequestSpec): () => AnswerSource;
}
