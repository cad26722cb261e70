import { describe, expect, it } from 'vitest';
import { type ConfigError, type HttpError, isAuthError, isConfigError, isNotFoundError, isRateLimitError, type RateLimitError } from '../../src/core/errors.js';
import type { RetryEvent } from '../../src/core/events.js';
import type { OAuthTokens } from '../../src/core/oauth.js';
import { JiraClient, type JiraClientOptions } from '../../src/jira/client.js';
import { FakeJira } from '../../src/testing/fake-jira/fake-jira.js';
import { BASE, FakeClock, setup, unexpected } from './support.js';

function configError(options: Partial<JiraClientOptions>): ConfigError {
  try {
    new JiraClient({ baseUrl: BASE, ...options } as JiraClientOptions);
  } catch (error) {
    expect(isConfigError(error)).toBe(true);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('names the missing credential field', () => {
    expect(configError({}).issues[0]?.field).toBe('auth');
    expect(configError({ auth: { type: 'basic', email: 'a@b.c', apiToken: '' } }).issues[0]?.field).toBe('auth.apiToken');
    expect(configError({ auth: { type: 'basic', email: '', apiToken: 't' } }).issues[0]?.field).toBe('auth.email');
    expect(configError({ auth: { type: 'bearer', token: '' } }).issues[0]?.field).toBe('auth.token');
    expect(configError({ auth: { type: 'oauth', cloudId: '', accessToken: 'a' } }).issues[0]?.field).toBe('auth.cloudId');
    expect(configError({ auth: { type: 'oauth', cloudId: 'c', accessToken: 'a', refreshToken: 'r' } }).issues[0]?.field).toBe('auth.clientId');
    expect(configError({ auth: { type: 'nope' } as never }).issues[0]?.field).toBe('auth.type');
    expect(configError({ baseUrl: '', auth: { type: 'bearer', token: 't' } }).issues[0]?.field).toBe('baseUrl');
    expect(configError({ deployment: 'datacenter', auth: { type: 'oauth', cloudId: 'c', accessToken: 'a' } }).issues[0]?.field).toBe('auth.type');
  });
});

describe('testConnection and bad credentials', () => {
  it('reports the user on success (Cloud /rest/api/3/myself, DC /rest/api/2/myself)', async () => {
    const cloud = setup();
    expect(await cloud.jira.testConnection()).toMatchObject({ ok: true, deployment: 'cloud', user: { accountId: '557058:demo-account', emailAddress: 'demo@example.com' } });
    expect(cloud.fake.requests.at(-1)?.path).toBe('/rest/api/3/myself');
    const dc = setup({ fake: { deployment: 'datacenter' } });
    expect((await dc.jira.testConnection()).ok).toBe(true);
    expect(dc.fake.requests.at(-1)?.path).toBe('/rest/api/2/myself');
  });

  it('reports refused credentials from /myself (401 text/html)', async () => {
    const { jira } = setup({ client: { auth: { type: 'basic', email: 'demo@example.com', apiToken: 'wrong' } } });
    const result = await jira.testConnection();
    expect(result).toMatchObject({ ok: false, reason: 'credentials' });
    if (result.ok) return;
    expect(isAuthError(result.error)).toBe(true);
    expect((result.error as HttpError).platformError?.message).toBe('Client must be authenticated to access this resource.');
    expect(result.message).toContain('Client must be authenticated');
  });

  it('scrubs a secret echoed in a text error body (found by the canary suite)', async () => {
    const { fake, jira } = setup();
    fake.faults.add({ fault: { kind: 'status', status: 503, body: 'upstream rejected token sandbox-api-token' }, times: 5 });
    const error = (await jira.issues.get('OPS-1').then(unexpected, (e: unknown) => e)) as HttpError;
    expect(error.status).toBe(503);
    expect(error.platformError?.message).toBe('upstream rejected token [REDACTED]');
    expect(error.message).not.toContain('sandbox-api-token');
    expect(JSON.stringify(error)).not.toContain('sandbox-api-token');
  });

  it('keeps an unreadable 2xx body (issue data) out of the error message', async () => {
    const { fake, jira } = setup();
    const { key } = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Payroll of Jane Roe' });
    fake.faults.add({ fault: { kind: 'truncate' }, match: { method: 'GET' } });
    const error = (await jira.issues.get(key).then(unexpected, (e: unknown) => e)) as HttpError;
    expect(error.name).toBe('UnexpectedResponseError');
    expect(error.platformError).toBeUndefined();
    expect(error.message).not.toContain('Jane Roe');
    expect(String(error.body)).toContain('Jane Roe');
  });

  it('explains a 404 caused by credentials Jira treated as anonymous, checking /myself once', async () => {
    const clock = new FakeClock();
    const fake = new FakeJira({ now: () => clock.now() });
    const good = new JiraClient({ baseUrl: BASE, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' }, fetch: fake.fetch, clock });
    const { key } = await good.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' });
    const bad = new JiraClient({ baseUrl: BASE, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'expired-token' }, fetch: fake.fetch, clock });
    const first = (await bad.issues.get(key).then(unexpected, (e: unknown) => e)) as HttpError;
    expect(isNotFoundError(first)).toBe(true);
    expect(first.message).toContain('GET /myself refused these credentials: they are the likely cause');
    expect(first.platformError?.message).toBe('Issue does not exist or you do not have permission to see it.');
    await bad.issues.get(key).catch(() => undefined);
    expect(fake.requests.filter((r) => r.path === '/rest/api/3/myself')).toHaveLength(1);
    // Search does not fail at all: Jira answers the anonymous view.
    const found = [];
    for await (const i of bad.issues.iterate('project = OPS')) found.push(i);
    expect(found).toEqual([]);
    // With good credentials a 404 is just a 404.
    const missing = (await good.issues.get('OPS-999').then(unexpected, (e: unknown) => e)) as HttpError;
    expect(missing.message).not.toContain('likely cause');
  });
});

describe('rate limits', () => {
  const headers = {
    'retry-after': '0',
    'x-ratelimit-reset': '2030-01-01T10:00Z',
    'x-ratelimit-limit': '100',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-nearlimit': 'true',
    'ratelimit-reason': 'jira-burst-based',
  };

  it('honours Retry-After: 0 and records the rate-limit headers on the retry event', async () => {
    const { fake, jira, clock } = setup();
    fake.faults.add({ fault: { kind: 'status', status: 429, headers }, match: { path: '/rest/api/3/issue' } });
    const events: RetryEvent[] = [];
    jira.events.on('retry', (e) => events.push(e));
    const created = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' });
    expect(created.retry).toMatchObject({ attempts: 2, delaysMs: [0] });
    expect(clock.sleeps).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ platform: 'jira', status: 429, delayMs: 0, operation: 'jira.issue.create' });
    expect(events[0]?.rateLimit).toEqual({ retryAfterMs: 0, resetAt: new Date('2030-01-01T10:00:00Z'), limit: 100, remaining: 0, nearLimit: true, reason: 'jira-burst-based' });
  });

  it('waits Retry-After seconds on the injected clock, then gives a RateLimitError with the headers', async () => {
    const { fake, jira, clock } = setup();
    fake.faults.add({ fault: { kind: 'status', status: 429, headers: { ...headers, 'retry-after': '3' } }, times: 10 });
    const error = (await jira.issues.get('OPS-1').then(unexpected, (e: unknown) => e)) as RateLimitError;
    expect(isRateLimitError(error)).toBe(true);
    expect(clock.sleeps).toEqual([3000, 3000, 3000]);
    expect(error.retry.attempts).toBe(4);
    expect(error.retryAfterMs).toBe(3000);
    expect(error.rateLimit).toMatchObject({ resetAt: new Date('2030-01-01T10:00:00Z'), nearLimit: true, reason: 'jira-burst-based', remaining: 0 });
  });

  it('honours Retry-After on a 503 too', async () => {
    const { fake, jira, clock } = setup();
    fake.faults.add({ fault: { kind: 'status', status: 503, headers: { 'retry-after': '2' } } });
    expect(await jira.issues.count('project = OPS')).toBe(0);
    expect(clock.sleeps).toEqual([2000]);
  });
});

describe('OAuth 2.0 (3LO)', () => {
  function oauthSetup(expiresAt?: number) {
    const clock = new FakeClock();
    const fake = new FakeJira({ now: () => clock.now() });
    const persisted: OAuthTokens[] = [];
    const { cloudId, clientId, clientSecret } = fake.oauth;
    const jira = new JiraClient({
      auth: {
        type: 'oauth',
        cloudId,
        accessToken: fake.grantAccessToken(),
        refreshToken: fake.currentRefreshToken,
        clientId,
        clientSecret,
        ...(expiresAt === undefined ? {} : { expiresAt }),
        onTokens: (t) => void persisted.push(t),
      },
      fetch: fake.fetch,
      clock,
    });
    return { fake, jira, clock, persisted };
  }

  it('calls through the gateway with the access token', async () => {
    const { fake, jira } = oauthSetup();
    await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' });
    const sent = fake.requests.at(-1);
    expect(sent?.url).toBe('https://api.atlassian.com/ex/jira/sandbox-cloud/rest/api/3/issue');
    expect(sent?.headers['authorization']).toBe('Bearer sandbox-access-1');
    expect(fake.tokenRequests).toBe(0);
  });

  it('refreshes once for concurrent calls after a 401, persists the rotated refresh token, and keeps working', async () => {
    const { fake, jira, persisted } = oauthSetup();
    fake.expireAccessTokens();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: `c${i}` })));
    expect(results).toHaveLength(10);
    expect(fake.tokenRequests).toBe(1);
    const refresh = fake.requests.find((r) => r.path === '/oauth/token');
    expect(refresh?.url).toBe('https://auth.atlassian.com/oauth/token');
    expect(refresh?.headers['content-type']).toBe('application/json');
    expect(refresh?.body).toEqual({ grant_type: 'refresh_token', client_id: 'sandbox-client', client_secret: 'sandbox-client-secret', refresh_token: 'sandbox-refresh-token-0' });
    expect(persisted).toHaveLength(1);
    expect(persisted[0]?.refreshToken).toBe(fake.currentRefreshToken);
    expect(persisted[0]?.refreshToken).not.toBe('sandbox-refresh-token-0');
    // The old refresh token is dead; the next refresh must use the rotated one.
    fake.expireAccessTokens();
    await jira.issues.get(results[0]?.key as string);
    expect(fake.tokenRequests).toBe(2);
    expect(persisted[1]?.refreshToken).toBe(fake.currentRefreshToken);
  });

  it('refreshes ahead of expiry without a failed call', async () => {
    const { fake, jira } = oauthSetup(new FakeClock().now() + 30_000);
    await jira.issues.count('project = OPS');
    expect(fake.tokenRequests).toBe(1);
    expect(fake.requests.filter((r) => r.path !== '/oauth/token').every((r) => r.headers['authorization'] === 'Bearer sandbox-access-2')).toBe(true);
  });
});
