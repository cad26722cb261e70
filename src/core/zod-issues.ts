import { en } from 'zod/locales';
import type * as z from 'zod/mini';
import type { FieldIssue } from './errors.js';

/**
 * Turns a zod/mini error (or its issues) into {@link FieldIssue}s whose `field`
 * is the dotted path, under an optional prefix. Unknown keys get one issue
 * each, so every `field` is a single path.
 */
export function zodIssues(error: Pick<z.core.$ZodError, 'issues'>, prefix?: string): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || '(root)';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: [field === '(root)' ? '' : field, k].filter(Boolean).join('.'), rule: 'unknown_key', message: `unknown key "${k}"` }));
    }
    return [{ field, rule: issue.code, message: issue.message }];
  });
}

let english: z.core.$ZodErrorMap | undefined;

/**
 * `schema.safeParse(input)` with zod's English messages for every check that
 * has no message of its own. zod/mini has none by default ("Invalid input"),
 * and setting them globally (`z.config`) would change them for the host
 * application's own zod/mini schemas too; the locale is loaded on first use,
 * so a bundle that never validates this way does not carry it.
 */
export function safeParseEnglish<S extends z.ZodMiniType>(schema: S, input: unknown): z.core.util.SafeParseResult<z.output<S>> {
  english ??= en().localeError;
  return schema.safeParse(input, { error: english });
}
