import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAbortedError,
  isConfigError,
  isConnectionError,
  isNotFoundError,
  isServerError,
  isTimeoutError,
  isUnexpectedResponseError,
  Transport,
  type AuthProvider,
  type HttpError,
  type TransportOptions,
} from '../../src/index.js';
import { unexpected } from '../helpers/expect-failure.js';

// One set of behaviours, run on both wires against the same real server: the
// Node transport (undici, the default on Node) and the fetch path (a client given `fetch`).
const WIRES = [
  ['node transport (undici)', {}],
  ['fetch path', { fetch: (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init) }],
] as const;

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
let flaky = 0;
const routes: Record<string, Route> = {
  '/echo': (req, res, body) => json(res, 201, { result: { method: req.method, body: body ? JSON.parse(body) : null } }, { 'x-request-id': 'req-1', 'x-total-count': '7' }),
  '/missing': (_req, res) => json(res, 404, { error: { message: 'No Record found', detail: 'Record doesn’t exist' }, status: 'failure' }),
  '/flaky': (_req, res) => (flaky++ % 2 === 0 ? json(res, 503, { error: { message: 'busy' } }) : json(res, 200, { result: 'ok' })),
  '/slow': (_req, res) => void setTimeout(() => json(res, 200, { result: 'late' }), 400),
  '/big-error': (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('x'.repeat(200_000));
  },
  '/bom': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`\uFEFF${JSON.stringify({ result: 'bom' })}`);
  },
  '/html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Instance hibernating</body></html>');
  },
  '/empty': (_req, res) => {
    res.writeHead(204);
    res.end();
  },
  '/redirect': (_req, res) => {
    res.writeHead(302, { location: 'https://elsewhere.example.com/login' });
    res.end();
  },
  '/auth': (req, res) => (req.headers.authorization === 'Bearer fresh' ? json(res, 200, { result: 'in' }) : json(res, 401, { error: { message: 'expired' } })),
  '/events': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: one\n\n');
    setTimeout(() => res.end('data: two\n\n'), 20);
  },
  '/text': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('héllo wörld');
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      (routes[path] ?? ((_q, r) => json(r, 404, {})))(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe.each(WIRES)('transport over the %s', (_name, wire) => {
  const make = (options: Partial<TransportOptions> = {}) =>
    new Transport({ baseUrl: base, platform: 'servicenow', retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1, jitter: 'none' }, ...wire, ...options });

  it('sends JSON with its headers and reads the answer, its status, headers and request id', async () => {
    const t = make({ headers: { 'X-Client': 'default', 'x-over': 'client' }, userAgent: 'matrix/1' });
    const res = await t.request<{ result: unknown }>({ method: 'POST', path: '/echo', query: { a: 'b c', skip: undefined }, json: { short_description: 'ünïcode ✓' }, headers: { 'X-Over': 'call' } });
    expect(res.status).toBe(201);
    expect(res.data.result).toEqual({ method: 'POST', body: { short_description: 'ünïcode ✓' } });
    expect(res.requestId).toBe('req-1');
    expect(res.headers.get('X-Total-Count')).toBe('7');
    expect(res.headers).toBeInstanceOf(Headers);
    const sent = seen.at(-1)!;
    expect(sent.url).toBe('/echo?a=b+c');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['x-client']).toBe('default');
    expect(sent.headers['x-over']).toBe('call');
    expect(sent.headers['user-agent']).toMatch(/^itsmkit\/\S+ matrix\/1$/);
  });

  it('maps an error status to its class with the platform error, the body kept off the message', async () => {
    const error = (await make({ parseError: (b) => ({ message: (b as { error: { message: string } }).error.message }) })
      .request({ method: 'GET', path: '/missing' })
      .then(unexpected, (e: unknown) => e)) as HttpError;
    expect(isNotFoundError(error)).toBe(true);
    expect(error.platformError?.message).toBe('No Record found');
    expect(error.body).toEqual({ error: { message: 'No Record found', detail: 'Record doesn’t exist' }, status: 'failure' });
    expect(error.headers['content-type']).toBe('application/json');
    expect(error.message).not.toContain('doesn’t exist');
  });

  it('retries a 503 and says so', async () => {
    flaky = 0;
    const res = await make().request({ method: 'GET', path: '/flaky' });
    expect(res.data).toEqual({ result: 'ok' });
    expect(res.retry.attempts).toBe(2);
  });

  it('ends a slow attempt at its timeout (the per-call one too) and a call its caller aborts', async () => {
    const timeout = await make({ retry: { retries: 0, attemptTimeoutMs: 100 } }).request({ method: 'GET', path: '/slow' }).then(unexpected, (e: unknown) => e);
    expect(isTimeoutError(timeout)).toBe(true);
    expect(timeout).toMatchObject({ scope: 'attempt', timeoutMs: 100 });
    const perCall = await make().request({ method: 'GET', path: '/slow', timeoutMs: 50, retry: false }).then(unexpected, (e: unknown) => e);
    expect(perCall).toMatchObject({ name: 'TimeoutError', timeoutMs: 50 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 30);
    const aborted = await make().request({ method: 'GET', path: '/slow', signal: controller.signal }).then(unexpected, (e: unknown) => e);
    expect(isAbortedError(aborted)).toBe(true);
    const already = await make().request({ method: 'GET', path: '/slow', signal: AbortSignal.abort() }).then(unexpected, (e: unknown) => e);
    expect(isAbortedError(already)).toBe(true);
  });

  it('reads at most 64 KiB of an error body', async () => {
    const error = (await make({ retry: { retries: 0 } }).request({ method: 'GET', path: '/big-error' }).then(unexpected, (e: unknown) => e)) as HttpError;
    expect(isServerError(error)).toBe(true);
    expect(String(error.body)).toHaveLength(64 * 1024);
  });

  it('drops a UTF-8 byte order mark, refuses an HTML page, reads 204 and text answers', async () => {
    const t = make();
    expect((await t.request({ method: 'GET', path: '/bom' })).data).toEqual({ result: 'bom' });
    const html = await t.request({ method: 'GET', path: '/html' }).then(unexpected, (e: unknown) => e);
    expect(isUnexpectedResponseError(html)).toBe(true);
    expect(String((html as Error).message)).toMatch(/HTML page instead of JSON/);
    const empty = await t.request({ method: 'DELETE', path: '/empty' });
    expect([empty.status, empty.data]).toEqual([204, undefined]);
    expect((await t.request({ method: 'GET', path: '/text', responseType: 'text' })).data).toBe('héllo wörld');
  });

  it('refuses a redirect with a ConfigError, sending once', async () => {
    const before = seen.length;
    const error = await make().request({ method: 'POST', path: '/redirect', json: {} }).then(unexpected, (e: unknown) => e);
    expect(isConfigError(error)).toBe(true);
    expect(seen.length - before).toBe(1);
  });

  it('refreshes credentials once after a 401 and sends again', async () => {
    let token = 'stale';
    const auth: AuthProvider = { headers: () => ({ authorization: `Bearer ${token}` }), refresh: async () => ((token = 'fresh'), true) };
    const res = await make({ auth }).request({ method: 'GET', path: '/auth' });
    expect(res.data).toEqual({ result: 'in' });
  });

  it('hands a stream over as it arrives', async () => {
    const res = await make().request<Response>({ method: 'GET', path: '/events', responseType: 'stream' });
    expect(res.data.headers.get('content-type')).toBe('text/event-stream');
    expect(await res.data.text()).toBe('data: one\n\ndata: two\n\n');
  });

  it('says a refused connection is one, naming the base URL option (at once with retryRefused: false)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await make({ baseUrl: `http://127.0.0.1:${port}`, baseUrlOption: 'instanceUrl', retry: { retryRefused: false } }).request({ method: 'GET', path: '/echo' }).then(unexpected, (e: unknown) => e);
    expect(isConnectionError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'refused', option: 'instanceUrl', retry: { attempts: 1 } });
    const retried = await make({ baseUrl: `http://127.0.0.1:${port}`, baseUrlOption: 'instanceUrl' }).request({ method: 'GET', path: '/echo' }).then(unexpected, (e: unknown) => e);
    expect(retried).toMatchObject({ reason: 'refused', retry: { attempts: 3 } });
  });
});
