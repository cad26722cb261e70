import { describe, expect, it } from 'vitest';
import { readServerSentEvents } from '../../src/connections/event-stream.js';
import { type Actor, ConnectionService, createDataSourcesHandler, MemoryConnectionStore } from '../../src/index.js';
import { createDataSourcesSandbox } from '../../src/testing/index.js';

const BASE = 'http://host.test';

function setup() {
  const sandbox = createDataSourcesSandbox();
  const call = async (method: string, path: string, options: { body?: string; token?: string | null; headers?: Record<string, string> } = {}) => {
    const token = options.token === undefined ? 'demo-member-token' : options.token;
    const response = await sandbox.handler(
      new Request(`${BASE}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
        ...(options.body === undefined ? {} : { body: options.body }),
      }),
    );
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return { sandbox, call };
}

async function seededId(call: ReturnType<typeof setup>['call'], type: string): Promise<string> {
  await call('POST', '/api/data-sources/seed');
  const list = await call('GET', `/api/data-sources?type=${type}`);
  return list.body.data[0].id;
}

describe('createDataSourcesHandler: the data-sources endpoints', () => {
  it('answers seed with the seed body and lists in the wire shape', async () => {
    const { call } = setup();
    expect(await call('POST', '/api/data-sources/seed')).toMatchObject({ status: 200, body: { success: true, created: 6, existing: 0, message: 'Created 6 new data sources, 0 already existed' } });
    const list = await call('GET', '/api/data-sources?type=confluence&enabled=false&status=idle');
    expect(list.status).toBe(200);
    expect(Object.keys(list.body.data[0]).sort()).toEqual(
      ['config', 'created_at', 'description', 'enabled', 'id', 'last_sync_at', 'last_sync_error', 'last_sync_status', 'last_verification_at', 'last_verification_error', 'latest_options', 'name', 'organization_id', 'status', 'type', 'updated_at', 'version'].sort(),
    );
    expect(list.body.data[0]).toMatchObject({ type: 'confluence', name: 'Confluence', status: 'idle', enabled: false, config: {} });
  });

  it('answers errors with status codes and { error, message, allowed_types }', async () => {
    const { call } = setup();
    const id = await seededId(call, 'confluence');
    expect(await call('GET', '/api/data-sources', { token: null })).toEqual(expect.objectContaining({ status: 401, body: { error: 'Unauthorized', message: 'Authentication required' } }));
    expect(await call('GET', '/api/data-sources', { token: 'wrong' })).toMatchObject({ status: 401 });
    expect(await call('GET', '/api/data-sources?type=gdrive')).toMatchObject({
      status: 400,
      body: { error: 'Invalid data source type', message: "Type 'gdrive' is not supported", allowed_types: ['confluence', 'servicenow', 'servicenow_itsm', 'sharepoint', 'websearch', 'jira'] },
    });
    expect(await call('GET', '/api/data-sources?enabled=maybe')).toMatchObject({ status: 400, body: { error: 'Invalid request' } });
    expect(await call('GET', '/api/data-sources/nope')).toMatchObject({ status: 404, body: { error: 'Not found', message: 'Data source not found' } });
    expect(await call('POST', `/api/data-sources/${id}/sync`)).toMatchObject({ status: 409, body: { error: 'Connection is disabled' } });
    expect(await call('PUT', `/api/data-sources/${id}`, { body: '{"name":' })).toMatchObject({ status: 400, body: { error: 'Invalid request', message: 'The request body is not valid JSON' } });
    expect(await call('POST', `/api/data-sources/${id}/sync-tickets`)).toMatchObject({
      status: 400,
      body: { error: 'Invalid data source type', message: 'Ticket sync is only supported for ServiceNow ITSM and Jira connections' },
    });
    expect(await call('POST', '/api/data-sources', { body: '{}' })).toMatchObject({ status: 501, body: { error: 'Not implemented' } });
    const wrongMethod = await call('POST', `/api/data-sources/${id}`);
    expect(wrongMethod).toMatchObject({ status: 405 });
    expect(wrongMethod.headers.get('allow')).toBe('GET, PUT, PATCH, DELETE');
    expect(await call('GET', '/elsewhere')).toMatchObject({ status: 404 });
  });

  it('enforces disable/delete permissions over HTTP', async () => {
    const { call } = setup();
    const id = await seededId(call, 'jira');
    expect(await call('PUT', `/api/data-sources/${id}`, { body: JSON.stringify({ name: 'Jira', config: { projectKeys: ['OPS'] }, enabled: true }) })).toMatchObject({ status: 200, body: { data: { enabled: true, config: { projectKeys: ['OPS'] } } } });
    expect(await call('PATCH', `/api/data-sources/${id}`, { body: '{"enabled":false}' })).toMatchObject({ status: 403, body: { error: 'Forbidden' } });
    expect(await call('DELETE', `/api/data-sources/${id}`)).toMatchObject({ status: 403 });
    expect(await call('PATCH', `/api/data-sources/${id}`, { body: '{"enabled":false}', token: 'demo-admin-token' })).toMatchObject({ status: 200, body: { data: { enabled: false } } });
    const deleted = await call('DELETE', `/api/data-sources/${id}`, { token: 'demo-admin-token' });
    expect(deleted).toMatchObject({ status: 200, body: { data: { id } } });
    expect(typeof deleted.body.data.deleted_at).toBe('string');
    expect(await call('GET', `/api/data-sources/${id}`)).toMatchObject({ status: 404 });
  });

  it('answers verify and sync with the data envelope', async () => {
    const { call, sandbox } = setup();
    const id = await seededId(call, 'websearch');
    expect(await call('POST', `/api/data-sources/${id}/verify`, { body: JSON.stringify({ credentials: {} }) })).toMatchObject({ status: 200, body: { data: { id, status: 'verifying', message: 'Verification in progress' } } });
    await sandbox.fake.source.drain();
    await call('PATCH', `/api/data-sources/${id}`, { body: '{"enabled":true}' });
    const sync = await call('POST', `/api/data-sources/${id}/sync`, { body: '{"force":false}' });
    expect(sync).toMatchObject({ status: 200, body: { data: { id, status: 'syncing' } } });
    expect(typeof sync.body.data.triggered_at).toBe('string');
  });

  it('implements credential delegations with their validation', async () => {
    const { call } = setup();
    expect(await call('POST', '/api/credential-delegations', { body: JSON.stringify({ itsm_system_type: 'servicenow', delegate_email: 'a@b.c' }) })).toEqual(
      expect.objectContaining({ status: 400, body: { error: 'itsm_system_type is required and must be one of: servicenow_itsm, jira' } }),
    );
    const created = await call('POST', '/api/credential-delegations', { body: JSON.stringify({ itsm_system_type: 'servicenow_itsm', delegate_email: 'admin@acme.test' }) });
    expect(created).toMatchObject({ status: 201, body: { data: { itsm_system_type: 'servicenow_itsm', delegate_email: 'admin@acme.test', status: 'pending' } } });
    const token = created.body.data.token as string;
    expect(token.length).toBeGreaterThan(20);
    const list = await call('GET', '/api/credential-delegations?itsm_system_type=servicenow_itsm');
    expect(list.body.data).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(await call('POST', `/api/credential-delegations/${created.body.data.id}/revoke`)).toMatchObject({ status: 200, body: { data: { status: 'revoked' } } });
    expect(await call('GET', '/api/credential-delegations?itsm_system_type=sharepoint')).toMatchObject({ status: 400 });
  });

  it.each(['/api/sse', '/api/data-sources/events'])('streams unnamed { type: data_source_update, data } events on %s and replays after Last-Event-ID', async (path) => {
    const { call, sandbox } = setup();
    const id = await seededId(call, 'confluence');
    await call('PATCH', `/api/data-sources/${id}`, { body: '{"name":"A"}' });
    await call('PATCH', `/api/data-sources/${id}`, { body: '{"name":"B"}' });
    const abort = new AbortController();
    const response = await sandbox.handler(new Request(`${BASE}${path}`, { headers: { authorization: 'Bearer demo-member-token', 'last-event-id': '1' }, signal: abort.signal }));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const seen: { event: string; id?: string; data: string }[] = [];
    for await (const event of readServerSentEvents(response.body!)) {
      if (event.data === '') continue;
      seen.push(event);
      if (seen.length === 1) await call('PATCH', `/api/data-sources/${id}`, { body: '{"name":"C"}' });
      if (seen.length === 2) break;
    }
    abort.abort();
    expect(seen.map((e) => [e.id, e.event])).toEqual([
      ['2', 'message'],
      ['3', 'message'],
    ]);
    expect(JSON.parse(seen[1]!.data)).toMatchObject({ type: 'data_source_update', data: { connectionId: id, type: 'confluence', trigger: 'updated', status: 'idle', version: 4 } });
  });

  it('answers the event stream without authentication with 401, and other methods on it with 405', async () => {
    const { sandbox } = setup();
    expect((await sandbox.handler(new Request(`${BASE}/api/sse`))).status).toBe(401);
    expect((await sandbox.handler(new Request(`${BASE}/api/sse`, { method: 'POST', headers: { authorization: 'Bearer demo-member-token' } }))).status).toBe(405);
  });

  it('keeps unexpected failures opaque', async () => {
    const store = new MemoryConnectionStore();
    const service = new ConnectionService({ store, webhook: { send: async () => {} } });
    store.list = async () => {
      throw new Error('pg: password=hunter2 refused');
    };
    const actor: Actor = { userId: 'u', userEmail: 'u@x', organizationId: 'o', role: 'member' };
    const handler = createDataSourcesHandler(service, { authenticate: () => actor });
    const response = await handler(new Request(`${BASE}/api/data-sources`));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('hunter2');
  });
});
