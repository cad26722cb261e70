import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { PostgresConnectionStore } from '../../../src/adapters/postgres/index.js';
import { storeSuite } from './store-suite.js';

// PGlite runs everywhere: this is how `npm test` covers the store without a PostgreSQL server.
let db: PGlite | undefined;
let schemas = 0;
afterAll(() => db?.close());

storeSuite(
  'PGlite',
  async () => {
    db ??= new PGlite();
    const client = db;
    const schema = `itsmkit_test_${++schemas}`;
    const store = new PostgresConnectionStore({ client, schema });
    await store.migrate();
    return {
      store,
      count: async (sql) => Number(((await client.query(sql.replace(/FROM (\w+)/, `FROM ${schema}.$1`))).rows[0] as { count: number }).count),
      dispose: async () => {
        await client.exec(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  },
  { concurrent: true },
);
