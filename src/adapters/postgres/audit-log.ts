import { type AuditEntry, type AuditLog, canonicalId, isUuid } from '../../connections/index.js';
import { ValidationError } from '../../core/index.js';
import { Batcher } from './batcher.js';
import { toStoreError } from './errors.js';
import { type MigrateResult, runMigrations } from './migrate.js';
import { CONNECTION_MIGRATIONS, type Migration } from './migrations.js';
import { ts } from './row.js';
import { quoteSchema } from './schema.js';
import type { SqlClient } from './sql-client.js';

/** Options of a {@link PostgresAuditLog}. */
export interface PostgresAuditLogOptions {
  /** A `pg` Pool or Client, a PGlite instance, or anything with the same `query`. */
  readonly client: SqlClient;
  /** The schema holding the tables. @default 'public' */
  readonly schema?: string;
  /** The migrations {@link PostgresAuditLog.migrate} runs. @default CONNECTION_MIGRATIONS */
  readonly migrations?: readonly Migration[];
  /** The most entries recorded in one tick that share one statement. @default 64 */
  readonly maxBatch?: number;
}

interface Row {
  readonly entry_id: string | null;
  readonly organization_id: string;
  readonly actor_id: string;
  readonly action: string;
  readonly connection_id: string | null;
  readonly at: string;
  readonly details: string | null;
}

/**
 * An {@link AuditLog} on PostgreSQL (`pg`) or PGlite, appending to
 * `data_source_audit_logs`. Entries recorded in the same tick share one
 * `INSERT` (the status consumer audits every applied message); an entry whose
 * `id` is already there is skipped (`ON CONFLICT DO NOTHING`), so a
 * redelivered message is audited once. `organizationId` and `connectionId`
 * are `uuid` columns: other values are refused with a `ValidationError`.
 *
 * @example
 * const audit = new PostgresAuditLog({ client: pool });
 * const consumer = new StatusConsumer({ source, store, updates, audit });
 */
export class PostgresAuditLog implements AuditLog {
  private readonly client: SqlClient;
  private readonly schema: string | undefined;
  private readonly migrations: readonly Migration[];
  private readonly table: string;
  private readonly batch: Batcher<AuditEntry, void>;

  constructor(options: PostgresAuditLogOptions) {
    this.client = options.client;
    this.schema = options.schema;
    this.migrations = options.migrations ?? CONNECTION_MIGRATIONS;
    this.table = `${quoteSchema(options.schema ?? 'public')}.data_source_audit_logs`;
    this.batch = new Batcher((entries) => this.insert(entries), options.maxBatch ?? 64);
  }

  /** Creates or upgrades the schema (the same migrations as the connection store; idempotent). */
  migrate(): Promise<MigrateResult> {
    return runMigrations(this.client, this.migrations, this.schema === undefined ? {} : { schema: this.schema });
  }

  async record(entry: AuditEntry): Promise<void> {
    const bad = [...(isUuid(entry.organizationId) ? [] : ['organizationId']), ...(entry.connectionId === undefined || isUuid(entry.connectionId) ? [] : ['connectionId'])];
    if (bad.length) throw new ValidationError('Audit entry refused by store record', bad.map((field) => ({ field, rule: 'uuid', message: 'must be a uuid' })));
    await this.batch.call(entry);
  }

  /** An organization's entries, oldest first (by `at`, then in recording order); optionally of one connection. */
  async list(organizationId: string, filter: { readonly connectionId?: string } = {}): Promise<AuditEntry[]> {
    if (!isUuid(organizationId) || (filter.connectionId !== undefined && !isUuid(filter.connectionId))) return [];
    const params: unknown[] = [organizationId];
    const connection = filter.connectionId === undefined ? '' : ` AND connection_id = $${params.push(filter.connectionId)}::uuid`;
    const sql =
      `SELECT entry_id, organization_id::text AS organization_id, actor_id, action, connection_id::text AS connection_id, ${ts('at')}, details::text AS details ` +
      `FROM ${this.table} WHERE organization_id = $1::uuid${connection} ORDER BY ${this.table}.at, seq`;
    let rows: Row[];
    try {
      rows = (await this.client.query(sql, params)).rows as Row[];
    } catch (error) {
      throw toStoreError(error, 'audit list');
    }
    return rows.map((row) => ({
      ...(row.entry_id === null ? {} : { id: row.entry_id }),
      organizationId: row.organization_id,
      actorId: row.actor_id,
      action: row.action,
      ...(row.connection_id === null ? {} : { connectionId: row.connection_id }),
      at: row.at,
      ...(row.details === null ? {} : { details: JSON.parse(row.details) as Record<string, unknown> }),
    }));
  }

  private async insert(entries: readonly AuditEntry[]): Promise<void[]> {
    const param = JSON.stringify(
      entries.map((e, i) => ({
        k_ord: i,
        e_id: e.id ?? null,
        e_org: e.organizationId,
        e_actor: canonicalId(e.actorId),
        e_action: e.action,
        e_conn: e.connectionId ?? null,
        e_at: e.at,
        e_details: e.details ?? null,
      })),
    );
    try {
      await this.client.query(
        `INSERT INTO ${this.table} (entry_id, organization_id, actor_id, action, connection_id, at, details) ` +
          'SELECT e_id, e_org, e_actor, e_action, e_conn, e_at, e_details FROM jsonb_to_recordset($1::jsonb) ' +
          'AS r(k_ord integer, e_id text, e_org uuid, e_actor text, e_action text, e_conn uuid, e_at timestamptz, e_details jsonb) ORDER BY k_ord ' +
          'ON CONFLICT (entry_id) DO NOTHING',
        [param],
      );
    } catch (error) {
      throw toStoreError(error, 'audit record');
    }
    return entries.map(() => undefined);
  }
}
