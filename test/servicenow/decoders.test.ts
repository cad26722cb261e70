import { describe, expect, it } from 'vitest';
import { isUnexpectedResponseError, type UnexpectedResponseError } from '../../src/core/errors.js';
import type { ServiceNowClient } from '../../src/servicenow/client.js';
import { DOC_INCIDENT_CREATED, DOC_INCIDENT_GET, DOC_PROBLEM_LIST } from './fixtures/table-api-docs.js';
import { rejection, setup } from './helpers.js';

const SYS_ID = '0123456789abcdef0123456789abcdef';
const CANARY = 'body-canary-4f1e';

/** One ServiceNow operation: how to call it, and which of its requests answers with the record(s) it returns. */
interface Operation {
  readonly name: string;
  /** The request whose answer is replaced: its method and a path pattern. */
  readonly method: string;
  readonly path: RegExp;
  /** `record` for a `result` object, `list` for a `result` array. */
  readonly answer: 'record' | 'list';
  /** Whether records must carry `number` (numbered tables, all fields asked for). */
  readonly numbered: boolean;
  readonly status?: number;
  /** A row the answer may hold. @default { sys_id, number } */
  readonly row?: Readonly<Record<string, string>>;
  readonly call: (sn: ServiceNowClient) => Promise<unknown>;
}

const JOURNAL_ROW = { sys_id: SYS_ID, element_id: SYS_ID, element: 'work_notes', value: 'x' };
const all = async <T>(it: AsyncIterable<T>) => {
  for await (const _ of it);
};

const OPERATIONS: readonly Operation[] = [
  { name: 'table().get', method: 'GET', path: /\/u_asset\/[0-9a-f]{32}$/, answer: 'record', numbered: false, call: (sn) => sn.table('u_asset').get(SYS_ID) },
  { name: 'table().list', method: 'GET', path: /\/u_asset$/, answer: 'list', numbered: false, call: (sn) => sn.table('u_asset').list() },
  { name: 'table().iterate', method: 'GET', path: /\/u_asset$/, answer: 'list', numbered: false, call: (sn) => all(sn.table('u_asset').iterate()) },
  { name: 'table().create', method: 'POST', path: /\/u_asset$/, answer: 'record', numbered: false, status: 201, call: (sn) => sn.table('u_asset').create({ name: 'x' }) },
  { name: 'table().update', method: 'PATCH', path: /\/u_asset\//, answer: 'record', numbered: false, call: (sn) => sn.table('u_asset').update(SYS_ID, { name: 'x' }) },
  { name: 'table().replace', method: 'PUT', path: /\/u_asset\//, answer: 'record', numbered: false, call: (sn) => sn.table('u_asset').replace(SYS_ID, { name: 'x' }) },
  { name: 'testConnection', method: 'GET', path: /\/incident$/, answer: 'list', numbered: false, call: (sn) => sn.testConnection().then((r) => (r.ok ? r : Promise.reject(r.error))) },
  { name: 'incidents.get (sys_id)', method: 'GET', path: /\/incident\/[0-9a-f]{32}$/, answer: 'record', numbered: true, call: (sn) => sn.incidents.get(SYS_ID) },
  { name: 'incidents.get (number)', method: 'GET', path: /\/incident$/, answer: 'list', numbered: true, call: (sn) => sn.incidents.get('INC0000001') },
  { name: 'incidents.search', method: 'GET', path: /\/incident$/, answer: 'list', numbered: true, call: (sn) => sn.incidents.search({ active: true }) },
  { name: 'incidents.iterate', method: 'GET', path: /\/incident$/, answer: 'list', numbered: true, call: (sn) => all(sn.incidents.iterate()) },
  { name: 'incidents.resolveSysId', method: 'GET', path: /\/incident$/, answer: 'list', numbered: false, call: (sn) => sn.incidents.resolveSysId('INC0000001') },
  { name: 'incidents.create', method: 'POST', path: /\/incident$/, answer: 'record', numbered: true, status: 201, call: (sn) => sn.incidents.create({ shortDescription: 'x' }) },
  { name: 'incidents.update', method: 'PATCH', path: /\/incident\//, answer: 'record', numbered: true, call: (sn) => sn.incidents.update(SYS_ID, { urgency: 'high' }) },
  { name: 'incidents.addWorkNote', method: 'PATCH', path: /\/incident\//, answer: 'record', numbered: true, call: (sn) => sn.incidents.addWorkNote(SYS_ID, 'note') },
  { name: 'incidents.addComment', method: 'PATCH', path: /\/incident\//, answer: 'record', numbered: true, call: (sn) => sn.incidents.addComment(SYS_ID, 'hi') },
  {
    name: 'incidents.resolve',
    method: 'PATCH',
    path: /\/incident\//,
    answer: 'record',
    numbered: true,
   
    call: (sn) => sn.incidents.resolve(SYS_ID, { closeCode: 'Solution provided', closeNotes: 'done' }),
  },
  { name: 'incidents.close', method: 'PATCH', path: /\/incident\//, answer: 'record', numbered: true, call: (sn) => sn.incidents.close(SYS_ID, { closeCode: 'Solution provided', closeNotes: 'done' }) },
  { name: 'incidents.workNotes', method: 'GET', path: /\/sys_journal_field$/, answer: 'list', numbered: false, row: JOURNAL_ROW, call: (sn) => sn.incidents.workNotes(SYS_ID) },
  { name: 'incidents.comments', method: 'GET', path: /\/sys_journal_field$/, answer: 'list', numbered: false, row: JOURNAL_ROW, call: (sn) => sn.incidents.comments(SYS_ID) },
  { name: 'journal.entries', method: 'GET', path: /\/sys_journal_field$/, answer: 'list', numbered: false, row: JOURNAL_ROW, call: (sn) => sn.journal.entries('incident', SYS_ID) },
  { name: 'problems.create', method: 'POST', path: /\/problem$/, answer: 'record', numbered: true, status: 201, call: (sn) => sn.problems.create({ shortDescription: 'x' }) },
  { name: 'problems.get', method: 'GET', path: /\/problem\//, answer: 'record', numbered: true, call: (sn) => sn.problems.get(SYS_ID) },
  { name: 'problems.search', method: 'GET', path: /\/problem$/, answer: 'list', numbered: true, call: (sn) => sn.problems.search({ knownError: true }) },
  {
    name: 'changeRequests.create',
    method: 'POST',
    path: /\/change_request$/,
    answer: 'record',
    numbered: true,
    status: 201,
    call: (sn) => sn.changeRequests.create({ type: 'normal', shortDescription: 'x' }),
  },
  {
    name: 'changeRequests.update',
    method: 'PATCH',
    path: /\/change_request\//,
    answer: 'record',
    numbered: true,
    call: (sn) => sn.changeRequests.update(SYS_ID, { risk: 'low' }),
  },
  {
    name: 'changeTasks.create',
    method: 'POST',
    path: /\/change_task$/,
    answer: 'record',
    numbered: true,
    status: 201,
    call: (sn) => sn.changeTasks.create({ changeRequest: SYS_ID, shortDescription: 'x' }),
  },
  { name: 'changeTasks.search', method: 'GET', path: /\/change_task$/, answer: 'list', numbered: true, call: (sn) => sn.changeTasks.search({ changeRequest: SYS_ID }) },
  { name: 'requestedItems.get', method: 'GET', path: /\/sc_req_item$/, answer: 'list', numbered: true, call: (sn) => sn.requestedItems.get('RITM0000001') },
  {
    name: 'requestedItems.addWorkNote',
    method: 'PATCH',
    path: /\/sc_req_item\//,
    answer: 'record',
    numbered: true,
    call: (sn) => sn.requestedItems.addWorkNote('aeed229047801200e0ef563dbb9a71c2', 'shipped'),
  },
  { name: 'users.resolve', method: 'GET', path: /\/sys_user$/, answer: 'list', numbered: false, call: (sn) => sn.users.resolve('abel.tuter@example.com') },
  { name: 'users.get', method: 'GET', path: /\/sys_user\//, answer: 'record', numbered: false, call: (sn) => sn.users.get(SYS_ID) },
  { name: 'groups.resolveSysId', method: 'GET', path: /\/sys_user_group$/, answer: 'list', numbered: false, call: (sn) => sn.groups.resolveSysId('Network') },
  { name: 'configurationItems.resolve', method: 'GET', path: /\/cmdb_ci$/, answer: 'list', numbered: false, call: (sn) => sn.configurationItems.resolve('vpn-zrh-01') },
];

/** Wrong-shape success bodies, and what the error must say is missing. */
function wrongShapes(op: Operation): { readonly body: unknown; readonly says: string }[] {
  if (op.answer === 'record') {
    return [
      { body: {}, says: 'came without a "result" object' },
      { body: { result: [{ sys_id: SYS_ID }] }, says: 'came without a "result" object' },
      { body: { result: 'ok', note: CANARY }, says: 'came without a "result" object' },
      { body: { result: { short_description: CANARY } }, says: 'has a "result" record without "sys_id"' },
      { body: { result: { sys_id: '', number: 'INC0000001' } }, says: 'has a "result" record without "sys_id"' },
      ...(op.numbered ? [{ body: { result: { sys_id: SYS_ID, short_description: CANARY } }, says: 'has a "result" record without "number"' }] : []),
    ];
  }
  return [
    { body: { records: [] }, says: 'came without a "result" array of records' },
    { body: { result: { sys_id: SYS_ID } }, says: 'came without a "result" array of records' },
    { body: { result: [null] }, says: 'came without a "result" array of records: row 0 is null' },
    { body: { result: [op.row ?? { sys_id: SYS_ID, number: 'X1' }, 'x'] }, says: 'row 1 is a string' },
    { body: { result: [{ short_description: CANARY }] }, says: 'has a "result" row (index 0) without "sys_id"' },
    ...(op.numbered ? [{ body: { result: [{ sys_id: SYS_ID, short_description: CANARY }] }, says: 'has a "result" row (index 0) without "number"' }] : []),
  ];
}

describe('ServiceNow response decoders', () => {
  for (const op of OPERATIONS) {
    it(`${op.name}: a wrong-shape ${op.status ?? 200} is an UnexpectedResponseError naming what is missing, body off the message`, async () => {
      for (const { body, says } of wrongShapes(op)) {
        const { fake, sn } = setup();
        fake.faults.add({ fault: { kind: 'status', status: op.status ?? 200, body }, match: { method: op.method, path: op.path } });
        const error = (await rejection(op.call(sn))) as UnexpectedResponseError;
        expect(isUnexpectedResponseError(error), `${op.name} ${JSON.stringify(body)}: ${String(error)}`).toBe(true);
        expect(fake.faults.pending, `${op.name}: the fault never fired`).toBe(0);
        expect(error.message).toContain(says);
        expect(error.message).toMatch(/^servicenow (GET|POST|PATCH|PUT) https:\/\/acme\.service-now\.com\/api\/now\/table\//);
        expect(error.message).not.toContain(CANARY);
        expect(JSON.stringify(error)).not.toContain(CANARY);
        expect(error.body).toEqual(body);
      }
    });
  }

  it('asks for the identity columns whatever fields are asked for, and insists on them', async () => {
    const { fake, sn } = setup();
    const row = fake.insert('incident', { short_description: 'Seeded' });
    const page = await sn.incidents.search({}, { fields: ['short_description'] });
    expect(fake.requests.at(-1)?.query['sysparm_fields']).toBe('short_description,sys_id,number');
    expect(page.records).toEqual([expect.objectContaining({ sysId: row['sys_id'], number: row['number'], shortDescription: 'Seeded' })]);
    await sn.incidents.search({}, { fields: ['number', 'sys_id'] });
    expect(fake.requests.at(-1)?.query['sysparm_fields']).toBe('number,sys_id');
    await sn.table('incident').list({ fields: ['short_description'] });
    expect(fake.requests.at(-1)?.query['sysparm_fields']).toBe('short_description,sys_id');

    fake.faults.add({ fault: { kind: 'status', status: 200, body: { result: [{ short_description: 'no id' }] } } });
    const noId = await rejection(sn.incidents.search({}, { fields: ['short_description'] }));
    expect(noId.message).toContain('without "sys_id"');
    fake.faults.add({ fault: { kind: 'status', status: 200, body: { result: [{ sys_id: row['sys_id'], short_description: 'no number' }] } } });
    const noNumber = await rejection(sn.incidents.search({}, { fields: ['short_description'] }));
    expect(noNumber.message).toContain('without "number"');
  });

  it('reads every declared table in the three display-value modes and with links excluded', async () => {
    const { sn } = setup();
    const inc = await sn.incidents.create({ shortDescription: 'Modes', callerId: '62826bf03710200044e0bfc8bcbe5df1' });
    for (const options of [{ displayValue: true }, { displayValue: 'all' }, { excludeReferenceLink: true }, {}] as const) {
      const got = await sn.incidents.get(inc.sysId, options);
      expect(got.sysId).toBe(inc.sysId);
      expect(got.callerId).toBe('62826bf03710200044e0bfc8bcbe5df1');
      expect((await sn.incidents.search({ number: inc.number! }, options)).records[0]?.sysId).toBe(inc.sysId);
      expect((await sn.requestedItems.get('RITM0000001', options)).sysId).toBe('aeed229047801200e0ef563dbb9a71c2');
      expect((await sn.users.search({ userName: 'abel.tuter' }, options)).records[0]?.sysId).toBe('62826bf03710200044e0bfc8bcbe5df1');
      expect((await sn.configurationItems.search({ name: 'vpn-zrh-01' }, options)).records[0]?.sysId).toBe('b4fd7c8437201000deeabfc8bcbe5dc1');
    }
  });

  it("decodes the Table API reference's own answers: a problem list, an incident read, an incident create", async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'status', status: 200, body: DOC_PROBLEM_LIST }, match: { path: /\/problem$/ } });
    const [problem] = (await sn.problems.search()).records;
    expect(problem).toMatchObject({
      sysId: '04ce72c9c0a8016600b5b7f75ac67b5b',
      number: 'PRB0000050',
      // The legacy state model's "Closed/Resolved": not a code of today's model, so it stays a code.
      state: '4',
      priority: 'low',
      impact: 'low',
      active: false,
      // A reference whose value is a user name, as the doc shows it.
      openedBy: 'glide.maint',
      cmdbCi: '55b35562c0a8010e01cff22378e0aea9',
      assignmentGroup: undefined,
      closeNotes: 'updated firmware',
      sysModCount: 1,
      sysDomain: 'global',
    });
    expect(problem?.closedAt?.toISOString()).toBe('2016-01-19T04:52:04.000Z');

    fake.faults.add({ fault: { kind: 'status', status: 200, body: DOC_INCIDENT_GET }, match: { path: /\/incident\// } });
    const incident = await sn.incidents.get('a9e30c7dc61122760116894de7bcc7bd');
    expect(incident).toMatchObject({
      number: 'INC0000046',
      state: 'new',
      impact: 'high',
      urgency: 'low',
      priority: 'moderate',
      callerId: '46c6f9efa9fe198101ddf5eed9adf6e7',
      problemId: 'a9e4890bc6112276003d7a5a5c774a74',
      resolvedBy: undefined,
      reopenCount: undefined,
      reassignmentCount: 1,
      madeSla: false,
    });

    fake.faults.add({ fault: { kind: 'status', status: 201, body: DOC_INCIDENT_CREATED }, match: { method: 'POST' } });
    const created = await sn.incidents.create({ shortDescription: 'Unable to connect to office wifi', assignmentGroup: '287ebd7da9fe198100f92cc8d1d2154e', urgency: 'medium', impact: 'medium' });
    expect(created).toMatchObject({ sysId: 'c537bae64f411200adf9f8e18110c76e', number: 'INC0010002', priority: 'moderate', callerId: undefined, cmdbCi: undefined });
    expect(fake.table('incident')).toHaveLength(0);
  });
});
