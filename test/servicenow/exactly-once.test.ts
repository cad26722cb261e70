import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { isValidationError, type RetryMetadata } from '../../src/core/errors.js';
import type { DuplicateEvent } from '../../src/core/keyed-create.js';
import {
  isIdempotencyConflictError,
  isIdempotencyKeyReusedError,
  isIdempotencyStoreError,
  isTicketMayExistError,
  type TicketMayExistError,
} from '../../src/core/idempotency-errors.js';
import { MemoryIdempotencyStore, type IdempotencyStore } from '../../src/core/idempotency-store.js';
import { ServiceNowClient, type ServiceNowClientOptions } from '../../src/servicenow/client.js';
import { FakeServiceNow } from '../../src/testing/fake-servicenow/fake-servicenow.js';
import { INSTANCE, rejection, setup } from './helpers.js';

const input = { shortDescription: 'Disk full on db-1', urgency: 'high' as const, correlationId: 'alert-4711' };

/** A fake and clients on the real clock: waits between concurrent creates must really wait. */
function live(options: Partial<ServiceNowClientOptions> = {}) {
  const fake = new FakeServiceNow();
  const client = (more: Partial<ServiceNowClientOptions> = {}) =>
    new ServiceNowClient({
      instanceUrl: INSTANCE,
      auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
      fetch: fake.fetch,
      clock: systemClock,
      retry: { minDelayMs: 5, maxDelayMs: 20, jitter: 'none' },
      ...options,
      ...more,
    });
  return { fake, sn: client(), client };
}

const posts = (fake: FakeServiceNow) => fake.requestsTo('/api/now/table/incident', 'POST');

describe('a create with a correlation id happens once per id', () => {
  it('returns the first incident to a second call with the same id, created: false, without a second POST', async () => {
    const { fake, sn } = setup();
    const first = await sn.incidents.create(input);
    const second = await sn.incidents.create(input);
    expect(first).toMatchObject({ created: true, reconciled: false, retry: { attempts: 1 } });
    expect(second).toMatchObject({ created: false, sysId: first.sysId, number: first.number, retry: { attempts: 1 } });
    expect(posts(fake)).toHaveLength(1);
    expect(fake.table('incident')).toHaveLength(1);
  });

  it('makes one incident out of 10 concurrent creates with one id, and every call returns it', async () => {
    const { fake, sn } = live();
    const results = await Promise.all(Array.from({ length: 10 }, () => sn.incidents.create(input)));
    expect(fake.table('incident')).toHaveLength(1);
    expect(new Set(results.map((r) => r.sysId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(posts(fake)).toHaveLength(1);
  });

  it('finds the incident after a restart (a new client, an empty memory store) by correlation_id', async () => {
    const { fake, sn, client } = live();
    const first = await sn.incidents.create(input);
    const again = await client().incidents.create(input);
    expect(again).toMatchObject({ created: false, sysId: first.sysId });
    expect(posts(fake)).toHaveLength(1);
  });

  it('makes one incident across two clients sharing a store, created concurrently', async () => {
    const store = new MemoryIdempotencyStore();
    const { fake, client } = live({ idempotency: { store } });
    const [a, b] = [client(), client()];
    const results = await Promise.all([...Array.from({ length: 5 }, () => a.incidents.create(input)), ...Array.from({ length: 5 }, () => b.incidents.create(input))]);
    expect(fake.table('incident')).toHaveLength(1);
    expect(new Set(results.map((r) => r.sysId)).size).toBe(1);
  });

  it('keys the table API the same way, on correlation_id', async () => {
    const { fake, sn } = setup();
    const first = await sn.table('problem').create({ short_description: 'RCA', correlation_id: 'rca-1' });
    const second = await sn.table('problem').create({ short_description: 'RCA', correlation_id: 'rca-1' });
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.sysId).toBe(first.sysId);
    expect(fake.table('problem')).toHaveLength(1);
  });

  it('refuses the same id with a different payload (IdempotencyKeyReusedError naming the key), sending nothing', async () => {
    const { fake, sn } = setup();
    await sn.incidents.create(input);
    const error = await rejection(sn.incidents.create({ ...input, shortDescription: 'Something else' }));
    expect(isIdempotencyKeyReusedError(error)).toBe(true);
    expect(error.message).toContain('"alert-4711"');
    expect(posts(fake)).toHaveLength(1);
  });

  it('gives a concurrent duplicate an IdempotencyConflictError when the first holds the key past waitMs', async () => {
    const { fake, sn } = live({ idempotency: { waitMs: 50 } });
    fake.faults.add({ fault: { kind: 'delay', ms: 300 }, match: { method: 'POST' } });
    const [first, second] = await Promise.allSettled([sn.incidents.create(input), sn.incidents.create(input)]);
    expect(first.status).toBe('fulfilled');
    expect(second.status === 'rejected' && isIdempotencyConflictError(second.reason)).toBe(true);
    expect(second.status === 'rejected' && (second.reason as Error).message).toContain('"alert-4711"');
    expect(fake.table('incident')).toHaveLength(1);
  });

  it('never creates without its reservation when the store is down (IdempotencyStoreError)', async () => {
    const down: IdempotencyStore = {
      reserve: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
      complete: () => Promise.resolve(),
      release: () => Promise.resolve(),
    };
    const { fake, sn } = setup({ client: { idempotency: { store: down } } });
    const error = await rejection(sn.incidents.create(input));
    expect(isIdempotencyStoreError(error)).toBe(true);
    expect(error.message).toContain('"alert-4711"');
    expect(error.message).toContain('nothing was sent');
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['over 100 characters', 'k'.repeat(101)],
    ['with a caret (the encoded-query separator)', 'a^ORactive=true'],
    ['with a newline', 'a\nb'],
  ])('refuses a correlation id that is %s with a ValidationError on correlationId, sending nothing', async (_, key) => {
    const { fake, sn } = setup();
    const error = await rejection(sn.incidents.create({ ...input, correlationId: key }));
    expect(isValidationError(error) && error.issues[0]?.field).toBe('correlationId');
    expect(fake.requests).toHaveLength(0);
  });

  it('keeps characters an encoded query would read as operators inside the value (=, @, LIKE, quotes)', async () => {
    const { fake, sn } = setup();
    const key = 'host=db-1@ops LIKE "x" OR y';
    const first = await sn.incidents.create({ ...input, correlationId: key });
    const second = await sn.incidents.create({ ...input, correlationId: key });
    expect(second.sysId).toBe(first.sysId);
    expect(fake.table('incident')).toHaveLength(1);
  });
});

describe('slow commits and failing lookups', () => {
  it('waits for a write that commits after the attempt timeout, returning it instead of posting again', async () => {
    const { fake, sn } = live({ retry: { attemptTimeoutMs: 100, minDelayMs: 5, jitter: 'none' }, idempotency: { settleMs: 1_500 } });
    fake.faults.add({ fault: { kind: 'lateCommit', afterMs: 300 }, match: { method: 'POST' } });
    const inc = await sn.incidents.create(input);
    expect(inc).toMatchObject({ created: true, reconciled: true });
    await fake.faults.lateCommits();
    expect(posts(fake)).toHaveLength(1);
    expect(fake.table('incident')).toHaveLength(1);
  });

  it('throws TicketMayExistError (maybeSent: true) when the create was ambiguous and every lookup failed; a later call returns the incident', async () => {
    const { fake, sn } = setup({ client: { idempotency: { settleMs: 2_000 } } });
    fake.faults.add({ fault: { kind: 'drop', when: 'after' }, match: { method: 'POST' } });
    sn.events.on('request', (e) => {
      if (e.operation === 'incident.create') fake.faults.add({ fault: { kind: 'status', status: 503, body: { error: { message: 'down' }, status: 'failure' } }, match: { method: 'GET' }, times: 1_000 });
    });
    const error = (await rejection(sn.incidents.create(input))) as TicketMayExistError;
    expect(isTicketMayExistError(error)).toBe(true);
    expect(error).toMatchObject({ maybeSent: true, key: 'alert-4711', platform: 'servicenow' });
    expect(error.polls).toBeGreaterThan(1);
    expect((error as unknown as { retry: RetryMetadata }).retry.attempts).toBe(2);
    expect(error.message).toContain('same key');
    expect(fake.table('incident')).toHaveLength(1);
    sn.events.removeAllListeners('request');
    fake.faults.clear();
    const again = await sn.incidents.create(input);
    expect(again).toMatchObject({ created: false, sysId: fake.table('incident')[0]?.['sys_id'] });
    expect(posts(fake)).toHaveLength(1);
  });

  it('posts again when the settle window ends with lookups answering "none"; the late write then shows as a duplicate, reported and closed', async () => {
    const { fake, sn } = live({ retry: { attemptTimeoutMs: 80, minDelayMs: 5, jitter: 'none' }, idempotency: { settleMs: 100, closeDuplicates: true } });
    fake.faults.add({ fault: { kind: 'lateCommit', afterMs: 400 }, match: { method: 'POST' } });
    const first = await sn.incidents.create(input);
    expect(first.created).toBe(true);
    await fake.faults.lateCommits();
    expect(fake.table('incident')).toHaveLength(2);

    // A new process (empty memory store) finds both: it keeps the oldest and closes the newer one.
    const events: DuplicateEvent[] = [];
    const fresh = new ServiceNowClient({ instanceUrl: INSTANCE, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' }, fetch: fake.fetch, idempotency: { closeDuplicates: true } });
    fresh.events.on('duplicate', (e) => events.push(e));
    const found = await fresh.incidents.create(input);
    const rows = fake.table('incident');
    const oldest = rows.find((r) => r['sys_id'] === found.sysId);
    const newer = rows.find((r) => r['sys_id'] !== found.sysId);
    expect(found.created).toBe(false);
    expect(String(oldest?.['number']) < String(newer?.['number'])).toBe(true);
    expect(events).toEqual([{ platform: 'servicenow', operation: 'incident.create', key: 'alert-4711', kept: found.sysId, duplicates: [newer?.['sys_id']], closed: true }]);
    expect(newer?.['state']).toBe('8');
    const notes = fake.requestsTo(`/api/now/table/incident/${String(newer?.['sys_id'])}`, 'PATCH')[0]?.body as Record<string, string>;
    expect(notes['work_notes']).toContain(`Duplicate of ${String(oldest?.['number'])}`);
  });
});
