import { type DelegationRecord, type DelegationStatus, type DelegationStore, isUuid, type ItsmSystemType } from '../../connections/index.js';
import { ValidationError } from '../../core/index.js';
import { StoreError, toStoreError } from './errors.js';
import { type MigrateResult, runMigrations } from './migrate.js';
import { CONNECTION_MIGRATIONS, type Migration } from './migrations.js';
import { ts } from './row.js';
import { quoteSchema } from './schema.js';
import type { SqlClient } from './sql-client.js';

/** Options of a {@link PostgresDelegationStore}. */
export interface PostgresDelegationStoreOptions {
  /** A `pg` Pool or Client, a PGlite instance, or anything with the same `query`. */
  readonly client: SqlClient;
  /** The schema holding the tables. @default 'public' */
  readonly schema?: string;
  /** The migrations {@link PostgresDelegationStore.migrate} runs. @default CONNECTION_MIGRATIONS */
  readonly migrations?: readonly Migration[];
}

const COLUMNS = [
  'id::text AS id',
  'organization_id::text AS organization_id',
  'itsm_system_type',
  'delegate_email',
  'connection_id::text AS connection_id',
  'token_hash',
  'status',
  'created_by::text AS created_by',
  ts('created_at'),
  ts('expires_at'),
  ts('revoked_at'),
  ts('used_at'),
].join(', ');

interface Row {
  readonly id: string;
  readonly organization_id: string;
  readonly itsm_system_type: string;
  readonly delegate_email: string;
  readonly connection_id: string | null;
  readonly token_hash: string;
  readonly status: string;
  readonly created_by: string;
  readonly created_at: string;
  readonly expires_at: string;
  readonly revoked_at: string | null;
  readonly used_at: string | null;
}

function fromRow(row: Row): DelegationRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    itsmSystemType: row.itsm_system_type as ItsmSystemType,
    delegateEmail: row.delegate_email,
    connectionId: row.connection_id,
    tokenHash: row.token_hash,
    status: row.status as DelegationStatus,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    usedAt: row.used_at,
  };
}

/**
 * A {@link DelegationStore} on PostgreSQL (`pg`) or PGlite, in the
 * `credential_delegation_tokens` table: organization-scoped, parameterised,
 * one statement per operation; only the token's SHA-256 is stored, and a
 * redeem is one conditional `UPDATE ... WHERE status = 'pending'`. Ids are
 * `uuid` columns: a non-UUID id, organization, creator or connection is
 * refused with a `ValidationError`.
 *
 * @example
 * const delegations = new PostgresDelegationStore({ client: pool });
 * const service = new CredentialDelegationService({ connections: store, store: delegations, service: connectionService });
 */
export class PostgresDelegationStore implements DelegationStore {
  private readonly client: SqlClient;
  private readonly schema: string | undefined;
  private readonly migrations: readonly Migration[];
  private readonly table: string;

  constructor(options: PostgresDelegationStoreOptions) {
    this.client = options.client;
    this.schema = options.schema;
    this.migrations = options.migrations ?? CONNECTION_MIGRATIONS;
    this.table = `${quoteSchema(options.schema ?? 'public')}.credential_delegation_tokens`;
  }

  /** Creates or upgrades the schema (the same migrations as the connection store; idempotent). */
  migrate(): Promise<MigrateResult> {
    return runMigrations(this.client, this.migrations, this.schema === undefined ? {} : { schema: this.schema });
  }

  async get(organizationId: string, id: string): Promise<DelegationRecord | undefined> {
    if (!isUuid(organizationId) || !isUuid(id)) return undefined;
    const rows = await this.run('get', `SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1::uuid AND organization_id = $2::uuid`, [id, organizationId]);
    return rows[0] && fromRow(rows[0]);
  }

  async list(organizationId: string, filter: { readonly itsmSystemType?: ItsmSystemType | undefined } = {}): Promise<DelegationRecord[]> {
    if (!isUuid(organizationId)) return [];
    const params: unknown[] = [organizationId];
    const type = filter.itsmSystemType === undefined ? '' : ` AND itsm_system_type = $${params.push(filter.itsmSystemType)}`;
    const rows = await this.run('list', `SELECT ${COLUMNS} FROM ${this.table} WHERE organization_id = $1::uuid${type} ORDER BY created_at, id`, params);
    return rows.map(fromRow);
  }

  async findByTokenHash(tokenHash: string): Promise<DelegationRecord | undefined> {
    const rows = await this.run('findByTokenHash', `SELECT ${COLUMNS} FROM ${this.table} WHERE token_hash = $1`, [tokenHash]);
    return rows[0] && fromRow(rows[0]);
  }

  async insert(record: DelegationRecord): Promise<void> {
    const bad: string[] = (['id', 'organizationId', 'createdBy'] as const).filter((field) => !isUuid(record[field]));
    if (record.connectionId !== null && !isUuid(record.connectionId)) bad.push('connectionId');
    if (bad.length) throw new ValidationError('Delegation refused by store insert', bad.map((field) => ({ field, rule: 'uuid', message: 'must be a uuid' })));
    await this.run(
      'insert',
      `INSERT INTO ${this.table} (id, organization_id, itsm_system_type, delegate_email, connection_id, token_hash, status, created_by, created_at, expires_at, revoked_at, used_at) ` +
        'VALUES ($1::uuid, $2::uuid, $3, $4, $5::uuid, $6, $7, $8::uuid, $9::timestamptz, $10::timestamptz, $11::timestamptz, $12::timestamptz)',
      [
        record.id,
        record.organizationId,
        record.itsmSystemType,
        record.delegateEmail,
        record.connectionId,
        record.tokenHash,
        record.status,
        record.createdBy,
        record.createdAt,
        record.expiresAt,
        record.revokedAt,
        record.usedAt,
      ],
    );
  }

  async update(record: DelegationRecord, expectedStatus?: DelegationStatus): Promise<boolean> {
    if (!isUuid(record.organizationId) || !isUuid(record.id)) return false;
    const params: unknown[] = [record.id, record.organizationId, record.status, record.revokedAt, record.usedAt];
    const guard = expectedStatus === undefined ? '' : ` AND status = $${params.push(expectedStatus)}`;
    const rows = await this.run(
      'update',
      `UPDATE ${this.table} SET status = $3, revoked_at = $4::timestamptz, used_at = $5::timestamptz WHERE id = $1::uuid AND organization_id = $2::uuid${guard} RETURNING id`,
      params,
    );
    return rows.length > 0;
  }

  private async run(operation: string, text: string, params: unknown[]): Promise<Row[]> {
    try {
      return (await this.client.query(text, params)).rows as Row[];
    } catch (error) {
      const mapped = toStoreError(error, `delegation ${operation}`);
      if (mapped instanceof StoreError && mapped.code === 'duplicate') {
        throw new StoreError(`Store delegation ${operation} failed: a delegation with that id or token exists`, { code: 'duplicate', operation, sqlState: mapped.sqlState, cause: error });
      }
      throw mapped;
    }
  }
}
