import { describe, expect, it } from 'vitest';
import { isNotFoundError, isServerError, isValidationError, type ValidationError } from '../../src/core/errors.js';
import { encodedQuery } from '../../src/servicenow/encoded-query.js';
import type { ProblemField } from '../../src/servicenow/problems.js';
import { rejection, setup } from './helpers.js';

const NETWORK = '287ebd7da9fe198100f92cc8d1d2154e';
const ABEL = '62826bf03710200044e0bfc8bcbe5df1';
const RITM = 'aeed229047801200e0ef563dbb9a71c2';

describe('problems', () => {
  it('creates, reads by number, moves through the state model and resolves', async () => {
    const { fake, sn } = setup();
    const prb = await sn.problems.create({ shortDescription: 'Recurring VPN drops', urgency: 'high', impact: 'medium', assignmentGroup: NETWORK, correlationId: 'rca-vpn' });
    expect(fake.requestsTo('/api/now/table/problem', 'POST')[0]?.body).toEqual({
      short_description: 'Recurring VPN drops',
      urgency: '1',
      impact: '2',
      assignment_group: NETWORK,
      correlation_id: 'rca-vpn',
    });
    expect(prb).toMatchObject({ number: 'PRB0040001', state: 'new', knownError: false, relatedIncidents: 0, assignmentGroup: NETWORK, active: true });
    expect((await sn.problems.get('PRB0040001')).sysId).toBe(prb.sysId);

    const analysed = await sn.problems.update(prb.number!, { state: 'rootCauseAnalysis', causeNotes: 'Firmware leaks sessions', knownError: true, workaround: 'Reboot nightly' });
    expect(fake.requests.at(-1)?.body).toEqual({ state: '103', cause_notes: 'Firmware leaks sessions', known_error: 'true', workaround: 'Reboot nightly' });
    expect(analysed).toMatchObject({ state: 'rootCauseAnalysis', knownError: true, causeNotes: 'Firmware leaks sessions' });

    const closed = await sn.problems.update(prb.sysId, { state: 'closed', resolutionCode: 'fixApplied', fixNotes: 'Firmware 9.2' });
    expect(fake.requests.at(-1)?.body).toMatchObject({ state: '107', resolution_code: 'fix_applied' });
    expect(closed).toMatchObject({ state: 'closed', resolutionCode: 'fixApplied', active: false });

    const shown = await sn.problems.get(prb.sysId, { displayValue: 'all' });
    expect(shown.display).toMatchObject({ state: 'Closed', resolutionCode: 'Fix Applied', assignmentGroup: 'Network' });
    expect((await sn.problems.search({ knownError: true })).records.map((p) => p.number)).toEqual(['PRB0040001']);
    const q = encodedQuery<ProblemField>().where('assignment_group.name', '=', 'Network');
    expect((await sn.problems.search(q)).records).toHaveLength(1);
  });

  it('refuses what a problem does not take, naming each field', async () => {
    const { fake, sn } = setup();
    const error = (await rejection(sn.problems.create({ state: 'closed', knownError: 'yes', custom: { u_ok: 1 } } as never))) as ValidationError;
    expect(error.message).toMatch(/^Invalid problem/);
    expect(error.issues.map((i) => [i.field, i.rule])).toEqual([
      ['shortDescription', 'required'],
      ['state', 'unknown_field'],
      ['knownError', 'type'],
    ]);
    expect(isValidationError(await rejection(sn.problems.update('PRB0040001', { resolutionCode: 'fixed' } as never)))).toBe(true);
    expect(isValidationError(await rejection(sn.problems.get('INC0010001')))).toBe(true);
    expect(isValidationError(await rejection(sn.problems.search({ bogus: 1 } as never)))).toBe(true);
    expect(fake.requests).toHaveLength(0);
    expect(isNotFoundError(await rejection(sn.problems.get('PRB0049999')))).toBe(true);
  });

  it('does not re-send a create without a correlation id, and reconciles one with it', async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'POST' } });
    const error = await rejection(sn.problems.create({ shortDescription: 'No key' }));
    expect(isServerError(error)).toBe(true);
    expect(error.message).toContain('look the problem up before creating it again');
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST' } });
    const prb = await sn.problems.create({ shortDescription: 'Keyed', correlationId: 'rca-2' });
    expect(prb.correlationId).toBe('rca-2');
    expect(fake.table('problem')).toHaveLength(2);
  });
});

describe('changeTasks', () => {
  it('creates tasks under a change, finds them by change, updates their state', async () => {
    const { fake, sn } = setup();
    const chg = await sn.changeRequests.create({ type: 'normal', shortDescription: 'Replace the VPN concentrator' });
    const start = new Date(Date.UTC(2026, 1, 1, 22, 0, 0));
    const task = await sn.changeTasks.create({ changeRequest: chg.sysId, shortDescription: 'Swap the hardware', changeTaskType: 'implementation', plannedStartDate: start, assignedTo: ABEL });
    await sn.changeTasks.create({ changeRequest: chg.sysId, shortDescription: 'Check the tunnels', changeTaskType: 'testing' });
    expect(fake.requestsTo('/api/now/table/change_task', 'POST')[0]?.body).toEqual({
      change_request: chg.sysId,
      short_description: 'Swap the hardware',
      change_task_type: 'implementation',
      planned_start_date: '2026-02-01 22:00:00',
      assigned_to: ABEL,
    });
    expect(task).toMatchObject({ number: 'CTASK0010001', state: 'open', changeRequest: chg.sysId, changeTaskType: 'implementation', onHold: false });
    expect(task.plannedStartDate?.toISOString()).toBe(start.toISOString());

    const tasks = await sn.changeTasks.search({ changeRequest: chg.sysId }, { fields: ['number', 'change_task_type'] });
    expect(tasks.records.map((t) => [t.number, t.changeTaskType])).toEqual([
      ['CTASK0010001', 'implementation'],
      ['CTASK0010002', 'testing'],
    ]);
    const done = await sn.changeTasks.update(task.number!, { state: 'closed', closeNotes: 'Swapped' });
    expect(done).toMatchObject({ state: 'closed', active: false, closeNotes: 'Swapped' });
    const shown = await sn.changeTasks.get(task.sysId, { displayValue: true });
    expect(shown.display).toMatchObject({ changeRequest: chg.number, state: 'Closed' });
  });

  it('needs the parent change and a short description', async () => {
    const { sn } = setup();
    const error = (await rejection(sn.changeTasks.create({ changeTaskType: 'review' } as never))) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(['changeRequest', 'shortDescription']);
    expect(isValidationError(await rejection(sn.changeTasks.update('CTASK0010001', { changeRequest: 'x' } as never)))).toBe(true);
  });
});

describe('requestedItems', () => {
  it('reads requested items by number and filters, and adds work notes and comments', async () => {
    const { fake, sn } = setup();
    const ritm = await sn.requestedItems.get('RITM0000001');
    expect(ritm).toMatchObject({ sysId: RITM, state: 'workInProgress', stage: 'fulfillment', requestedFor: ABEL, quantity: 1 });
    const forAbel = await sn.requestedItems.search({ requestedFor: ABEL, state: ['open', 'workInProgress'] });
    expect(forAbel.records.map((r) => r.number)).toEqual(['RITM0000001']);
    expect(fake.requests.at(-1)?.query['sysparm_query']).toBe('requested_for=62826bf03710200044e0bfc8bcbe5df1^stateIN1,2');

    await sn.requestedItems.addWorkNote('RITM0000001', 'Laptop imaged');
    await sn.requestedItems.addComment(RITM, 'Your laptop ships today');
    expect(fake.requestsTo(`/api/now/table/sc_req_item/${RITM}`, 'PATCH').map((r) => r.body)).toEqual([{ work_notes: 'Laptop imaged' }, { comments: 'Your laptop ships today' }]);
    expect((await sn.requestedItems.workNotes('RITM0000001')).map((n) => n.text)).toEqual(['Laptop imaged']);
    expect((await sn.requestedItems.comments(RITM)).map((n) => n.text)).toEqual(['Your laptop ships today']);
    const shown = await sn.requestedItems.get(RITM, { displayValue: true });
    expect(shown.display).toMatchObject({ requestedFor: 'Abel Tuter', request: 'REQ0000001', state: 'Work in Progress' });
    // Read and work notes only: requested items are created by ordering from the catalog.
    expect('create' in sn.requestedItems).toBe(false);
    expect('update' in sn.requestedItems).toBe(false);
  });
});
