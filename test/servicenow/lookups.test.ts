import { describe, expect, it } from 'vitest';
import { isConfigError, isItsmError, isValidationError } from '../../src/core/errors.js';
import { isAmbiguousMatchError, isNoMatchError, type AmbiguousMatchError, type NoMatchError } from '../../src/core/lookup-errors.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { INSTANCE, rejection, setup } from './helpers.js';

const ABEL = '62826bf03710200044e0bfc8bcbe5df1';
const NETWORK = '287ebd7da9fe198100f92cc8d1d2154e';

describe('users', () => {
  it('finds the sys_id behind an email address or a user name, and passes a sys_id through', async () => {
    const { fake, sn } = setup();
    expect(await sn.users.resolveSysId('abel.tuter@example.com')).toBe(ABEL);
    expect(fake.requests.at(-1)?.query).toMatchObject({ sysparm_query: 'email=abel.tuter@example.com^ORuser_name=abel.tuter@example.com^active=true', sysparm_limit: '10' });
    const beth = await sn.users.resolve('beth.anglin');
    expect(beth).toMatchObject({ sysId: '46d44a23a9fe19810012d100cca80666', name: 'Beth Anglin', email: 'beth.anglin@example.com', active: true });
    const before = fake.requests.length;
    expect(await sn.users.resolveSysId(ABEL)).toBe(ABEL);
    expect(fake.requests).toHaveLength(before);
    // The answer goes straight into a create.
    const inc = await sn.incidents.create({ shortDescription: 'Laptop will not boot', callerId: await sn.users.resolveSysId('abel.tuter@example.com') });
    expect(inc.callerId).toBe(ABEL);
  });

  it('caches answers per client for lookupCacheTtlMs, matching case-insensitively, and never caches failures', async () => {
    const { fake, sn, clock } = setup({ client: { lookupCacheTtlMs: 60_000 } });
    await sn.users.resolve('abel.tuter@example.com');
    await sn.users.resolve('Abel.Tuter@example.com ');
    expect(fake.requestsTo('/api/now/table/sys_user')).toHaveLength(1);
    clock.advance(60_001);
    await sn.users.resolve('abel.tuter@example.com');
    expect(fake.requestsTo('/api/now/table/sys_user')).toHaveLength(2);

    expect(isNoMatchError(await rejection(sn.users.resolve('new.hire@example.com')))).toBe(true);
    fake.insert('sys_user', { user_name: 'new.hire', name: 'New Hire', email: 'new.hire@example.com' });
    expect((await sn.users.resolve('new.hire@example.com')).name).toBe('New Hire');

    sn.users.forget('abel.tuter@example.com');
    await sn.users.resolve('abel.tuter@example.com');
    expect(fake.requestsTo('/api/now/table/sys_user')).toHaveLength(5);

    const other = setup({ fake: {}, client: {} });
    await other.sn.users.resolve('abel.tuter@example.com');
    expect(other.fake.requestsTo('/api/now/table/sys_user')).toHaveLength(1);
  });

  it('keeps nothing with lookupCacheTtlMs 0, and refuses a bad TTL', async () => {
    const { fake, sn } = setup({ client: { lookupCacheTtlMs: 0 } });
    await sn.users.resolve('abel.tuter');
    await sn.users.resolve('abel.tuter');
    expect(fake.requestsTo('/api/now/table/sys_user')).toHaveLength(2);
    for (const lookupCacheTtlMs of [-1, Number.NaN, '5m']) {
      let caught: unknown;
      try {
        new ServiceNowClient({ instanceUrl: INSTANCE, auth: { type: 'basic', username: 'a', password: 'b' }, lookupCacheTtlMs: lookupCacheTtlMs as number });
      } catch (error) {
        caught = error;
      }
      expect(isConfigError(caught)).toBe(true);
      expect((caught as { issues: { field: string }[] }).issues[0]?.field).toBe('lookupCacheTtlMs');
    }
  });

  it('says what to do when nobody matches, and when several people do', async () => {
    const { fake, sn } = setup();
    const none = (await rejection(sn.users.resolve('nobody@example.com'))) as NoMatchError;
    expect(isNoMatchError(none) && isItsmError(none)).toBe(true);
    expect(none).toMatchObject({ platform: 'servicenow', what: 'active user', query: 'nobody@example.com' });
    expect(none.message).toBe(
      'No servicenow active user matches "nobody@example.com": check the address or user name (matched exactly against email and user_name of active users), or find the person with users.search()',
    );

    // An inactive account does not count.
    fake.insert('sys_user', { user_name: 'old.abel', name: 'Abel Tuter (left)', email: 'abel.tuter@example.com', active: 'false' });
    expect(await sn.users.resolveSysId('abel.tuter@example.com')).toBe(ABEL);

    const twin = fake.insert('sys_user', { user_name: 'abel.tuter2', name: 'Abel Tuter', email: 'abel.tuter@example.com' });
    sn.users.forget();
    const several = (await rejection(sn.users.resolve('abel.tuter@example.com'))) as AmbiguousMatchError;
    expect(isAmbiguousMatchError(several)).toBe(true);
    expect(several.candidates.map((c) => c.id)).toEqual([ABEL, twin['sys_id']]);
    expect(several.message).toContain('2 servicenow active users match "abel.tuter@example.com"');
    expect(several.message).toContain('Abel Tuter <abel.tuter@example.com> user_name abel.tuter2');
    expect(several.message).toMatch(/pass the user name or the sys_id instead$/);
    expect(await sn.users.resolveSysId('abel.tuter2')).toBe(twin['sys_id']);

    for (const bad of ['', '   ', undefined, 42]) {
      expect(isValidationError(await rejection(sn.users.resolve(bad as string)))).toBe(true);
    }
  });
});

describe('groups', () => {
  it('finds an active group by name', async () => {
    const { fake, sn } = setup();
    expect(await sn.groups.resolveSysId('Network')).toBe(NETWORK);
    expect(fake.requests.at(-1)?.query['sysparm_query']).toBe('name=Network^active=true');
    expect((await sn.groups.resolve('Service Desk')).description).toBe('First line support');
    const none = await rejection(sn.groups.resolve('Netwrk'));
    expect(isNoMatchError(none)).toBe(true);
    expect(none.message).toContain('list the groups with groups.search()');
    const change = await sn.changeRequests.create({ type: 'normal', shortDescription: 'Patch', assignmentGroup: await sn.groups.resolveSysId('Network') });
    expect(change.assignmentGroup).toBe(NETWORK);
  });
});

describe('configurationItems', () => {
  it('finds a CI by name, and narrows by class when a name is taken twice', async () => {
    const { fake, sn } = setup();
    expect(await sn.configurationItems.resolveSysId('vpn-zrh-01')).toBe('b4fd7c8437201000deeabfc8bcbe5dc1');
    expect(fake.requests.at(-1)?.query['sysparm_query']).toBe('name=vpn-zrh-01');

    const several = (await rejection(sn.configurationItems.resolve('web-01'))) as AmbiguousMatchError;
    expect(isAmbiguousMatchError(several)).toBe(true);
    expect(several.message).toContain('web-01 (cmdb_ci_server) (3a5dd3dbc0a8ce0100655f1ec66ed42c), web-01 (cmdb_ci_appl) (26e44e8a0a0a0bb400a8b6d3bbe3f2a2)');
    expect(several.message).toContain('pass { className }');

    const server = await sn.configurationItems.resolve('web-01', { className: 'cmdb_ci_server' });
    expect(server).toMatchObject({ sysId: '3a5dd3dbc0a8ce0100655f1ec66ed42c', sysClassName: 'cmdb_ci_server', operationalStatus: 'operational', ipAddress: '10.20.1.11' });
    expect(fake.requests.at(-1)?.query['sysparm_query']).toBe('name=web-01^sys_class_name=cmdb_ci_server');
    const inc = await sn.incidents.create({ shortDescription: 'VPN down', cmdbCi: await sn.configurationItems.resolveSysId('vpn-zrh-01') });
    expect(inc.cmdbCi).toBe('b4fd7c8437201000deeabfc8bcbe5dc1');
  });
});
