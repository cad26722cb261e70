import type { FieldIssue } from '../../core/errors.js';
import { isSecretKey } from '../../core/redact.js';

/**
 * Every secret-looking key (password, token, apiKey, credentials, ...) at any
 * depth of a JSON-like value, as field issues naming the path (never the value).
 */
export function credentialIssues(value: unknown, path: string, out: FieldIssue[] = [], depth = 0): FieldIssue[] {
  if (value === null || typeof value !== 'object' || depth > 20) return out;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
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
