import { describe, expect, it } from 'vitest';
import {
  type Actor,
  type Clock,
  ConnectionService,
  type DataSourceError,
  type DataSourceUpdate,
  HttpWebhookTransport,
  isDataSourceError,
  MemoryAuditLog,
  MemoryConnectionStore,
  type WebhookPayload,
  type WebhookTransport,
} from '../../src/index.js';
import { handlerFetch, json, serveHandler } from '../../src/testing/index.js';

const CANARY = 'CANARY-secret-9f8e7d6c';
const T0 = Date.parse('2025-10-01T10:00:00.000Z');
const clock: Clock = { now: () => T0, sleep: async () => {} };
const member: Actor = { userId: 'u-member', userEmail: 'member@example.com', organizationId: 'org-a', role: 'member' };
const admin: Actor = { ...member, userId: 'u-admin', userEmail: 'admin@example.com', role: 'admin' };
const owner: Actor = { ...member, userId: 'u-owner', role: 'owner' };
const otherOrg: Actor = { ...admin, userId: 'u-b', organizationId: 'org-b' };

class RecordingWebhook implements WebhookTransport {
  readonly sent: WebhookPayload[] = [];
  fail: Error | undefined;
  async send(payload: WebhookPayload): Promise<void> {
    this.sent.push(payload);
    if (this.fail) throw this.fail;
  }
}

function setup() {
  const webhook = new RecordingWebhook();
  const store = new MemoryConnectionStore();
  const audit = new MemoryAuditLog();
  let n = 0;
  const service = new ConnectionService({ webhook, store, audit, clock, source: 'rita-data-sources', newId: () => `id-${++n}` });
  const events: DataSourceUpdate[] = [];
  for (const org of ['org-a', 'org-b']) service.updates.subscribe(org, (p) => events.push(p.update));
  return { webhook, store, audit, service, events };
}

async function seeded() {
  const s = setup();
  await s.service.seed(member);
  const byType = async (actor: Actor, type: string) => (await s.service.list(actor, { type }))[0]!;
  return { ...s, byType };
}

async function expectCode(promise: Promise<unknown>, code: string, status: number) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDataSourceError(error), String(error)).toBe(true);
  if (isDataSourceError(error)) {
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  }
  return error as DataSourceError;
}

/** Verified and enabled: ready to sync. */
async function ready(s: Awaited<ReturnType<typeof seeded>>, type: string) {
  const c = await s.byType(member, type);
  const row = await s.store.get('org-a', c.id);
  await s.store.update({ ...row!, enabled: true, lastVerificationAt: new Date(T0).toISOString(), version: row!.version + 1 }, row!.version);
  return c.id;
}

describe('ConnectionService.seed', () => {
  it('creates the six defaults once per organization, idempotently', async () => {
    const { service } = setup();
    expect(await service.seed(member)).toEqual({ created: 6, existing: 0, message: 'Created 6 new data sources, 0 already existed' });
    expect(await service.seed(admin)).toEqual({ created: 0, existing: 6, message: 'Created 0 new data sources, 6 already existed' });
    const list = await service.list(member);
    expect(list.map((c) => c.type).sort()).toEqual(['confluence', 'jira', 'servicenow', 'servicenow_itsm', 'sharepoint', 'websearch']);
    expect(list.every((c) => c.status === 'idle' && !c.enabled && c.version === 1)).toBe(true);
  });

  it('is safe when seeds race', async () => {
    const { service } = setup();
    const results = await Promise.all([service.seed(member), service.seed(member), service.seed(admin)]);
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(6);
    expect(await service.list(member)).toHaveLength(6);
  });

  it('gives an organization with an old single ServiceNow row the ITSM one, leaving the old row untouched', async () => {
    const { service, store } = setup();
    await store.insert({ ...(await (async () => { await service.seed(otherOrg); return (await service.list(otherOrg, { type: 'servicenow' }))[0]!; })()), id: 'legacy', organizationId: 'org-a', name: 'ServiceNow' });
    const result = await service.seed(member);
    expect(result.created).toBe(5);
    expect((await service.list(member, { type: 'servicenow' }))[0]).toMatchObject({ id: 'legacy', name: 'ServiceNow' });
    expect(await service.list(member, { type: 'servicenow_itsm' })).toHaveLength(1);
  });
});

describe('ConnectionService reads', () => {
  it('scopes by organization: another tenant sees nothing and gets not_found', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    expect(await s.service.list(otherOrg)).toEqual([]);
    await expectCode(s.service.get(otherOrg, conf.id), 'not_found', 404);
    await expectCode(s.service.patch(otherOrg, conf.id, { name: 'x' }), 'not_found', 404);
    await expectCode(s.service.verify(otherOrg, conf.id, { credentials: { t: 'x' } }), 'not_found', 404);
  });

  it('filters, and refuses an unknown type with the allowed types and an unknown status', async () => {
    const s = await seeded();
    expect(await s.service.list(member, { type: 'jira' })).toHaveLength(1);
    expect(await s.service.list(member, { enabled: true })).toEqual([]);
    expect(await s.service.list(member, { status: 'idle' })).toHaveLength(6);
    const bad = await expectCode(s.service.list(member, { type: 'gdrive' }), 'invalid_type', 400);
    expect(bad.body()).toEqual({
      error: 'Invalid data source type',
      message: "Type 'gdrive' is not supported",
      allowed_types: ['confluence', 'servicenow', 'servicenow_itsm', 'sharepoint', 'websearch', 'jira'],
    });
    await expectCode(s.service.list(member, { status: 'unconfigured' }), 'invalid_request', 400);
  });

  it('hides soft-deleted rows, and seeding brings the type back', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    await expectCode(s.service.remove(member, conf.id), 'forbidden', 403);
    const removed = await s.service.remove(owner, conf.id);
    expect(removed).toEqual({ id: conf.id, deletedAt: new Date(T0).toISOString() });
    await expectCode(s.service.get(member, conf.id), 'not_found', 404);
    expect(await s.service.list(member, { type: 'confluence' })).toEqual([]);
    expect((await s.service.seed(member)).created).toBe(1);
  });
});

describe('ConnectionService.verify', () => {
  it('sets verifying and sends the verify_credentials webhook in its documented shape', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    const result = await s.service.verify(member, conf.id, { config: { url: 'https://company.atlassian.net/wiki' }, credentials: { api_token: CANARY, email: 'user@company.com' } });
    expect(result).toEqual({ id: conf.id, status: 'verifying', message: 'Verification in progress' });
    expect((await s.service.get(member, conf.id)).status).toBe('verifying');
    expect(s.webhook.sent).toHaveLength(1);
    const payload = s.webhook.sent[0]!;
    expect(Object.keys(payload)).toEqual(['source', 'action', 'user_email', 'user_id', 'tenant_id', 'timestamp', 'connection_id', 'connection_type', 'settings', 'credentials']);
    expect(payload).toEqual({
      source: 'rita-data-sources',
      action: 'verify_credentials',
      user_email: 'member@example.com',
      user_id: 'u-member',
      tenant_id: 'org-a',
      timestamp: '2025-10-01T10:00:00.000Z',
      connection_id: conf.id,
      connection_type: 'confluence',
      settings: { url: 'https://company.atlassian.net/wiki' },
      credentials: { api_token: CANARY, email: 'user@company.com' },
    });
    expect(s.events.map((e) => [e.trigger, e.status])).toEqual([['verify_requested', 'verifying']]);
  });

  it('goes back to idle with the error when the webhook fails, and throws webhook_failed', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    s.webhook.fail = new Error(`connection refused ${CANARY}`);
    await expectCode(s.service.verify(member, conf.id, { credentials: { api_token: CANARY } }), 'webhook_failed', 502);
    const after = await s.service.get(member, conf.id);
    expect(after).toMatchObject({ status: 'idle', lastVerificationError: 'Verification request failed (webhook failed)' });
    expect(s.events.map((e) => e.trigger)).toEqual(['verify_requested', 'verify_request_failed']);
  });

  it('refuses a body without credentials, or with unknown fields, naming them but not echoing values', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    await expectCode(s.service.verify(member, conf.id, {} as never), 'invalid_request', 400);
    const e = await expectCode(s.service.verify(member, conf.id, { credentials: {}, password: CANARY } as never), 'invalid_request', 400);
    expect(JSON.stringify(e.body())).not.toContain(CANARY);
    expect((await s.service.get(member, conf.id)).status).toBe('idle');
    expect(s.webhook.sent).toEqual([]);
  });
});

describe('ConnectionService.update and patch: permissions', () => {
  it('lets any member configure and enable; only admins and owners disable', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    const saved = await s.service.update(member, conf.id, { name: 'My Confluence', description: 'Eng', config: { spaceKeys: ['ENG'] }, enabled: true });
    expect(saved).toMatchObject({ name: 'My Confluence', description: 'Eng', config: { spaceKeys: ['ENG'] }, enabled: true, updatedBy: 'u-member', version: 2 });
    const e = await expectCode(s.service.patch(member, conf.id, { enabled: false }), 'forbidden', 403);
    expect(e.body()).toEqual({ error: 'Forbidden', message: 'Only organization admins and owners can disable or delete data sources' });
    await expectCode(s.service.update(member, conf.id, { name: 'x', config: {}, enabled: false }), 'forbidden', 403);
    expect((await s.service.get(member, conf.id)).enabled).toBe(true);
    expect((await s.service.patch(admin, conf.id, { enabled: false })).enabled).toBe(false);
    // Already disabled: a member saving with enabled:false disables nothing.
    expect((await s.service.patch(member, conf.id, { enabled: false, name: 'n' })).name).toBe('n');
  });

  it('refuses credentials, unknown fields and bad types in PUT/PATCH without changing anything', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    await expectCode(s.service.update(member, conf.id, { name: 'x', config: {}, enabled: true, credentials: { api_token: CANARY } } as never), 'invalid_request', 400);
    await expectCode(s.service.patch(member, conf.id, {}), 'invalid_request', 400);
    await expectCode(s.service.patch(member, conf.id, { enabled: 'yes' } as never), 'invalid_request', 400);
    await expectCode(s.service.update(member, conf.id, { name: '', config: {}, enabled: true }), 'invalid_request', 400);
    expect((await s.service.get(member, conf.id)).version).toBe(1);
  });

  it('refuses, once above the store, config no store may keep: credential-like keys, NUL, half surrogate pairs, non-JSON values, deep nesting', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'https://x', auth: { apiToken: CANARY } }, 'config.auth.apiToken'],
      [{ password: CANARY }, 'config.password'],
      [{ note: `a\u0000b` }, 'config.note'],
      [{ ['k\u0000']: 'v' }, 'config.k\u0000'],
      [{ note: '\uD800 alone' }, 'config.note'],
      [{ when: new Date(0) }, 'config.when'],
      [{ n: Number.NaN }, 'config.n'],
      [deep, 'config' + '.d'.repeat(33)],
    ];
    for (const [config, field] of cases) {
      const error = await expectCode(s.service.patch(member, conf.id, { config }), 'invalid_request', 400);
      expect(error.issues.map((i) => i.field)).toContain(field);
      expect(JSON.stringify(error.body()) + error.message).not.toContain(CANARY);
    }
    await expectCode(s.service.patch(member, conf.id, { name: 'a\u0000b' }), 'invalid_request', 400);
    expect((await s.service.get(member, conf.id)).version).toBe(1);
    // Astral-plane text is fine everywhere.
    expect((await s.service.patch(member, conf.id, { name: 'Wiki 🧭𝔘', config: { space: '𠜎' } })).name).toBe('Wiki 🧭𝔘');
  });
});

describe('ConnectionService.sync', () => {
  it('checks enabled, not syncing and configured, in that order', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    const e = await expectCode(s.service.sync(member, conf.id), 'disabled', 409);
    expect(e.body()).toEqual({ error: 'Connection is disabled', message: 'Connection is disabled: enable it before syncing' });
    await s.service.patch(member, conf.id, { enabled: true });
    await expectCode(s.service.sync(member, conf.id), 'not_configured', 409);
    expect((await s.service.get(member, conf.id)).status).toBe('idle');
    expect(s.webhook.sent).toEqual([]);
  });

  it('sets syncing and sends data_source_sync_requested with the connection name and config and no credentials, as the seed payload does', async () => {
    const s = await seeded();
    const id = await ready(s, 'confluence');
    await s.service.patch(member, id, { config: { baseUrl: 'https://company.atlassian.net', spaceKeys: ['ENG', 'PROD'] } });
    const started = await s.service.sync(member, id, { force: false });
    expect(started).toEqual({ id, status: 'syncing', triggeredAt: '2025-10-01T10:00:00.000Z' });
    expect(await s.service.get(member, id)).toMatchObject({ status: 'syncing', lastSyncAt: '2025-10-01T10:00:00.000Z' });
    expect(s.webhook.sent).toEqual([
      {
        source: 'rita-data-sources',
        action: 'data_source_sync_requested',
        user_email: 'member@example.com',
        user_id: 'u-member',
        tenant_id: 'org-a',
        timestamp: '2025-10-01T10:00:00.000Z',
        connection_id: id,
        connection_type: 'confluence',
        connection_name: 'Confluence',
        config: { baseUrl: 'https://company.atlassian.net', spaceKeys: ['ENG', 'PROD'] },
      },
    ]);
    expect(Object.keys(s.webhook.sent[0]!)).toEqual(['source', 'action', 'user_email', 'user_id', 'tenant_id', 'timestamp', 'connection_id', 'connection_type', 'connection_name', 'config']);
    await expectCode(s.service.sync(member, id), 'sync_in_progress', 409);
    expect(await s.service.sync(member, id, { force: true })).toMatchObject({ status: 'syncing' });
  });

  it('needs no verification for a type without credentials (websearch)', async () => {
    const s = await seeded();
    const web = await s.byType(member, 'websearch');
    await s.service.patch(member, web.id, { enabled: true });
    expect(await s.service.sync(member, web.id)).toMatchObject({ status: 'syncing' });
  });

  it('records the failure when the webhook fails: idle, last sync failed, error', async () => {
    const s = await seeded();
    const id = await ready(s, 'confluence');
    s.webhook.fail = new Error('down');
    await expectCode(s.service.sync(member, id), 'webhook_failed', 502);
    expect(await s.service.get(member, id)).toMatchObject({ status: 'idle', lastSyncStatus: 'failed', lastSyncError: 'Failed to trigger sync (webhook failed)' });
  });

  it('ticket sync is for ITSM connections only, with its error', async () => {
    const s = await seeded();
    const kb = await ready(s, 'servicenow');
    const e = await expectCode(s.service.syncTickets(member, kb), 'invalid_type', 400);
    expect(e.body()).toEqual({ error: 'Invalid data source type', message: 'Ticket sync is only supported for ServiceNow ITSM and Jira connections' });
    const itsm = await ready(s, 'servicenow_itsm');
    expect(await s.service.syncTickets(member, itsm)).toMatchObject({ status: 'syncing' });
    expect(s.webhook.sent.at(-1)).toMatchObject({ action: 'data_source_ticket_sync_requested', connection_type: 'servicenow_itsm' });
  });

  it('KB and ITSM ServiceNow connections never affect each other', async () => {
    const s = await seeded();
    const kb = await ready(s, 'servicenow');
    const itsm = await ready(s, 'servicenow_itsm');
    const before = await s.service.get(member, itsm);
    await s.service.sync(member, kb);
    s.webhook.fail = new Error('down');
    await expectCode(s.service.verify(member, kb, { credentials: { a: 'b' } }), 'webhook_failed', 502);
    expect(await s.service.get(member, itsm)).toEqual(before);
    expect((await s.service.get(member, kb)).status).toBe('idle');
  });
});

describe('credentials never stored, audited or published (canary)', () => {
  it('keeps the canary out of the store, audit log and update events', async () => {
    const s = await seeded();
    const conf = await s.byType(member, 'confluence');
    await s.service.verify(member, conf.id, { config: { url: 'https://x' }, credentials: { api_token: CANARY, password: CANARY } });
    s.webhook.fail = new Error(CANARY);
    await s.service.verify(member, conf.id, { credentials: { api_token: CANARY } }).catch((e: Error) => expect(e.message).not.toContain(CANARY));
    expect(JSON.stringify(await s.store.list('org-a'))).not.toContain(CANARY);
    expect(JSON.stringify(s.audit.entries)).not.toContain(CANARY);
    expect(JSON.stringify(s.events)).not.toContain(CANARY);
    expect(s.audit.entries.map((e) => e.action)).toContain('data_source.verify_requested');
  });

  it('sends through HttpWebhookTransport with the configured auth header, and its errors carry no payload', async () => {
    const received: { auth: string | null; body: unknown }[] = [];
    let status = 202;
    const webhook = new HttpWebhookTransport({
      url: 'https://automation.example.com/hooks/rita',
      auth: 'Bearer automation-key',
      retry: { retries: 0 },
      fetch: handlerFetch(async (request) => {
        received.push({ auth: request.headers.get('authorization'), body: await request.json() });
        return json({ ok: status < 300 }, status);
      }),
    });
    const service = new ConnectionService({ webhook, store: new MemoryConnectionStore(), clock });
    await service.seed(member);
    const conf = (await service.list(member, { type: 'confluence' }))[0]!;
    await service.verify(member, conf.id, { credentials: { api_token: CANARY } });
    expect(received[0]).toMatchObject({ auth: 'Bearer automation-key', body: { action: 'verify_credentials', credentials: { api_token: CANARY } } });
    status = 500;
    const error = await service.verify(member, conf.id, { credentials: { api_token: CANARY } }).catch((e: unknown) => e);
    expect(isDataSourceError(error) && error.message).toBe('Verification request failed (webhook answered 500)');
    expect((await service.get(member, conf.id)).lastVerificationError).toBe('Verification request failed (webhook answered 500)');
  });

  it('follows a webhook receiver that answers with a redirect to its result (as Google Apps Script does)', async () => {
    const server = await serveHandler(async (req) =>
      new URL(req.url).pathname === '/exec' ? new Response(null, { status: 302, headers: { location: '/result' } }) : new Response('{"ok":true}', { status: 200 }),
    );
    try {
      const webhook = new HttpWebhookTransport({ url: `${server.url}/exec`, retry: { retries: 0 } });
      const service = new ConnectionService({ webhook, store: new MemoryConnectionStore(), clock });
      await service.seed(member);
      const conf = (await service.list(member, { type: 'confluence' }))[0]!;
      expect(await service.verify(member, conf.id, { credentials: { api_token: CANARY } })).toMatchObject({ status: 'verifying' });
    } finally {
      await server.close();
    }
  });

  it('treats an HTML page with status 200 from the webhook URL as not delivered (the connection does not wait in verifying forever)', async () => {
    let html = false;
    const webhook = new HttpWebhookTransport({
      url: 'https://automation.example.com/hooks/rita',
      retry: { retries: 0 },
      fetch: handlerFetch(async () => (html ? new Response('<html><body>Sign in</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }) : new Response('OK', { status: 200 }))),
    });
    const service = new ConnectionService({ webhook, store: new MemoryConnectionStore(), clock });
    await service.seed(member);
    const conf = (await service.list(member, { type: 'confluence' }))[0]!;
    // A plain-text or empty 2xx is delivery.
    expect(await service.verify(member, conf.id, { credentials: { api_token: CANARY } })).toMatchObject({ status: 'verifying' });
    html = true;
    const error = await service.verify(member, conf.id, { credentials: { api_token: CANARY } }).catch((e: unknown) => e);
    expect(isDataSourceError(error) && error.message).toBe('Verification request failed (webhook answered 200)');
    expect(await service.get(member, conf.id)).toMatchObject({ status: 'idle', lastVerificationError: 'Verification request failed (webhook answered 200)' });
  });
});
