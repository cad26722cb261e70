/**
 * `itsmkit/postgres`: the connection store on PostgreSQL (`pg`) or PGlite.
 * @module
 */
export { PostgresConnectionStore } from './store.js';
export type { PostgresConnectionStoreOptions } from './store.js';
export { runMigrations, MIGRATIONS_TABLE } from './migrate.js';
export type { MigrateResult, RunMigrationsOptions } from './migrate.js';
export { StoreError, isStoreError } from './errors.js';
export type { StoreErrorCode, StoreErrorInit } from './errors.js';
export type { SqlClient } from './sql-client.js';
