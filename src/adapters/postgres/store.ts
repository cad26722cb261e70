import {
  type ConnectionFilter,
  type ConnectionRecord,
  type ConnectionStore,
  type InsertResult,
  isUuid,
  type NewConnection,
  type StoreUpdateResult,
} from '../../connections/index.js';
import { CONNECTION_MIGRATIONS, type Migration } from './migrations.js';
import { ValidationError } from '../../core/index.js';
import { Batcher } from './batcher.js';
import { StoreError, toStoreError } from './errors.js';
import { type MigrateResult, runMigrations } from './migrate.js';
import { CONNECTION_COLUMNS, type ConnectionRow, fromRow, WRITTEN_COLUMNS } from './row.js';
import { quoteSchema } from './schema.js';
import type { SqlClient } from './sql-client.js';

/** Options of a {@link PostgresConnectionStore}. */
export interface PostgresConnectionStoreOptions {
  /** A `pg` Pool or Client, a PGlite instance, or anything with the same `query`. */
  readonly client: SqlClient;
  /** The schema holding the tables; created by {@link PostgresConnectionStore.migrate}. @default 'public' */
  readonly schema?: string;
  /** The migrations {@link PostgresConnectionStore.migrate} runs. @default CONNECTION_MIGRATIONS */
  readonly migrations?: readonly Migration[];
  /** The most `get` or `update` calls made in one tick that share one statement. @default 64 */
  readonly maxBatch?: number;
}

/** JSON columns go to the driver as text (cast in SQL), so no driver-specific JSON handling applies. */
const jsonParam = (type: string, value: unknown): unknown => (type === 'jsonb' && value !== null ? JSON.stringify(value) : value);

/** How often insert re-tries when the row holding the slot vanished between its two statements. */
const INSERT_ATTEMPTS = 3;

/**
 * A {@link ConnectionStore} on PostgreSQL (via `pg`) or PGlite, with the
 * memory store's rules: every statement is organization-scoped and
 * parameterised; soft-deleted rows are hidden; one live row per
 * (organization, type), enforced by a partial unique index so concurrent
 * seeding cannot create two; optimistic concurrency on `version` in the
 * `UPDATE ... WHERE version = $n` itself. Every operation is one statement,
 * so a dropped connection leaves nothing half-written; driver failures
 * become {@link StoreError}s. Its id columns are `uuid`: an id, organization
 * or user that is not a UUID is refused with a `ValidationError` (UUIDs in
 * any case are accepted and come back in lower case).
 *
 * @example
 * const store = new PostgresConnectionStore({ client: new pg.Pool({ connectionString }) });
 * await store.migrate();
 */
export class PostgresConnectionStore implements ConnectionStore {
  private readonly client: SqlClient;
  private readonly schema: string | undefined;
  private readonly migrations: readonly Migration[];
  private readonly table: string;
  private readonly sql: { get: string; insert: string; live: string; update: string; exists: string };
  private readonly gets: Batcher<{ organizationId: string; id: string }, ConnectionRecord | undefined>;
  private readonly updates: Batcher<{ next: ConnectionRecord; expectedVersion: number }, StoreUpdateResult>;

  constructor(options: PostgresConnectionStoreOptions) {
    this.client = options.client;
    this.schema = options.schema;
    this.migrations = options.migrations ?? CONNECTION_MIGRATIONS;
    this.table = `${quoteSchema(options.schema ?? 'public')}.data_source_connections`;
    const t = this.table;
    // get and update go in batches: one statement answers every call made in the same tick, keyed by ordinal.
    const record = (prefix: string, extra: string): string => `jsonb_to_recordset($1::jsonb) AS ${prefix}(k_id uuid, k_org uuid, k_ord integer${extra})`;
    const written = WRITTEN_COLUMNS.map(([c, type]) => `, c_${c} ${type}`).join('');
    this.sql = {
      get: `SELECT ${CONNECTION_COLUMNS}, v.k_ord FROM ${record('v', '')} JOIN ${t} ON id = v.k_id AND organization_id = v.k_org AND deleted_at IS NULL`,
      insert:
        `INSERT INTO ${t} (id, organization_id, ${WRITTEN_COLUMNS.map(([c]) => c).join(', ')}, version) ` +
        `VALUES ($1::uuid, $2::uuid, ${WRITTEN_COLUMNS.map(([, type], i) => `$${i + 3}::${type}`).join(', ')}, 1) ` +
        `ON CONFLICT (organization_id, type) WHERE deleted_at IS NULL DO NOTHING RETURNING ${CONNECTION_COLUMNS}`,
      live: `SELECT ${CONNECTION_COLUMNS} FROM ${t} WHERE organization_id = $1::uuid AND type = $2 AND deleted_at IS NULL`,
      // Rows are locked in id order first, so two batches touching the same rows cannot deadlock.
      update:
        `WITH v AS (SELECT * FROM ${record('r', `, k_expected integer${written}`)}), ` +
        `l AS (SELECT d.id FROM ${t} d JOIN v ON d.id = v.k_id ORDER BY d.id FOR UPDATE OF d) ` +
        `UPDATE ${t} SET ${WRITTEN_COLUMNS.map(([c]) => `${c} = v.c_${c}`).join(', ')}, version = v.k_expected + 1 FROM v ` +
        `WHERE id = v.k_id AND organization_id = v.k_org AND deleted_at IS NULL AND version = v.k_expected AND id IN (SELECT l.id FROM l) ` +
        `RETURNING ${CONNECTION_COLUMNS}, v.k_ord`,
      exists: `SELECT 1 FROM ${t} WHERE id = $1::uuid AND organization_id = $2::uuid AND deleted_at IS NULL`,
    };
    const maxBatch = options.maxBatch ?? 64;
    this.gets = new Batcher((keys) => this.getMany(keys), maxBatch);
    this.updates = new Batcher((items) => this.updateMany(items), maxBatch);
  }

  /** Creates or upgrades the schema (idempotent; safe from several processes at once). */
  migrate(): Promise<MigrateResult> {
    return runMigrations(this.client, this.migrations, this.schema === undefined ? {} : { schema: this.schema });
  }

  async get(organizationId: string, id: string): Promise<ConnectionRecord | undefined> {
    // Not a uuid: no row can match, and PostgreSQL would refuse the cast.
    if (!isUuid(organizationId) || !isUuid(id)) return undefined;
    return this.gets.call({ organizationId, id });
  }

  async list(organizationId: string, filter: ConnectionFilter = {}): Promise<ConnectionRecord[]> {
    if (!isUuid(organizationId)) return [];
    const params: unknown[] = [organizationId];
    const where = ['organization_id = $1::uuid', 'deleted_at IS NULL'];
    if (filter.status !== undefined) where.push(`status = $${params.push(filter.status)}`);
    if (filter.type !== undefined) where.push(`type = $${params.push(filter.type)}`);
    if (filter.enabled !== undefined) where.push(`COALESCE(enabled, false) = $${params.push(filter.enabled)}::boolean`);
    const rows = await this.run<ConnectionRow>('list', `SELECT ${CONNECTION_COLUMNS} FROM ${this.table} WHERE ${where.join(' AND ')} ORDER BY created_at, id`, params);
    return rows.map(fromRow);
  }

  async insert(connection: NewConnection): Promise<InsertResult> {
    this.check('insert', connection);
    const params = [connection.id, connection.organizationId, ...WRITTEN_COLUMNS.map(([, type, value]) => jsonParam(type, value(connection as ConnectionRecord)))];
    for (let attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
      const inserted = await this.run<ConnectionRow>('insert', this.sql.insert, params, connection.id);
      if (inserted[0]) return { created: true, connection: fromRow(inserted[0]) };
      // A live row holds the slot. Read it in a new statement: the insert's snapshot may predate a concurrent seed.
      const live = await this.run<ConnectionRow>('insert', this.sql.live, [connection.organizationId, connection.type]);
      if (live[0]) return { created: false, connection: fromRow(live[0]) };
    }
    throw new StoreError(`Store insert failed: the (organization, type) slot of connection ${connection.id} kept changing`, { code: 'contention', operation: 'insert' });
  }

  async update(next: ConnectionRecord, expectedVersion: number): Promise<StoreUpdateResult> {
    if (!isUuid(next.organizationId) || !isUuid(next.id)) return { ok: false, reason: 'not_found' };
    this.check('update', next);
    return this.updates.call({ next, expectedVersion });
  }

  private async getMany(keys: readonly { organizationId: string; id: string }[]): Promise<(ConnectionRecord | undefined)[]> {
    const param = JSON.stringify(keys.map((k, i) => ({ k_id: k.id, k_org: k.organizationId, k_ord: i })));
    const rows = await this.run<ConnectionRow & { k_ord: number }>('get', this.sql.get, [param]);
    const out: (ConnectionRecord | undefined)[] = keys.map(() => undefined);
    for (const row of rows) out[row.k_ord] = fromRow(row);
    return out;
  }

  private async updateMany(items: readonly { next: ConnectionRecord; expectedVersion: number }[]): Promise<StoreUpdateResult[]> {
    const param = JSON.stringify(
      items.map(({ next, expectedVersion }, i) => {
        const row: Record<string, unknown> = { k_id: next.id, k_org: next.organizationId, k_ord: i, k_expected: expectedVersion };
        for (const [column, , value] of WRITTEN_COLUMNS) row[`c_${column}`] = value(next);
        return row;
      }),
    );
    const rows = await this.run<ConnectionRow & { k_ord: number }>('update', this.sql.update, [param], items.length === 1 ? items[0]?.next.id : undefined);
    const out: (StoreUpdateResult | undefined)[] = items.map(() => undefined);
    for (const row of rows) out[row.k_ord] = { ok: true, connection: fromRow(row) };
    return Promise.all(
      out.map(async (result, i) => {
        if (result) return result;
        const next = (items[i] as { next: ConnectionRecord }).next;
        const exists = await this.run('update', this.sql.exists, [next.id, next.organizationId]);
        return { ok: false, reason: exists.length ? 'conflict' : 'not_found' } as const;
      }),
    );
  }

  /** The columns are `uuid`: anything else would fail the statement (and, in a batch, its neighbours). */
  private check(operation: string, connection: NewConnection): void {
    const issues = (['id', 'organizationId', 'createdBy', 'updatedBy'] as const)
      .filter((field) => !isUuid(connection[field]))
      .map((field) => ({ field, rule: 'uuid', message: 'must be a uuid' }));
    if (issues.length) throw new ValidationError(`Connection refused by store ${operation}`, issues);
  }

  private async run<Row>(operation: string, text: string, params: unknown[], id?: string): Promise<Row[]> {
    try {
      return (await this.client.query(text, params)).rows as Row[];
    } catch (error) {
      const mapped = toStoreError(error, operation);
      if (id !== undefined && mapped instanceof StoreError && mapped.code === 'duplicate') {
        const constraint = (error as { constraint?: unknown }).constraint;
        const what = typeof constraint === 'string' && constraint.endsWith('_pkey') ? `connection id ${id} already exists` : `another live connection of that type exists (${id})`;
        throw new StoreError(`Store ${operation} failed: ${what}`, { code: 'duplicate', operation, sqlState: mapped.sqlState, cause: error });
      }
      throw mapped;
    }
  }
}
