import type { z } from 'zod';
import type { FieldIssue } from './errors.js';

/** Turns a zod (or zod/mini) error into {@link FieldIssue}s whose `field` is the dotted path, under an optional prefix. */
export function zodIssues(error: z.core.$ZodError, prefix?: string): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || '(root)';
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : undefined;
    if (keys) {
      return { field: keys.map((k) => [field === '(root)' ? '' : field, k].filter(Boolean).join('.')).join(', '), rule: 'unknown_key', message: `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}` };
    }
    return { field, rule: issue.code, message: issue.message };
  });
}
