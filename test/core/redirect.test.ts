import { afterEach, describe, expect, it, vi } from 'vitest';
import { acceptsRedirectError, isRedirectRefusal } from '../../src/core/redirect.js';

/** Cloudflare Workers' Request: it rejects `redirect: 'error'` when built (workerd's message). */
class WorkersRequest extends Request {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    if (init?.redirect === 'error') {
      throw new TypeError('Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be implemented since it does not make sense at the edge; use "manual" and check the response status code).');
    }
    super(input, init);
  }
}

describe('redirect refusal', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('tells a fetch that takes redirect: error from one that rejects it', () => {
    expect(acceptsRedirectError(Request)).toBe(true);
    expect(acceptsRedirectError(WorkersRequest)).toBe(false);
  });

  it('reads a refused redirect, and not a refused option, from the error chain', () => {
    expect(isRedirectRefusal(new TypeError('fetch failed', { cause: new Error('unexpected redirect') }))).toBe(true);
    expect(isRedirectRefusal(new TypeError('Invalid redirect value, must be one of "follow" or "manual"'))).toBe(false);
    expect(isRedirectRefusal(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }))).toBe(false);
  });

  it('sends redirect: error where fetch takes it (Node), and follow when the request asks to', async () => {
    const { Transport } = await import('../../src/core/transport.js');
    const modes: (RequestRedirect | undefined)[] = [];
    const t = new Transport({
      baseUrl: 'https://acme.service-now.com',
      platform: 'webhook',
      fetch: async (_input, init) => {
        modes.push(init?.redirect);
        return Response.json({});
      },
    });
    await t.request({ method: 'POST', path: '/hook', json: {} });
    await t.request({ method: 'POST', path: '/hook', json: {}, followRedirects: true });
    expect(modes).toEqual(['error', 'follow']);
  });

  it('on a runtime without redirect: error (Cloudflare Workers) sends manual and refuses the 3xx it gets back', async () => {
    vi.stubGlobal('Request', WorkersRequest);
    vi.resetModules();
    const { Transport } = await import('../../src/core/transport.js');
    const { isConfigError } = await import('../../src/core/errors.js');
    const modes: (RequestRedirect | undefined)[] = [];
    const t = new Transport({
      baseUrl: 'https://acme.service-now.com',
      platform: 'servicenow',
      fetch: async (input, init) => {
        const request = new Request(input, init);
        modes.push(init?.redirect);
        return new URL(request.url).pathname === '/moved' ? new Response(null, { status: 301, headers: { location: 'https://elsewhere.example/' } }) : Response.json({ result: {} });
      },
    });
    await expect(t.request({ method: 'GET', path: '/ok' })).resolves.toMatchObject({ status: 200 });
    const error = await t.request({ method: 'GET', path: '/moved' }).catch((e: unknown) => e);
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain('answered with a redirect to https://elsewhere.example/');
    expect(modes).toEqual(['manual', 'manual']);
  });
});
