import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { PostgresConnectionStore, PostgresIdempotencyStore } from '../../../src/adapters/postgres/index.js';
import { idempotencyStoreContract } from '../contract/idempotency-store.js';
import { sqlStoreSuite } from './sql-suite.js';

// PGlite runs everywhere: this is how `npm test` covers the SQL stores without a PostgreSQL server.
let db: PGlite | undefined;
let schemas = 0;
// Starting PGlite (a WebAssembly PostgreSQL) takes seconds on a busy machine: once, outside the tests' time.
beforeAll(async () => {
  db = await PGlite.create();
}, 120_000);
afterAll(() => db?.close());

sqlStoreSuite('PGlite', async () => {
  const client = db as PGlite;
  const schema = `itsmkit_test_${++schemas}`;
  await new PostgresConnectionStore({ client, schema }).migrate();
  return { client, schema, dispose: async () => void (await client.exec(`DROP SCHEMA ${schema} CASCADE`)) };
});

idempotencyStoreContract('PGlite', async () => {
  const client = db as PGlite;
  const schema = `itsmkit_idem_${++schemas}`;
  const store = new PostgresIdempotencyStore({ client, schema });
  await store.migrate();
  return { store, dispose: async () => void (await client.exec(`DROP SCHEMA ${schema} CASCADE`)) };
});
