import type { ConnectionRecord } from '../../connections/connection.js';
import { CONNECTION_MIGRATIONS, type Migration } from '../../connections/migrations.js';
import type { ConnectionFilter, ConnectionStore, InsertResult, NewConnection, StoreUpdateResult } from '../../connections/ports.js';
import { ValidationError } from '../../core/errors.js';
import { credentialIssues } from './credentials.js';
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
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

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
 * become {@link StoreError}s. Config holding credential-like keys is refused.
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

  constructor(options: PostgresConnectionStoreOptions) {
    this.client = options.client;
    this.schema = options.schema;
    this.migrations = options.migrations ?? CONNECTION_MIGRATIONS;
    this.table = `${quoteSchema(options.schema ?? 'public')}.data_source_connections`;
    const t = this.table;
    const n = WRITTEN_COLUMNS.length;
    this.sql = {
      get: `SELECT ${CONNECTION_COLUMNS} FROM ${t} WHERE id = $1::uuid AND organization_id = $2::uuid AND deleted_at IS NULL`,
      insert:
        `INSERT INTO ${t} (id, organization_id, ${WRITTEN_COLUMNS.map(([c]) => c).join(', ')}, version) ` +
        `VALUES ($1::uuid, $2::uuid, ${WRITTEN_COLUMNS.map(([, cast], i) => `$${i + 3}::${cast}`).join(', ')}, 1) ` +
        `ON CONFLICT (organization_id, type) WHERE deleted_at IS NULL DO NOTHING RETURNING ${CONNECTION_COLUMNS}`,
      live: `SELECT ${CONNECTION_COLUMNS} FROM ${t} WHERE organization_id = $1::uuid AND type = $2 AND deleted_at IS NULL`,
      update:
        `UPDATE ${t} SET ${WRITTEN_COLUMNS.map(([c, cast], i) => `${c} = $${i + 3}::${cast}`).join(', ')}, version = $${n + 3}::integer + 1 ` +
        `WHERE id = $1::uuid AND organization_id = $2::uuid AND deleted_at IS NULL AND version = $${n + 3}::integer RETURNING ${CONNECTION_COLUMNS}`,
      exists: `SELECT 1 FROM ${t} WHERE id = $1::uuid AND organization_id = $2::uuid AND deleted_at IS NULL`,
    };
  }

  /** Creates or upgrades the schema (idempotent; safe from several processes at once). */
  migrate(): Promise<MigrateResult> {
    return runMigrations(this.client, this.migrations, this.schema === undefined ? {} : { schema: this.schema });
  }

  async get(organizationId: string, id: string): Promise<ConnectionRecord | undefined> {
    // Not a uuid: no row can match, and PostgreSQL would refuse the cast.
    if (!isUuid(organizationId) || !isUuid(id)) return undefined;
    const rows = await this.run<ConnectionRow>('get', this.sql.get, [id, organizationId]);
    return rows[0] ? fromRow(rows[0]) : undefined;
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
    const params = [connection.id, connection.organizationId, ...WRITTEN_COLUMNS.map(([, , value]) => value(connection as ConnectionRecord))];
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
    const params = [next.id, next.organizationId, ...WRITTEN_COLUMNS.map(([, , value]) => value(next)), expectedVersion];
    const updated = await this.run<ConnectionRow>('update', this.sql.update, params, next.id);
    if (updated[0]) return { ok: true, connection: fromRow(updated[0]) };
    const exists = await this.run('update', this.sql.exists, [next.id, next.organizationId]);
    return { ok: false, reason: exists.length ? 'conflict' : 'not_found' };
  }

  private check(operation: string, connection: NewConnection): void {
    const issues = [
      ...(isUuid(connection.id) ? [] : [{ field: 'id', rule: 'uuid', message: 'must be a uuid' }]),
      ...(isUuid(connection.organizationId) ? [] : [{ field: 'organizationId', rule: 'uuid', message: 'must be a uuid' }]),
      ...credentialIssues(connection.config, 'config'),
      ...credentialIssues(connection.latestOptions, 'latestOptions'),
    ];
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
