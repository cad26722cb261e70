import { describe, expect, it } from 'vitest';
import {
  isForbiddenError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isServerError,
  isTimeoutError,
  isValidationError,
  type ValidationError,
} from '../../src/core/errors.js';
import { encodedQuery } from '../../src/servicenow/encoded-query.js';
import type { IncidentField } from '../../src/servicenow/incidents.js';
import { delay } from '../../src/testing/handler.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { INSTANCE, rejection, setup } from './helpers.js';

const ABEL = '62826bf03710200044e0bfc8bcbe5df1';
const NETWORK = '287ebd7da9fe198100f92cc8d1d2154e';

describe('incidents', () => {
  it('creates with mapped fields and returns a typed record', async () => {
    const { fake, sn } = setup();
    const inc = await sn.incidents.create({
      shortDescription: 'VPN down',
      description: 'Users cannot connect',
      urgency: 'high',
      impact: 'medium',
      category: 'network',
      subcategory: 'vpn',
      assignmentGroup: NETWORK,
      callerId: ABEL,
      contactType: 'self-service',
      correlationId: 'alert-42',
      custom: { u_client: 'Archer Insurance', u_source: 'BBP Support Counter' },
    });
    const post = fake.requestsTo('/api/now/table/incident', 'POST')[0];
    expect(post?.body).toEqual({
      short_description: 'VPN down',
      description: 'Users cannot connect',
      urgency: '1',
      impact: '2',
      category: 'network',
      subcategory: 'vpn',
      assignment_group: NETWORK,
      caller_id: ABEL,
      contact_type: 'self-service',
      correlation_id: 'alert-42',
      u_client: 'Archer Insurance',
      u_source: 'BBP Support Counter',
    });
    expect(post?.headers['content-type']).toBe('application/json');
    expect(inc).toMatchObject({
      number: 'INC0010001',
      shortDescription: 'VPN down',
      state: 'new',
      urgency: 'high',
      impact: 'medium',
      priority: 'high',
      callerId: ABEL,
      assignmentGroup: NETWORK,
      assignedTo: undefined,
      active: true,
      reassignmentCount: 0,
      custom: { u_client: 'Archer Insurance', u_source: 'BBP Support Counter' },
    });
    expect(inc.sysId).toMatch(/^[0-9a-f]{32}$/);
    expect(inc.openedAt).toBeInstanceOf(Date);
    expect(inc.raw['urgency']).toBe('1');
  });

  it('validates input, reporting every issue', async () => {
    const { fake, sn } = setup();
    const error = (await rejection(
      sn.incidents.create({ urgency: 'urgent', madeUp: 1, custom: { client: 'x' } } as never),
    )) as ValidationError;
    expect(isValidationError(error)).toBe(true);
    expect(error.issues.map((i) => [i.field, i.rule])).toEqual([
      ['shortDescription', 'required'],
      ['urgency', 'enum'],
      ['madeUp', 'unknown_field'],
      ['custom.client', 'custom'],
    ]);
    expect(fake.requests).toHaveLength(0);
  });

  it('gets by sys_id and by number, and says NotFound for neither', async () => {
    const { sn } = setup();
    const inc = await sn.incidents.create({ shortDescription: 'Printer jam' });
    expect((await sn.incidents.get(inc.sysId)).number).toBe(inc.number);
    expect((await sn.incidents.get(inc.number!)).sysId).toBe(inc.sysId);
    expect(isNotFoundError(await rejection(sn.incidents.get('INC9999999')))).toBe(true);
    const missing = await rejection(sn.incidents.get('0123456789abcdef0123456789abcdef'));
    expect(missing).toMatchObject({ status: 404, platformError: { message: 'No Record found' } });
    expect(isValidationError(await rejection(sn.incidents.get('../sys_user')))).toBe(true);
  });

  it('updates by number, priority follows impact x urgency', async () => {
    const { fake, sn } = setup();
    const inc = await sn.incidents.create({ shortDescription: 'Slow laptop', urgency: 'medium', impact: 'medium' });
    expect(inc.priority).toBe('moderate');
    const updated = await sn.incidents.update(inc.number!, { urgency: 'high', impact: 'high', state: 'inProgress' });
    expect(updated).toMatchObject({ urgency: 'high', priority: 'critical', state: 'inProgress', sysModCount: 1 });
    expect(fake.requestsTo(`/api/now/table/incident/${inc.sysId}`, 'PATCH')[0]?.body).toEqual({ urgency: '1', impact: '1', state: '2' });
  });

  it('searches with typed filters and with the builder', async () => {
    const { fake, sn } = setup();
    await sn.incidents.create({ shortDescription: 'VPN down', urgency: 'high' });
    await sn.incidents.create({ shortDescription: 'VPN slow', urgency: 'low' });
    await sn.incidents.create({ shortDescription: 'Email down', urgency: 'high', category: 'software' });
    const page = await sn.incidents.search({ urgency: 'high', category: ['inquiry', 'network'] });
    expect(page.records.map((r) => r.shortDescription)).toEqual(['VPN down']);
    expect(fake.requests.at(-1)?.query['sysparm_query']).toBe('urgency=1^categoryINinquiry,network');
    expect(page.total).toBe(1);

    const q = encodedQuery<IncidentField>().where('short_description', 'STARTSWITH', 'VPN').orderByDesc('short_description');
    const byQuery = await sn.incidents.search(q, { fields: ['number', 'short_description'] });
    expect(byQuery.records.map((r) => r.shortDescription)).toEqual(['VPN slow', 'VPN down']);
    expect(byQuery.records[0]?.urgency).toBeUndefined();
  });

  it('rejects unknown fields (ServiceNow would widen the result), with u_ and table() as escape hatches', async () => {
    const { fake, sn } = setup();
    const error = (await rejection(sn.incidents.search(encodedQuery<string>().where('shrt_description', '=', 'x') as never))) as ValidationError;
    expect(isValidationError(error)).toBe(true);
    expect(error.issues[0]).toMatchObject({ field: 'query.shrt_description', rule: 'unknown_field' });
    expect(error.issues[0]?.message).toContain('return more rows');
    expect(isValidationError(await rejection(sn.incidents.search({}, { fields: ['bogus' as IncidentField] })))).toBe(true);
    expect(isValidationError(await rejection(sn.incidents.search({ shortDesc: 'x' } as never)))).toBe(true);
    expect(isValidationError(await rejection(sn.incidents.search(encodedQuery<IncidentField>().where('category.name' as IncidentField, '=', 'x'))))).toBe(true);
    expect(isValidationError(await rejection(sn.incidents.search('active=true' as never)))).toBe(true);
    expect(fake.requests).toHaveLength(0);

    await sn.incidents.create({ shortDescription: 'A', custom: { u_client: 'Archer' } });
    await sn.incidents.create({ shortDescription: 'B', custom: { u_client: 'Other' } });
    const custom = await sn.incidents.search(encodedQuery<IncidentField>().where('u_client', '=', 'Archer').where('caller_id.name', 'ISEMPTY'));
    expect(custom.records.map((r) => r.shortDescription)).toEqual(['A']);
    const raw = await sn.table('incident').list({ query: 'anything_goes=1' });
    expect(raw.records).toHaveLength(2);
  });

  it('adds work notes and comments, and reads them back from sys_journal_field', async () => {
    const { fake, sn, clock } = setup();
    const inc = await sn.incidents.create({ shortDescription: 'Disk full' });
    clock.advance(1000);
    const afterNote = await sn.incidents.addWorkNote(inc.number!, 'Cleared /tmp');
    expect(afterNote.workNotes).toBe('');
    clock.advance(1000);
    await sn.incidents.addWorkNote(inc.sysId, 'Second note ^NQ');
    await sn.incidents.addComment(inc.sysId, 'We are on it');
    expect(fake.requestsTo(`/api/now/table/incident/${inc.sysId}`, 'PATCH').map((r) => r.body)).toEqual([
      { work_notes: 'Cleared /tmp' },
      { work_notes: 'Second note ^NQ' },
      { comments: 'We are on it' },
    ]);
    const notes = await sn.incidents.workNotes(inc.number!);
    expect(notes.map((n) => n.text)).toEqual(['Second note ^NQ', 'Cleared /tmp']);
    expect(notes[0]).toMatchObject({ element: 'work_notes', table: 'incident', elementId: inc.sysId, createdBy: 'admin' });
    expect(notes[0]?.createdOn).toBeInstanceOf(Date);
    expect((await sn.incidents.comments(inc.sysId)).map((n) => n.text)).toEqual(['We are on it']);
    const shown = await sn.incidents.get(inc.sysId, { displayValue: true });
    expect(shown.display?.['workNotes']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - System Administrator \(Work notes\)\nSecond note \^NQ\n\n/);
    expect(isValidationError(await rejection(sn.incidents.addWorkNote(inc.sysId, '  ')))).toBe(true);
  });

  it('does not re-send a work note after an ambiguous failure, and says why', async () => {
    const { fake, sn } = setup();
    const inc = await sn.incidents.create({ shortDescription: 'Disk full' });
    fake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'PATCH' } });
    const error = await rejection(sn.incidents.addWorkNote(inc.sysId, 'Once only'));
    expect(isServerError(error)).toBe(true);
    expect(error.message).toContain('Not retried');
    expect(error.message).toContain('could post it twice');
    expect(fake.requestsTo('/api/now/table/incident/', 'PATCH')).toHaveLength(1);
    expect(fake.table('sys_journal_field').filter((r) => r['value'] === 'Once only')).toHaveLength(1);
  });

  it('resolves with close code and notes, and closes', async () => {
    const { fake, sn } = setup();
    const inc = await sn.incidents.create({ shortDescription: 'Outage' });
    const resolved = await sn.incidents.resolve(inc.number!, { closeCode: 'Solution provided', closeNotes: 'Restarted' });
    expect(resolved).toMatchObject({ state: 'resolved', incidentState: 'resolved', closeCode: 'Solution provided', closeNotes: 'Restarted' });
    expect(resolved.resolvedAt).toBeInstanceOf(Date);
    expect(fake.requests.at(-1)?.body).toEqual({ close_code: 'Solution provided', close_notes: 'Restarted', state: '6', incident_state: '6' });
    const closed = await sn.incidents.close(inc.sysId);
    expect(closed).toMatchObject({ state: 'closed', active: false });
    expect(closed.closedAt).toBeInstanceOf(Date);
  });

  it('requires resolution fields client-side and surfaces the data policy 403', async () => {
    const { fake, sn } = setup();
    const inc = await sn.incidents.create({ shortDescription: 'Outage' });
    const invalid = (await rejection(sn.incidents.resolve(inc.sysId, { closeCode: '', closeNotes: undefined as unknown as string }))) as ValidationError;
    expect(invalid.issues.map((i) => i.field)).toEqual(['closeCode', 'closeNotes']);
    const forbidden = await rejection(sn.incidents.close(inc.sysId));
    expect(isForbiddenError(forbidden)).toBe(true);
    expect(forbidden).toMatchObject({ status: 403, platformError: { message: 'Operation Failed' } });
    expect((forbidden as unknown as { platformError: { detail: string } }).platformError.detail).toContain('Data Policy Exception');
    fake.dataPolicy = false;
    expect((await sn.incidents.close(inc.sysId)).state).toBe('closed');
  });
});

describe('no duplicate incidents', () => {
  const input = { shortDescription: 'Database unreachable', urgency: 'high' as const, impact: 'high' as const, correlationId: 'monitor-7781' };

  it('reconciles after the connection drops once the incident was written', async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST' } });
    const inc = await sn.incidents.create(input);
    expect(inc).toMatchObject({ correlationId: 'monitor-7781', shortDescription: 'Database unreachable', priority: 'critical' });
    expect(fake.table('incident')).toHaveLength(1);
    expect(fake.requestsTo('/api/now/table/incident', 'POST')).toHaveLength(1);
    const lookup = fake.requestsTo('/api/now/table/incident', 'GET').at(-1);
    expect(lookup?.query['sysparm_query']).toBe('correlation_id=monitor-7781^ORDERBYsys_created_on');
  });

  it('reconciles after a 503 that followed the write', async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'POST' } });
    const inc = await sn.incidents.create(input);
    expect(inc.number).toBe('INC0010001');
    expect(fake.table('incident')).toHaveLength(1);
  });

  it('reconciles after a timeout on a write that landed', async () => {
    const { fake } = setup();
    let slowOnce = true;
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const req = new Request(input, init);
      const res = await fake.fetch(req);
      if (req.method === 'POST' && slowOnce) {
        slowOnce = false;
        await delay(500, req.signal);
      }
      return res;
    };
    const client = new ServiceNowClient({
      instanceUrl: INSTANCE,
      auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
      fetch,
      retry: { attemptTimeoutMs: 30, minDelayMs: 1, jitter: 'none' },
    });
    const created = await client.incidents.create(input);
    expect(created.correlationId).toBe('monitor-7781');
    expect(fake.table('incident')).toHaveLength(1);
    expect(fake.requestsTo('/api/now/table/incident', 'POST')).toHaveLength(1);
  });

  it('re-POSTs once when a delayed write never landed, still leaving one incident', async () => {
    const { fake, sn } = setup({ client: { retry: { attemptTimeoutMs: 30, minDelayMs: 1, jitter: 'none' } } });
    fake.faults.add({ fault: { kind: 'delay', ms: 500 }, match: { method: 'POST' } });
    const inc = await sn.incidents.create(input);
    expect(inc.correlationId).toBe('monitor-7781');
    expect(fake.table('incident')).toHaveLength(1);
    expect(fake.requestsTo('/api/now/table/incident', 'POST')).toHaveLength(2);
  });

  it('does not re-POST without a correlation id, and the error says why', async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST' } });
    const error = await rejection(sn.incidents.create({ shortDescription: 'No key' }));
    expect(isNetworkError(error)).toBe(true);
    expect(error.message).toContain('Not retried');
    expect(error.message).toContain('pass a correlationId');
    expect(fake.requestsTo('/api/now/table/incident', 'POST')).toHaveLength(1);
    expect(fake.table('incident')).toHaveLength(1);

    fake.faults.add({ fault: { kind: 'statusAfter', status: 503 }, match: { method: 'POST' } });
    expect(isServerError(await rejection(sn.incidents.create({ shortDescription: 'No key 2' })))).toBe(true);
    expect(fake.requestsTo('/api/now/table/incident', 'POST')).toHaveLength(2);
  });

  it('retries a refused connection (nothing was sent) even without a correlation id', async () => {
    const { fake, sn } = setup();
    fake.faults.add({ fault: { kind: 'drop', when: 'before' }, match: { method: 'POST' } });
    const inc = await sn.incidents.create({ shortDescription: 'Refused once' });
    expect(inc.shortDescription).toBe('Refused once');
    expect(fake.table('incident')).toHaveLength(1);
  });

  it('times out for good when every attempt hangs, creating nothing twice', async () => {
    const { fake, sn } = setup({ client: { retry: { attemptTimeoutMs: 20, retries: 1, minDelayMs: 1, jitter: 'none' } } });
    fake.faults.add({ fault: { kind: 'delay', ms: 500 }, match: { method: 'POST' }, times: 2 });
    expect(isTimeoutError(await rejection(sn.incidents.create(input)))).toBe(true);
    expect(fake.table('incident')).toHaveLength(0);
  });
});

describe('rate limits', () => {
  it('honours Retry-After on 429 (injected clock, no waiting)', async () => {
    const { fake, sn, clock } = setup();
    fake.faults.add({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'Rate limit exceeded', detail: 'x' }, status: 'failure' } }, times: 2 });
    const retries: number[] = [];
    sn.events.on('retry', (e) => retries.push(e.delayMs));
    const inc = await sn.incidents.create({ shortDescription: 'After 429' });
    expect(inc.shortDescription).toBe('After 429');
    expect(retries).toEqual([7000, 7000]);
    expect(clock.sleeps).toEqual([7000, 7000]);
    expect(fake.table('incident')).toHaveLength(1);
  });

  it("reads the fake rule's Retry-After and X-RateLimit-Reset, and gives up past the budget", async () => {
    const { fake, sn, clock } = setup({ fake: { rateLimit: { limit: 2, windowSeconds: 60 } }, client: { retry: { retries: 3, totalBudgetMs: 600_000 } } });
    await sn.incidents.search();
    await sn.incidents.search();
    // The third call waits for the window to reset, then succeeds.
    await sn.incidents.search();
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(0);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(60_000);

    const tight = setup({ fake: { rateLimit: { limit: 1, windowSeconds: 3600 } }, client: { retry: { totalBudgetMs: 10_000 } } });
    await tight.sn.incidents.search();
    const error = await rejection(tight.sn.incidents.search());
    expect(isRateLimitError(error)).toBe(true);
    expect(error).toMatchObject({ status: 429, platformError: { message: 'Rate limit exceeded' } });
    const rl = (error as unknown as { rateLimit: { resetAt?: Date; limit?: number; retryAfterMs?: number } }).rateLimit;
    expect(rl.limit).toBe(1);
    expect(rl.resetAt).toBeInstanceOf(Date);
    expect(rl.retryAfterMs).toBeGreaterThan(10_000);
    expect(error.message).toContain('retry budget');
    expect(fake.requestsTo('/api/now/table/incident')).toHaveLength(4);
  });
});
