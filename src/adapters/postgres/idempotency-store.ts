import type { IdempotencyStore, Reservation, ReserveOptions } from '../../core/index.js';
import { toStoreError } from './errors.js';
import { quoteSchema } from './schema.js';
import { runScript, type SqlClient } from './sql-client.js';

/** Options of a {@link PostgresIdempotencyStore}. */
export interface PostgresIdempotencyStoreOptions {
  /** A `pg` Pool or Client, a PGlite instance, or anything with the same `query`. */
  readonly client: SqlClient;
  /** The schema holding the table. @default 'public' */
  readonly schema?: string;
}

/** The table {@link PostgresIdempotencyStore} keeps its keys in. */
export const IDEMPOTENCY_TABLE = 'itsmkit_idempotency_keys';

interface Row {
  readonly taken: boolean;
  readonly fingerprint: string | null;
  readonly state: string | null;
  readonly ref: string | null;
}

/**
 * Keyed creates made once across processes: every process that shares the
 * database shares the keys. One row per key (a unique key, the request
 * fingerprint, `in_progress` or `done`, the ticket reference and times from
 * the database's clock); taking a key is one atomic statement. Expired rows
 * are taken over by the next reserve and removed by {@link sweep}.
 *
 * @example
 * const store = new PostgresIdempotencyStore({ client: pool });
 * await store.migrate();
 * const sn = new ServiceNowClient({ instanceUrl, auth, idempotency: { store } });
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  private readonly client: SqlClient;
  private readonly schema: string;
  private readonly table: string;

  constructor(options: PostgresIdempotencyStoreOptions) {
    this.client = options.client;
    this.schema = quoteSchema(options.schema ?? 'public');
    this.table = `${this.schema}.${IDEMPOTENCY_TABLE}`;
  }

  /** Creates the table and its index if they are missing (idempotent). */
  async migrate(): Promise<void> {
    try {
      await runScript(
        this.client,
        `CREATE SCHEMA IF NOT EXISTS ${this.schema};
CREATE TABLE IF NOT EXISTS ${this.table} (
  key TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
  ref TEXT,
  ttl_ms BIGINT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS ${IDEMPOTENCY_TABLE}_expires_at ON ${this.table} (expires_at);`,
      );
    } catch (error) {
      throw toStoreError(error, 'idempotency migrate');
    }
  }

  async reserve(key: string, fingerprint: string, options: ReserveOptions): Promise<Reservation> {
    // The insert takes a free or expired key; the select (same snapshot, so it sees the
    // row as it was before) reports who holds it otherwise. A row that vanished in between
    // (released) gives neither: try again.
    const sql =
      `WITH taken AS (INSERT INTO ${this.table} AS t (key, fingerprint, state, ref, ttl_ms, expires_at) ` +
      `VALUES ($1, $2, 'in_progress', NULL, $4::bigint, NOW() + $3::bigint * INTERVAL '1 millisecond') ` +
      `ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, state = 'in_progress', ref = NULL, ttl_ms = EXCLUDED.ttl_ms, ` +
      `created_at = NOW(), updated_at = NOW(), expires_at = EXCLUDED.expires_at WHERE t.expires_at <= NOW() RETURNING 1) ` +
      `SELECT EXISTS (SELECT 1 FROM taken) AS taken, h.fingerprint, h.state, h.ref FROM (SELECT 1) one ` +
      `LEFT JOIN ${this.table} h ON h.key = $1 AND h.expires_at > NOW()`;
    for (let tries = 0; tries < 5; tries++) {
      let row: Row | undefined;
      try {
        row = (await this.client.query(sql, [key, fingerprint, options.leaseMs, options.ttlMs])).rows[0] as Row | undefined;
      } catch (error) {
        throw toStoreError(error, 'idempotency reserve');
      }
      if (row?.taken) return { state: 'new' };
      if (row?.state === 'done' && row.ref !== null && row.fingerprint !== null) return { state: 'done', fingerprint: row.fingerprint, ref: row.ref };
      if (row?.state === 'in_progress' && row.fingerprint !== null) return { state: 'in_progress', fingerprint: row.fingerprint };
    }
    throw toStoreError(new Error(`key "${key}" changed hands five times during one reserve`), 'idempotency reserve');
  }

  async complete(key: string, ref: string): Promise<void> {
    await this.run(
      'idempotency complete',
      `UPDATE ${this.table} SET state = 'done', ref = $2, updated_at = NOW(), expires_at = NOW() + ttl_ms * INTERVAL '1 millisecond' WHERE key = $1`,
      [key, ref],
    );
  }

  async release(key: string): Promise<void> {
    await this.run('idempotency release', `DELETE FROM ${this.table} WHERE key = $1`, [key]);
  }

  /** Deletes expired keys; returns how many. Call it now and then (a daily job is plenty). */
  async sweep(): Promise<number> {
    const rows = await this.run('idempotency sweep', `WITH gone AS (DELETE FROM ${this.table} WHERE expires_at <= NOW() RETURNING 1) SELECT count(*)::int AS n FROM gone`, []);
    return Number((rows[0] as { n?: unknown } | undefined)?.n ?? 0);
  }

  private async run(operation: string, sql: string, params: unknown[]): Promise<readonly unknown[]> {
    try {
      return (await this.client.query(sql, params)).rows;
    } catch (error) {
      throw toStoreError(error, operation);
    }
  }
}
