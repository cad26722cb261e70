import { describe, expect, it } from 'vitest';
import { isValidationError, type ValidationError } from '../../src/core/errors.js';
import { rejection, setup } from './helpers.js';

describe('changeRequests', () => {
  it('creates standard, normal and emergency changes with risk and impact', async () => {
    const { fake, sn } = setup();
    const start = new Date(Date.UTC(2026, 1, 1, 22, 0, 0));
    const std = await sn.changeRequests.create({ type: 'standard', shortDescription: 'Patch web tier', risk: 'low', impact: 'low', startDate: start });
    const normal = await sn.changeRequests.create({ type: 'normal', shortDescription: 'Upgrade DB', risk: 'high', impact: 'high', urgency: 'medium' });
    const emergency = await sn.changeRequests.create({ type: 'emergency', shortDescription: 'Hotfix', risk: 'veryHigh', impact: 'medium', correlationId: 'deploy-99' });
    expect(fake.requestsTo('/api/now/table/change_request', 'POST')[0]?.body).toEqual({
      type: 'standard',
      short_description: 'Patch web tier',
      risk: '4',
      impact: '3',
      start_date: '2026-02-01 22:00:00',
    });
    expect(std).toMatchObject({ type: 'standard', risk: 'low', impact: 'low', state: 'new', number: 'CHG0030001' });
    expect(std.startDate?.toISOString()).toBe('2026-02-01T22:00:00.000Z');
    expect(normal).toMatchObject({ type: 'normal', risk: 'high', impact: 'high', urgency: 'medium' });
    expect(emergency).toMatchObject({ type: 'emergency', risk: 'veryHigh', correlationId: 'deploy-99' });
  });

  it('gets by number and updates', async () => {
    const { sn } = setup();
    const chg = await sn.changeRequests.create({ type: 'normal', shortDescription: 'Move DC' });
    expect((await sn.changeRequests.get(chg.number!)).sysId).toBe(chg.sysId);
    const updated = await sn.changeRequests.update(chg.number!, { state: 'assess', risk: 'moderate' });
    expect(updated).toMatchObject({ state: 'assess', risk: 'moderate' });
    const found = await sn.changeRequests.search({ state: 'assess' });
    expect(found.records.map((r) => r.number)).toEqual([chg.number]);
    const displayed = await sn.changeRequests.get(chg.sysId, { displayValue: true });
    expect(displayed).toMatchObject({ state: 'assess', type: 'normal', risk: 'moderate' });
    expect(displayed.display).toMatchObject({ state: 'Assess', type: 'Normal', risk: 'Moderate' });
  });

  it('requires type and short description, and known values', async () => {
    const { sn } = setup();
    const error = (await rejection(sn.changeRequests.create({ risk: 'extreme' } as never))) as ValidationError;
    expect(isValidationError(error)).toBe(true);
    expect(error.issues.map((i) => i.field)).toEqual(['type', 'shortDescription', 'risk']);
    expect(isValidationError(await rejection(sn.changeRequests.get('INC0010001')))).toBe(true);
  });

  it('reconciles a create with a correlation id after a dropped response', async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST' } });
    const chg = await sn.changeRequests.create({ type: 'normal', shortDescription: 'Rotate certs', correlationId: 'pipeline-1' });
    expect(chg.correlationId).toBe('pipeline-1');
    expect(fake.table('change_request')).toHaveLength(1);
  });
});
