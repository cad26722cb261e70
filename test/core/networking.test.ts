import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientOptions, isConfigError, isConnectionError, loadItsmConfig, ServiceNowClient, Transport, type ConnectionError, type HttpOptions } from '../../src/index.js';
import { unexpected } from '../helpers/expect-failure.js';
import { close, listen, startConnectProxy, type TestProxy } from '../helpers/servers.js';

const pem = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url));
const CA = pem('ca.pem');
const TLS_SERVER = { key: pem('server-key.pem'), cert: pem('server.pem') };
const CLIENT = { cert: pem('client.pem'), key: pem('client-key.pem') };
const EXPIRED_CLIENT = { cert: pem('client-expired.pem'), key: pem('client-expired-key.pem') };
const PROXY_PASSWORD = 'pr0xy p@ss/+=&%';
const RETRY = { retries: 3, minDelayMs: 1, maxDelayMs: 1, jitter: 'none' as const };

const answer = (_req: IncomingMessage, res: ServerResponse) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ result: [{ sys_id: 'abc' }] }));
};

/** A transport on the Node transport (no fetch), with the call it is tested by. */
function transport(baseUrl: string, http?: HttpOptions, extra: { logger?: { warn: (m: string) => void }; retries?: number; retryRefused?: boolean } = {}) {
  const t = new Transport({ baseUrl, baseUrlOption: 'instanceUrl', platform: 'servicenow', retry: { ...RETRY, retries: extra.retries ?? RETRY.retries, retryRefused: extra.retryRefused ?? true }, ...(http ? { http } : {}), ...(extra.logger ? { logger: { debug() {}, info() {}, error() {}, ...extra.logger } } : {}) });
  const events: string[] = [];
  t.events.on('error', (e) => events.push(JSON.stringify({ message: e.error.message, url: e.url })));
  t.events.on('retry', (e) => events.push(JSON.stringify(e)));
  const get = () => t.request<{ result: unknown[] }>({ method: 'GET', path: '/api/now/table/incident', query: { sysparm_limit: 1 } });
  return { t, get, events };
}

async function connectionError(call: Promise<unknown>): Promise<ConnectionError> {
  const error = await call.then(unexpected, (e: unknown) => e);
  expect(isConnectionError(error), String(error)).toBe(true);
  return error as ConnectionError;
}

describe('a private CA and mutual TLS', () => {
  let https: Server & { port: number };
  let mtls: Server & { port: number };
  beforeAll(async () => {
    https = await listen(createHttpsServer(TLS_SERVER, answer));
    mtls = await listen(createHttpsServer({ ...TLS_SERVER, ca: CA, requestCert: true, rejectUnauthorized: true }, answer));
  });
  afterAll(async () => {
    await close(https);
    await close(mtls);
  });

  it('refuses a certificate from an authority it does not trust, naming http.tls.ca, without retrying', async () => {
    const { get } = transport(`https://127.0.0.1:${https.port}`);
    const error = await connectionError(get());
    expect(error.reason).toBe('tls-certificate');
    expect(error.option).toBe('http.tls.ca');
    expect(error.message).toMatch(/not signed by a trusted authority .*http\.tls\.ca/);
    expect(error.retry.attempts).toBe(1);
    expect(error.maybeSent).toBe(false);
  });

  it('trusts the private CA given as http.tls.ca', async () => {
    const res = await transport(`https://127.0.0.1:${https.port}`, { tls: { ca: CA } }).get();
    expect(res.data.result).toEqual([{ sys_id: 'abc' }]);
    const list = await transport(`https://127.0.0.1:${https.port}`, { tls: { ca: [CA.toString()] } }).get();
    expect(list.status).toBe(200);
  });

  it('through a client: ServiceNowClient takes http and lists over the private CA', async () => {
    const sn = new ServiceNowClient({ instanceUrl: `https://127.0.0.1:${https.port}`, auth: { type: 'basic', username: 'u', password: 'p' }, http: { tls: { ca: CA } } });
    const page = await sn.table('incident').list({ limit: 1 });
    expect(page.records.map((r) => r.sysId)).toEqual(['abc']);
  });

  it('rejectUnauthorized: false connects to anything and warns loudly, once per client', async () => {
    const warnings: string[] = [];
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const { get } = transport(`https://127.0.0.1:${https.port}`, { tls: { rejectUnauthorized: false } }, { logger: { warn: (m) => warnings.push(m) } });
      expect((await get()).status).toBe(200);
      await get();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/accepts any TLS certificate \(http\.tls\.rejectUnauthorized: false\).*http\.tls\.ca/);
      expect(emit).toHaveBeenCalledTimes(1);
      expect(emit.mock.calls[0]![1]).toBe('InsecureTLSWarning');
    } finally {
      emit.mockRestore();
    }
  });

  it('sends the client certificate for mutual TLS', async () => {
    const res = await transport(`https://127.0.0.1:${mtls.port}`, { tls: { ca: CA, ...CLIENT } }).get();
    expect(res.data.result).toHaveLength(1);
  });

  it.each([
    ['no client certificate', {}],
    ['an expired client certificate', EXPIRED_CLIENT],
  ])('says %s is the likely cause when the server closes every connection after the handshake, naming http.tls.cert', async (_name, client) => {
    // Node's TLS server closes without a TLS alert the client could read, as a restarting server would: retried, then explained.
    const error = await connectionError(transport(`https://127.0.0.1:${mtls.port}`, { tls: { ca: CA, ...client } }, { retries: 1 }).get());
    expect(error.reason).toBe('tls-client-certificate');
    expect(error.option).toBe('http.tls.cert');
    expect(error.message).toMatch(/likely requires a client certificate .*http\.tls\.cert and http\.tls\.key/);
    expect(error.retry.attempts).toBe(2);
  });

  it('needs both halves of a client certificate, and PEM values', () => {
    const error = (() => {
      try {
        transport(`https://127.0.0.1:${mtls.port}`, { tls: { cert: CLIENT.cert, ca: 42 as unknown as string } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isConfigError(error)).toBe(true);
    expect((error as { issues: { field: string }[] }).issues.map((i) => i.field).sort()).toEqual(['http.tls.ca', 'http.tls.key']);
  });
});

describe('the wrong protocol', () => {
  let plain: Server & { port: number };
  let tls: Server & { port: number };
  beforeAll(async () => {
    plain = await listen(createHttpServer(answer));
    tls = await listen(createHttpsServer(TLS_SERVER, answer));
  });
  afterAll(async () => {
    await close(plain);
    await close(tls);
  });

  it('https:// to a plain HTTP port fails at once with a hint to use http://', async () => {
    const error = await connectionError(transport(`https://127.0.0.1:${plain.port}`).get());
    expect(error.reason).toBe('protocol');
    expect(error.option).toBe('instanceUrl');
    expect(error.message).toMatch(/does not speak TLS: use http:\/\/ in instanceUrl/);
    expect(error.retry.attempts).toBe(1);
  });

  it('http:// to a TLS port that closes silently is retried, then explained with a hint to use https://', async () => {
    const error = await connectionError(transport(`http://127.0.0.1:${tls.port}`, undefined, { retries: 1 }).get());
    expect(error.reason).toBe('protocol');
    expect(error.message).toMatch(/closed the connection without answering; if that persists and it speaks https, use https:\/\/ in instanceUrl/);
    expect(error.retry.attempts).toBe(2);
  });

  it('a refused connection names the host and port to check: retried by default (nothing was sent), at once with retryRefused: false', async () => {
    const closed = await listen(createNetServer());
    const port = closed.port;
    await close(closed);
    const retried = await connectionError(transport(`http://127.0.0.1:${port}`).get());
    expect(retried.reason).toBe('refused');
    expect(retried.message).toContain(`Nothing accepts connections at 127.0.0.1:${port}: check the host and port of instanceUrl`);
    expect(retried.retry.attempts).toBe(4);
    expect(retried.maybeSent).toBe(false);
    const fast = await connectionError(transport(`http://127.0.0.1:${port}`, undefined, { retryRefused: false }).get());
    expect(fast.reason).toBe('refused');
    expect(fast.retry.attempts).toBe(1);
    expect(fast.retry.delaysMs).toEqual([]);
  });
});

describe('the connect timeout', () => {
  let silent: NetServer & { port: number };
  const held: Socket[] = [];
  beforeAll(async () => {
    // Accepts TCP and never answers the TLS handshake.
    silent = await listen(createNetServer((socket) => held.push(socket)));
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await close(silent);
  });

  it('ends a connection that does not open within http.connectTimeoutMs, and retries it', async () => {
    const { get } = transport(`https://127.0.0.1:${silent.port}`, { connectTimeoutMs: 100 }, { retries: 1 });
    const error = await connectionError(get());
    expect(error.reason).toBe('connect-timeout');
    expect(error.option).toBe('http.connectTimeoutMs');
    expect(error.message).toMatch(/within http\.connectTimeoutMs: a firewall dropping the packets/);
    expect(error.retry.attempts).toBe(2);
  });

  it("applies the ITSM config's connect timeout through clientOptions", async () => {
    const config = loadItsmConfig({ timeouts: { connect: 0.1 }, retry_policy: { max_retries: 0 } });
    const sn = new ServiceNowClient({ instanceUrl: `https://127.0.0.1:${silent.port}`, auth: { type: 'basic', username: 'u', password: 'p' }, ...clientOptions(config) });
    const error = await connectionError(sn.incidents.get('0123456789abcdef0123456789abcdef'));
    expect(error.reason).toBe('connect-timeout');
  });
});

describe('proxies', () => {
  let target: Server & { port: number };
  let proxy: TestProxy;
  beforeAll(async () => {
    target = await listen(createHttpServer(answer));
    proxy = await startConnectProxy();
  });
  afterEach(() => {
    proxy.refuseWith = undefined;
    proxy.tunnels.length = 0;
    proxy.auth.length = 0;
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    await close(proxy.server);
    await close(target);
  });

  it('sends through http.proxy, with the credentials of its URL, and keeps them out of messages and events', async () => {
    const { get } = transport(`http://127.0.0.1:${target.port}`, { proxy: `http://user:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${proxy.server.port}` });
    expect((await get()).data.result).toHaveLength(1);
    expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);
    expect(proxy.auth[0]).toBe(`Basic ${Buffer.from(`user:${PROXY_PASSWORD}`).toString('base64')}`);

    proxy.refuseWith = 407;
    const { get: refused, events } = transport(`http://127.0.0.1:${target.port}`, { proxy: `http://user:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${proxy.server.port}` });
    const error = await connectionError(refused());
    expect(error.reason).toBe('proxy');
    expect(error.option).toBe('http.proxy');
    expect(error.message).toMatch(/wants credentials \(407\)/);
    expect(error.retry.attempts).toBe(1);
    const surfaces = [error.message, error.stack ?? '', JSON.stringify(error), ...events].join('\n');
    for (const form of [PROXY_PASSWORD, encodeURIComponent(PROXY_PASSWORD), Buffer.from(`user:${PROXY_PASSWORD}`).toString('base64')]) expect(surfaces).not.toContain(form);
  });

  it('a proxy that refuses the tunnel is a ConnectionError naming http.proxy, not retried', async () => {
    proxy.refuseWith = 403;
    const error = await connectionError(transport(`http://127.0.0.1:${target.port}`, { proxy: `http://127.0.0.1:${proxy.server.port}` }).get());
    expect(error.reason).toBe('proxy');
    expect(error.message).toMatch(new RegExp(`proxy 127\\.0\\.0\\.1:${proxy.server.port} refused to open a tunnel to 127\\.0\\.0\\.1:${target.port} \\(status 403\\)`));
    expect(error.retry.attempts).toBe(1);
  });

  it('an unreachable proxy is a ConnectionError naming http.proxy', async () => {
    const gone = await listen(createNetServer());
    const port = gone.port;
    await close(gone);
    const error = await connectionError(transport(`http://127.0.0.1:${target.port}`, { proxy: `http://127.0.0.1:${port}` }, { retryRefused: false }).get());
    expect(error.retry.attempts).toBe(1);
    expect(error.reason).toBe('proxy');
    expect(error.option).toBe('http.proxy');
    expect(error.message).toContain(`The proxy 127.0.0.1:${port} refused the connection`);
  });

  it("proxy: 'env' honours HTTP_PROXY and NO_PROXY", async () => {
    vi.stubEnv('HTTP_PROXY', `http://127.0.0.1:${proxy.server.port}`);
    vi.stubEnv('NO_PROXY', '');
    await transport(`http://127.0.0.1:${target.port}`, { proxy: 'env' }).get();
    expect(proxy.tunnels).toEqual([`127.0.0.1:${target.port}`]);

    proxy.tunnels.length = 0;
    vi.stubEnv('NO_PROXY', 'localhost,127.0.0.1');
    await transport(`http://127.0.0.1:${target.port}`, { proxy: 'env' }).get();
    expect(proxy.tunnels).toEqual([]);
  });

  it('proxy: false ignores the environment', async () => {
    vi.stubEnv('HTTP_PROXY', `http://127.0.0.1:${proxy.server.port}`);
    await transport(`http://127.0.0.1:${target.port}`, { proxy: false }).get();
    expect(proxy.tunnels).toEqual([]);
  });
});

describe('http options are checked', () => {
  const build = (options: Record<string, unknown>) => () => new Transport({ baseUrl: 'https://acme.service-now.com', platform: 'servicenow', ...options });

  it.each([
    [{ http: { proxy: 'socks5://proxy:1080' } }, 'http.proxy', /SOCKS proxies are not supported/],
    [{ http: { proxy: 'not a url with a s3cret' } }, 'http.proxy', /is not 'env', false or an absolute URL/],
    [{ http: { connectTimeoutMs: 0 } }, 'http.connectTimeoutMs', /greater than 0/],
    [{ http: { connections: 1.5 } }, 'http.connections', /whole number/],
    [{ http: { keepalive: 1 } }, 'http.keepalive', /is not an option/],
    [{ http: { tls: { rejectUnauthorised: false } } }, 'http.tls.rejectUnauthorised', /is not a TLS option/],
    [{ http: { dispatcher: {} } }, 'http.dispatcher', /undici Dispatcher/],
    [{ http: { dispatcher: { dispatch() {} }, connections: 4 } }, 'http.dispatcher', /http\.connections would be ignored/],
    [{ http: { proxy: 'http://proxy:3128' }, fetch: globalThis.fetch }, 'http', /a client given `fetch` does not use/],
  ])('%j is a ConfigError on %s', (options, field, message) => {
    let error: unknown;
    try {
      build(options)();
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    const issue = (error as { issues: { field: string; message: string }[] }).issues.find((i) => i.field === field);
    expect(issue?.message).toMatch(message);
    expect(String((error as Error).message)).not.toContain('s3cret');
  });
});
