import type { z } from 'zod';
import type { FieldIssue } from './errors.js';

/**
 * Turns a zod (or zod/mini) error into {@link FieldIssue}s whose `field` is the dotted path,
 * under an optional prefix. Unknown keys get one issue each, so every `field`
 * is a single path.
 */
export function zodIssues(error: z.core.$ZodError, prefix?: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || '(root)';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: [field === '(root)' ? '' : field, k].filter(Boolean).join('.'), rule: 'unknown_key', message: `unknown key "${k}"` }));
    }
    return [{ field, rule: issue.code, message: issue.message }];
  });
}
