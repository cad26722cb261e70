import { describe, expect, it } from 'vitest';
import { FakeServiceNow } from '../../src/testing/fake-servicenow/fake-servicenow.js';

const BASE = 'https://fake.service-now.com';
const AUTH = { authorization: `Basic ${btoa('admin:sandbox-password')}` };

async function call(fake: FakeServiceNow, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fake.handle(
    new Request(`${BASE}${path}`, {
      method,
      headers: { ...AUTH, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    }),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe('FakeServiceNow on the wire', () => {
  it('creates with 201 + Location, string values and INC + 7 digits', async () => {
    const fake = new FakeServiceNow();
    const res = await call(fake, 'POST', '/api/now/table/incident', { short_description: 'x', urgency: 1, impact: 2 });
    expect(res.status).toBe(201);
    const result = res.body?.['result'] as Record<string, unknown>;
    expect(res.headers.get('location')).toBe(`${BASE}/api/now/table/incident/${result['sys_id']}`);
    expect(result).toMatchObject({ number: 'INC0010001', urgency: '1', impact: '2', priority: '2', state: '1', active: 'true', assigned_to: '', work_notes: '' });
    expect(result['sys_id']).toMatch(/^[0-9a-f]{32}$/);
    expect(result['opened_by']).toEqual({ link: `${BASE}/api/now/table/sys_user/6816f79cc0a8016401c5a33be04be441`, value: '6816f79cc0a8016401c5a33be04be441' });
    expect(result['sys_created_on']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('answers 404 No Record found, 204 on delete, 401 User Not Authenticated', async () => {
    const fake = new FakeServiceNow();
    expect(await call(fake, 'GET', '/api/now/table/incident/0123456789abcdef0123456789abcdef')).toMatchObject({
      status: 404,
      body: { error: { message: 'No Record found', detail: "Record doesn't exist or ACL restricts the record retrieval" }, status: 'failure' },
    });
    const user = (await call(fake, 'POST', '/api/now/table/u_thing', { name: 'a' })).body?.['result'] as Record<string, string>;
    const del = await call(fake, 'DELETE', `/api/now/table/u_thing/${user['sys_id']}`);
    expect(del).toMatchObject({ status: 204, body: undefined });
    expect(await call(fake, 'GET', '/api/now/table/incident', undefined, { authorization: 'Basic bm9wZTpub3Bl' })).toMatchObject({
      status: 401,
      body: { error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' }, status: 'failure' },
    });
    expect((await call(fake, 'GET', '/api/now/nothing')).status).toBe(400);
    expect((await call(fake, 'GET', '/api/now/v1/table/u_empty')).status).toBe(404);
    expect(await call(fake, 'GET', '/api/now/v2/table/u_empty')).toMatchObject({ status: 200, body: { result: [] } });
    expect((await call(fake, 'POST', '/api/now/table/incident', 'not json')).status).toBe(400);
  });

  it('pages with X-Total-Count and a spaceless Link header', async () => {
    const fake = new FakeServiceNow();
    for (let i = 0; i < 5; i++) fake.insert('u_row', { name: `r${i}` });
    const res = await call(fake, 'GET', '/api/now/table/u_row?sysparm_limit=2&sysparm_offset=2');
    expect(res.headers.get('x-total-count')).toBe('5');
    const link = res.headers.get('link')!;
    expect(link).not.toMatch(/\s/);
    expect(link.split(',').map((l) => l.replace(/^<[^>]*sysparm_offset=(\d+)[^>]*>;rel="(\w+)"$/, '$2:$1'))).toEqual(['first:0', 'prev:0', 'next:4', 'last:4']);
    const suppressed = await call(fake, 'GET', '/api/now/table/u_row?sysparm_suppress_pagination_header=true&sysparm_no_count=true');
    expect(suppressed.headers.get('link')).toBeNull();
    expect(suppressed.headers.get('x-total-count')).toBeNull();
  });

  it('evaluates the encoded-query subset and ignores unknown fields', async () => {
    const fake = new FakeServiceNow();
    fake.insert('incident', { short_description: 'VPN down', urgency: '1', category: 'network' });
    fake.insert('incident', { short_description: 'Mail slow', urgency: '3', category: 'software' });
    fake.insert('incident', { short_description: 'VPN flaky', urgency: '2', category: 'network', caller_id: '62826bf03710200044e0bfc8bcbe5df1' });
    const q = async (query: string) =>
      ((await call(fake, 'GET', `/api/now/table/incident?sysparm_query=${encodeURIComponent(query)}`)).body?.['result'] as Record<string, string>[]).map((r) => r['short_description']);
    expect(await q('short_descriptionLIKEvpn')).toEqual(['VPN down', 'VPN flaky']);
    expect(await q('urgency=1^ORurgency=3')).toEqual(['VPN down', 'Mail slow']);
    expect(await q('urgency=1^NQcategory=software')).toEqual(['VPN down', 'Mail slow']);
    expect(await q('urgencyIN2,3^ORDERBYDESCurgency')).toEqual(['Mail slow', 'VPN flaky']);
    expect(await q('urgency<=2^category!=software^caller_idISNOTEMPTY')).toEqual(['VPN flaky']);
    expect(await q('caller_id.name=Abel Tuter')).toEqual(['VPN flaky']);
    expect(await q('short_descriptionSTARTSWITHmail')).toEqual(['Mail slow']);
    // An unknown field is dropped from the query: more rows, not fewer.
    expect(await q('no_such_field=1^category=network')).toEqual(['VPN down', 'VPN flaky']);
    expect(await q('short_description=VPN down^^NQurgency=3')).toEqual([]);
  });

  it('shows display values, journals and links in every mode', async () => {
    const fake = new FakeServiceNow();
    const row = fake.insert('incident', { short_description: 'x', work_notes: 'first note', assignment_group: '287ebd7da9fe198100f92cc8d1d2154e' });
    const get = async (params: string) => (await call(fake, 'GET', `/api/now/table/incident/${row['sys_id']}?${params}`)).body?.['result'] as Record<string, unknown>;
    expect((await get(''))['work_notes']).toBe('');
    expect((await get('sysparm_display_value=true'))['work_notes']).toMatch(/ - System Administrator \(Work notes\)\nfirst note\n\n$/);
    expect((await get('sysparm_display_value=true'))['assignment_group']).toEqual({ display_value: 'Network', link: `${BASE}/api/now/table/sys_user_group/287ebd7da9fe198100f92cc8d1d2154e` });
    expect((await get('sysparm_display_value=true&sysparm_exclude_reference_link=true'))['assignment_group']).toBe('Network');
    expect((await get('sysparm_display_value=all&sysparm_fields=state,assignment_group.name,bogus'))).toEqual({
      state: { display_value: 'New', value: '1' },
      'assignment_group.name': { display_value: 'Network', value: 'Network' },
    });
    expect(fake.table('sys_journal_field')).toMatchObject([{ element: 'work_notes', element_id: row['sys_id'], name: 'incident', value: 'first note' }]);
  });

  it('issues OAuth tokens for form-encoded requests only', async () => {
    const fake = new FakeServiceNow();
    const form = (body: string, type = 'application/x-www-form-urlencoded') =>
      fake.handle(new Request(`${BASE}/oauth_token.do`, { method: 'POST', headers: { 'content-type': type }, body }));
    const json = await form('{"grant_type":"client_credentials"}', 'application/json');
    expect(json.status).toBe(400);
    const bad = await form('grant_type=client_credentials&client_id=sandbox-client&client_secret=wrong');
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error_description: 'access_denied', error: 'server_error' });
    const ok = await form('grant_type=password&client_id=sandbox-client&client_secret=sandbox-secret&username=admin&password=sandbox-password');
    const tokens = (await ok.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 1799, scope: 'useraccount' });
    expect(typeof tokens['refresh_token']).toBe('string');
    const refreshed = (await (await form(`grant_type=refresh_token&client_id=sandbox-client&client_secret=sandbox-secret&refresh_token=${tokens['refresh_token']}`)).json()) as Record<string, unknown>;
    expect(refreshed['refresh_token']).toBeUndefined();
    const use = await call(fake, 'GET', '/api/now/table/incident', undefined, { authorization: `Bearer ${refreshed['access_token']}` });
    expect(use.status).toBe(200);
  });

  it('expires tokens with its clock', async () => {
    let now = Date.UTC(2026, 0, 1);
    const fake = new FakeServiceNow({ now: () => now, tokenTtlSeconds: 60 });
    const grant = fake.oauth.grant('application/x-www-form-urlencoded', 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret');
    const auth = { authorization: `Bearer ${grant.body['access_token']}` };
    expect((await call(fake, 'GET', '/api/now/table/incident', undefined, auth)).status).toBe(200);
    now += 61_000;
    expect((await call(fake, 'GET', '/api/now/table/incident', undefined, auth)).status).toBe(401);
  });

  it('enforces a rate-limit rule with Retry-After seconds and X-RateLimit-Reset Unix seconds', async () => {
    let now = Date.UTC(2026, 0, 1, 10, 0, 30);
    const fake = new FakeServiceNow({ now: () => now, rateLimit: { limit: 1, windowSeconds: 60 } });
    const first = await call(fake, 'GET', '/api/now/table/incident');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit')).toBe('1');
    const denied = await call(fake, 'GET', '/api/now/table/incident');
    expect(denied.status).toBe(429);
    expect(denied.headers.get('retry-after')).toBe('30');
    expect(denied.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2026, 0, 1, 10, 1, 0) / 1000));
    expect(denied.body).toMatchObject({ error: { message: 'Rate limit exceeded' }, status: 'failure' });
    now += 30_000;
    expect((await call(fake, 'GET', '/api/now/table/incident')).status).toBe(200);
  });
});
