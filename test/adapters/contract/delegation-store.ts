import { describe, expect, it } from 'vitest';
import type { DelegationRecord, DelegationStore } from '../../../src/index.js';
import { ASTRAL, cut, EARLIEST, HOSTILE_STRINGS, huge, LATEST, upper } from './hostile.js';

/**
 * Builds an empty store; `connection` makes a connection a delegation may
 * name (SQL stores hold a foreign key to it); `dispose` drops whatever it made.
 */
export type DelegationStoreFactory = () => Promise<{ store: DelegationStore; connection: (organizationId: string) => Promise<string>; dispose: () => Promise<void> }>;

let hashes = 0;

/** A pending delegation with fresh ids and token hash (override anything). */
export function delegation(overrides: Partial<DelegationRecord> = {}): DelegationRecord {
  return {
    id: crypto.randomUUID(),
    organizationId: crypto.randomUUID(),
    itsmSystemType: 'servicenow_itsm',
    delegateEmail: 'admin@example.com',
    connectionId: null,
    tokenHash: `${(++hashes).toString(16).padStart(8, '0')}${crypto.randomUUID().replace(/-/g, '')}`,
    status: 'pending',
    createdBy: crypto.randomUUID(),
    createdAt: '2025-10-01T10:00:00.000Z',
    expiresAt: '2025-10-08T10:00:00.000Z',
    revokedAt: null,
    usedAt: null,
    ...overrides,
  };
}

/** The DelegationStore contract, run by every implementation. */
export function delegationStoreContract(name: string, factory: DelegationStoreFactory): void {
  describe(`DelegationStore contract: ${name}`, () => {
    const withStore = (fn: (store: DelegationStore, connection: (organizationId: string) => Promise<string>) => Promise<void>) => async () => {
      const { store, connection, dispose } = await factory();
      try {
        await fn(store, connection);
      } finally {
        await dispose();
      }
    };

    it(
      'reads back every field, scoped to the organization; lists oldest first, filtered by type; finds by token hash in any organization',
      withStore(async (store) => {
        const org = crypto.randomUUID();
        const a = delegation({ organizationId: org, createdAt: '2025-10-02T00:00:00.000Z', itsmSystemType: 'jira' });
        const b = delegation({ organizationId: org, createdAt: '2025-10-01T00:00:00.000Z' });
        const other = delegation();
        for (const d of [a, b, other]) await store.insert(d);
        expect(await store.get(org, a.id)).toEqual(a);
        expect(await store.get(other.organizationId, a.id)).toBeUndefined();
        expect(await store.get(org, crypto.randomUUID())).toBeUndefined();
        expect(await store.list(org)).toEqual([b, a]);
        expect(await store.list(org, { itsmSystemType: 'jira' })).toEqual([a]);
        expect(await store.list(crypto.randomUUID())).toEqual([]);
        expect(await store.findByTokenHash(other.tokenHash)).toEqual(other);
        expect(await store.findByTokenHash('0'.repeat(64))).toBeUndefined();
        expect(await store.get('not a uuid', 'nor this')).toBeUndefined();
        expect(await store.list("'; DROP TABLE credential_delegation_tokens; --")).toEqual([]);
      }),
    );

    it(
      'refuses a second delegation with the same id or the same token hash',
      withStore(async (store) => {
        const d = delegation();
        await store.insert(d);
        await expect(store.insert(delegation({ id: d.id }))).rejects.toThrow();
        await expect(store.insert(delegation({ tokenHash: d.tokenHash }))).rejects.toThrow();
        expect(await store.list(d.organizationId)).toEqual([d]);
      }),
    );

    it(
      'updates status, revokedAt and usedAt only, in its organization, and only from the expected status',
      withStore(async (store) => {
        const d = delegation();
        await store.insert(d);
        const used: DelegationRecord = { ...d, status: 'used', usedAt: '2025-10-03T00:00:00.000Z', delegateEmail: 'changed@example.com', tokenHash: 'changed' };
        expect(await store.update(used, 'revoked')).toBe(false);
        expect(await store.update({ ...used, organizationId: crypto.randomUUID() }, 'pending')).toBe(false);
        expect(await store.update({ ...used, id: crypto.randomUUID() })).toBe(false);
        expect(await store.update(used, 'pending')).toBe(true);
        expect(await store.get(d.organizationId, d.id)).toEqual({ ...d, status: 'used', usedAt: '2025-10-03T00:00:00.000Z' });
        expect(await store.update({ ...d, status: 'revoked', revokedAt: LATEST })).toBe(true);
        expect(await store.get(d.organizationId, d.id)).toMatchObject({ status: 'revoked', revokedAt: LATEST, usedAt: null });
      }),
    );

    it(
      'lets exactly one of many concurrent redeems of one delegation win',
      withStore(async (store) => {
        const d = delegation();
        await store.insert(d);
        const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.update({ ...d, status: 'used', usedAt: new Date(Date.UTC(2025, 9, 2, 0, 0, i)).toISOString() }, 'pending')));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.get(d.organizationId, d.id))?.status).toBe('used');
      }),
    );

    it(
      'keeps astral-plane, hostile and huge text and the extreme timestamps exactly',
      withStore(async (store) => {
        for (const [i, text] of [...HOSTILE_STRINGS, huge(64 * 1024)].entries()) {
          const d = delegation({
            delegateEmail: `${text}@${ASTRAL}.example`,
            itsmSystemType: i % 2 ? 'jira' : 'servicenow_itsm',
            createdAt: EARLIEST,
            expiresAt: LATEST,
            revokedAt: i % 3 ? null : LATEST,
            usedAt: i % 3 === 1 ? EARLIEST : null,
            status: i % 3 ? (i % 3 === 1 ? 'used' : 'pending') : 'revoked',
            tokenHash: `${cut(text, 30)}${crypto.randomUUID()}`,
          });
          await store.insert(d);
          expect(await store.get(d.organizationId, d.id)).toEqual(d);
          expect(await store.findByTokenHash(d.tokenHash)).toEqual(d);
        }
      }),
    );

    it(
      'treats UUIDs in any letter case as the same ids and gives them back in lower case',
      withStore(async (store, connection) => {
        const org = crypto.randomUUID();
        const d = delegation({ id: upper(crypto.randomUUID()), organizationId: upper(org), createdBy: upper(crypto.randomUUID()), connectionId: upper(await connection(org)) });
        const lower: DelegationRecord = { ...d, id: d.id.toLowerCase(), organizationId: d.organizationId.toLowerCase(), createdBy: d.createdBy.toLowerCase(), connectionId: (d.connectionId as string).toLowerCase() };
        await store.insert(d);
        expect(await store.get(d.organizationId, d.id)).toEqual(lower);
        expect(await store.get(lower.organizationId, lower.id)).toEqual(lower);
        expect(await store.list(d.organizationId)).toEqual([lower]);
        expect(await store.findByTokenHash(d.tokenHash)).toEqual(lower);
        expect(await store.update({ ...d, status: 'revoked', revokedAt: LATEST }, 'pending')).toBe(true);
        expect(await store.get(lower.organizationId, d.id)).toEqual({ ...lower, status: 'revoked', revokedAt: LATEST });
      }),
    );
  });
}
