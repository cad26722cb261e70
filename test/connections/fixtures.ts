import type { ConnectionRecord } from '../../src/index.js';

/** A live, seeded connection record for reducer and consumer tests. */
export function record(overrides: Partial<ConnectionRecord> = {}): ConnectionRecord {
  return {
    id: 'c-1',
    organizationId: 't-1',
    type: 'confluence',
    name: 'Confluence',
    description: null,
    config: {},
    status: 'idle',
    enabled: true,
    lastSyncStatus: null,
    lastSyncAt: null,
    lastSyncError: null,
    lastVerificationAt: null,
    lastVerificationError: null,
    latestOptions: null,
    createdBy: 'u-1',
    updatedBy: 'u-1',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    deletedAt: null,
    version: 1,
    messageClock: { status: null, sync: null, verification: null, options: null },
    ...overrides,
  };
}
