import { describe, expect, it } from 'vitest';
import { bearerAuth } from '../../src/core/auth.js';
import {
  isAuthError,
  isConfigError,
  isUnexpectedResponseError,
  type ConfigError,
  type UnexpectedResponseError,
} from '../../src/core/errors.js';
import type { LogFields } from '../../src/core/logger.js';
import { ServiceNowClient, type ServiceNowClientOptions } from '../../src/servicenow/client.js';
import { FakeServiceNow } from '../../src/testing/fake-servicenow/fake-servicenow.js';
import { INSTANCE, rejection, setup } from './helpers.js';

function configError(options: unknown): ConfigError {
  try {
    new ServiceNowClient(options as ServiceNowClientOptions);
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('no ConfigError');
}

const basic = { type: 'basic', username: 'admin', password: 'pw' } as const;

describe('ServiceNowClient configuration', () => {
  it('names the bad field', () => {
    expect(configError({ auth: basic }).issues[0]?.field).toBe('instanceUrl');
    expect(configError({ instanceUrl: 'acme', auth: basic }).issues[0]?.field).toBe('instanceUrl');
    expect(configError({ instanceUrl: 'ftp://acme.service-now.com', auth: basic }).issues[0]?.field).toBe('instanceUrl');
    expect(configError({ instanceUrl: 'https://u:p@acme.service-now.com', auth: basic }).issues[0]?.field).toBe('instanceUrl');
    expect(configError({ instanceUrl: `${INSTANCE}/api/now`, auth: basic }).issues[0]?.field).toBe('instanceUrl');
    expect(configError({ instanceUrl: INSTANCE }).issues[0]?.field).toBe('auth');
    expect(configError({ instanceUrl: INSTANCE, auth: { type: 'basic', username: 'admin' } }).issues[0]?.field).toBe('auth.password');
    expect(configError({ instanceUrl: INSTANCE, auth: { type: 'basic', password: 'x' } }).issues[0]?.field).toBe('auth.username');
    expect(configError({ instanceUrl: INSTANCE, auth: { type: 'bearer' } }).issues[0]?.field).toBe('auth.token');
    expect(configError({ instanceUrl: INSTANCE, auth: { type: 'apiKey', apiKey: '' } }).issues[0]?.field).toBe('auth.apiKey');
    expect(configError({ instanceUrl: INSTANCE, auth: { type: 'oauth', grant: 'password', clientId: 'c', clientSecret: 's', username: 'u' } }).issues[0]?.field).toBe(
      'auth.password',
    );
    expect(configError({ instanceUrl: INSTANCE, auth: { type: 'oauth', grant: 'client_credentials', clientId: 'c' } }).issues[0]?.field).toBe('auth.clientSecret');
    expect(configError({ instanceUrl: INSTANCE, auth: { type: 'oauth', grant: 'implicit', clientId: 'c', clientSecret: 's' } }).issues[0]?.field).toBe('auth.grant');
    expect(configError({ instanceUrl: INSTANCE, auth: { type: 'kerberos' } }).issues[0]?.field).toBe('auth.type');
  });

  it('normalises the instance URL', () => {
    const sn = new ServiceNowClient({ instanceUrl: `${INSTANCE}/`, auth: basic });
    expect(sn.instanceUrl).toBe(INSTANCE);
  });
});

describe('ServiceNowClient auth against the fake', () => {
  it('tests the connection with basic auth and sends a User-Agent', async () => {
    const { fake, sn } = setup({ client: { userAgent: 'my-service/2.1' } });
    const result = await sn.testConnection();
    expect(result.ok).toBe(true);
    const [req] = fake.requests;
    expect(req?.path).toBe('/api/now/table/incident');
    expect(req?.query).toMatchObject({ sysparm_limit: '1', sysparm_fields: 'sys_id' });
    expect(req?.headers['authorization']).toBe(`Basic ${btoa('admin:sandbox-password')}`);
    expect(req?.headers['user-agent']).toMatch(/^itsmkit\/\S+ my-service\/2\.1$/);
  });

  it('turns a 401 into AuthError with the ServiceNow envelope, and testConnection into ok: false', async () => {
    const { sn } = setup({ client: { auth: { type: 'basic', username: 'admin', password: 'wrong' } } });
    const error = await rejection(sn.incidents.search());
    expect(isAuthError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, platform: 'servicenow', platformError: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' } });
    expect(error.message).toContain('User Not Authenticated');
    const result = await sn.testConnection();
    expect(result.ok).toBe(false);
    expect(!result.ok && isAuthError(result.error)).toBe(true);
  });

  it('sends an API key as x-sn-apikey', async () => {
    const { fake, sn } = setup({ fake: { apiKeys: ['key-123'] }, client: { auth: { type: 'apiKey', apiKey: 'key-123' } } });
    expect((await sn.testConnection()).ok).toBe(true);
    expect(fake.requests[0]?.headers['x-sn-apikey']).toBe('key-123');
    expect(fake.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('accepts an AuthProvider and an async config function (rotated per request)', async () => {
    const fake = new FakeServiceNow({ apiKeys: ['k1', 'k2'] });
    const viaProvider = new ServiceNowClient({ instanceUrl: INSTANCE, auth: { headers: () => ({ 'x-sn-apikey': 'k1' }) }, fetch: fake.fetch });
    expect((await viaProvider.testConnection()).ok).toBe(true);
    let key = 'k1';
    const rotating = new ServiceNowClient({ instanceUrl: INSTANCE, auth: async () => ({ type: 'apiKey', apiKey: key }), fetch: fake.fetch });
    await rotating.testConnection();
    key = 'k2';
    await rotating.testConnection();
    expect(fake.requests.slice(-2).map((r) => r.headers['x-sn-apikey'])).toEqual(['k1', 'k2']);
  });

  it('runs the OAuth password grant form-encoded, caches the token, and re-authenticates once on 401', async () => {
    const tokens: string[] = [];
    const { fake, sn } = setup({
      client: {
        auth: {
          type: 'oauth',
          grant: 'password',
          clientId: 'sandbox-client',
          clientSecret: 'sandbox-secret',
          username: 'admin',
          password: 'sandbox-password',
          onTokens: (t) => void tokens.push(t.refreshToken ?? ''),
        },
      },
    });
    await sn.incidents.search();
    await sn.incidents.search();
    const tokenCalls = fake.requestsTo('/oauth_token.do');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(tokenCalls[0]?.body).toMatchObject({ grant_type: 'password', client_id: 'sandbox-client', username: 'admin' });
    expect(fake.requestsTo('/api/now/')[0]?.headers['authorization']).toMatch(/^Bearer [0-9a-f]{64}$/);
    expect(tokens[0]).toMatch(/^[0-9a-f]{64}$/);

    fake.oauth.revokeAccessTokens();
    await sn.incidents.search();
    const after = fake.requestsTo('/oauth_token.do');
    expect(after).toHaveLength(2);
    // The second token comes from the refresh token the password grant returned.
    expect(after[1]?.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: tokens[0] });
  });

  it('runs the client_credentials and refresh_token grants', async () => {
    const cc = setup({ client: { auth: { type: 'oauth', grant: 'client_credentials', clientId: 'sandbox-client', clientSecret: 'sandbox-secret' } } });
    expect((await cc.sn.testConnection()).ok).toBe(true);
    expect(cc.fake.requestsTo('/oauth_token.do')[0]?.body).toMatchObject({ grant_type: 'client_credentials' });

    const rt = setup({ client: { auth: { type: 'oauth', grant: 'refresh_token', clientId: 'sandbox-client', clientSecret: 'sandbox-secret', refreshToken: 'stored-refresh' } } });
    rt.fake.oauth.addRefreshToken('stored-refresh', 'sandbox-client');
    expect((await rt.sn.testConnection()).ok).toBe(true);
    expect(rt.fake.requestsTo('/oauth_token.do')[0]?.body).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'stored-refresh' });
  });

  it('fails with AuthError when the token endpoint refuses the client', async () => {
    const { sn } = setup({ client: { auth: { type: 'oauth', grant: 'client_credentials', clientId: 'sandbox-client', clientSecret: 'nope' } } });
    const error = await rejection(sn.incidents.search());
    expect(isAuthError(error)).toBe(true);
    expect(error.message).toContain('oauth_token.do');
  });

  it('accepts a bearer token issued by the fake', async () => {
    const fake = new FakeServiceNow();
    const grant = fake.oauth.grant('application/x-www-form-urlencoded', 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret');
    const token = grant.body['access_token'] as string;
    const sn = new ServiceNowClient({ instanceUrl: INSTANCE, auth: { type: 'bearer', token }, fetch: fake.fetch });
    expect((await sn.testConnection()).ok).toBe(true);
    const other = new ServiceNowClient({ instanceUrl: INSTANCE, auth: bearerAuth('made-up-token'), fetch: fake.fetch });
    expect((await other.testConnection()).ok).toBe(false);
  });
});

describe('ServiceNowClient unexpected answers', () => {
  it('turns a hibernating instance page into UnexpectedResponseError that says so', async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'html' } });
    const error = (await rejection(sn.incidents.search())) as UnexpectedResponseError;
    expect(isUnexpectedResponseError(error)).toBe(true);
    expect(error.status).toBe(200);
    expect(error.message).toMatch(/HTML page/);
    expect(error.message).toMatch(/hibernating/);
  });

  it('refuses a redirect (http for https) with a ConfigError naming instanceUrl, and creates nothing', async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'status', status: 301, headers: { location: 'https://acme.service-now.com/api/now/table/incident' } } });
    const error = (await rejection(sn.incidents.create({ shortDescription: 'VPN down' }))) as ConfigError;
    expect(isConfigError(error)).toBe(true);
    expect(error.issues).toEqual([expect.objectContaining({ field: 'instanceUrl', rule: 'redirect' })]);
    expect(error.message).toContain('answered with a redirect to https://acme.service-now.com/api/now/table/incident');
    expect((await sn.incidents.search()).records).toHaveLength(0);
  });

  it('turns a success body without result into UnexpectedResponseError', async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'status', status: 200, body: { records: [] } } });
    const error = (await rejection(sn.incidents.search())) as UnexpectedResponseError;
    expect(isUnexpectedResponseError(error)).toBe(true);
    expect(error.message).toContain('without a "result" array');
    expect(error.body).toEqual({ records: [] });

    // Found by fuzzing: a result array holding something other than records crashed the mapper with a TypeError.
    for (const result of [[null], [1, 'x'], [[]]]) {
      fake.faults.add({ fault: { kind: 'status', status: 200, body: { result } } });
      const bad = await rejection(sn.incidents.search());
      expect(isUnexpectedResponseError(bad), String(bad)).toBe(true);
      expect(bad.message).toContain('without a "result" array of records');
    }
  });

  it('handles error bodies that are not JSON, empty or huge', async () => {
    const { fake, sn } = setup({ client: { retry: { retries: 0 } } });
    fake.faults.add({ fault: { kind: 'status', status: 400, body: 'plain text' } });
    expect((await rejection(sn.incidents.search())).message).toContain('failed with 400');
    fake.faults.add({ fault: { kind: 'status', status: 400, body: '' } });
    expect((await rejection(sn.incidents.search())).message).toContain('failed with 400');
    fake.faults.add({ fault: { kind: 'status', status: 400, body: 'x'.repeat(5_000_000) } });
    const big = (await rejection(sn.incidents.search())) as UnexpectedResponseError;
    expect(String(big.body).length).toBeLessThanOrEqual(64 * 1024);
  });
});

describe('secrets', () => {
  const CANARY = 'canary-Pw-7c1e9b2f';

  it('never puts a password, client secret or token in messages, events or logs', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, f?: LogFields) => lines.push(m + JSON.stringify(f)),
      info: (m: string, f?: LogFields) => lines.push(m + JSON.stringify(f)),
      warn: (m: string, f?: LogFields) => lines.push(m + JSON.stringify(f)),
      error: (m: string, f?: LogFields) => lines.push(m + JSON.stringify(f)),
    };
    const seen: string[] = [];
    const errors: Error[] = [];
    const check = async (options: Partial<ServiceNowClientOptions>, fakeFaults?: (f: FakeServiceNow) => void) => {
      const { fake, sn } = setup({ client: { logger, ...options } });
      fakeFaults?.(fake);
      for (const event of ['request', 'response', 'retry', 'error'] as const) sn.events.on(event, (e: unknown) => seen.push(JSON.stringify(e, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v))));
      errors.push(await rejection(sn.incidents.create({ shortDescription: 'x' })));
    };
    await check({ auth: { type: 'basic', username: 'admin', password: CANARY } });
    await check({ auth: { type: 'oauth', grant: 'password', clientId: 'sandbox-client', clientSecret: CANARY, username: 'admin', password: CANARY } });
    await check({ auth: { type: 'apiKey', apiKey: CANARY } });
    await check({ auth: { type: 'bearer', token: CANARY } });
    // A server that echoes the secret back in its error envelope.
    await check({ auth: { type: 'basic', username: 'admin', password: CANARY }, retry: { retries: 1, minDelayMs: 1, jitter: 'none' } }, (fake) =>
      fake.faults.add({ fault: { kind: 'status', status: 503, body: { error: { message: `bad password ${CANARY}`, detail: CANARY }, status: 'failure' } }, times: 2 }),
    );
    expect(lines.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    for (const text of [...lines, ...seen, ...errors.map((e) => `${e.message} ${e.stack} ${JSON.stringify(e)} ${JSON.stringify((e as { platformError?: unknown }).platformError)}`)]) {
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain(btoa(`admin:${CANARY}`));
    }
  });

  it('keeps secrets out of ConfigError messages', () => {
    const error = configError({ instanceUrl: INSTANCE, auth: { type: 'basic', password: CANARY } });
    expect(error.message).not.toContain(CANARY);
  });
});
