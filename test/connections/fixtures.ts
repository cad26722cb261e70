import { type ConnectionRecord, newConnectionRecord } from '../../src/index.js';

/** A live, seeded connection record for reducer and consumer tests. */
export function record(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  const fresh = newConnectionRecord({ id: 'c-1', organizationId: 't-1', type: 'confluence', name: 'Confluence', enabled: true, createdBy: 'u-1', at: '2025-01-01T00:00:00.000Z' });
  return { ...fresh, version: 1, ...overrides };
}
