import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, StackContextManager, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { otelTracer } from '../../../src/adapters/otel/index.js';
import { type FetchLike, isNotFoundError, ServiceNowClient } from '../../../src/index.js';
import { FakeServiceNow } from '../../../src/testing/index.js';
import { unexpected } from '../../helpers/expect-failure.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const PASSWORD = 'sandbox-password';
const SECRET = 'canary-Zq81-secret';

/** A ServiceNow client on the fake, traced into an in-memory exporter; `received` holds the headers of every request the fake got. */
function setup() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const fake = new FakeServiceNow();
  const received: Headers[] = [];
  const fetch: FetchLike = (input, init) => {
    received.push(new Headers(input instanceof Request ? input.headers : init?.headers));
    return fake.fetch(input, init);
  };
  const sn = new ServiceNowClient({
    instanceUrl: 'https://acme.service-now.com',
    auth: { type: 'basic', username: 'admin', password: PASSWORD },
    fetch,
    clock: new FakeClock(),
    retry: { jitter: 'none', minDelayMs: 10 },
    tracer: otelTracer({ tracerProvider: provider, propagator: new W3CTraceContextPropagator() }),
  });
  // The span processor exports asynchronously: flushed before reading.
  const spans = async () => (await provider.forceFlush(), exporter.getFinishedSpans());
  return { sn, fake, received, spans };
}

function byName(spans: ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((s) => s.name === name);
}

describe('otelTracer', () => {
  afterEach(() => context.disable());

  it('makes a CLIENT span per call with a child CLIENT span per attempt, with the HTTP and itsmkit attributes', async () => {
    const { sn, spans } = setup();
    await sn.incidents.create({ shortDescription: 'Disk full' });
    const [call, ...rest] = byName(await spans(), 'servicenow incident.create');
    const attempts = byName(await spans(), 'POST');
    expect(rest).toHaveLength(0);
    expect(attempts).toHaveLength(1);
    const attempt = attempts[0]!;
    expect(call?.kind).toBe(SpanKind.CLIENT);
    expect(attempt.kind).toBe(SpanKind.CLIENT);
    expect(attempt.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
    expect(attempt.spanContext().traceId).toBe(call?.spanContext().traceId);
    const shared = {
      'http.request.method': 'POST',
      'url.full': expect.stringMatching(/^https:\/\/acme\.service-now\.com\/api\/now\/table\/incident/),
      'server.address': 'acme.service-now.com',
      'server.port': 443,
      'itsmkit.platform': 'servicenow',
      'itsmkit.operation': 'incident.create',
    };
    expect(call?.attributes).toEqual({ ...shared, 'http.response.status_code': 201 });
    expect(attempt.attributes).toEqual({ ...shared, 'http.response.status_code': 201 });
    expect(call?.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempt.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('sends each attempt\'s context to the server as traceparent', async () => {
    const { sn, received, spans } = setup();
    await sn.incidents.create({ shortDescription: 'Disk full' });
    const attempt = byName(await spans(), 'POST')[0]!;
    const { traceId, spanId } = attempt.spanContext();
    expect(received.map((h) => h.get('traceparent'))).toEqual([`00-${traceId}-${spanId}-01`]);
  });

  it('makes one attempt span per retry, each sent with its own traceparent', async () => {
    const { sn, fake, received, spans } = setup();
    const { sysId } = await sn.incidents.create({ shortDescription: 'Disk full' });
    fake.faults.add({ fault: { kind: 'status', status: 503 }, match: { method: 'GET' }, times: 2 });
    await sn.incidents.get(sysId);
    const [call] = byName(await spans(), 'servicenow incident.get');
    const attempts = byName(await spans(), 'GET');
    expect(attempts.map((s) => s.parentSpanContext?.spanId)).toEqual(Array(3).fill(call?.spanContext().spanId));
    expect(attempts.map((s) => s.attributes['http.request.resend_count'])).toEqual([undefined, 1, 2]);
    expect(attempts.map((s) => s.attributes['http.response.status_code'])).toEqual([503, 503, 200]);
    expect(attempts.map((s) => s.attributes['error.type'])).toEqual(['503', '503', undefined]);
    expect(attempts.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(call?.attributes).toMatchObject({ 'http.request.resend_count': 2, 'http.response.status_code': 200 });
    expect(call?.status.code).toBe(SpanStatusCode.UNSET);
    const gets = received.slice(1).map((h) => h.get('traceparent'));
    expect(gets).toEqual(attempts.map((s) => `00-${s.spanContext().traceId}-${s.spanContext().spanId}-01`));
    expect(new Set(gets).size).toBe(3);
  });

  it('marks a failed call and its attempt ERROR with error.type, and records the exception', async () => {
    const { sn, spans } = setup();
    const error = await sn.incidents.get('0123456789abcdef0123456789abcdef').then(unexpected, (e: unknown) => e as Error);
    expect(isNotFoundError(error)).toBe(true);
    const [call] = byName(await spans(), 'servicenow incident.get');
    const [attempt] = byName(await spans(), 'GET');
    expect(call?.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(call?.attributes).toMatchObject({ 'error.type': '404', 'http.response.status_code': 404 });
    expect(call?.events.map((e) => [e.name, e.attributes?.['exception.type']])).toEqual([['exception', 'NotFoundError']]);
    expect(attempt?.status.code).toBe(SpanStatusCode.ERROR);
    expect(attempt?.attributes).toMatchObject({ 'error.type': '404', 'http.response.status_code': 404 });
  });

  it('names a failure without an answer by its error class', async () => {
    const { sn, fake, spans } = setup();
    fake.faults.add({ fault: { kind: 'drop', when: 'before' }, match: { method: 'GET' }, times: 10 });
    const error = await sn.incidents.get('0123456789abcdef0123456789abcdef', { retry: { retries: 1 } }).then(unexpected, (e: unknown) => e as Error);
    const [call] = byName(await spans(), 'servicenow incident.get');
    const attempts = byName(await spans(), 'GET');
    expect(call?.attributes['error.type']).toBe(error.name);
    expect(attempts.map((s) => s.attributes['error.type'])).toEqual([error.name, error.name]);
    expect(attempts.map((s) => s.attributes['http.response.status_code'])).toEqual([undefined, undefined]);
    expect(call?.attributes['http.response.status_code']).toBeUndefined();
  });

  it('never puts a secret of the URL in a span: query values and known credentials are redacted', async () => {
    const { sn, spans } = setup();
    await sn.table('incident').list({ query: `u_api_token=${SECRET}^short_description=${PASSWORD}` });
    const all = await spans();
    expect(all.length).toBeGreaterThan(0);
    const text = JSON.stringify(all.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })));
    expect(text).toContain('url.full');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(PASSWORD);
    expect(String(all[0]?.attributes['url.full'])).toContain('REDACTED');
  });

  it('starts the call span under the active span', async () => {
    context.setGlobalContextManager(new StackContextManager().enable());
    const { sn, spans } = setup();
    const outer = new TracerProvider().getTracer('host').startSpan('handle alert');
    await context.with(trace.setSpan(context.active(), outer), () => sn.table('incident').list());
    const [call] = byName(await spans(), 'servicenow incident.list');
    expect(call?.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(call?.spanContext().traceId).toBe(outer.spanContext().traceId);
  });
});
