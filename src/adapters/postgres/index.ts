/**
 * `itsmkit/postgres`: the connection store, the delegation store, the
 * audit log and the idempotency store on PostgreSQL (`pg`) or PGlite, and their migrations.
 * @module itsmkit/postgres
 */
export { PostgresConnectionStore } from './store.js';
export type { PostgresConnectionStoreOptions } from './store.js';
export { PostgresDelegationStore } from './delegation-store.js';
export type { PostgresDelegationStoreOptions } from './delegation-store.js';
export { PostgresAuditLog } from './audit-log.js';
export type { PostgresAuditLogOptions } from './audit-log.js';
export { PostgresIdempotencyStore, IDEMPOTENCY_TABLE } from './idempotency-store.js';
export type { PostgresIdempotencyStoreOptions } from './idempotency-store.js';
export { runMigrations, MIGRATIONS_TABLE } from './migrate.js';
export type { MigrateResult, RunMigrationsOptions } from './migrate.js';
export { CONNECTION_MIGRATIONS, rowLevelSecurityMigration } from './migrations.js';
export type { Migration, RowLevelSecurityOptions } from './migrations.js';
export { StoreError, isStoreError } from './errors.js';
export type { StoreErrorCode, StoreErrorInit } from './errors.js';
export type { SqlClient } from './sql-client.js';
