import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyStatusMessage, type ConnectionRecord, parseStatusMessage, type StatusMessage } from '../../src/index.js';
import { record } from './fixtures.js';

const NOW = Date.parse('2025-10-01T12:00:00.000Z');

function msg(input: Record<string, unknown>): StatusMessage {
  const r = parseStatusMessage({ connection_id: 'c-1', tenant_id: 't-1', ...input });
  if (!r.ok) throw r.error;
  return r.message;
}

function applied(connection: ConnectionRecord, message: StatusMessage) {
  const r = applyStatusMessage(connection, message, { now: NOW });
  if (r.outcome !== 'applied') throw new Error(`expected applied, got ${r.outcome} (${r.reason})`);
  return r;
}

describe('applyStatusMessage: status transitions', () => {
  it('sync_started -> syncing, then sync_completed -> idle/completed with the message time and the update event', () => {
    const started = applied(record(), msg({ type: 'sync', status: 'sync_started', timestamp: '2025-10-01T10:00:00.000Z' }));
    expect(started.connection).toMatchObject({ status: 'syncing', lastSyncStatus: null, version: 2 });
    expect(started.event).toMatchObject({ connectionId: 'c-1', organizationId: 't-1', trigger: 'sync_started', status: 'syncing', version: 2 });
    const done = applied(
      { ...started.connection, lastSyncError: 'old' },
      msg({ type: 'sync', status: 'sync_completed', documents_processed: 42, timestamp: '2025-10-01T10:05:00.000Z' }),
    );
    expect(done.connection).toMatchObject({ status: 'idle', lastSyncStatus: 'completed', lastSyncAt: '2025-10-01T10:05:00.000Z', lastSyncError: null, version: 3 });
    expect(done.event).toMatchObject({ trigger: 'sync_completed', status: 'idle', lastSyncStatus: 'completed', documentsProcessed: 42, timestamp: new Date(NOW).toISOString() });
  });

  it('sync_failed -> idle/failed with the error', () => {
    const r = applied(record({ status: 'syncing' }), msg({ type: 'sync', status: 'sync_failed', error_message: 'quota', timestamp: '2025-10-01T10:00:00.000Z' }));
    expect(r.connection).toMatchObject({ status: 'idle', lastSyncStatus: 'failed', lastSyncError: 'quota', lastSyncAt: '2025-10-01T10:00:00.000Z' });
  });

  it('verification success -> idle, options, error cleared; failed -> idle with error, options kept', () => {
    const ok = applied(record({ status: 'verifying', lastVerificationError: 'old' }), msg({ type: 'verification', status: 'success', options: { spaces: 'ENG,PROD' } }));
    expect(ok.connection).toMatchObject({ status: 'idle', latestOptions: { spaces: ['ENG', 'PROD'] }, lastVerificationError: null, lastVerificationAt: new Date(NOW).toISOString() });
    const failed = applied({ ...ok.connection, status: 'verifying' }, msg({ type: 'verification', status: 'failed', options: null, error: 'bad token' }));
    expect(failed.connection).toMatchObject({ status: 'idle', latestOptions: { spaces: ['ENG', 'PROD'] }, lastVerificationError: 'bad token' });
  });

  it('rejects a tenant that does not own the connection, and a message for another connection', () => {
    expect(applyStatusMessage(record(), msg({ type: 'sync', status: 'sync_started', tenant_id: 't-2' }), { now: NOW })).toMatchObject({ outcome: 'rejected', reason: 'tenant_mismatch' });
    expect(applyStatusMessage(record(), msg({ type: 'sync', status: 'sync_started', connection_id: 'c-9' }), { now: NOW })).toMatchObject({ outcome: 'rejected', reason: 'connection_mismatch' });
  });

  it('ignores messages for a deleted connection', () => {
    expect(applyStatusMessage(record({ deletedAt: '2025-01-02T00:00:00.000Z' }), msg({ type: 'sync', status: 'sync_started' }), { now: NOW })).toMatchObject({ outcome: 'ignored', reason: 'deleted' });
  });

  it('applying the same message twice changes nothing (timestamped and not)', () => {
    for (const m of [
      msg({ type: 'sync', status: 'sync_completed', timestamp: '2025-10-01T10:00:00.000Z' }),
      msg({ type: 'verification', status: 'success', options: { spaces: 'A' } }),
      msg({ status: 'completed' }),
    ]) {
      const first = applied(record({ status: 'syncing' }), m);
      const second = applyStatusMessage(first.connection, m, { now: NOW + 1000 });
      expect(second).toMatchObject({ outcome: 'ignored', reason: 'duplicate' });
    }
  });

  it('ignores a message older than what the connection reflects, with the reason', () => {
    const done = applied(record({ status: 'syncing' }), msg({ type: 'sync', status: 'sync_completed', timestamp: '2025-10-01T10:05:00.000Z' }));
    const late = applyStatusMessage(done.connection, msg({ type: 'sync', status: 'sync_started', timestamp: '2025-10-01T10:00:00.000Z' }), { now: NOW });
    expect(late).toMatchObject({ outcome: 'ignored', reason: 'stale' });
    expect(late.outcome === 'ignored' && late.detail).toContain('older');
  });

  it('orders same-millisecond start before end', () => {
    const ts = '2025-10-01T10:00:00.000Z';
    const done = applied(record(), msg({ type: 'sync', status: 'sync_completed', timestamp: ts }));
    expect(applyStatusMessage(done.connection, msg({ type: 'sync', status: 'sync_started', timestamp: ts }), { now: NOW })).toMatchObject({ outcome: 'ignored', reason: 'stale' });
  });

  it('a newer verification does not undo an older sync result arriving late (per-group clocks)', () => {
    const v = applied(record(), msg({ type: 'verification', status: 'success', options: { spaces: 'A' }, timestamp: '2025-10-01T10:10:00.000Z' }));
    const s = applied(v.connection, msg({ type: 'sync', status: 'sync_failed', error_message: 'x', timestamp: '2025-10-01T10:05:00.000Z' }));
    expect(s.connection).toMatchObject({ status: 'idle', lastSyncStatus: 'failed', latestOptions: { spaces: ['A'] } });
  });
});

describe('applyStatusMessage: convergence (property)', () => {
  const SYNC = ['sync_started', 'sync_completed', 'sync_failed'] as const;
  const messageArb = fc.oneof(
    fc.record({ type: fc.constant('sync'), status: fc.constantFrom(...SYNC), error_message: fc.constantFrom('e1', 'e2'), documents_processed: fc.nat(100) }),
    fc.record({ type: fc.constant('verification'), status: fc.constantFrom('success', 'failed'), options: fc.constantFrom({ spaces: 'A,B' }, { spaces: 'C' }), error: fc.constantFrom('v1', 'v2') }),
  );
  // Distinct seconds per message: different messages never share an ordering key.
  const streamArb = fc
    .uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 12 })
    .chain((secs) => fc.tuple(...secs.map((s) => messageArb.map((m) => msg({ ...m, timestamp: new Date(Date.UTC(2025, 9, 1) + s * 1000).toISOString() })))))
    .map((ms) => [...ms].sort((a, b) => (a.timestampMs ?? 0) - (b.timestampMs ?? 0)));

  const fold = (messages: readonly StatusMessage[]) => {
    let c = record();
    for (const m of messages) {
      const r = applyStatusMessage(c, m, { now: NOW });
      if (r.outcome === 'applied') c = r.connection;
    }
    const { version: _v, updatedAt: _u, ...rest } = c;
    return rest;
  };

  it('replaying a shuffled, duplicated stream converges to the in-order result', () => {
    fc.assert(
      fc.property(
        streamArb.chain((ordered) =>
          fc.tuple(
            fc.constant(ordered),
            fc.shuffledSubarray([...ordered, ...ordered, ...ordered], { minLength: ordered.length * 3, maxLength: ordered.length * 3 }),
          ),
        ),
        ([ordered, replay]) => {
          expect(fold(replay)).toEqual(fold(ordered));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is pure: the input connection is never mutated', () => {
    fc.assert(
      fc.property(streamArb, (messages) => {
        const c = record();
        const before = JSON.stringify(c);
        for (const m of messages) applyStatusMessage(c, m, { now: NOW });
        expect(JSON.stringify(c)).toBe(before);
      }),
    );
  });
});

describe('applyStatusMessage: timestamps from the future', () => {
  it('refuses a message stamped further ahead than maxFutureSkewMs (default 5 minutes) with a reason, so it cannot freeze the connection', () => {
    const frozen = applyStatusMessage(record(), msg({ type: 'sync', status: 'sync_started', timestamp: '9999-12-31T23:59:59Z' }), { now: NOW });
    expect(frozen).toMatchObject({ outcome: 'rejected', reason: 'future_timestamp' });
    expect(frozen.outcome === 'rejected' && frozen.detail).toBe("timestamp 9999-12-31T23:59:59Z is more than 300000 ms ahead of this consumer's clock");
    // Later real messages still apply.
    const real = applied(record(), msg({ type: 'sync', status: 'sync_completed', timestamp: '2025-10-01T11:59:00Z' }));
    expect(real.connection.status).toBe('idle');
    // Within the skew: applied; the bound is an option.
    expect(applyStatusMessage(record(), msg({ type: 'sync', status: 'sync_started', timestamp: new Date(NOW + 300_000).toISOString() }), { now: NOW }).outcome).toBe('applied');
    expect(applyStatusMessage(record(), msg({ type: 'sync', status: 'sync_started', timestamp: new Date(NOW + 300_001).toISOString() }), { now: NOW }).outcome).toBe('rejected');
    expect(applyStatusMessage(record(), msg({ type: 'sync', status: 'sync_started', timestamp: new Date(NOW + 3_600_000).toISOString() }), { now: NOW, maxFutureSkewMs: 7_200_000 }).outcome).toBe('applied');
    // Messages without a timestamp are never refused for it.
    expect(applyStatusMessage(record(), msg({ type: 'verification', status: 'success', options: null }), { now: NOW, maxFutureSkewMs: 0 }).outcome).toBe('applied');
  });

  it('matches ids whatever their letter case', () => {
    const id = crypto.randomUUID();
    const org = crypto.randomUUID();
    const r = applyStatusMessage(record({ id: id.toUpperCase(), organizationId: org }), { ...msg({ type: 'sync', status: 'sync_started', timestamp: '2025-10-01T10:00:00Z' }), connectionId: id, organizationId: org.toUpperCase() }, { now: NOW });
    expect(r.outcome).toBe('applied');
  });
});

