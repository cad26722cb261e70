import { ConfigError } from '../../core/index.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A PostgreSQL schema name, checked and double-quoted for use in SQL text. */
export function quoteSchema(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new ConfigError('Invalid schema name', [{ field: 'schema', rule: 'pattern', message: 'must be a letter or underscore, then letters, digits or underscores (at most 63)' }]);
  }
  return `"${schema}"`;
}
