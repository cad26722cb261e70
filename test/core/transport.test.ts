import { unexpected } from '../helpers/expect-failure.js';
import { describe, expect, it, vi } from 'vitest';
import { basicAuth } from '../../src/core/auth.js';
import {
  ConfigError,
  isAbortedError,
  isAuthError,
  isConfigError,
  isNetworkError,
  isServerError,
  isTimeoutError,
  isUnexpectedResponseError,
  type HttpError,
  type NetworkError,
  type TimeoutError,
} from '../../src/core/errors.js';
import type { ErrorEvent, RetryEvent } from '../../src/core/events.js';
import { Transport, type TransportOptions } from '../../src/core/transport.js';
import { dropped, handlerFetch, json, type Handler } from '../../src/testing/handler.js';
import { serveHandler } from '../../src/testing/serve.js';
import { FakeClock } from '../helpers/fake-clock.js';

const CANARY = 'canary-Zq81-secret';

/** A server that never answers; like fetch, it rejects once the request is aborted. */
const hang: Handler = (req) =>
  new Promise((_, reject) => {
    if (req.signal.aborted) reject(req.signal.reason);
    req.signal.addEventListener('abort', () => reject(req.signal.reason));
  });

function transport(handler: Handler, options: Partial<TransportOptions> = {}) {
  const sent: Request[] = [];
  const t = new Transport({
    baseUrl: 'https://acme.service-now.com',
    platform: 'servicenow',
    fetch: handlerFetch(async (req) => {
      sent.push(req.clone());
      return handler(req);
    }),
    clock: new FakeClock(),
    retry: { jitter: 'none', minDelayMs: 10 },
    parseError: (body) => {
      const e = (body as { error?: { message?: string; detail?: string } }).error;
      return e ? { ...(e.message ? { message: e.message } : {}), ...(e.detail ? { detail: e.detail } : {}) } : undefined;
    },
    ...options,
  });
  return { t, sent };
}

describe('Transport', () => {
  it('sends JSON with the base URL, query, User-Agent and auth, and parses JSON', async () => {
    const { t, sent } = transport(async () => json({ result: { sys_id: 'a' } }, 201), { auth: basicAuth('admin', CANARY) });
    const res = await t.request<{ result: { sys_id: string } }>({ method: 'POST', path: '/api/now/table/incident', query: { sysparm_fields: 'sys_id', skip: undefined }, json: { short_description: 'x' } });
    expect(res.status).toBe(201);
    expect(res.data.result.sys_id).toBe('a');
    expect(res.retry).toMatchObject({ attempts: 1, delaysMs: [] });
    const req = sent[0]!;
    expect(req.url).toBe('https://acme.service-now.com/api/now/table/incident?sysparm_fields=sys_id');
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(req.headers.get('accept')).toBe('application/json');
    expect(req.headers.get('user-agent')).toMatch(/^itsmkit\/\d+\.\d+\.\d+/);
    expect(req.headers.get('authorization')).toBe(`Basic ${btoa(`admin:${CANARY}`)}`);
    expect(await req.json()).toEqual({ short_description: 'x' });
  });

  it('keeps a base path', async () => {
    const { t, sent } = transport(async () => json({}), { baseUrl: 'https://h.example/jira/' });
    await t.request({ method: 'GET', path: '/rest/api/3/myself' });
    expect(sent[0]!.url).toBe('https://h.example/jira/rest/api/3/myself');
  });

  it.each([
    [undefined, /baseUrl/],
    ['', /baseUrl/],
    ['acme.service-now.com', /not an absolute URL/],
    ['ftp://acme', /protocol ftp:/],
    [`https://admin:${CANARY}@acme.service-now.com`, /credentials belong in auth/],
    // Found by the canary suite: an unparsable URL was echoed into the message, token and all.
    [`acme.service-now.com?token=${CANARY}`, /not an absolute URL/],
  ])('rejects base URL %p with a ConfigError naming baseUrl', (baseUrl, message) => {
    const build = () => new Transport({ baseUrl: baseUrl as string, platform: 'servicenow' });
    expect(build).toThrow(message);
    try {
      build();
    } catch (error) {
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).not.toContain(CANARY);
    }
  });

  it('turns a 200 HTML page into a typed error, not a JSON crash', async () => {
    const { t } = transport(async () => new Response('<html><body>Your instance is hibernating</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    const error = await t.request({ method: 'GET', path: '/api/now/table/incident' }).then(unexpected, (e: unknown) => e as HttpError);
    expect(isUnexpectedResponseError(error)).toBe(true);
    expect(error.message).toMatch(/HTML page instead of JSON/);
    expect(error.status).toBe(200);
  });

  it('turns an invalid JSON success body into a typed error', async () => {
    const { t } = transport(async () => new Response('{"result": [', { status: 200, headers: { 'content-type': 'application/json' } }));
    const error = await t.request({ method: 'GET', path: '/x' }).then(unexpected, (e: unknown) => e as HttpError);
    expect(isUnexpectedResponseError(error)).toBe(true);
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('handles 204, empty bodies and HEAD', async () => {
    const { t } = transport(async (req) => (req.method === 'DELETE' ? new Response(null, { status: 204 }) : new Response('', { status: 200 })));
    await expect(t.request({ method: 'DELETE', path: '/a' })).resolves.toMatchObject({ status: 204, data: undefined });
    await expect(t.request({ method: 'GET', path: '/a' })).resolves.toMatchObject({ status: 200, data: undefined });
  });

  it('parses the platform error envelope, keeps the body off the message', async () => {
    const { t } = transport(async () => json({ error: { message: 'No Record found', detail: 'jane@example.com' }, status: 'failure' }, 404));
    const error = await t.request({ method: 'GET', path: '/api/now/table/incident/abc' }).then(unexpected, (e: unknown) => e as HttpError);
    expect(error.status).toBe(404);
    expect(error.platformError).toEqual({ message: 'No Record found', detail: 'jane@example.com' });
    expect(error.message).toBe('servicenow GET https://acme.service-now.com/api/now/table/incident/abc failed with 404: No Record found');
    expect(error.message).not.toContain('jane');
  });

  it('survives non-JSON, empty and huge error bodies (kept truncated)', async () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    for (const body of ['plain text failure', '', huge]) {
      const { t } = transport(async () => new Response(body, { status: 400 }));
      const error = await t.request({ method: 'GET', path: '/x' }).then(unexpected, (e: unknown) => e as HttpError);
      expect(error.status).toBe(400);
      expect(typeof error.body).toBe('string');
      expect((error.body as string).length).toBeLessThanOrEqual(64 * 1024);
    }
  });

  it('retries 503 on GET and emits retry events', async () => {
    let n = 0;
    const { t } = transport(async () => (++n < 3 ? json({}, 503) : json({ ok: true })));
    const retries: RetryEvent[] = [];
    t.events.on('retry', (e) => retries.push(e));
    const res = await t.request({ method: 'GET', path: '/x', operation: 'probe' });
    expect(res.retry.attempts).toBe(3);
    expect(retries.map((r) => [r.attempt, r.delayMs, r.reason, r.operation])).toEqual([
      [1, 10, 'status 503', 'probe'],
      [2, 20, 'status 503', 'probe'],
    ]);
  });

  it('retries 429 with Retry-After and records rate-limit headers on the event and the error', async () => {
    const clock = new FakeClock();
    const { t } = transport(async () => json({}, 429, { 'retry-after': '2', 'x-ratelimit-reset': '2026-11-23T12:05Z', 'ratelimit-reason': 'jira-burst-based' }), {
      clock,
      retry: { retries: 1 },
    });
    const retries: RetryEvent[] = [];
    t.events.on('retry', (e) => retries.push(e));
    const error = await t.request({ method: 'GET', path: '/x' }).then(unexpected, (e: unknown) => e as HttpError & { retryAfterMs: number; rateLimit: { reason: string } });
    expect(clock.sleeps).toEqual([2000]);
    expect(retries[0]?.rateLimit).toMatchObject({ retryAfterMs: 2000, reason: 'jira-burst-based' });
    expect(error.retryAfterMs).toBe(2000);
    expect(error.rateLimit.reason).toBe('jira-burst-based');
    expect(error.retry.attempts).toBe(2);
  });

  it('does not re-POST after an ambiguous failure without reconcile, and says why', async () => {
    let n = 0;
    const { t } = transport(async () => {
      n++;
      return json({ error: { message: 'Internal' } }, 503);
    });
    const error = await t.request({ method: 'POST', path: '/api/now/table/incident', json: {}, notRetriedHint: 'pass correlationId' }).then(unexpected, (e: unknown) => e as HttpError);
    expect(n).toBe(1);
    expect(isServerError(error)).toBe(true);
    expect(error.maybeSent).toBe(true);
    expect(error.message).toMatch(/Not retried: POST is not idempotent .*pass correlationId/);
  });

  it('says when a failed write may have taken effect (maybeSent), and when it cannot have', async () => {
    const fail = async (status: number, method: 'GET' | 'POST', body = '{}') => {
      const { t } = transport(async () => new Response(body, { status, headers: { 'content-type': 'application/json' } }), { retry: { retries: 0 } });
      return t.request({ method, path: '/x', ...(method === 'POST' ? { json: {} } : {}) }).then(unexpected, (e: unknown) => e as HttpError);
    };
    expect((await fail(503, 'POST')).maybeSent).toBe(true);
    expect((await fail(201, 'POST', '{"result": {')).maybeSent).toBe(true); // answered 2xx: the write happened
    expect((await fail(429, 'POST')).maybeSent).toBe(false);
    expect((await fail(400, 'POST')).maybeSent).toBe(false);
    expect((await fail(503, 'GET')).maybeSent).toBe(false);
  });

  it('re-sends a POST whose connection was refused (nothing reached the server)', async () => {
    let n = 0;
    const { t } = transport(async () => (++n === 1 ? dropped('ECONNREFUSED') : json({ result: {} }, 201)));
    const res = await t.request({ method: 'POST', path: '/x', json: {} });
    expect(res.retry.attempts).toBe(2);
  });

  it('looks the write up before re-sending when reconcile is given', async () => {
    const created: unknown[] = [];
    const { t } = transport(async (req) => {
      created.push(await req.json());
      return dropped('ECONNRESET');
    });
    const reconcile = vi.fn(async () => ({ data: { result: { sys_id: 'existing' } } }));
    const res = await t.request({ method: 'POST', path: '/x', json: { a: 1 }, reconcile });
    expect(created).toHaveLength(1);
    expect(reconcile).toHaveBeenCalledOnce();
    expect(res).toMatchObject({ reconciled: true, data: { result: { sys_id: 'existing' } } });
    expect(res.retry.attempts).toBe(2);
  });

  it('gives an error thrown by reconcile the call\'s retry metadata', async () => {
    const { t } = transport(async () => dropped('ECONNRESET'));
    const events: ErrorEvent[] = [];
    t.events.on('error', (e) => events.push(e));
    const thrown = new ConfigError('lookup refused');
    const error = await t.request({ method: 'POST', path: '/x', json: {}, reconcile: async () => { throw thrown; } }).then(unexpected, (e: unknown) => e as ConfigError & { retry: unknown });
    expect(error).toBe(thrown);
    expect(error.retry).toEqual({ attempts: 2, elapsedMs: 10, delaysMs: [10] });
    expect(events[0]?.retry).toEqual(error.retry);
  });

  it('re-sends when reconcile finds nothing', async () => {
    let n = 0;
    const { t } = transport(async () => (++n === 1 ? json({}, 502) : json({ result: { sys_id: 'new' } }, 201)));
    const res = await t.request({ method: 'POST', path: '/x', json: {}, reconcile: async () => undefined });
    expect(res).toMatchObject({ reconciled: false, status: 201 });
  });

  it('looks a write up when its 2xx body cannot be read (truncated), instead of failing a write that landed', async () => {
    let posts = 0;
    const { t } = transport(async () => {
      posts++;
      return new Response('{"result":{"sys_id":"ab', { status: 201, headers: { 'content-type': 'application/json' } });
    });
    const reconcile = vi.fn(async () => ({ data: { result: { sys_id: 'abc' } } }));
    const res = await t.request({ method: 'POST', path: '/x', json: {}, reconcile });
    expect(posts).toBe(1);
    expect(reconcile).toHaveBeenCalledOnce();
    expect(res).toMatchObject({ reconciled: true, data: { result: { sys_id: 'abc' } }, retry: { attempts: 1 } });

    // Found nothing (a login page answered 200): the original error stands, nothing is re-sent.
    const html = transport(async () => {
      posts++;
      return new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } });
    });
    const error = await html.t.request({ method: 'POST', path: '/x', json: {}, reconcile: async () => undefined }).then(unexpected, (e: unknown) => e as HttpError);
    expect(isUnexpectedResponseError(error)).toBe(true);
    expect(posts).toBe(2);
  });

  it('reports network failures as NetworkError with metadata', async () => {
    const { t } = transport(async () => dropped('ECONNRESET'), { retry: { retries: 1, jitter: 'none', minDelayMs: 1 } });
    const error = await t.request({ method: 'GET', path: '/x' }).then(unexpected, (e: unknown) => e as NetworkError);
    expect(isNetworkError(error)).toBe(true);
    expect(error.retry.attempts).toBe(2);
    expect(error.message).toMatch(/network failure \(ECONNRESET\) after 2 attempts/);
  });

  it('times out an attempt and says so', async () => {
    const { t } = transport(hang, {
      retry: { retries: 0, attemptTimeoutMs: 20 },
    });
    const error = await t.request({ method: 'GET', path: '/slow' }).then(unexpected, (e: unknown) => e as TimeoutError);
    expect(isTimeoutError(error)).toBe(true);
    expect(error.scope).toBe('attempt');
    expect(error.message).toMatch(/attempt timeout of 20 ms exceeded/);
  });

  it('stops at the caller abort with AbortedError', async () => {
    const controller = new AbortController();
    const { t } = transport(hang);
    const pending = t.request({ method: 'GET', path: '/x', signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(isAbortedError(await pending)).toBe(true);
  });

  it('re-authenticates once on 401 when the provider can refresh', async () => {
    let token = 'old';
    const refresh = vi.fn(async () => {
      token = 'new';
      return true;
    });
    const { t, sent } = transport(async (req) => (req.headers.get('authorization') === 'Bearer new' ? json({ ok: 1 }) : json({}, 401)), {
      auth: { headers: () => ({ authorization: `Bearer ${token}` }), refresh },
    });
    await expect(t.request({ method: 'GET', path: '/x' })).resolves.toMatchObject({ data: { ok: 1 } });
    expect(refresh).toHaveBeenCalledOnce();
    expect(sent).toHaveLength(2);
  });

  it('gives up with AuthError when 401 persists, and never leaks the secret', async () => {
    const { t } = transport(async () => json({ error: { message: `User Not Authenticated ${CANARY}`, detail: 'Required to provide Auth information' } }, 401), {
      auth: basicAuth('admin', CANARY),
    });
    const errors: ErrorEvent[] = [];
    t.events.on('error', (e) => errors.push(e));
    const error = await t.request({ method: 'GET', path: '/x', query: { password: CANARY } }).then(unexpected, (e: unknown) => e as HttpError);
    expect(isAuthError(error)).toBe(true);
    expect(error.message).not.toContain(CANARY);
    expect(error.url).not.toContain(CANARY);
    expect(JSON.stringify(errors.map((e) => ({ ...e, error: e.error.message })))).not.toContain(CANARY);
    expect(error.platformError?.message).toBe('User Not Authenticated [REDACTED]');
  });
});

describe('Transport redirects', () => {
  const redirectTo = (location: string, status = 302) => async () => new Response(null, { status, headers: { location } });

  it('refuses a redirect from a real server with a ConfigError naming baseUrl, sent once and not retried', async () => {
    let hits = 0;
    const server = await serveHandler(async () => {
      hits++;
      return new Response(null, { status: 301, headers: { location: `https://acme.service-now.com/api/now/table/incident?token=${CANARY}` } });
    });
    try {
      const errors: ErrorEvent[] = [];
      const t = new Transport({ baseUrl: server.url, platform: 'servicenow', retry: { jitter: 'none', minDelayMs: 1 } });
      t.events.on('error', (e) => errors.push(e));
      const error = await t.request({ method: 'POST', path: '/api/now/table/incident', json: { short_description: 'x' } }).then(unexpected, (e: unknown) => e as ConfigError);
      expect(isConfigError(error)).toBe(true);
      expect(error.issues).toEqual([expect.objectContaining({ field: 'baseUrl', rule: 'redirect' })]);
      expect(error.message).toMatch(/^servicenow POST http:\/\/127\.0\.0\.1:\d+\/api\/now\/table\/incident answered with a redirect( to https:\/\/acme\.service-now\.com\/api\/now\/table\/incident\?token=%5BREDACTED%5D)?: baseUrl: itsmkit does not follow redirects/);
      expect(error.message).not.toContain(CANARY);
      expect(hits).toBe(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.retry.attempts).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('refuses a redirect a fetch hands back, naming its target with secrets redacted', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const { t, sent } = transport(redirectTo(`/login?token=${CANARY}`, status));
      const error = await t.request({ method: 'GET', path: '/api/now/table/incident' }).then(unexpected, (e: unknown) => e as ConfigError);
      expect(isConfigError(error)).toBe(true);
      expect(error.message).toContain('answered with a redirect to https://acme.service-now.com/login?token=');
      expect(error.message).not.toContain(CANARY);
      // GET is idempotent and would be retried on a network failure: a redirect is not one.
      expect(sent).toHaveLength(1);
    }
  });

  it('says so when the redirect target is not a URL', async () => {
    const { t } = transport(redirectTo('http://['));
    const error = await t.request({ method: 'GET', path: '/x' }).then(unexpected, (e: unknown) => e as ConfigError);
    expect(error.message).toContain('answered with a redirect to an address that is not a valid URL');
  });

  it('follows redirects when the request asks to, as fetch does', async () => {
    const server = await serveHandler(async (req) =>
      new URL(req.url).pathname === '/hook' ? new Response(null, { status: 302, headers: { location: '/result' } }) : new Response(`${req.method} result`, { status: 200 }),
    );
    try {
      const t = new Transport({ baseUrl: server.url, platform: 'webhook' });
      const res = await t.request<string>({ method: 'POST', path: '/hook', json: { a: 1 }, responseType: 'text', followRedirects: true });
      // fetch turns a POST answered with 302 into a GET of the new location.
      expect(res.data).toBe('GET result');
    } finally {
      await server.close();
    }
  });
});
