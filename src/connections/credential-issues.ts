import { type FieldIssue, isSecretKey, ValidationError } from '../core/index.js';
import type { DataSourceConnection } from './connection.js';

/**
 * Every secret-looking key (password, token, apiKey, credentials, ...) at any
 * depth of a JSON-like value, as field issues naming the path (never the value).
 */
export function credentialIssues(value: unknown, path: string, out: FieldIssue[] = [], depth = 0): FieldIssue[] {
  if (value === null || typeof value !== 'object' || depth > 20) return out;
  // Array.from, not map: a sparse array's holes are read as undefined, not left as holes to destructure.
  const entries = Array.isArray(value) ? Array.from(value as unknown[], (v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, v] of entries) {
    const field = `${path}.${key}`;
    if (!Array.isArray(value) && isSecretKey(key)) {
      out.push({ field, rule: 'no_credentials', message: 'looks like a credential; credentials go to the external service, never into the store' });
    } else {
      credentialIssues(v, field, out, depth + 1);
    }
  }
  return out;
}

/**
 * Refuses a connection whose `config` or `latestOptions` holds a credential-like
 * key: every {@link ConnectionStore} applies this rule, so credentials never
 * reach storage whichever store a host plugs in.
 */
export function assertNoCredentials(connection: Pick<DataSourceConnection, 'config' | 'latestOptions'>, operation: string): void {
  const issues = [...credentialIssues(connection.config, 'config'), ...credentialIssues(connection.latestOptions, 'latestOptions')];
  if (issues.length) throw new ValidationError(`Connection refused by store ${operation}`, issues);
}
