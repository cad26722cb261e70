import type { Migration } from './migrations.js';
import { ConfigError } from '../../core/index.js';
import { quoteSchema } from './schema.js';
import { runScript, type SqlClient } from './sql-client.js';
import { toStoreError } from './errors.js';

/** The table that records which migrations ran, in the store's schema. */
export const MIGRATIONS_TABLE = 'itsmkit_schema_migrations';

/** Options of {@link runMigrations}. */
export interface RunMigrationsOptions {
  /** @default 'public' */
  readonly schema?: string;
}

/** What {@link runMigrations} did. */
export interface MigrateResult {
  /** Versions this call applied (empty when the schema was already current). */
  readonly applied: readonly number[];
  /** The highest version now applied. */
  readonly current: number;
}

const BODY_TAG = '$itsmkit_migration$';
const BLOCK_TAG = '$itsmkit_block$';

/**
 * Applies each migration not yet recorded in {@link MIGRATIONS_TABLE}, in
 * version order, as one transaction. Safe to run twice and from several
 * processes at once: the script takes a transaction-scoped advisory lock
 * (keyed by schema) before it looks at anything, so a second migrator waits,
 * then finds every version recorded and does nothing. A failure rolls the
 * whole run back.
 */
export async function runMigrations(client: SqlClient, migrations: readonly Migration[], options: RunMigrationsOptions = {}): Promise<MigrateResult> {
  const schemaName = options.schema ?? 'public';
  const schema = quoteSchema(schemaName);
  const runId = crypto.randomUUID();
  const steps = [...migrations].sort((a, b) => a.version - b.version).map((m) => step(m, schema, runId));
  // Everything embedded below is checked: a validated identifier, integers, a uuid we made, names of [\w.-].
  const script = [
    `SELECT pg_advisory_xact_lock(hashtext('itsmkit:migrate:${schemaName}'))`,
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `SET LOCAL search_path TO ${schema}`,
    `CREATE TABLE IF NOT EXISTS ${schema}.${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), run_id UUID)`,
    ...steps,
  ].join(';\n');
  try {
    await runScript(client, `${script};`);
    const { rows } = await client.query(
      `SELECT COALESCE(array_agg(version ORDER BY version) FILTER (WHERE run_id = $1::uuid), '{}') AS applied, COALESCE(MAX(version), 0) AS current FROM ${schema}.${MIGRATIONS_TABLE}`,
      [runId],
    );
    const row = rows[0] as { applied: (number | string)[]; current: number | string } | undefined;
    return { applied: (row?.applied ?? []).map(Number), current: Number(row?.current ?? 0) };
  } catch (error) {
    throw toStoreError(error, 'migrate');
  }
}

function step(migration: Migration, schema: string, runId: string): string {
  if (!Number.isSafeInteger(migration.version) || migration.version < 1) {
    throw new ConfigError('Invalid migration', [{ field: `migrations.${migration.version}.version`, rule: 'integer', message: 'must be a positive integer' }]);
  }
  if (!/^[\w.-]+$/.test(migration.name)) {
    throw new ConfigError('Invalid migration', [{ field: `migrations.${migration.version}.name`, rule: 'pattern', message: 'must be letters, digits, _, . or -' }]);
  }
  if (migration.sql.includes(BODY_TAG) || migration.sql.includes(BLOCK_TAG)) {
    throw new ConfigError('Invalid migration', [{ field: `migrations.${migration.version}.sql`, rule: 'reserved', message: `must not contain ${BODY_TAG} or ${BLOCK_TAG}` }]);
  }
  return `DO ${BLOCK_TAG}
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ${schema}.${MIGRATIONS_TABLE} WHERE version = ${migration.version}) THEN
    EXECUTE ${BODY_TAG}${migration.sql}${BODY_TAG};
    INSERT INTO ${schema}.${MIGRATIONS_TABLE} (version, name, run_id) VALUES (${migration.version}, '${migration.name}', '${runId}');
  END IF;
END ${BLOCK_TAG}`;
}
