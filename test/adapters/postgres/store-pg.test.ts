import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONNECTION_MIGRATIONS,
  isStoreError,
  PostgresAuditLog,
  PostgresConnectionStore,
  PostgresDelegationStore,
  PostgresIdempotencyStore,
  rowLevelSecurityMigration,
} from '../../../src/adapters/postgres/index.js';
import { ServiceNowClient } from '../../../src/servicenow/client.js';
import { FakeServiceNow } from '../../../src/testing/fake-servicenow/fake-servicenow.js';
import { idempotencyStoreContract } from '../contract/idempotency-store.js';
import { isConfigError } from '../../../src/index.js';
import { delegation } from '../contract/delegation-store.js';
import { newConnection, PG_URL, runId } from '../fixtures.js';
import { sqlStoreSuite } from './sql-suite.js';

const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

function pool(max = 10): pg.Pool {
  const p = new pg.Pool({ connectionString: PG_URL, max });
  pools.push(p);
  return p;
}

const hasPg = Boolean(PG_URL);

describe.runIf(hasPg)('PostgreSQL server', () => {
  let idempotencyPool: pg.Pool | undefined;
  idempotencyStoreContract('PostgreSQL', async () => {
    const client = (idempotencyPool ??= pool(5));
    const schema = `itsmkit_idem_${runId()}`;
    const store = new PostgresIdempotencyStore({ client, schema });
    await store.migrate();
    await store.migrate();
    return { store, dispose: async () => void (await client.query(`DROP SCHEMA ${schema} CASCADE`)) };
  });

  it('makes one incident from 10 concurrent creates with one key across two clients, each with its own pool and store on one database', async () => {
    const schema = `itsmkit_idem_${runId()}`;
    const fake = new FakeServiceNow();
    fake.faults.add({ fault: { kind: 'delay', ms: 100 }, match: { method: 'POST' } });
    const clients = [0, 1].map(() => {
      const store = new PostgresIdempotencyStore({ client: pool(3), schema });
      return { store, sn: new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username: 'admin', password: 'sandbox-password' }, fetch: fake.fetch, idempotency: { store } }) };
    });
    const admin = pool(1);
    await clients[0]!.store.migrate();
    try {
      const input = { shortDescription: 'Disk full on db-1', correlationId: 'alert-pg-1' };
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => clients[i % 2]!.sn.incidents.create(input)));
      expect(fake.table('incident')).toHaveLength(1);
      expect(new Set(results.map((r) => r.sysId)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(fake.requestsTo('/api/now/table/incident', 'POST')).toHaveLength(1);
      expect(await clients[1]!.store.sweep()).toBe(0);
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });

  sqlStoreSuite('PostgreSQL', async () => {
    const client = pool();
    const schema = `itsmkit_t_${runId()}`;
    await new PostgresConnectionStore({ client, schema }).migrate();
    return { client, schema, dispose: async () => void (await client.query(`DROP SCHEMA ${schema} CASCADE`)) };
  });

  describe('row-level security by organization (optional migration)', () => {
    it('lets a session for one organization see and write only its own rows, and a session naming none see nothing; the owner (the SDK) still sees all', async () => {
      const admin = pool(2);
      const schema = `itsmkit_t_${runId()}`;
      const role = `itsmkit_rls_${runId()}`;
      const migrations = [...CONNECTION_MIGRATIONS, rowLevelSecurityMigration()];
      const store = new PostgresConnectionStore({ client: admin, schema, migrations });
      const session = await admin.connect();
      try {
        expect((await store.migrate()).current).toBe(6);
        const [orgA, orgB] = [crypto.randomUUID(), crypto.randomUUID()];
        const a = newConnection({ organizationId: orgA, type: 'servicenow_itsm' });
        const b = newConnection({ organizationId: orgB, type: 'servicenow_itsm' });
        await store.insert(a);
        await store.insert(b);
        await new PostgresDelegationStore({ client: admin, schema }).insert(delegation({ organizationId: orgB, connectionId: b.id }));
        await new PostgresAuditLog({ client: admin, schema }).record({ organizationId: orgB, actorId: 'system', action: 'data_source.updated', at: '2025-01-01T00:00:00.000Z' });
        // The owner bypasses the policies: the consumer serves every organization.
        expect(await store.get(orgB, b.id)).toMatchObject({ id: b.id });

        await admin.query(`CREATE ROLE ${role} NOLOGIN`);
        await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
        await admin.query(`GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
        await session.query(`SET ROLE ${role}`);
        const count = async (table: string) => Number(((await session.query(`SELECT count(*) AS n FROM ${schema}.${table}`)).rows[0] as { n: string }).n);
        // No organization named: nothing visible.
        for (const table of ['data_source_connections', 'credential_delegation_tokens', 'data_source_audit_logs']) expect(await count(table)).toBe(0);
        await session.query(`SELECT set_config('itsmkit.organization_id', $1, false)`, [orgA]);
        const asA = new PostgresConnectionStore({ client: session, schema });
        expect((await asA.list(orgA)).map((c) => c.id)).toEqual([a.id]);
        expect(await asA.get(orgB, b.id)).toBeUndefined();
        expect(await asA.list(orgB)).toEqual([]);
        for (const table of ['credential_delegation_tokens', 'data_source_audit_logs']) expect(await count(table)).toBe(0);
        // Writing another organization's row is refused by the policy, and updating it finds nothing.
        const foreign = await asA.insert(newConnection({ organizationId: orgB, type: 'jira' })).catch((e: unknown) => e);
        expect(isStoreError(foreign) && foreign.sqlState).toBe('42501');
        expect(await asA.update({ ...b, version: 1, name: 'taken' }, 1)).toEqual({ ok: false, reason: 'not_found' });
        await session.query(`SELECT set_config('itsmkit.organization_id', $1, false)`, [orgB]);
        expect(await count('credential_delegation_tokens')).toBe(1);
        expect(await count('data_source_audit_logs')).toBe(1);
        expect((await asA.get(orgB, b.id))?.name).toBe(b.name);
      } finally {
        await session.query('RESET ROLE').catch(() => undefined);
        session.release();
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.query(`DROP ROLE IF EXISTS ${role}`);
      }
    });

    it('refuses a setting name that could break out of the policy text', () => {
      for (const setting of ["x'); DROP TABLE t; --", 'nodot', 'App.Org']) {
        let error: unknown;
        try {
          rowLevelSecurityMigration({ setting });
        } catch (e) {
          error = e;
        }
        expect(isConfigError(error)).toBe(true);
      }
      expect(rowLevelSecurityMigration({ setting: 'app.current_organization_id' }).sql).toContain("current_setting('app.current_organization_id', true)");
    });
  });

  describe('faults', () => {
    it('turns a connection dropped mid-update into a transient StoreError and leaves the row as it was', async () => {
      const admin = pool(2);
      const schema = `itsmkit_t_${runId()}`;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      client.on('error', () => undefined);
      const store = new PostgresConnectionStore({ client, schema });
      try {
        await store.migrate();
        const row = newConnection();
        await store.insert(row);
        const pid = ((await client.query('SELECT pg_backend_pid() AS pid')).rows[0] as { pid: number }).pid;

        // Hold the row so the store's UPDATE is in progress on the server when its backend is killed.
        const holder = await admin.connect();
        await holder.query('BEGIN');
        await holder.query(`SELECT 1 FROM ${schema}.data_source_connections WHERE id = $1 FOR UPDATE`, [row.id]);
        const update = store.update({ ...row, version: 1, status: 'syncing', name: 'half' }, 1).catch((e: unknown) => e);
        for (let i = 0; i < 100; i++) {
          const waiting = await admin.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [pid]);
          if (waiting.rowCount) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        const error = await update;
        await holder.query('ROLLBACK');
        holder.release();

        expect(isStoreError(error)).toBe(true);
        if (!isStoreError(error)) return;
        expect(error).toMatchObject({ code: 'unavailable', operation: 'update', transient: true });
        const fresh = new PostgresConnectionStore({ client: admin, schema });
        expect(await fresh.get(row.organizationId, row.id)).toEqual({ ...row, version: 1 });
      } finally {
        await client.end().catch(() => undefined);
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    });

    it('reports an unreachable server as a transient StoreError without the password', async () => {
      const url = new URL(PG_URL as string);
      url.port = '1';
      url.username = 'someone';
      url.password = 'canary-pg-secret';
      const broken = new pg.Pool({ connectionString: url.toString(), connectionTimeoutMillis: 2000 });
      const store = new PostgresConnectionStore({ client: broken, schema: 'nowhere' });
      const error = await store.list(crypto.randomUUID()).catch((e: unknown) => e);
      await broken.end();
      expect(isStoreError(error) && error.code).toBe('unavailable');
      expect(isStoreError(error) && error.transient).toBe(true);
      expect(String((error as Error).message)).not.toContain('canary-pg-secret');
      expect(String((error as Error).stack)).not.toContain('canary-pg-secret');
    });

    it('migrates once when two processes migrate the same schema at the same moment', async () => {
      const schema = `itsmkit_t_${runId()}`;
      const script = fileURLToPath(new URL('./migrate-worker.ts', import.meta.url));
      const run = () =>
        new Promise<{ applied: number[]; current: number }>((resolve, reject) => {
          const child = fork(script, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ITSMKIT_WORKER_PG_URL: PG_URL, ITSMKIT_WORKER_SCHEMA: schema } });
          child.once('message', (m) => resolve(m as { applied: number[]; current: number }));
          child.once('exit', (code) => code !== 0 && reject(new Error(`migrate worker exited with ${code}`)));
        });
      try {
        const results = await Promise.all([run(), run(), run()]);
        expect(results.map((r) => r.current)).toEqual([5, 5, 5]);
        expect(results.flatMap((r) => r.applied).sort()).toEqual([1, 2, 3, 4, 5]);
        const versions = await pool(1).query(`SELECT version FROM ${schema}.itsmkit_schema_migrations ORDER BY version`);
        expect(versions.rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4, 5]);
      } finally {
        await pool(1).query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    });

    it('never deadlocks when two pools batch updates of the same rows in opposite orders', async () => {
      const schema = `itsmkit_t_${runId()}`;
      const a = new PostgresConnectionStore({ client: pool(4), schema });
      const b = new PostgresConnectionStore({ client: pool(4), schema });
      try {
        await a.migrate();
        const rows = Array.from({ length: 30 }, () => newConnection());
        for (const r of rows) await a.insert(r);
        for (let round = 1; round <= 5; round++) {
          const current = await Promise.all(rows.map((r) => a.get(r.organizationId, r.id)));
          const results = await Promise.all([
            ...current.map((c) => a.update({ ...(c as NonNullable<typeof c>), name: `a${round}` }, (c as NonNullable<typeof c>).version)),
            ...[...current].reverse().map((c) => b.update({ ...(c as NonNullable<typeof c>), name: `b${round}` }, (c as NonNullable<typeof c>).version)),
          ]);
          // Each row: exactly one writer won, the other saw a conflict; no errors.
          expect(results.filter((r) => r.ok)).toHaveLength(rows.length);
          expect(results.filter((r) => !r.ok && r.reason === 'conflict')).toHaveLength(rows.length);
        }
      } finally {
        await pool(1).query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    });
  });
});
