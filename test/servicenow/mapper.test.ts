import { describe, expect, it } from 'vitest';
import { isValidationError } from '../../src/core/errors.js';
import {
  coerce,
  formatServiceNowDate,
  INCIDENT_STATES,
  LEVELS,
  mapRecord,
  type RawRecord,
  parseServiceNowDate,
  readField,
  toCamelCase,
  toWireName,
  toWireRecord,
  type TableSchema,
} from '../../src/servicenow/mapper.js';
import { parseServiceNowError } from '../../src/servicenow/parse-error.js';

const schema: TableSchema = {
  sys_id: { kind: 'string' },
  urgency: { kind: 'choice', choice: LEVELS },
  state: { kind: 'choice', choice: INCIDENT_STATES },
  active: { kind: 'boolean' },
  reassignment_count: { kind: 'number' },
  opened_at: { kind: 'datetime' },
  caller_id: { kind: 'reference' },
  assigned_to: { kind: 'reference' },
};
const LINK = 'https://acme.service-now.com/api/now/table/sys_user/62826bf03710200044e0bfc8bcbe5df1';

describe('mapper', () => {
  it('maps names both ways', () => {
    expect(toCamelCase('short_description')).toBe('shortDescription');
    expect(toCamelCase('sys_id')).toBe('sysId');
    expect(toWireName('shortDescription')).toBe('short_description');
    expect(toWireName(toCamelCase('u_client_email'))).toBe('u_client_email');
  });

  it('reads and writes UTC dates', () => {
    const d = parseServiceNowDate('2016-01-19 04:51:19');
    expect(d?.toISOString()).toBe('2016-01-19T04:51:19.000Z');
    expect(formatServiceNowDate(d!)).toBe('2016-01-19 04:51:19');
    expect(parseServiceNowDate('19/01/2016 04:51:19')).toBeUndefined();
    expect(parseServiceNowDate('')).toBeUndefined();
    // A date alone (a glide_date field) is midnight UTC.
    expect(parseServiceNowDate('2026-11-23')?.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(parseServiceNowDate('2026-11-23 23:59:59')?.toISOString()).toBe('2026-11-23T23:59:59.000Z');
    for (const bad of ['2026-11-23 ', '2026-11-23T10:00:00', '2026-11-23 10:00', ' 2026-11-23', '2026-1-23', 'abcd-ef-gh']) {
      expect(parseServiceNowDate(bad)).toBeUndefined();
    }
  });

  it('coerces database strings', () => {
    expect(coerce('3', { kind: 'number' })).toBe(3);
    expect(coerce('', { kind: 'number' })).toBeUndefined();
    expect(coerce('false', { kind: 'boolean' })).toBe(false);
    expect(coerce('', { kind: 'reference' })).toBeUndefined();
    expect(coerce('6', { kind: 'choice', choice: INCIDENT_STATES })).toBe('resolved');
    expect(coerce('42', { kind: 'choice', choice: INCIDENT_STATES })).toBe('42');
  });

  const expected = {
    sysId: 'a9e30c7dc61122760116894de7bcc7bd',
    urgency: 'high',
    state: 'inProgress',
    active: true,
    reassignmentCount: 2,
    callerId: '62826bf03710200044e0bfc8bcbe5df1',
    assignedTo: undefined,
  };

  it('maps display_value=false (links kept and excluded)', () => {
    const raw = {
      sys_id: 'a9e30c7dc61122760116894de7bcc7bd',
      urgency: '1',
      state: '2',
      active: 'true',
      reassignment_count: '2',
      opened_at: '2026-01-02 03:04:05',
      caller_id: { link: LINK, value: '62826bf03710200044e0bfc8bcbe5df1' },
      assigned_to: '',
    };
    const m = mapRecord(raw, schema, false, true);
    expect(m.values).toMatchObject(expected);
    expect((m.values['openedAt'] as Date).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(m.display).toBeUndefined();
    const excluded = mapRecord({ ...raw, caller_id: '62826bf03710200044e0bfc8bcbe5df1' }, schema, false, true);
    expect(excluded.values['callerId']).toBe('62826bf03710200044e0bfc8bcbe5df1');
  });

  it('keeps unknown columns as text, even ones named like Object members, and splits custom u_ fields off', () => {
    const raw = JSON.parse('{"constructor":"c","to_string":"t","u_site":"HQ","u_ref":{"link":"x/sys_user/abc","value":"abc"},"sys_id":"a"}') as RawRecord;
    for (let i = 0; i < 2; i++) {
      // Twice: the second record reads the per-schema field steps the first one stored.
      const m = mapRecord(raw, schema, false, true);
      expect(m.values).toEqual({ constructor: 'c', toString: 't', sysId: 'a' });
      expect(m.custom).toEqual({ u_site: 'HQ', u_ref: 'abc' });
      expect(mapRecord(raw, schema, false, false).values).toMatchObject({ uSite: 'HQ', uRef: 'abc' });
    }
  });

  it('maps display_value=true from display texts', () => {
    const raw = {
      sys_id: 'a9e30c7dc61122760116894de7bcc7bd',
      urgency: '1 - High',
      state: 'In Progress',
      active: 'true',
      reassignment_count: '2',
      opened_at: '02/01/2026 04:04:05',
      caller_id: { display_value: 'Abel Tuter', link: LINK },
      assigned_to: '',
    };
    const m = mapRecord(raw, schema, true, true);
    expect(m.values).toMatchObject(expected);
    expect(m.values['openedAt']).toBeUndefined();
    expect(m.display).toMatchObject({ callerId: 'Abel Tuter', urgency: '1 - High', openedAt: '02/01/2026 04:04:05' });
    // Without links, a reference in display mode has no id to give.
    expect(readField('Abel Tuter', { kind: 'reference' }, true)).toEqual({ value: undefined, display: 'Abel Tuter' });
  });

  it('maps display_value=all from value and display_value', () => {
    const raw = {
      sys_id: { display_value: 'a9e30c7dc61122760116894de7bcc7bd', value: 'a9e30c7dc61122760116894de7bcc7bd' },
      urgency: { display_value: '1 - High', value: '1' },
      state: { display_value: 'In Progress', value: '2' },
      active: { display_value: 'true', value: 'true' },
      reassignment_count: { display_value: '2', value: '2' },
      opened_at: { display_value: '02/01/2026 04:04:05', value: '2026-01-02 03:04:05' },
      caller_id: { display_value: 'Abel Tuter', link: LINK, value: '62826bf03710200044e0bfc8bcbe5df1' },
      assigned_to: { display_value: '', value: '' },
    };
    const m = mapRecord(raw, schema, 'all', true);
    expect(m.values).toMatchObject(expected);
    expect((m.values['openedAt'] as Date).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(m.display).toMatchObject({ state: 'In Progress', callerId: 'Abel Tuter' });
  });

  it('keeps unknown fields as strings and splits u_ fields', () => {
    const m = mapRecord({ made_up: 'x', u_client: 'Archer', other_ref: { link: LINK, value: 'abc' } }, schema, false, true);
    expect(m.values).toEqual({ madeUp: 'x', otherRef: 'abc' });
    expect(m.custom).toEqual({ u_client: 'Archer' });
  });

  it('writes inputs with every issue at once', () => {
    const known = { urgency: 'urgency', active: 'active', openedAt: 'opened_at' };
    expect(toWireRecord({ urgency: 'high', active: false, openedAt: new Date(0), custom: { u_x: 1 } }, known, schema, 'incident')).toEqual({
      urgency: '1',
      active: 'false',
      opened_at: '1970-01-01 00:00:00',
      u_x: '1',
    });
    try {
      toWireRecord({ urgency: 'urgent', bogus: 1, custom: { x_bad: 1 } }, known, schema, 'incident');
      throw new Error('did not throw');
    } catch (error) {
      expect(isValidationError(error)).toBe(true);
      expect((error as { issues: { field: string; rule: string }[] }).issues.map((i) => [i.field, i.rule])).toEqual([
        ['urgency', 'enum'],
        ['bogus', 'unknown_field'],
        ['custom.x_bad', 'custom'],
      ]);
    }
  });
});

describe('parseServiceNowError', () => {
  it('reads the error envelope in any key order, with a null detail', () => {
    expect(parseServiceNowError({ error: { detail: 'Required to provide Auth information', message: 'User Not Authenticated' }, status: 'failure' })).toEqual({
      message: 'User Not Authenticated',
      detail: 'Required to provide Auth information',
    });
    expect(parseServiceNowError({ error: { message: 'Requested URI does not represent any resource', detail: null }, status: 'failure' })).toEqual({
      message: 'Requested URI does not represent any resource',
    });
  });

  it('reads the token endpoint error and ignores other bodies', () => {
    expect(parseServiceNowError({ error_description: 'access_denied', error: 'server_error' })).toEqual({ message: 'access_denied', detail: 'server_error' });
    expect(parseServiceNowError({ result: [] })).toBeUndefined();
    expect(parseServiceNowError(null)).toBeUndefined();
    expect(parseServiceNowError('<html>')).toBeUndefined();
    expect(parseServiceNowError({ error: {} })).toBeUndefined();
  });
});

describe('regression (fuzz): formatServiceNowDate', () => {
  it('refuses an invalid Date with a ValidationError, not a RangeError', () => {
    expect(() => formatServiceNowDate(new Date(Number.NaN))).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ field: 'date', rule: 'type' })] }));
    expect(formatServiceNowDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe('2026-01-02 03:04:05');
  });
});
