import { describe, expect, it } from 'vitest';
import {
  isStoreError,
  PostgresAuditLog,
  PostgresConnectionStore,
  PostgresDelegationStore,
  type SqlClient,
} from '../../../src/adapters/postgres/index.js';
import { isValidationError } from '../../../src/index.js';
import { auditLogContract } from '../contract/audit-log.js';
import { connectionStoreContract } from '../contract/connection-store.js';
import { delegation, delegationStoreContract } from '../contract/delegation-store.js';
import { newConnection } from '../fixtures.js';

/** A fresh, migrated schema on some PostgreSQL; `dispose` drops it. */
export type SchemaFactory = () => Promise<{ client: SqlClient; schema: string; dispose: () => Promise<void> }>;

/** The three store contracts and what is particular to the SQL stores, on one kind of PostgreSQL (PGlite, a server). */
export function sqlStoreSuite(name: string, factory: SchemaFactory): void {
  connectionStoreContract(name, async () => {
    const { client, schema, dispose } = await factory();
    return { store: new PostgresConnectionStore({ client, schema }), dispose };
  });
  delegationStoreContract(name, async () => {
    const { client, schema, dispose } = await factory();
    const connections = new PostgresConnectionStore({ client, schema });
    const connection = async (organizationId: string) => (await connections.insert(newConnection({ organizationId, type: 'servicenow_itsm' }))).connection.id;
    return { store: new PostgresDelegationStore({ client, schema }), connection, dispose };
  });
  auditLogContract(name, async () => {
    const { client, schema, dispose } = await factory();
    const audit = new PostgresAuditLog({ client, schema });
    return { audit, list: (organizationId) => audit.list(organizationId), dispose };
  });

  describe(`PostgreSQL stores on ${name}`, () => {
    const withSchema = (fn: (ctx: Awaited<ReturnType<SchemaFactory>>) => Promise<void>) => async () => {
      const ctx = await factory();
      try {
        await fn(ctx);
      } finally {
        await ctx.dispose();
      }
    };

    it(
      'report a duplicate id as a typed, non-transient StoreError',
      withSchema(async ({ client, schema }) => {
        const store = new PostgresConnectionStore({ client, schema });
        const row = newConnection();
        await store.insert(row);
        const error = await store.insert(newConnection({ id: row.id })).catch((e: unknown) => e);
        expect(isStoreError(error) && error.code).toBe('duplicate');
        expect(isStoreError(error) && error.transient).toBe(false);
        const delegations = new PostgresDelegationStore({ client, schema });
        const d = delegation();
        await delegations.insert(d);
        const again = await delegations.insert(delegation({ tokenHash: d.tokenHash })).catch((e: unknown) => e);
        expect(isStoreError(again) && again.code).toBe('duplicate');
      }),
    );

    it(
      'take only UUIDs in their uuid columns, refusing anything else with a ValidationError naming the field before any statement',
      withSchema(async ({ client, schema }) => {
        const store = new PostgresConnectionStore({ client, schema });
        const bad = await store.insert(newConnection({ organizationId: 'tenant-1', createdBy: 'alice' })).catch((e: unknown) => e);
        expect(isValidationError(bad) && bad.issues.map((i) => i.field)).toEqual(['organizationId', 'createdBy']);
        const delegations = new PostgresDelegationStore({ client, schema });
        const badDelegation = await delegations.insert(delegation({ id: 'd-1', connectionId: 'c-1' })).catch((e: unknown) => e);
        expect(isValidationError(badDelegation) && badDelegation.issues.map((i) => i.field)).toEqual(['id', 'connectionId']);
        const audit = new PostgresAuditLog({ client, schema });
        const badEntry = await audit.record({ organizationId: 'o-1', actorId: 'system', action: 'x', at: '2025-01-01T00:00:00.000Z' }).catch((e: unknown) => e);
        expect(isValidationError(badEntry) && badEntry.issues.map((i) => i.field)).toEqual(['organizationId']);
      }),
    );

    it(
      'refuse one bad entry of a batch alone: the others recorded in the same tick are kept',
      withSchema(async ({ client, schema }) => {
        const audit = new PostgresAuditLog({ client, schema });
        const org = crypto.randomUUID();
        const results = await Promise.allSettled([
          audit.record({ organizationId: org, actorId: 'system', action: 'a', at: '2025-01-01T00:00:00.000Z' }),
          // A host's own entry with text PostgreSQL cannot hold: refused by the server, alone.
          audit.record({ organizationId: org, actorId: 'system', action: 'b', at: '2025-01-01T00:00:00.000Z', details: { note: 'nul \u0000' } }),
          audit.record({ organizationId: org, actorId: 'system', action: 'c', at: '2025-01-01T00:00:00.000Z' }),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(isStoreError((results[1] as PromiseRejectedResult).reason) && (results[1] as PromiseRejectedResult).reason.code).toBe('invalid_data');
        expect((await audit.list(org)).map((e) => e.action)).toEqual(['a', 'c']);
      }),
    );

    it(
      'migrate idempotently: a second run applies nothing',
      withSchema(async ({ client, schema }) => {
        expect(await new PostgresConnectionStore({ client, schema }).migrate()).toEqual({ applied: [], current: 5 });
        expect(await new PostgresDelegationStore({ client, schema }).migrate()).toEqual({ applied: [], current: 5 });
        expect(await new PostgresAuditLog({ client, schema }).migrate()).toEqual({ applied: [], current: 5 });
      }),
    );
  });
}
