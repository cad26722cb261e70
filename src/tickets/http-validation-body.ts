import type { FieldIssue } from '../core/index.js';

/** The support counter's 400 body: `{ error, details: { issues: [{ path, message }] } }`. */
export interface HttpValidationBody {
  readonly error: string;
  readonly details: { readonly issues: readonly { readonly path: readonly (string | number)[]; readonly message: string }[] };
}

/**
 * Turns field issues into the support counter's 400 response body, for hosts that answer
 * HTTP. Dotted fields become path arrays, numeric segments numbers
 * (`labels.2` -> `['labels', 2]`).
 *
 * @example
 * toHttpValidationBody([{ field: 'shortDescription', rule: 'required', message: 'Required' }]);
 * // { error: 'Invalid request payload', details: { issues: [{ path: ['shortDescription'], message: 'Required' }] } }
 */
export function toHttpValidationBody(issues: readonly FieldIssue[], error = 'Invalid request payload'): HttpValidationBody {
  return {
    error,
    details: {
      issues: issues.map((issue) => ({
        path: issue.field === '(root)' ? [] : issue.field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        message: issue.message,
      })),
    },
  };
}
