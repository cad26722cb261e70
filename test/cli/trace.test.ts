import { describe, expect, it } from 'vitest';
import { AbortedError } from '../../src/core/errors.js';
import { createEmitter, type TransportEvents } from '../../src/core/events.js';
import { Output } from '../../src/cli/output.js';
import { traceRequests } from '../../src/cli/trace.js';

const A = { platform: 'servicenow' as const, method: 'GET', url: 'https://acme.service-now.com/api/now/table/incident', operation: undefined };
const B = { ...A, url: 'https://acme.service-now.com/api/now/table/sys_user' };
const RETRY = { attempts: 2, elapsedMs: 1230, delaysMs: [200] };

/** A traced emitter, a clock the test moves, and the lines printed. */
function traced(json = false) {
  let stderr = '';
  let time = 0;
  const events = createEmitter<TransportEvents>();
  traceRequests(events, new Output({ write: () => undefined }, { write: (s: string) => (stderr += s) }), json, () => time);
  return { events, lines: () => stderr.split('\n').filter(Boolean), at: (ms: number) => (time = ms) };
}

describe('traceRequests', () => {
  it('a token refreshed after a 401 is two lines under the same attempt number', () => {
    const t = traced();
    t.events.emit('request', { ...A, attempt: 1 });
    t.events.emit('response', { ...A, attempt: 1, status: 401, durationMs: 5, requestId: undefined });
    t.events.emit('request', { ...A, attempt: 1 });
    t.events.emit('response', { ...A, attempt: 1, status: 200, durationMs: 9.4, requestId: 'r1' });
    expect(t.lines()).toEqual([`> GET ${A.url} (attempt 1): 401 in 5 ms`, `> GET ${A.url} (attempt 1): 200 in 9 ms, request id r1`]);
  });

  it('a failure without a response: the retry reason, then the final error name, with durations from the clock', () => {
    const t = traced();
    t.events.emit('request', { ...A, attempt: 1 });
    t.at(30);
    t.events.emit('retry', { ...A, attempt: 1, delayMs: 200, reason: 'network', status: undefined, rateLimit: undefined });
    t.at(230);
    t.events.emit('request', { ...A, attempt: 2 });
    t.at(1230);
    t.events.emit('error', { ...A, error: new AbortedError('aborted by the caller'), retry: RETRY });
    expect(t.lines()).toEqual([`> GET ${A.url} (attempt 1): network after 30 ms, retrying in 200 ms`, `> GET ${A.url} (attempt 2): AbortedError after 1000 ms`]);
  });

  it('calls in flight together are each reported with their own outcome; an error with nothing in flight prints nothing', () => {
    const t = traced(true);
    t.events.emit('request', { ...A, attempt: 1 });
    t.events.emit('request', { ...B, attempt: 1 });
    t.events.emit('response', { ...B, attempt: 1, status: 503, durationMs: 3, requestId: undefined });
    t.events.emit('response', { ...A, attempt: 1, status: 200, durationMs: 4, requestId: undefined });
    t.events.emit('retry', { ...B, attempt: 1, delayMs: 100.2, reason: 'status 503', status: 503, rateLimit: undefined });
    t.events.emit('error', { ...B, error: new AbortedError('aborted by the caller'), retry: RETRY });
    expect(t.lines().map((l) => JSON.parse(l))).toEqual([
      { trace: 'http', method: 'GET', url: A.url, attempt: 1, status: 200, durationMs: 4 },
      { trace: 'http', method: 'GET', url: B.url, attempt: 1, status: 503, durationMs: 3, retryInMs: 100 },
    ]);
  });
});
