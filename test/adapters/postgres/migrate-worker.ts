// Runs one migration for the concurrent-migration test and reports the result over IPC.
import pg from 'pg';
import { PostgresConnectionStore } from '../../../src/adapters/postgres/index.js';

const client = new pg.Client({ connectionString: process.env['ITSMKIT_WORKER_PG_URL'] });
await client.connect();
const result = await new PostgresConnectionStore({ client, schema: process.env['ITSMKIT_WORKER_SCHEMA'] ?? 'public' }).migrate();
await client.end();
process.send?.(result, () => process.exit(0));
