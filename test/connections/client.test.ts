import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionsClient,
  type DataSourceUpdate,
  isAbortedError,
  isAuthError,
  isConfigError,
  isForbiddenError,
  isHttpError,
  isNetworkError,
  isNotFoundError,
  isServerError,
  isTimeoutError,
  isValidationError,
  type Logger,
} from '../../src/index.js';
import { createDataSourcesSandbox, FaultInjector, handlerFetch, type Handler, startSandbox, type Sandbox } from '../../src/testing/index.js';

const BASE = 'https://platform.example.com';
const CANARY = 'CANARY-cred-5a4b3c2d1e';
function setup(options: { wrap?: (h: Handler) => Handler; token?: string | (() => Promise<string>); logger?: Logger } = {}) {
  const sandbox = createDataSourcesSandbox({ sseRetryMs: 5 });
  const requests: { method: string; path: string; headers: Headers; body: string }[] = [];
  const inner = options.wrap ? options.wrap(sandbox.handler) : sandbox.handler;
  const recording: Handler = async (request) => {
    const body = request.method === 'GET' ? '' : await request.clone().text();
    requests.push({ method: request.method, path: new URL(request.url).pathname + new URL(request.url).search, headers: request.headers, body });
    return inner(request);
  };
  const client = new ConnectionsClient({
    baseUrl: BASE,
    token: options.token ?? 'demo-member-token',
    fetch: handlerFetch(recording),
    retry: { retries: 1, minDelayMs: 1 },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const admin = new ConnectionsClient({ baseUrl: BASE, token: 'demo-admin-token', fetch: handlerFetch(sandbox.handler) });
  return { sandbox, client, admin, requests };
}

async function byType(client: ConnectionsClient, type: string) {
  await client.seed();
  return (await client.list({ type }))[0]!;
}

describe('ConnectionsClient against the sandbox handler', () => {
  it('seeds, lists with filters, gets and maps to camelCase', async () => {
    const { client, requests } = setup();
    expect(await client.seed()).toEqual({ created: 6, existing: 0, message: 'Created 6 new data sources, 0 already existed' });
    const list = await client.list({ enabled: false, type: 'servicenow_itsm', status: 'idle' });
    expect(requests.at(-1)?.path).toBe('/api/data-sources?status=idle&type=servicenow_itsm&enabled=false');
    expect(requests.at(-1)?.headers.get('authorization')).toBe('Bearer demo-member-token');
    expect(list).toHaveLength(1);
    const c = await client.get(list[0]!.id);
    expect(c).toMatchObject({ type: 'servicenow_itsm', name: 'ServiceNow ITSM', status: 'idle', enabled: false, lastSyncStatus: null, latestOptions: null, config: {}, version: 1 });
  });

  it('takes an async token provider', async () => {
    let calls = 0;
    const { client } = setup({ token: async () => (calls++, 'demo-member-token') });
    await client.seed();
    expect(calls).toBe(1);
  });

  it('runs verify -> save -> sync and waits for each result through live updates', async () => {
    const { client } = setup();
    const conf = await byType(client, 'confluence');
    const verified = client.waitFor(conf.id, (s) => s.status === 'idle' && s.lastVerificationAt !== null, { timeoutMs: 5000 });
    expect(await client.verify(conf.id, { config: { url: 'https://acme.atlassian.net/wiki' }, credentials: { api_token: CANARY, email: 'a@acme.test' } })).toEqual({
      id: conf.id,
      status: 'verifying',
      message: 'Verification in progress',
    });
    expect(await verified).toMatchObject({ lastVerificationError: null, latestOptions: { spaces: ['ENG', 'PROD', 'DOCS'] } });
    const saved = await client.update(conf.id, { name: 'My Confluence', description: 'Eng', config: { spaceKeys: ['ENG', 'PROD'] }, enabled: true });
    expect(saved).toMatchObject({ name: 'My Confluence', enabled: true, config: { spaceKeys: ['ENG', 'PROD'] } });
    const started = await client.sync(conf.id);
    expect(started).toMatchObject({ id: conf.id, status: 'syncing' });
    const done = (await client.waitFor(conf.id, (s) => s.lastSyncStatus === 'completed', { timeoutMs: 5000 })) as DataSourceUpdate;
    expect(done).toMatchObject({ status: 'idle', lastSyncStatus: 'completed', lastSyncError: null });
    expect(await client.get(conf.id)).toMatchObject({ status: 'idle', lastSyncStatus: 'completed' });
  });

  it('does not send verify again after it may have reached the server (the external service would verify twice)', async () => {
    const faults = new FaultInjector();
    const { client, sandbox } = setup({ wrap: (h) => faults.wrap(h) });
    const conf = await byType(client, 'confluence');
    faults.add({ fault: { kind: 'drop', when: 'after' }, match: { path: '/verify' } });
    const error = await client.verify(conf.id, { credentials: { api_token: 'good' } }).catch((e: unknown) => e);
    expect(isNetworkError(error) && [error.maybeSent, error.retry.attempts]).toEqual([true, 1]);
    expect((error as Error).message).toMatch(/Not retried.*status verifying/);
    faults.add({ fault: { kind: 'statusAfter', status: 502 }, match: { path: '/verify' } });
    expect(isServerError(await client.verify(conf.id, { credentials: { api_token: 'good' } }).catch((e: unknown) => e))).toBe(true);
    expect(sandbox.fake.syncService.received.filter((w) => w['action'] === 'verify_credentials')).toHaveLength(2);
    // Refused before sending is still retried.
    faults.add({ fault: { kind: 'drop', when: 'before' }, match: { path: '/verify' } });
    expect(await client.verify(conf.id, { credentials: { api_token: 'good' } })).toMatchObject({ status: 'verifying' });
    expect(sandbox.fake.syncService.received.filter((w) => w['action'] === 'verify_credentials')).toHaveLength(3);
  });

  it('surfaces failed verification and failed sync as state, not exceptions', async () => {
    const { client, sandbox } = setup();
    const conf = await byType(client, 'confluence');
    await client.verify(conf.id, { credentials: { api_token: 'invalid' } });
    expect(await client.waitFor(conf.id, (s) => s.lastVerificationError !== null, { timeoutMs: 5000 })).toMatchObject({ status: 'idle', lastVerificationError: 'Invalid API token or insufficient permissions' });
    await client.verify(conf.id, { credentials: { api_token: 'good' } });
    await client.waitFor(conf.id, (s) => s.lastVerificationError === null && s.status === 'idle', { timeoutMs: 5000 });
    await client.patch(conf.id, { enabled: true });
    sandbox.fake.syncService.failSyncsWith = 'Space ENG is archived';
    await client.sync(conf.id);
    expect(await client.waitFor(conf.id, (s) => s.lastSyncStatus === 'failed', { timeoutMs: 5000 })).toMatchObject({ status: 'idle', lastSyncError: 'Space ENG is archived' });
  });

  it('turns API error bodies into typed errors', async () => {
    const { client } = setup();
    const conf = await byType(client, 'confluence');
    const invalid = await client.list({ type: 'gdrive' }).catch((e: unknown) => e);
    expect(isHttpError(invalid) && invalid.status).toBe(400);
    expect(isHttpError(invalid) && invalid.platformError).toEqual({
      message: 'Invalid data source type',
      detail: "Type 'gdrive' is not supported",
      issues: [{ field: 'type', rule: 'enum', message: 'must be one of: confluence, servicenow, servicenow_itsm, sharepoint, websearch, jira' }],
    });
    expect(isNotFoundError(await client.get('missing').catch((e: unknown) => e))).toBe(true);
    const disabled = await client.sync(conf.id).catch((e: unknown) => e);
    expect(isHttpError(disabled) && [disabled.status, disabled.platformError?.message]).toEqual([409, 'Connection is disabled']);
    await client.patch(conf.id, { enabled: true });
    expect(isForbiddenError(await client.patch(conf.id, { enabled: false }).catch((e: unknown) => e))).toBe(true);
    const bad = new ConnectionsClient({ baseUrl: BASE, token: 'nope', fetch: handlerFetch(setup().sandbox.handler) });
    expect(isAuthError(await bad.list().catch((e: unknown) => e))).toBe(true);
    expect(isConfigError((() => { try { return new ConnectionsClient({ baseUrl: BASE }); } catch (e) { return e; } })())).toBe(true);
  });

  it('refuses ticket sync for non-ITSM types before the sync request', async () => {
    const { client, requests } = setup();
    const kb = await byType(client, 'servicenow');
    const before = requests.length;
    const known = await client.syncTickets(kb).catch((e: unknown) => e);
    expect(isValidationError(known)).toBe(true);
    expect(requests.length).toBe(before);
    const byId = await client.syncTickets(kb.id).catch((e: unknown) => e);
    expect(isValidationError(byId)).toBe(true);
    expect(requests.slice(before).map((r) => r.method)).toEqual(['GET']);
    const itsm = (await client.list({ type: 'servicenow_itsm' }))[0]!;
    await client.verify(itsm.id, { credentials: { username: 'u', password: 'p-secret' } });
    await client.waitFor(itsm.id, (s) => s.lastVerificationAt !== null, { timeoutMs: 5000 });
    await client.patch(itsm.id, { enabled: true });
    expect(await client.syncTickets(itsm)).toMatchObject({ status: 'syncing' });
    expect(requests.at(-1)?.path).toBe(`/api/data-sources/${itsm.id}/sync-tickets`);
    expect(await client.waitFor(itsm.id, (s) => s.lastSyncStatus === 'completed', { timeoutMs: 5000 })).toMatchObject({ status: 'idle' });
    expect((await client.get(kb.id)).status).toBe('idle');
  });

  it('manages credential delegations, checking itsm_system_type before sending', async () => {
    const { client, requests } = setup();
    const before = requests.length;
    expect(isValidationError(await client.createDelegation({ itsmSystemType: 'servicenow' as never, delegateEmail: 'a@b.c' }).catch((e: unknown) => e))).toBe(true);
    expect(isValidationError(await client.listDelegations({ itsmSystemType: 'sharepoint' as never }).catch((e: unknown) => e))).toBe(true);
    expect(requests.length).toBe(before);
    const created = await client.createDelegation({ itsmSystemType: 'jira', delegateEmail: 'jira-admin@acme.test' });
    expect(created).toMatchObject({ itsmSystemType: 'jira', delegateEmail: 'jira-admin@acme.test', status: 'pending', revokedAt: null });
    expect(typeof created.token).toBe('string');
    expect(JSON.parse(requests.at(-1)!.body)).toEqual({ itsm_system_type: 'jira', delegate_email: 'jira-admin@acme.test' });
    expect(await client.listDelegations({ itsmSystemType: 'jira' })).toHaveLength(1);
    expect(await client.revokeDelegation(created.id)).toMatchObject({ id: created.id, status: 'revoked' });
  });
});

describe('ConnectionsClient live updates', () => {
  it('reconnects with Last-Event-ID and receives what it missed', async () => {
    let streams = 0;
    const lastEventIds: (string | null)[] = [];
    const { client, admin } = setup({
      wrap: (handler) => async (request) => {
        const response = await handler(request);
        if (new URL(request.url).pathname !== '/api/sse') return response;
        lastEventIds.push(request.headers.get('last-event-id'));
        if (streams++ > 0) return response;
        // The first stream drops right after its first update.
        const reader = response.body!.getReader();
        let updates = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const { done, value } = await reader.read();
            if (done || updates >= 1) {
              await reader.cancel();
              controller.close();
              return;
            }
            if (new TextDecoder().decode(value).includes('data_source_update')) updates++;
            controller.enqueue(value);
          },
        });
        return new Response(body, { status: response.status, headers: response.headers });
      },
    });
    const conf = await byType(client, 'confluence');
    const watch = client.watch();
    const received: string[] = [];
    const done = (async () => {
      for await (const update of watch) {
        received.push(update.trigger);
        if (received.length === 3) break;
      }
    })();
    await watch.connected;
    await admin.patch(conf.id, { name: 'one' });
    await admin.patch(conf.id, { name: 'two' });
    await admin.patch(conf.id, { name: 'three' });
    await done;
    expect(received).toEqual(['updated', 'updated', 'updated']);
    expect(lastEventIds[0]).toBeNull();
    expect(lastEventIds[1]).toBe('1');
    expect(watch.reconnects).toBe(1);
  });

  it('rejects waitFor with a TimeoutError, or an AbortedError when aborted', async () => {
    const { client } = setup();
    const conf = await byType(client, 'confluence');
    const timedOut = await client.waitFor(conf.id, (s) => s.status === 'syncing', { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(isTimeoutError(timedOut)).toBe(true);
    expect((timedOut as Error).message).toContain(`connection ${conf.id} did not reach the expected state`);
    const abort = new AbortController();
    const pending = client.waitFor(conf.id, (s) => s.status === 'syncing', { timeoutMs: 5000, signal: abort.signal });
    setTimeout(() => abort.abort(), 10);
    expect(isAbortedError(await pending.catch((e: unknown) => e))).toBe(true);
  });

  it('resolves at once when the current state already matches', async () => {
    const { client } = setup();
    const conf = await byType(client, 'confluence');
    expect(await client.waitFor(conf.id, (s) => s.status === 'idle', { timeoutMs: 1000 })).toMatchObject({ status: 'idle' });
  });

  it('streams over a real loopback server (startSandbox)', async () => {
    const sandbox: Sandbox = await startSandbox();
    try {
      const client = new ConnectionsClient({ baseUrl: sandbox.datasources.url, token: sandbox.datasources.credentials['token']! });
      const conf = await byType(client, 'websearch');
      await client.patch(conf.id, { enabled: true });
      await client.sync(conf.id);
      expect(await client.waitFor(conf.id, (s) => s.lastSyncStatus === 'completed', { timeoutMs: 5000 })).toMatchObject({ status: 'idle' });
    } finally {
      await sandbox.close();
    }
  });
});

describe('credentials never leak from the client (canary)', () => {
  const lines: string[] = [];
  const logger: Logger = {
    debug: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`),
    info: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`),
    warn: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`),
    error: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`),
  };
  afterEach(() => void lines.splice(0));

  it('sends credentials only in verify, and keeps them out of errors, events, logs, the store and the fake', async () => {
    const echo: (h: Handler) => Handler = (handler) => async (request) => {
      if (request.url.endsWith('/verify') && request.headers.get('x-echo')) {
        const body = await request.text();
        return new Response(JSON.stringify({ error: 'Bad credentials', message: `you sent ${body}` }), { status: 400, headers: { 'content-type': 'application/json' } });
      }
      return handler(request);
    };
    const { client, requests, sandbox } = setup({ wrap: echo, logger });
    const events: unknown[] = [];
    for (const name of ['request', 'response', 'retry', 'error'] as const) client.events.on(name, (e: unknown) => events.push(e));
    const conf = await byType(client, 'confluence');
    await client.verify(conf.id, { credentials: { api_token: CANARY } });
    await client.waitFor(conf.id, (s) => s.lastVerificationAt !== null, { timeoutMs: 5000 });
    await client.update(conf.id, { name: 'x', config: {}, enabled: true });
    await client.sync(conf.id);
    await client.waitFor(conf.id, (s) => s.lastSyncStatus !== null, { timeoutMs: 5000 });
    expect(requests.filter((r) => r.body.includes(CANARY)).map((r) => r.path)).toEqual([`/api/data-sources/${conf.id}/verify`]);

    const echoing = new ConnectionsClient({ baseUrl: BASE, token: 'demo-member-token', headers: { 'x-echo': '1' }, fetch: handlerFetch(echo(sandbox.handler)), logger });
    echoing.events.on('error', (e) => events.push(e));
    const error = await echoing.verify(conf.id, { credentials: { api_token: CANARY } }).catch((e: unknown) => e);
    expect(isHttpError(error)).toBe(true);
    const err = error as Error & { platformError?: unknown; body?: unknown };
    for (const text of [err.message, err.stack ?? '', JSON.stringify(err.platformError), JSON.stringify(err.body ?? null)]) expect(text).not.toContain(CANARY);
    expect(JSON.stringify(events.map((e) => ({ ...(e as object), error: (e as { error?: Error }).error?.message })))).not.toContain(CANARY);
    expect(lines.join('\n')).not.toContain(CANARY);
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(await sandbox.fake.store.list(sandbox.fake.actors.member.organizationId))).not.toContain(CANARY);
    expect(JSON.stringify(sandbox.fake.audit.entries)).not.toContain(CANARY);
    expect(JSON.stringify(sandbox.fake.syncService.received)).not.toContain(CANARY);
    // Nothing is kept once verify returned.
    expect((client as unknown as { inFlightSecrets: Map<string, number> }).inFlightSecrets.size).toBe(0);
  });
});
