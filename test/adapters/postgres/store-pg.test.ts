import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isStoreError, PostgresConnectionStore } from '../../../src/adapters/postgres/index.js';
import { newConnection, PG_URL, runId } from '../fixtures.js';
import { storeSuite } from './store-suite.js';

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
  storeSuite(
    'PostgreSQL',
    async () => {
      const client = pool();
      const schema = `itsmkit_t_${runId()}`;
      const store = new PostgresConnectionStore({ client, schema });
      await store.migrate();
      return {
        store,
        count: async (sql) => Number(((await client.query(sql.replace(/FROM (\w+)/, `FROM ${schema}.$1`))).rows[0] as { count: string }).count),
        dispose: async () => {
          await client.query(`DROP SCHEMA ${schema} CASCADE`);
        },
      };
    },
    { concurrent: true },
  );

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
        expect(results.map((r) => r.current)).toEqual([4, 4, 4]);
        expect(results.flatMap((r) => r.applied).sort()).toEqual([1, 2, 3, 4]);
        const versions = await pool(1).query(`SELECT version FROM ${schema}.itsmkit_schema_migrations ORDER BY version`);
        expect(versions.rows.map((r: { version: number }) => r.version)).toEqual([1, 2, 3, 4]);
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
