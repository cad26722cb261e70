import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyStatusMessage, isStatusMessageError, parseStatusMessage, storableIssues } from '../../src/index.js';
import { record } from './fixtures.js';

const ids = { connection_id: 'c-1', tenant_id: 't-1' };

function ok(input: unknown, queue?: string) {
  const r = parseStatusMessage(input, queue ? { queue } : {});
  if (!r.ok) throw new Error(`expected ok, got ${r.error.reason}: ${r.error.message}`);
  return r.message;
}

function reason(input: unknown): { reason: string; path: string | undefined } {
  const r = parseStatusMessage(input);
  if (r.ok) throw new Error('expected an error');
  expect(isStatusMessageError(r.error)).toBe(true);
  return { reason: r.error.reason, path: r.error.path };
}

describe('parseStatusMessage: unified shape', () => {
  it('reads a sync message from bytes, mapping tenant_id to organizationId', () => {
    const bytes = new TextEncoder().encode(
      JSON.stringify({ type: 'sync', ...ids, status: 'sync_completed', documents_processed: 42, timestamp: '2025-10-01T10:00:00.000Z' }),
    );
    expect(ok(bytes)).toEqual({
      kind: 'sync',
      connectionId: 'c-1',
      organizationId: 't-1',
      status: 'sync_completed',
      error: null,
      documentsProcessed: 42,
      timestamp: '2025-10-01T10:00:00.000Z',
      timestampMs: Date.parse('2025-10-01T10:00:00.000Z'),
      format: 'unified',
    });
  });

  it('reads sync_failed with error_message, and a verification with normalised options', () => {
    expect(ok({ type: 'sync', ...ids, status: 'sync_failed', error_message: 'boom' })).toMatchObject({ status: 'sync_failed', error: 'boom' });
    expect(ok(JSON.stringify({ type: 'verification', ...ids, status: 'success', options: { spaces: 'ENG, PROD,,ENG' }, error: null }))).toMatchObject({
      kind: 'verification',
      status: 'success',
      options: { spaces: ['ENG', 'PROD'] },
      timestamp: null,
    });
    expect(ok({ type: 'verification', ...ids, status: 'failed', options: null, error: 'Invalid API token' })).toMatchObject({ status: 'failed', options: null, error: 'Invalid API token' });
  });
});

describe('parseStatusMessage: older per-queue shapes', () => {
  it('reads data_source.sync_status messages as sync_completed / sync_failed', () => {
    expect(ok({ ...ids, status: 'completed', error: null })).toMatchObject({ kind: 'sync', status: 'sync_completed', format: 'legacy' });
    expect(ok({ ...ids, status: 'failed', error: 'x' })).toMatchObject({ kind: 'sync', status: 'sync_failed', error: 'x' });
  });

  it('reads data_source.verification_status messages (failed told apart by options, or by the queue)', () => {
    expect(ok({ ...ids, status: 'success', options: { tables: 'incident,kb_knowledge' }, error: null })).toMatchObject({
      kind: 'verification',
      options: { tables: ['incident', 'kb_knowledge'] },
    });
    expect(ok({ ...ids, status: 'failed', options: null, error: 'bad' })).toMatchObject({ kind: 'verification', status: 'failed' });
    expect(ok({ ...ids, status: 'failed', error: 'bad' }, 'data_source.verification_status')).toMatchObject({ kind: 'verification' });
    expect(ok({ ...ids, status: 'success' })).toMatchObject({ kind: 'verification', options: null });
    expect(reason({ ...ids, status: 'done' }).reason).toBe('unknown_status');
    expect(parseStatusMessage({ ...ids, status: 'success' }, { queue: 'data_source.sync_status' }).ok).toBe(false);
  });
});

describe('parseStatusMessage: bad input is a typed error', () => {
  it.each([
    ['malformed JSON', '{"type":"sync",', 'invalid_json', undefined],
    ['not an object', '[1,2]', 'not_an_object', undefined],
    ['a JSON string', '"sync"', 'not_an_object', undefined],
    ['missing connection_id', { type: 'sync', tenant_id: 't', status: 'sync_started' }, 'missing_field', 'connection_id'],
    ['empty connection_id', { type: 'sync', connection_id: '', tenant_id: 't', status: 'sync_started' }, 'missing_field', 'connection_id'],
    ['numeric connection_id', { type: 'sync', connection_id: 5, tenant_id: 't', status: 'sync_started' }, 'invalid_field', 'connection_id'],
    ['missing tenant_id', { type: 'sync', connection_id: 'c', status: 'sync_started' }, 'missing_field', 'tenant_id'],
    ['unknown type', { type: 'reindex', ...ids, status: 'sync_started' }, 'unknown_type', 'type'],
    ['unknown sync status', { type: 'sync', ...ids, status: 'completed' }, 'unknown_status', 'status'],
    ['unknown verification status', { type: 'verification', ...ids, status: 'ok' }, 'unknown_status', 'status'],
    ['missing status', { type: 'sync', ...ids }, 'missing_field', 'status'],
    ['non-string option', { type: 'verification', ...ids, status: 'success', options: { spaces: 42 } }, 'invalid_options', 'options.spaces'],
    ['non-string option item', { type: 'verification', ...ids, status: 'success', options: { spaces: ['ENG', 1] } }, 'invalid_options', 'options.spaces'],
    ['options not an object', { type: 'verification', ...ids, status: 'success', options: 'ENG' }, 'invalid_options', 'options'],
    ['bad timestamp', { type: 'sync', ...ids, status: 'sync_started', timestamp: 'yesterday' }, 'invalid_timestamp', 'timestamp'],
    ['numeric timestamp', { type: 'sync', ...ids, status: 'sync_started', timestamp: 5 }, 'invalid_field', 'timestamp'],
    ['negative documents', { type: 'sync', ...ids, status: 'sync_completed', documents_processed: -1 }, 'invalid_field', 'documents_processed'],
    ['object error', { type: 'sync', ...ids, status: 'sync_failed', error_message: { a: 1 } }, 'invalid_field', 'error_message'],
  ])('%s', (_name, input, expectedReason, expectedPath) => {
    expect(reason(input)).toEqual({ reason: expectedReason, path: expectedPath });
  });

  it('refuses oversized input unparsed and survives hostile objects', () => {
    const r = parseStatusMessage('x'.repeat(100), { maxBytes: 10 });
    expect(r.ok ? undefined : r.error.reason).toBe('too_large');
    const hostile = { get connection_id() { throw new Error('boom'); } };
    const h = parseStatusMessage(hostile);
    expect(h.ok ? undefined : h.error.reason).toBe('unreadable');
    expect(parseStatusMessage(null).ok).toBe(false);
    expect(parseStatusMessage(undefined).ok).toBe(false);
  });

  it('never throws, whatever the bytes, string or value (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 300 }), fc.jsonValue(), fc.anything()), (input) => {
        const r = parseStatusMessage(input);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(isStatusMessageError(r.error)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutations of valid messages (property)', () => {
    const field = fc.oneof(fc.constant(undefined), fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string()), fc.dictionary(fc.string(), fc.anything()));
    fc.assert(
      fc.property(
        fc.record({ type: fc.oneof(fc.constantFrom('sync', 'verification'), field), connection_id: field, tenant_id: field, status: fc.oneof(fc.constantFrom('sync_started', 'sync_completed', 'success', 'failed', 'completed'), field), options: field, timestamp: field, error: field }),
        (m) => {
          const r = parseStatusMessage(JSON.stringify(m));
          if (r.ok) {
            expect(r.message.connectionId).toBe(m.connection_id);
            expect(r.message.organizationId).toBe(m.tenant_id);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('normalises options: trimmed, no empties, no duplicates, order kept (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Z ]{0,5}$/), { maxLength: 10 }), (parts) => {
        const message = ok({ type: 'verification', ...ids, status: 'success', options: { spaces: parts.join(',') } });
        const spaces = message.kind === 'verification' ? message.options?.['spaces'] : undefined;
        const expected = [...new Set(parts.join(',').split(',').map((p) => p.trim()).filter(Boolean))];
        expect(spaces).toEqual(expected);
      }),
    );
  });
});

describe('parseStatusMessage: only what every store keeps', () => {
  const base = { type: 'sync', status: 'sync_failed', timestamp: '2025-10-01T10:00:00.000Z' };

  it('turns NUL and half surrogate pairs in error texts and options into U+FFFD, keeping astral text and the result', () => {
    const failed = ok({ ...base, ...ids, error_message: 'disk\u0000full \uD800 🧭𝔘' });
    expect(failed).toMatchObject({ status: 'sync_failed', error: 'disk\uFFFDfull \uFFFD 🧭𝔘' });
    const verified = ok({ type: 'verification', ...ids, status: 'success', options: { ['sp\u0000aces']: 'EN\u0000G, \uDC00PROD,𠜎' } });
    expect(verified.kind === 'verification' && verified.options).toEqual({ 'sp\uFFFDaces': ['EN\uFFFDG', '\uFFFDPROD', '𠜎'] });
  });

  it('gives UUIDs in lower case, whatever case they came in', () => {
    const id = crypto.randomUUID();
    const tenant = crypto.randomUUID();
    expect(ok({ ...base, connection_id: id.toUpperCase(), tenant_id: tenant.toUpperCase() })).toMatchObject({ connectionId: id, organizationId: tenant });
    // Other ids are kept as sent.
    expect(ok({ ...base, connection_id: 'Conn-A', tenant_id: 'Tenant-B' })).toMatchObject({ connectionId: 'Conn-A', organizationId: 'Tenant-B' });
  });

  it('refuses timestamps outside the years 0001-9999 (no store keeps them the same way) with a reason, and keeps the bounds', () => {
    for (const timestamp of ['-010000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '0000-12-31T23:59:59.999Z', '+010000-01-01T00:00:00Z']) {
      expect(reason({ ...base, ...ids, timestamp })).toEqual({ reason: 'invalid_timestamp', path: 'timestamp' });
    }
    expect(ok({ ...base, ...ids, timestamp: '0001-01-01T00:00:00Z' }).timestampMs).toBe(Date.parse('0001-01-01T00:00:00Z'));
    expect(ok({ ...base, ...ids, timestamp: '9999-12-31T23:59:59.999Z' }).timestampMs).toBe(Date.parse('9999-12-31T23:59:59.999Z'));
  });

  it('keeps an own "__proto__" option as data: the options never get an Array prototype', () => {
    const message = ok(`{"type":"verification","connection_id":"c-1","tenant_id":"t-1","status":"success","options":{"__proto__":"A,B","spaces":"ENG"}}`);
    const options = message.kind === 'verification' ? message.options : null;
    expect(Object.getPrototypeOf(options)).toBe(Object.prototype);
    expect(Array.isArray(Object.getPrototypeOf(options))).toBe(false);
    expect(Object.keys(options ?? {})).toEqual(['__proto__', 'spaces']);
    expect(Object.getOwnPropertyDescriptor(options, '__proto__')?.value).toEqual(['A', 'B']);
    expect(JSON.parse(JSON.stringify(options))).toEqual(JSON.parse('{"__proto__":["A","B"],"spaces":["ENG"]}'));
  });

  it('every message it accepts gives a connection every store keeps (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(
        fc.record({
          type: fc.constantFrom('sync', 'verification'),
          status: fc.constantFrom('sync_started', 'sync_completed', 'sync_failed', 'success', 'failed'),
          error: text,
          options: fc.dictionary(text, fc.oneof(text, fc.array(text, { maxLength: 3 })), { maxKeys: 3 }),
          timestamp: fc.date({ min: new Date(-70_000_000_000_000), max: new Date(260_000_000_000_000), noInvalidDate: true }).map((d) => d.toISOString()),
        }),
        (m) => {
          const r = parseStatusMessage(JSON.stringify({ ...m, connection_id: 'c-1', tenant_id: 't-1' }));
          if (!r.ok) {
            expect(r.error.reason).toMatch(/unknown_status|invalid_timestamp|invalid_options/);
            return;
          }
          const applied = applyStatusMessage(record(), r.message, { now: r.message.timestampMs ?? 0 });
          if (applied.outcome === 'applied') expect(storableIssues(applied.connection)).toEqual([]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
