import { describe, expect, expectTypeOf, it } from 'vitest';
import { isValidationError, type ValidationError } from '../../src/core/errors.js';
import { CHANGE_REQUEST_TABLE } from '../../src/servicenow/change-requests.js';
import { defineTable, type CreateOf, type FieldOf, type FilterOf, type RecordOf, type UpdateOf } from '../../src/servicenow/define-table.js';
import { INCIDENT_SCHEMA, INCIDENT_TABLE, type Incident, type IncidentCreate, type IncidentFilter, type IncidentUpdate } from '../../src/servicenow/incidents.js';
import { defineChoices, LEVELS } from '../../src/servicenow/mapper.js';
import { TASK_FIELDS } from '../../src/servicenow/task-fields.js';
import { TaskResource } from '../../src/servicenow/task-resource.js';
import { fakeTable } from '../../src/testing/fake-servicenow/tables.js';
import { rejection, setup } from './helpers.js';

const ASSET_STATES = defineChoices({ inUse: ['1', 'In use'], inStock: ['6', 'In stock'], retired: ['7', 'Retired'] });

/** A table of a user's own, declared the way the guide shows. */
const ASSET_TABLE = defineTable({
  table: 'u_asset',
  label: 'asset',
  number: { prefix: 'AST', start: 1001 },
  base: TASK_FIELDS,
  fields: {
    u_name: { kind: 'string', writable: true, required: true, filterable: true },
    u_state: { kind: 'choice', choice: ASSET_STATES, writable: true, filterable: true, default: '6' },
    u_cost: { kind: 'number', writable: true },
    u_bought: { kind: 'datetime', writable: 'create' },
    u_owner: { kind: 'reference', references: 'sys_user', writable: true, filterable: true },
  },
});

describe('defineTable', () => {
  it('derives the writable, updatable, filterable and required sets, numbers and identity', () => {
    expect(ASSET_TABLE.creatable).toMatchObject({ uName: 'u_name', uState: 'u_state', uBought: 'u_bought', shortDescription: 'short_description', workNotes: 'work_notes' });
    expect(ASSET_TABLE.updatable).not.toHaveProperty('uBought');
    expect(ASSET_TABLE.updatable).not.toHaveProperty('workNotes');
    expect(ASSET_TABLE.updatable).toMatchObject({ uName: 'u_name', closeCode: 'close_code' });
    expect(ASSET_TABLE.filterable).toMatchObject({ uName: 'u_name', uOwner: 'u_owner', active: 'active', number: 'number' });
    expect(ASSET_TABLE.required).toEqual(['uName']);
    expect(ASSET_TABLE.identity).toEqual(['sys_id', 'number']);
    expect(ASSET_TABLE.numberPattern?.test('AST0001001')).toBe(true);
    expect(ASSET_TABLE.numberExample).toBe('AST0001001');
    expect(ASSET_TABLE.displayField).toBe('number');
    expect(Object.keys(ASSET_TABLE.fields)).toEqual(expect.arrayContaining(['sys_id', 'sys_created_on', 'sys_mod_count', 'u_name', 'work_notes']));
    // The table's own columns override the base's.
    expect(CHANGE_REQUEST_TABLE.fields.category.default).toBe('Other');
    expect(TASK_FIELDS.category).not.toHaveProperty('default');
    expect(CHANGE_REQUEST_TABLE.required).toEqual(['type', 'shortDescription']);
  });

  it("keeps incidents' public sets as they were before the declaration", () => {
    expect(Object.keys(INCIDENT_TABLE.creatable).sort()).toEqual(
      ['shortDescription', 'description', 'urgency', 'impact', 'category', 'subcategory', 'assignmentGroup', 'assignedTo', 'callerId', 'contactType', 'correlationId', 'correlationDisplay', 'cmdbCi', 'workNotes', 'comments'].sort(),
    );
    expect(Object.keys(INCIDENT_TABLE.updatable).sort()).toEqual(
      ['shortDescription', 'description', 'urgency', 'impact', 'category', 'subcategory', 'assignmentGroup', 'assignedTo', 'callerId', 'contactType', 'correlationId', 'correlationDisplay', 'cmdbCi', 'state', 'closeCode', 'closeNotes', 'holdReason'].sort(),
    );
    expect(Object.keys(INCIDENT_TABLE.filterable).sort()).toEqual(
      ['number', 'state', 'urgency', 'impact', 'priority', 'category', 'subcategory', 'assignmentGroup', 'assignedTo', 'callerId', 'contactType', 'correlationId', 'active'].sort(),
    );
    expect(INCIDENT_SCHEMA).toBe(INCIDENT_TABLE.fields);
    expect(INCIDENT_SCHEMA['urgency']).toMatchObject({ kind: 'choice', choice: LEVELS });
  });

  it('refuses a bad table name', () => {
    let caught: unknown;
    try {
      defineTable({ table: 'Bad Name', label: 'x', fields: {} });
    } catch (error) {
      caught = error;
    }
    expect(isValidationError(caught)).toBe(true);
  });

  it('infers record, create, update, filter and field types from the declaration', () => {
    type Asset = RecordOf<typeof ASSET_TABLE>;
    expectTypeOf<Asset['sysId']>().toEqualTypeOf<string>();
    expectTypeOf<Asset['uState']>().toEqualTypeOf<'inUse' | 'inStock' | 'retired' | (string & {}) | undefined>();
    expectTypeOf<Asset['uCost']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Asset['uBought']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<Asset['active']>().toEqualTypeOf<boolean | undefined>();
    type Create = CreateOf<typeof ASSET_TABLE>;
    expectTypeOf<Create['uName']>().toEqualTypeOf<string>();
    expectTypeOf<Create['uState']>().toEqualTypeOf<'inUse' | 'inStock' | 'retired' | undefined>();
    expectTypeOf<Create['uBought']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf<Create>().not.toHaveProperty('number');
    expectTypeOf<UpdateOf<typeof ASSET_TABLE>>().not.toHaveProperty('uBought');
    expectTypeOf<UpdateOf<typeof ASSET_TABLE>>().toHaveProperty('closeCode');
    expectTypeOf<FilterOf<typeof ASSET_TABLE>['active']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<FilterOf<typeof ASSET_TABLE>['uState']>().toEqualTypeOf<'inUse' | 'inStock' | 'retired' | readonly ('inUse' | 'inStock' | 'retired')[] | undefined>();
    expectTypeOf<'u_owner.name'>().toExtend<FieldOf<typeof ASSET_TABLE>>();
    expectTypeOf<'description.name'>().not.toExtend<FieldOf<typeof ASSET_TABLE>>();
    // The built-in types are the derived ones.
    expectTypeOf<Incident['urgency']>().toEqualTypeOf<'high' | 'medium' | 'low' | (string & {}) | undefined>();
    expectTypeOf<IncidentCreate['shortDescription']>().toEqualTypeOf<string>();
    expectTypeOf<IncidentUpdate['state']>().toEqualTypeOf<'new' | 'inProgress' | 'onHold' | 'resolved' | 'closed' | 'canceled' | undefined>();
    expectTypeOf<IncidentFilter['active']>().toEqualTypeOf<boolean | undefined>();
  });

  it("gives the fake the table's references, journals, choice labels, numbers and defaults", () => {
    const def = fakeTable(ASSET_TABLE);
    expect(def.refs).toMatchObject({ u_owner: 'sys_user', assignment_group: 'sys_user_group', cmdb_ci: 'cmdb_ci' });
    expect(def.journal).toEqual(['work_notes', 'comments']);
    expect(def.choices['u_state']).toEqual({ '1': 'In use', '6': 'In stock', '7': 'Retired' });
    expect(def.choices['urgency']).toEqual({ '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' });
    expect(def.number).toEqual({ prefix: 'AST', start: 1001 });
    expect(def.defaults({ now: '2026-01-05 09:00:00', user: 'u1' })).toMatchObject({ u_state: '6', urgency: '3', active: 'true', opened_at: '2026-01-05 09:00:00', opened_by: 'u1', u_name: '' });
    expect(def.defaults({ now: '', user: '' })).not.toHaveProperty('sys_id');
  });

  it('runs a table of your own end to end on the fake, typed from its declaration', async () => {
    const { fake, sn } = setup({ fake: { tables: [ASSET_TABLE] } });
    const assets = new TaskResource(sn.transport, sn.journal, ASSET_TABLE);
    const owner = '62826bf03710200044e0bfc8bcbe5df1';
    const created = await assets.create({ uName: 'Laptop 7', uCost: 1200, uOwner: owner, uBought: new Date(Date.UTC(2026, 0, 2)), correlationId: 'asset-7' });
    expect(fake.requestsTo('/api/now/table/u_asset', 'POST')[0]?.body).toEqual({ u_name: 'Laptop 7', u_cost: '1200', u_owner: owner, u_bought: '2026-01-02 00:00:00', correlation_id: 'asset-7' });
    expect(created).toMatchObject({ number: 'AST0001001', uName: 'Laptop 7', uState: 'inStock', uCost: 1200, uOwner: owner, active: true });
    const updated = await assets.update(created.number!, { uState: 'inUse' });
    expect(updated.uState).toBe('inUse');
    expect((await assets.search({ uState: ['inUse', 'retired'] })).records.map((r) => r.number)).toEqual(['AST0001001']);
    expect(fake.requests.at(-1)?.query['sysparm_query']).toBe('u_stateIN1,7');
    const shown = await assets.get(created.sysId, { displayValue: true });
    expect(shown.display).toMatchObject({ uState: 'In use', uOwner: 'Abel Tuter' });
    await assets.addWorkNote(created.number!, 'Imaged');
    expect((await assets.workNotes(created.sysId)).map((n) => n.text)).toEqual(['Imaged']);

    const invalid = (await rejection(assets.create({ uState: 'lost' } as never))) as ValidationError;
    expect(invalid.message).toMatch(/^Invalid asset/);
    expect(invalid.issues.map((i) => [i.field, i.rule])).toEqual([
      ['uName', 'required'],
      ['uState', 'enum'],
    ]);
    expect(isValidationError(await rejection(assets.update(created.sysId, { uBought: new Date() } as never)))).toBe(true);
    expect(isValidationError(await rejection(assets.get('INC0010001')))).toBe(true);
  });
});
