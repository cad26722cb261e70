import type { Emitter, TransportEvents } from '../core/index.js';
import type { Output } from './output.js';

/** One HTTP attempt as `--verbose` reports it (under `--json`, this object is the line). */
export interface AttemptTrace {
  readonly trace: 'http';
  readonly method: string;
  /** Redacted by the SDK: no credentials, no secret query values. */
  readonly url: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The response's status, when one came back. */
  readonly status?: number;
  /** Without a response: the error's name (`ConnectionError`), or `network` / `timeout` for a failure that is retried. */
  readonly error?: string;
  readonly durationMs: number;
  /** The delay before the next attempt, when one follows. */
  readonly retryInMs?: number;
  readonly requestId?: string;
}

/** An attempt sent and not yet reported. */
interface InFlight {
  readonly attempt: number;
  readonly startedAt: number;
  status?: number;
  durationMs?: number;
  requestId?: string | undefined;
}

/**
 * `--verbose`: one stderr line per HTTP attempt, from the client's events,
 * once its outcome is known: method, URL (redacted), status or error, duration,
 * attempt number, and the retry delay when another attempt follows. With
 * `json`, each line is an {@link AttemptTrace} object.
 *
 * A 2xx is reported when it arrives; any other answer is followed by a `retry`,
 * an `error` or (after a refreshed token) a new `request` event, which reports it.
 */
export function traceRequests(events: Emitter<TransportEvents>, out: Output, json: boolean, now: () => number = () => performance.now()): void {
  const inFlight = new Map<string, InFlight>();
  const report = (method: string, url: string, outcome: Pick<AttemptTrace, 'error' | 'retryInMs'> = {}) => {
    const key = `${method} ${url}`;
    const sent = inFlight.get(key);
    if (!sent) return;
    inFlight.delete(key);
    const line: AttemptTrace = {
      trace: 'http',
      method,
      url,
      attempt: sent.attempt,
      ...(sent.status === undefined ? { error: outcome.error ?? 'unknown' } : { status: sent.status }),
      durationMs: Math.round(sent.durationMs ?? now() - sent.startedAt),
      ...(outcome.retryInMs === undefined ? {} : { retryInMs: Math.round(outcome.retryInMs) }),
      ...(sent.requestId ? { requestId: sent.requestId } : {}),
    };
    out.stderr(`${json ? JSON.stringify(line) : humanLine(line)}\n`);
  };
  events.on('request', (e) => {
    // A 401 answered with a refreshed token is sent again under the same attempt number.
    report(e.method, e.url);
    inFlight.set(`${e.method} ${e.url}`, { attempt: e.attempt, startedAt: now() });
  });
  events.on('response', (e) => {
    const sent = inFlight.get(`${e.method} ${e.url}`);
    if (!sent) return;
    Object.assign(sent, { status: e.status, durationMs: e.durationMs, requestId: e.requestId });
    if (e.status >= 200 && e.status < 300) report(e.method, e.url);
  });
  events.on('retry', (e) => report(e.method, e.url, { error: e.reason, retryInMs: e.delayMs }));
  events.on('error', (e) => report(e.method, e.url, { error: e.error.name }));
}

/** `> GET https://acme.service-now.com/api/now/table/incident (attempt 1): 503 in 12 ms, retrying in 500 ms`. */
function humanLine(t: AttemptTrace): string {
  const outcome = t.status === undefined ? `${t.error} after ${t.durationMs} ms` : `${t.status} in ${t.durationMs} ms`;
  return `> ${t.method} ${t.url} (attempt ${t.attempt}): ${outcome}${t.requestId ? `, request id ${t.requestId}` : ''}${t.retryInMs === undefined ? '' : `, retrying in ${t.retryInMs} ms`}`;
}
