import { describe, expect, it } from 'vitest';
import { isConfigError, isNotFoundError, isValidationError, type ValidationError } from '../../src/core/errors.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { encodedQuery } from '../../src/servicenow/encoded-query.js';
import { parseLinkHeader } from '../../src/servicenow/table-resource.js';
import { INSTANCE, rejection, setup } from './helpers.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('table()', () => {
  it('creates (201 + Location), gets, updates, replaces and deletes any table', async () => {
    const { fake, sn } = setup();
    const t = sn.table('u_asset');
    const created = await t.create({ name: 'Laptop 1', u_cost: 1200 });
    expect(created.fields).toMatchObject({ name: 'Laptop 1', uCost: '1200', sysModCount: 0 });
    expect(created.fields['sysCreatedOn']).toBeInstanceOf(Date);
    expect(created.sysId).toMatch(/^[0-9a-f]{32}$/);
    expect((await t.get(created.sysId)).fields['name']).toBe('Laptop 1');
    expect((await t.update(created.sysId, { name: 'Laptop 2' })).fields['name']).toBe('Laptop 2');
    expect((await t.replace(created.sysId, { name: 'Laptop 3' })).fields['name']).toBe('Laptop 3');
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'PATCH', 'PUT']);
    await t.delete(created.sysId);
    expect(fake.table('u_asset')).toHaveLength(0);
    expect(isNotFoundError(await rejection(t.get(created.sysId)))).toBe(true);
    expect(isNotFoundError(await rejection(t.delete(created.sysId)))).toBe(true);
  });

  it('treats a 404 on a retried delete as done', async () => {
    const { fake, sn } = setup();
    const row = fake.insert('u_asset', { name: 'x' });
    fake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'DELETE' } });
    await sn.table('u_asset').delete(row['sys_id']!);
    expect(fake.requestsTo('/api/now/table/u_asset', 'DELETE')).toHaveLength(2);
  });

  it('sends list options as sysparm_ parameters', async () => {
    const { fake, sn } = setup();
    await sn.table('sys_user').list({
      query: encodedQuery().where('active', '=', true).orderBy('name'),
      fields: ['sys_id', 'name', 'manager.name'],
      limit: 2,
      offset: 1,
      displayValue: 'all',
      excludeReferenceLink: true,
    });
    expect(fake.requests[0]?.query).toEqual({
      sysparm_query: 'active=true^ORDERBYname',
      sysparm_fields: 'sys_id,name,manager.name',
      sysparm_limit: '2',
      sysparm_offset: '1',
      sysparm_display_value: 'all',
      sysparm_exclude_reference_link: 'true',
    });
  });

  it('refuses unsafe table names, bad limits and offsets, naming the field', async () => {
    const { sn, fake } = setup();
    for (const name of ['../sys_user', 'incident?x=1', 'Incident', '', 'inc ident']) {
      let caught: unknown;
      try {
        sn.table(name);
      } catch (error) {
        caught = error;
      }
      expect(isValidationError(caught)).toBe(true);
      expect((caught as ValidationError).issues[0]?.field).toBe('table');
    }
    const limit = (await rejection(sn.table('incident').list({ limit: -1 }))) as ValidationError;
    expect(limit.issues[0]?.field).toBe('limit');
    expect(((await rejection(sn.table('incident').list({ limit: 1.5 }))) as ValidationError).issues[0]?.field).toBe('limit');
    expect(((await rejection(sn.table('incident').list({ offset: -3 }))) as ValidationError).issues[0]?.field).toBe('offset');
    expect(((await rejection(sn.table('incident').list({ fields: ['a,b'] }))) as ValidationError).issues[0]?.field).toBe('fields.a,b');
    expect(isConfigError(await rejection(sn.table('incident').get('..')))).toBe(true);
    expect(fake.requests.filter((r) => r.path.includes('..'))).toHaveLength(0);
  });

  it('iterates every record without stopping at short pages (limit applies before ACLs)', async () => {
    const { fake, sn } = setup();
    for (let i = 0; i < 23; i++) fake.insert('u_item', { name: `item-${String(i).padStart(2, '0')}`, secret: i % 3 === 0 ? 'true' : 'false' });
    // Rows 0-5 are hidden, so the first page is empty and later pages are short.
    fake.setReadAcl('u_item', (row) => row['secret'] !== 'true' && Number(row['name']!.slice(5)) > 5);
    const all = await collect(sn.table('u_item').iterate({ limit: 5, fields: ['name'] }));
    const expected = Array.from({ length: 23 }, (_, i) => i).filter((i) => i > 5 && i % 3 !== 0).map((i) => `item-${String(i).padStart(2, '0')}`);
    expect(all.map((r) => r.fields['name'])).toEqual(expected);
    expect(fake.requests.map((r) => r.query['sysparm_offset'])).toEqual(['0', '5', '10', '15', '20']);
  });

  it('follows X-Total-Count when there is no Link header, and stops on an empty page when there is neither', async () => {
    const { fake } = setup();
    for (let i = 0; i < 7; i++) fake.insert('u_item', { name: `n${i}` });
    fake.setReadAcl('u_item', (row) => row['name'] !== 'n0' && row['name'] !== 'n1' && row['name'] !== 'n2');
    const withoutLink = new ServiceNowClient({
      instanceUrl: INSTANCE,
      auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
      fetch: async (input, init) => {
        const res = await fake.fetch(input, init);
        const headers = new Headers(res.headers);
        headers.delete('link');
        return new Response(res.body, { status: res.status, headers });
      },
    });
    // No Link header: the total (7) drives paging, past the empty first page.
    const viaTotal = await collect(withoutLink.table('u_item').iterate({ limit: 3 }));
    expect(viaTotal.map((r) => r.fields['name'])).toEqual(['n3', 'n4', 'n5', 'n6']);
    expect(fake.requests.map((r) => r.query['sysparm_offset'])).toEqual(['0', '3', '6']);
    const { fake: bare, sn: bareClient } = setup();
    for (let i = 0; i < 4; i++) bare.insert('u_item', { name: `n${i}` });
    bare.faults.add({ fault: { kind: 'status', status: 200, body: { result: [] } }, match: { path: '/api/now/table/u_item' } });
    expect(await collect(bareClient.table('u_item').iterate({ limit: 3 }))).toHaveLength(0);
    expect(bare.requests).toHaveLength(1);
  });

  it('iterates as an async iterable and returns pages with totals', async () => {
    const { fake, sn } = setup();
    expect((await collect(sn.table('sys_user_group'))).map((g) => g.fields['name'])).toEqual(['Service Desk', 'Network', 'Software']);
    const page = await sn.table('sys_user_group').list({ limit: 2 });
    expect(page).toMatchObject({ total: 3, nextOffset: 2 });
    const last = await sn.table('sys_user_group').list({ limit: 2, offset: 2 });
    expect(last).toMatchObject({ total: 3, nextOffset: undefined });
    expect(fake.requests).toHaveLength(3);
  });

  it('maps references in every display mode', async () => {
    const { fake, sn } = setup();
    const row = fake.insert('incident', { short_description: 'x', caller_id: '62826bf03710200044e0bfc8bcbe5df1', urgency: '2' });
    const t = sn.table('incident');
    const byMode = await Promise.all([
      t.get(row['sys_id']!),
      t.get(row['sys_id']!, { excludeReferenceLink: true }),
      t.get(row['sys_id']!, { displayValue: true }),
      t.get(row['sys_id']!, { displayValue: 'all' }),
    ]);
    expect(byMode[0].raw['caller_id']).toEqual({ link: 'https://acme.service-now.com/api/now/table/sys_user/62826bf03710200044e0bfc8bcbe5df1', value: '62826bf03710200044e0bfc8bcbe5df1' });
    expect(byMode[1].raw['caller_id']).toBe('62826bf03710200044e0bfc8bcbe5df1');
    expect(byMode[2].raw['caller_id']).toEqual({ display_value: 'Abel Tuter', link: 'https://acme.service-now.com/api/now/table/sys_user/62826bf03710200044e0bfc8bcbe5df1' });
    expect(byMode[3].raw['urgency']).toEqual({ display_value: '2 - Medium', value: '2' });
    for (const rec of byMode) expect(rec.fields['callerId']).toBe('62826bf03710200044e0bfc8bcbe5df1');
    expect(byMode[2].display?.['callerId']).toBe('Abel Tuter');
    expect(byMode[0].fields['assignedTo']).toBe('');
  });

  it('reads Link headers with or without spaces', () => {
    expect(parseLinkHeader('<https://x/a?sysparm_offset=0>;rel="first",<https://x/a?sysparm_offset=10>;rel="next"')).toEqual({
      first: 'https://x/a?sysparm_offset=0',
      next: 'https://x/a?sysparm_offset=10',
    });
    expect(parseLinkHeader('<a>; rel="last", <b>; rel=prev')).toEqual({ last: 'a', prev: 'b' });
  });
});
