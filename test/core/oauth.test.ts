import { unexpected } from '../helpers/expect-failure.js';
import { describe, expect, it, vi } from 'vitest';
import { bearerAuth, basicAuth, dynamicAuth, headerAuth } from '../../src/core/auth.js';
import { isAuthError, isConfigError, type HttpError } from '../../src/core/errors.js';
import { oauth2Auth, type OAuthTokens } from '../../src/core/oauth.js';
import { Transport } from '../../src/core/transport.js';
import { handlerFetch, json, type Handler } from '../../src/testing/handler.js';
import { FakeClock } from '../helpers/fake-clock.js';

const SECRET = 'canary-client-secret-77';

/** A token endpoint and an API that accepts only the newest token. */
function server() {
  let issued = 0;
  const grants: Record<string, string>[] = [];
  let valid = new Set<string>();
  const handler: Handler = async (req) => {
    const url = new URL(req.url);
    if (url.pathname === '/oauth_token.do') {
      if (!req.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) return json({ error: 'server_error' }, 400);
      const form = Object.fromEntries(new URLSearchParams(await req.text()));
      grants.push(form);
      if (form['client_secret'] !== SECRET) return json({ error: 'access_denied', error_description: 'bad client' }, 401);
      if (form['grant_type'] === 'refresh_token' && form['refresh_token'] === 'dead') return json({ error: 'invalid_grant' }, 401);
      issued++;
      const access = `access-${issued}`;
      valid = new Set([access]);
      return json({ access_token: access, refresh_token: `refresh-${issued}`, expires_in: 1800, token_type: 'Bearer' });
    }
    const token = req.headers.get('authorization')?.replace('Bearer ', '') ?? '';
    return valid.has(token) ? json({ result: token }) : json({ error: { message: 'User Not Authenticated' } }, 401);
  };
  return { handler, grants, revoke: () => (valid = new Set()) };
}

function client(auth: Parameters<typeof oauth2Auth>[0] | ReturnType<typeof oauth2Auth>, s = server(), clock = new FakeClock()) {
  const provider = 'headers' in auth ? auth : oauth2Auth({ clock, ...auth });
  const t = new Transport({ baseUrl: 'https://acme.service-now.com', platform: 'servicenow', auth: provider, fetch: handlerFetch(s.handler), clock });
  return { t, s, clock };
}

const base = { tokenUrl: '/oauth_token.do', clientId: 'cid', clientSecret: SECRET } as const;

describe('oauth2Auth', () => {
  it('runs the password grant form-encoded and caches the token', async () => {
    const { t, s } = client({ ...base, grant: 'password', username: 'admin', password: 'pw' });
    await t.request({ method: 'GET', path: '/api/now/table/incident' });
    await t.request({ method: 'GET', path: '/api/now/table/incident' });
    expect(s.grants).toHaveLength(1);
    expect(s.grants[0]).toMatchObject({ grant_type: 'password', username: 'admin', password: 'pw', client_id: 'cid' });
  });

  it('shares one in-flight token request between concurrent calls', async () => {
    const { t, s } = client({ ...base, grant: 'client_credentials' });
    const results = await Promise.all(Array.from({ length: 20 }, () => t.request<{ result: string }>({ method: 'GET', path: '/x' })));
    expect(s.grants).toHaveLength(1);
    expect(new Set(results.map((r) => r.data.result))).toEqual(new Set(['access-1']));
  });

  it('refreshes ahead of expiry with the refresh token and reports rotated tokens', async () => {
    const onTokens = vi.fn((_: OAuthTokens) => {});
    const { t, s, clock } = client({ ...base, grant: 'password', username: 'u', password: 'p', onTokens });
    await t.request({ method: 'GET', path: '/x' });
    clock.advance(1800_000 - 30_000); // inside the 60 s refresh-ahead window
    await t.request({ method: 'GET', path: '/x' });
    expect(s.grants.map((g) => g['grant_type'])).toEqual(['password', 'refresh_token']);
    expect(s.grants[1]?.['refresh_token']).toBe('refresh-1');
    expect(onTokens.mock.calls.map((c) => c[0].refreshToken)).toEqual(['refresh-1', 'refresh-2']);
  });

  it('re-authenticates once on 401 and retries the call', async () => {
    const { t, s } = client({ ...base, grant: 'client_credentials' });
    await t.request({ method: 'GET', path: '/x' });
    s.revoke();
    await expect(t.request<{ result: string }>({ method: 'GET', path: '/x' })).resolves.toMatchObject({ data: { result: 'access-2' } });
  });

  it('falls back to the original grant when the refresh token is dead', async () => {
    const { t, s } = client({ ...base, grant: 'password', username: 'u', password: 'p', refreshToken: 'dead' });
    await t.request({ method: 'GET', path: '/x' });
    expect(s.grants.map((g) => g['grant_type'])).toEqual(['refresh_token', 'password']);
  });

  it('fails with AuthError when the client secret is refused, without leaking it', async () => {
    const { t } = client(oauth2Auth({ ...base, clientSecret: `${SECRET}-wrong`, grant: 'client_credentials' }));
    const error = await t.request({ method: 'GET', path: '/x' }).then(unexpected, (e: unknown) => e as HttpError);
    expect(isAuthError(error)).toBe(true);
    expect(error.platform).toBe('servicenow');
    expect(error.url).toContain('/oauth_token.do');
    expect(error.message).not.toContain(SECRET);
  });

  it('names the missing field', () => {
    for (const [opts, field] of [
      [{ ...base, grant: 'password', username: 'u' }, 'auth.password'],
      [{ ...base, grant: 'refresh_token' }, 'auth.refreshToken'],
      [{ ...base, clientSecret: '', grant: 'client_credentials' }, 'auth.clientSecret'],
    ] as const) {
      try {
        oauth2Auth(opts as never);
        expect.unreachable();
      } catch (error) {
        expect(isConfigError(error)).toBe(true);
        expect((error as Error).message).toContain(field);
      }
    }
  });
});

describe('static and dynamic auth', () => {
  it('requires credentials, naming the field', () => {
    expect(() => basicAuth('admin', '')).toThrow(/auth.password/);
    expect(() => basicAuth('', 'x', { user: 'auth.email', secret: 'auth.apiToken' })).toThrow(/auth.email/);
    expect(() => bearerAuth('')).toThrow(/auth.token/);
    expect(() => headerAuth('x-sn-apikey', '')).toThrow(/auth.apiKey/);
  });

  it('basic auth encodes UTF-8 credentials', async () => {
    const headers = await basicAuth('jörg', 'pä$$').headers({} as never);
    expect(headers['authorization']).toBe(`Basic ${Buffer.from('jörg:pä$$').toString('base64')}`);
  });

  it('dynamicAuth loads credentials per request and reuses an unchanged provider', async () => {
    let key = 'k1';
    const build = vi.fn((k: string) => headerAuth('x-sn-apikey', k));
    const auth = dynamicAuth(async () => key, build);
    expect(await auth.headers({} as never)).toEqual({ 'x-sn-apikey': 'k1' });
    expect(await auth.headers({} as never)).toEqual({ 'x-sn-apikey': 'k1' });
    expect(build).toHaveBeenCalledTimes(1);
    key = 'k2';
    expect(await auth.refresh?.({} as never)).toBe(true);
    expect(await auth.headers({} as never)).toEqual({ 'x-sn-apikey': 'k2' });
  });
});
