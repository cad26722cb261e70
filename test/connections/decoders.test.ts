import { describe, expect, it } from 'vitest';
import { ConnectionsClient, isUnexpectedResponseError, type UnexpectedResponseError } from '../../src/index.js';
import { handlerFetch, json } from '../../src/testing/index.js';

const BASE = 'https://rita.example.com';
const T0 = Date.parse('2025-10-01T12:00:00.000Z');
const clock = { now: () => T0, sleep: async () => {} };

/**
 * A server written from the data-sources architecture's API section: each
 * route answers with the document's own example, verbatim. The client must
 * read every one of them, and refuse answers that lack what a method returns.
 */
function seedServer(answers: Record<string, unknown> = {}) {
  const requests: { method: string; path: string; body: unknown }[] = [];
  const fetch = handlerFetch(async (request) => {
    const url = new URL(request.url);
    const key = `${request.method} ${url.pathname.replace(/\/[0-9a-f-]{36}|\/uuid|\/confluence-id/g, '/:id')}`;
    const text = request.method === 'GET' ? '' : await request.text();
    requests.push({ method: request.method, path: url.pathname + url.search, body: text ? JSON.parse(text) : undefined });
    const answer = key in answers ? answers[key] : SEED_ANSWERS[key];
    if (answer === undefined) return json({ error: 'Not found' }, 404);
    return answer instanceof Response ? answer : json(answer);
  });
  const client = new ConnectionsClient({ baseUrl: BASE, token: 'token', fetch, clock, retry: { retries: 0 } });
  return { client, requests };
}

/** The examples, copied from the document. */
const SEED_ANSWERS: Record<string, unknown> = {
  'POST /api/data-sources/seed': { success: true, created: 4, existing: 0, message: 'Created 4 new data sources, 0 already existed' },
  'GET /api/data-sources': {
    data: [
      {
        id: 'uuid',
        name: 'Confluence',
        type: 'confluence',
        description: 'Connect your Atlassian Confluence workspace',
        status: 'unconfigured',
        enabled: false,
        config: {},
        last_sync_at: null,
        last_sync_error: null,
        created_at: '2025-10-01T10:00:00Z',
        updated_at: '2025-10-01T10:00:00Z',
      },
      {
        id: 'uuid',
        name: 'ServiceNow',
        type: 'servicenow',
        description: 'Connect your ServiceNow instance',
        status: 'completed',
        enabled: true,
        config: {
          instance: 'company.service-now.com',
          tables: ['incident', 'kb_knowledge'],
        },
        last_sync_at: '2025-10-01T12:00:00Z',
        last_sync_error: null,
        created_at: '2025-10-01T10:00:00Z',
        updated_at: '2025-10-01T11:30:00Z',
      },
    ],
  },
  'GET /api/data-sources/:id': {
    data: {
      id: 'uuid',
      name: 'Confluence',
      type: 'confluence',
      description: 'Connect your Atlassian Confluence workspace',
      status: 'unconfigured',
      enabled: false,
      config: {},
      last_sync_at: null,
      last_sync_error: null,
      created_at: '2025-10-01T10:00:00Z',
      updated_at: '2025-10-01T10:00:00Z',
    },
  },
  // The verification flow's immediate answer: not wrapped in `data`.
  'POST /api/data-sources/:id/verify': { status: 'verifying', message: 'Verification in progress' },
  'PUT /api/data-sources/:id': {
    data: {
      id: 'uuid',
      name: 'My Confluence',
      type: 'confluence',
      description: 'Engineering team workspace',
      status: 'pending',
      enabled: true,
      config: {
        baseUrl: 'https://company.atlassian.net',
        spaceKeys: ['ENG', 'PROD'],
      },
      last_sync_at: null,
      last_sync_error: null,
      created_at: '2025-10-01T10:00:00Z',
      updated_at: '2025-10-01T11:30:00Z',
    },
  },
  'POST /api/data-sources/:id/sync': {
    data: {
      id: 'uuid',
      status: 'syncing',
      triggered_at: '2025-10-01T12:00:00Z',
    },
  },
  'DELETE /api/data-sources/:id': {
    data: {
      id: 'uuid',
      deleted_at: '2025-10-01T12:00:00Z',
    },
  },
};

const expectWrongAnswer = async (promise: Promise<unknown>, field: RegExp): Promise<UnexpectedResponseError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUnexpectedResponseError(error), String(error)).toBe(true);
  const e = error as UnexpectedResponseError;
  expect(e.message).toMatch(field);
  expect(e.platform).toBe('datasources');
  expect(e.status).toBe(200);
  return e;
};

describe("ConnectionsClient reads the architecture's example answers verbatim", () => {
  it('seed: the bare { success, created, existing, message }', async () => {
    const { client, requests } = seedServer();
    expect(await client.seed()).toEqual({ created: 4, existing: 0, message: 'Created 4 new data sources, 0 already existed' });
    expect(requests[0]).toEqual({ method: 'POST', path: '/api/data-sources/seed', body: undefined });
  });

  it('list and get: records in { data }, with the seed statuses kept as they are', async () => {
    const { client } = seedServer();
    const list = await client.list();
    expect(list.map((c) => [c.type, c.status, c.enabled])).toEqual([
      ['confluence', 'unconfigured', false],
      ['servicenow', 'completed', true],
    ]);
    expect(list[1]).toMatchObject({ id: 'uuid', name: 'ServiceNow', config: { instance: 'company.service-now.com', tables: ['incident', 'kb_knowledge'] }, lastSyncAt: '2025-10-01T12:00:00Z', lastSyncError: null });
    expect(await client.get('uuid')).toMatchObject({ id: 'uuid', name: 'Confluence', status: 'unconfigured', description: 'Connect your Atlassian Confluence workspace', createdAt: '2025-10-01T10:00:00Z' });
  });

  it("verify: the flow's bare { status: 'verifying', message }, sending the example request", async () => {
    const { client, requests } = seedServer();
    const body = { config: { url: 'https://company.atlassian.net/wiki' }, credentials: { api_token: 'ATATT3xFfGF0...', email: 'user@company.com' } };
    expect(await client.verify('confluence-id', body)).toEqual({ id: 'confluence-id', status: 'verifying', message: 'Verification in progress' });
    expect(requests[0]).toEqual({ method: 'POST', path: '/api/data-sources/confluence-id/verify', body });
  });

  it('verify: a host that verifies at once ({ valid, message, available_options } and the error example)', async () => {
    const valid = {
      valid: true,
      message: 'Credentials verified successfully',
      available_options: {
        spaces: [
          { key: 'ENG', name: 'Engineering', type: 'global' },
          { key: 'PROD', name: 'Product', type: 'global' },
          { key: 'DOCS', name: 'Documentation', type: 'global' },
        ],
      },
    };
    const invalid = { valid: false, message: 'Invalid API token or insufficient permissions', error_code: 'INVALID_CREDENTIALS' };
    const ok = seedServer({ 'POST /api/data-sources/:id/verify': valid });
    expect(await ok.client.verify('uuid', { credentials: { api_token: 'x' } })).toEqual({
      id: 'uuid',
      status: 'verified',
      message: 'Credentials verified successfully',
      valid: true,
      availableOptions: valid.available_options,
    });
    const bad = seedServer({ 'POST /api/data-sources/:id/verify': invalid });
    expect(await bad.client.verify('uuid', { credentials: { api_token: 'x' } })).toEqual({
      id: 'uuid',
      status: 'failed',
      message: 'Invalid API token or insufficient permissions',
      valid: false,
      errorCode: 'INVALID_CREDENTIALS',
    });
  });

  it('update and patch: the example PUT request, and the record in { data } ("Same as PUT")', async () => {
    const { client, requests } = seedServer({ 'PATCH /api/data-sources/:id': SEED_ANSWERS['PUT /api/data-sources/:id'] });
    const put = {
      name: 'My Confluence',
      description: 'Engineering team workspace',
      config: { url: 'https://company.atlassian.net/wiki', spaceKeys: ['ENG', 'PROD'] },
      enabled: true,
    };
    expect(await client.update('uuid', put)).toMatchObject({ name: 'My Confluence', status: 'pending', enabled: true, config: { baseUrl: 'https://company.atlassian.net', spaceKeys: ['ENG', 'PROD'] } });
    expect(requests[0]?.body).toEqual(put);
    expect(await client.patch('uuid', { enabled: false })).toMatchObject({ id: 'uuid', name: 'My Confluence' });
    expect(requests[1]).toEqual({ method: 'PATCH', path: '/api/data-sources/uuid', body: { enabled: false } });
  });

  it("sync: { data: { id, status, triggered_at } }, and the flow's bare { success: true }", async () => {
    const { client, requests } = seedServer();
    expect(await client.sync('uuid', { force: false })).toEqual({ id: 'uuid', status: 'syncing', triggeredAt: '2025-10-01T12:00:00Z' });
    expect(requests[0]?.body).toEqual({ force: false });
    const flow = seedServer({ 'POST /api/data-sources/:id/sync': { success: true } });
    expect(await flow.client.sync('uuid')).toEqual({ id: 'uuid', status: 'syncing', triggeredAt: new Date(T0).toISOString() });
  });

  it('remove: { data: { id, deleted_at } }', async () => {
    const { client } = seedServer();
    expect(await client.remove('uuid')).toEqual({ id: 'uuid', deletedAt: '2025-10-01T12:00:00Z' });
  });

  it('delegations: the record bare or in { data }, the token only at creation', async () => {
    const record = { id: 'd-1', itsm_system_type: 'servicenow_itsm', delegate_email: 'admin@acme.test', connection_id: null, status: 'pending', created_at: '2026-01-19T10:00:00Z', expires_at: '2026-01-26T10:00:00Z', revoked_at: null };
    const { client } = seedServer({
      'POST /api/credential-delegations': { ...record, token: 'tok' },
      'GET /api/credential-delegations': [record],
      'POST /api/credential-delegations/d-1/revoke': { data: { ...record, status: 'revoked', revoked_at: '2026-01-20T10:00:00Z' } },
    });
    expect(await client.createDelegation({ itsmSystemType: 'servicenow_itsm', delegateEmail: 'admin@acme.test' })).toMatchObject({ id: 'd-1', status: 'pending', token: 'tok', usedAt: null });
    expect(await client.listDelegations()).toEqual([expect.objectContaining({ id: 'd-1', itsmSystemType: 'servicenow_itsm' })]);
    expect(await client.revokeDelegation('d-1')).toMatchObject({ status: 'revoked', revokedAt: '2026-01-20T10:00:00Z' });
  });

  it('ignores fields it does not know', async () => {
    const { client } = seedServer({ 'GET /api/data-sources/:id': { data: { ...(SEED_ANSWERS['GET /api/data-sources/:id'] as { data: object }).data, shard: 7, owner: { id: 'x' } } } });
    expect(await client.get('uuid')).not.toHaveProperty('shard');
  });
});

describe('ConnectionsClient refuses answers without what a method returns', () => {
  const connection = (SEED_ANSWERS['GET /api/data-sources/:id'] as { data: Record<string, unknown> }).data;
  const without = (key: string) => Object.fromEntries(Object.entries(connection).filter(([k]) => k !== key));

  it('a connection without its id, type, name or status, bare or in { data }, naming the field', async () => {
    for (const field of ['id', 'type', 'name', 'status']) {
      const { client } = seedServer({ 'GET /api/data-sources/:id': { data: without(field) }, 'PUT /api/data-sources/:id': without(field) });
      await expectWrongAnswer(client.get('uuid'), new RegExp(`has no "${field}"`));
      await expectWrongAnswer(client.update('uuid', { name: 'n', config: {}, enabled: true }), new RegExp(`has no "${field}"`));
    }
    const empty = seedServer({ 'GET /api/data-sources/:id': { data: { ...connection, id: '' } } });
    await expectWrongAnswer(empty.client.get('uuid'), /has no "id" \(a non-empty string\)/);
  });

  it('a list entry without an id names the entry; an answer that is no list says so', async () => {
    const list = (SEED_ANSWERS['GET /api/data-sources'] as { data: object[] }).data;
    const { client } = seedServer({ 'GET /api/data-sources': { data: [list[0], without('id')] } });
    await expectWrongAnswer(client.list(), /has no "id" \(a non-empty string\) in entry 1/);
    const notList = seedServer({ 'GET /api/data-sources': { data: { items: [] } } });
    await expectWrongAnswer(notList.client.list(), /has no list/);
  });

  it('verify without a status or valid, seed without its counts, sync without a status, remove without deleted_at', async () => {
    const { client } = seedServer({
      'POST /api/data-sources/:id/verify': { message: 'Verification in progress' },
      'POST /api/data-sources/seed': { success: true, message: 'done' },
      'POST /api/data-sources/:id/sync': { data: { id: 'uuid', triggered_at: '2025-10-01T12:00:00Z' } },
      'DELETE /api/data-sources/:id': { data: { id: 'uuid' } },
    });
    const verify = await expectWrongAnswer(client.verify('uuid', { credentials: { api_token: 'CANARY-verify-77' } }), /has no "status" \(a non-empty string\) or "valid"/);
    expect(JSON.stringify(verify) + verify.message + String(verify.stack)).not.toContain('CANARY-verify-77');
    await expectWrongAnswer(client.seed(), /has no "created" \(a number\)/);
    await expectWrongAnswer(client.sync('uuid'), /has no "status"/);
    await expectWrongAnswer(client.remove('uuid'), /has no "deleted_at"/);
  });

  it('a delegation without its id or status; a body that is not a JSON object', async () => {
    const { client } = seedServer({
      'POST /api/credential-delegations': { data: { itsm_system_type: 'jira', status: 'pending', token: 't' } },
      'POST /api/credential-delegations/d-1/revoke': { data: { id: 'd-1', itsm_system_type: 'jira' } },
      'GET /api/data-sources/:id': 'fine',
      'POST /api/data-sources/seed': new Response('', { status: 200 }),
    });
    await expectWrongAnswer(client.createDelegation({ itsmSystemType: 'jira', delegateEmail: 'a@b.c' }), /has no "id"/);
    await expectWrongAnswer(client.revokeDelegation('d-1'), /has no "status"/);
    await expectWrongAnswer(client.get('uuid'), /is not a JSON object/);
    await expect(client.seed()).rejects.toSatisfy(isUnexpectedResponseError);
  });

  it('keeps the body on the error, never in its message', async () => {
    const { client } = seedServer({ 'GET /api/data-sources/:id': { data: { ...without('id'), description: 'PII-canary-123' } } });
    const error = await expectWrongAnswer(client.get('uuid'), /has no "id"/);
    expect(error.message).not.toContain('PII-canary-123');
    expect(JSON.stringify(error.body)).toContain('PII-canary-123');
    expect(error.url).toBe(`${BASE}/api/data-sources/uuid`);
    expect(error.method).toBe('GET');
  });
});
