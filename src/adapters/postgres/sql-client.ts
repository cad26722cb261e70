/**
 * The part of a SQL client the PostgreSQL adapter uses. A `pg` `Pool` or
 * `Client` and a PGlite instance all satisfy it as they are.
 *
 * @example
 * import pg from 'pg';
 * const store = new PostgresConnectionStore({ client: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 */
export interface SqlClient {
  /** Runs one statement with `$1`-style parameters. */
  query(text: string, params?: unknown[]): Promise<{ readonly rows: readonly unknown[] }>;
  /**
   * Runs a script of several statements as one implicit transaction (PGlite
   * has it). Without it, scripts go through `query` with no parameters, which
   * `pg` sends with the simple protocol: one implicit transaction as well.
   */
  exec?(text: string): Promise<unknown>;
}

/** Runs a multi-statement script on either kind of client. */
export async function runScript(client: SqlClient, script: string): Promise<void> {
  if (typeof client.exec === 'function') await client.exec(script);
  else await client.query(script);
}
