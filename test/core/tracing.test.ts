import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../src/core/auth.js';
import { isNotFoundError, type ItsmError } from '../../src/core/errors.js';
import type { TracedAttemptOutcome, TracedCall, TracedCallOutcome, TransportTracer } from '../../src/core/tracing.js';
import { Transport, type TransportOptions } from '../../src/core/transport.js';
import { ConnectionsClient } from '../../src/connections/client.js';
import { JiraClient } from '../../src/jira/client.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { FakeJira } from '../../src/testing/fake-jira/fake-jira.js';
import { FakeServiceNow } from '../../src/testing/fake-servicenow/fake-servicenow.js';
import { createDataSourcesSandbox, dropped, handlerFetch, json, type Handler } from '../../src/testing/index.js';
import { unexpected } from '../helpers/expect-failure.js';
import { FakeClock } from '../helpers/fake-clock.js';

interface RecordedCall {
  readonly call: TracedCall;
  readonly attempts: { attempt: number; outcome?: TracedAttemptOutcome }[];
  outcome?: TracedCallOutcome;
  /** What happened, in order: `call`, `attempt 1`, `end attempt 1`, ..., `end call`. */
  readonly steps: string[];
}

/** A tracer that records every call, attempt and outcome, and tags each attempt with an `x-trace` header. */
function recordingTracer(): TransportTracer & { readonly calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  return {
    calls,
    startCall(call) {
      const recorded: RecordedCall = { call, attempts: [], steps: ['call'] };
      calls.push(recorded);
      return {
        startAttempt({ attempt }) {
          const entry: RecordedCall['attempts'][number] = { attempt };
          recorded.attempts.push(entry);
          recorded.steps.push(`attempt ${attempt}`);
          return {
            headers: { 'x-trace': `${calls.length}-${attempt}` },
            end(outcome) {
              entry.outcome = outcome;
              recorded.steps.push(`end attempt ${attempt}`);
            },
          };
        },
        end(outcome) {
          recorded.outcome = outcome;
          recorded.steps.push('end call');
        },
      };
    },
  };
}

function transport(handler: Handler, options: Partial<TransportOptions> = {}) {
  const sent: Request[] = [];
  const tracer = recordingTracer();
  const t = new Transport({
    baseUrl: 'https://acme.service-now.com',
    platform: 'servicenow',
    fetch: handlerFetch(async (req) => {
      sent.push(req.clone());
      return handler(req);
    }),
    clock: new FakeClock(),
    retry: { jitter: 'none', minDelayMs: 10 },
    tracer,
    ...options,
  });
  return { t, sent, tracer };
}

describe('Transport tracer', () => {
  it('reports one call with one attempt, and sends the attempt\'s headers', async () => {
    const { t, sent, tracer } = transport(async () => json({ result: {} }, 201));
    await t.request({ method: 'POST', path: '/api/now/table/incident', json: {}, operation: 'incident.create' });
    expect(tracer.calls).toHaveLength(1);
    const [call] = tracer.calls;
    expect(call?.call).toEqual({ platform: 'servicenow', operation: 'incident.create', method: 'POST', url: 'https://acme.service-now.com/api/now/table/incident' });
    expect(call?.steps).toEqual(['call', 'attempt 1', 'end attempt 1', 'end call']);
    expect(call?.attempts[0]?.outcome).toEqual({ status: 201 });
    expect(call?.outcome).toEqual({ status: 201, retry: { attempts: 1, elapsedMs: 0, delaysMs: [] }, reconciled: false });
    expect(sent[0]?.headers.get('x-trace')).toBe('1-1');
  });

  it('reports every attempt of a retried call, each sent with its own headers', async () => {
    let n = 0;
    const { t, sent, tracer } = transport(async () => (++n < 3 ? json({}, 503) : json({ ok: true })));
    await t.request({ method: 'GET', path: '/x' });
    const [call] = tracer.calls;
    expect(call?.steps).toEqual(['call', 'attempt 1', 'end attempt 1', 'attempt 2', 'end attempt 2', 'attempt 3', 'end attempt 3', 'end call']);
    expect(call?.attempts.map((a) => a.outcome)).toEqual([{ status: 503, errorType: '503' }, { status: 503, errorType: '503' }, { status: 200 }]);
    expect(call?.outcome).toMatchObject({ status: 200, retry: { attempts: 3, delaysMs: [10, 20] } });
    expect(call?.outcome?.errorType).toBeUndefined();
    expect(sent.map((r) => r.headers.get('x-trace'))).toEqual(['1-1', '1-2', '1-3']);
  });

  it('ends a failed call with its error, status and error type', async () => {
    const { t, tracer } = transport(async () => json({}, 404));
    const error = await t.request({ method: 'GET', path: '/x' }).then(unexpected, (e: unknown) => e as ItsmError);
    expect(isNotFoundError(error)).toBe(true);
    expect(tracer.calls[0]?.attempts[0]?.outcome).toEqual({ status: 404, errorType: '404' });
    expect(tracer.calls[0]?.outcome).toMatchObject({ status: 404, errorType: '404', error, retry: { attempts: 1 }, reconciled: false });
  });

  it('names network failures and timeouts by the error they end the call with', async () => {
    const reset = transport(async () => dropped('ECONNRESET'), { retry: { retries: 1, jitter: 'none', minDelayMs: 1 } });
    const error = await reset.t.request({ method: 'GET', path: '/x' }).then(unexpected, (e: unknown) => e as ItsmError);
    expect(error.name).toBe('NetworkError');
    expect(reset.tracer.calls[0]?.attempts.map((a) => a.outcome)).toEqual([
      { status: undefined, errorType: 'NetworkError' },
      { status: undefined, errorType: 'NetworkError' },
    ]);
    expect(reset.tracer.calls[0]?.outcome).toMatchObject({ status: undefined, errorType: 'NetworkError', error, retry: { attempts: 2 } });

    const hang: Handler = (req) => new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason)));
    const slow = transport(hang, { retry: { retries: 0, attemptTimeoutMs: 20 } });
    await slow.t.request({ method: 'GET', path: '/x' }).catch(() => {});
    expect(slow.tracer.calls[0]?.attempts[0]?.outcome).toEqual({ status: undefined, errorType: 'TimeoutError' });
    expect(slow.tracer.calls[0]?.outcome?.errorType).toBe('TimeoutError');
  });

  it('ends a write found by reconciliation as reconciled', async () => {
    const { t, tracer } = transport(async () => dropped('ECONNRESET'));
    await t.request({ method: 'POST', path: '/x', json: {}, reconcile: async () => ({ data: { result: {} } }) });
    const [call] = tracer.calls;
    // The lookup found the write before a second send: one attempt span, two attempts counted.
    expect(call?.attempts.map((a) => a.outcome)).toEqual([{ status: undefined, errorType: 'NetworkError' }]);
    expect(call?.outcome).toMatchObject({ status: 200, reconciled: true, retry: { attempts: 2 } });
  });

  it('gives the tracer the redacted URL', async () => {
    const { t, tracer } = transport(async () => json({}));
    await t.request({ method: 'GET', path: '/x', query: { api_token: 'canary-Zq81-secret', q: 'a' } });
    expect(tracer.calls[0]?.call.url).toBe('https://acme.service-now.com/x?api_token=%5BREDACTED%5D&q=a');
  });

  it('lets the credentials win over a tracer header of the same name', async () => {
    const sent: Request[] = [];
    const t = new Transport({
      baseUrl: 'https://acme.service-now.com',
      platform: 'servicenow',
      auth: basicAuth('admin', 'pw'),
      fetch: handlerFetch(async (req) => (sent.push(req), json({}))),
      tracer: { startCall: () => ({ startAttempt: () => ({ headers: { authorization: 'nope', traceparent: 'tp' }, end: () => {} }), end: () => {} }) },
    });
    await t.request({ method: 'GET', path: '/x' });
    expect(sent[0]?.headers.get('authorization')).toBe(`Basic ${btoa('admin:pw')}`);
    expect(sent[0]?.headers.get('traceparent')).toBe('tp');
  });

  it('sends the usual headers and nothing more without a tracer', async () => {
    const { t, sent } = transport(async () => json({}), { tracer: undefined });
    await t.request({ method: 'GET', path: '/x' });
    expect([...sent[0]!.headers.keys()].sort()).toEqual(['accept', 'user-agent']);
  });
});

describe('the tracer client option', () => {
  it('reaches the transport of ServiceNowClient, JiraClient and ConnectionsClient', async () => {
    const tracer = recordingTracer();
    const sn = new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username: 'admin', password: 'sandbox-password' }, fetch: new FakeServiceNow().fetch, tracer });
    await sn.incidents.create({ shortDescription: 'Disk full' });
    const jira = new JiraClient({ baseUrl: 'https://acme.atlassian.net', auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' }, fetch: new FakeJira().fetch, tracer });
    await jira.testConnection();
    const sandbox = createDataSourcesSandbox();
    const connections = new ConnectionsClient({ baseUrl: 'https://platform.example.com', token: 'demo-member-token', fetch: handlerFetch(sandbox.handler), tracer });
    await connections.list();
    expect(tracer.calls.map((c) => `${c.call.platform} ${c.call.operation}`)).toEqual(['servicenow incident.create', 'jira jira.myself', 'datasources datasources.list']);
    expect(tracer.calls.every((c) => c.outcome?.status === 200 || c.outcome?.status === 201)).toBe(true);
  });
});
