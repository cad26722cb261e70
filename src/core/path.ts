import { ConfigError } from './errors.js';

/**
 * Encodes one URL path segment, refusing values that would change the path's
 * meaning: empty strings, `.` and `..`, and non-strings; text with a lone
 * surrogate (which has no UTF-8 form) is refused too.
 */
export function encodeSegment(value: unknown, name = 'path segment'): string {
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a string, got ${typeof value}`, [{ field: name, rule: 'type', message: `expected a string, got ${typeof value}` }]);
  if (value === '' || value === '.' || value === '..') {
    throw new ConfigError(`${name} must not be empty, "." or ".."`, [{ field: name, rule: 'segment', message: `"${value}" is not a valid path segment` }]);
  }
  try {
    return encodeURIComponent(value);
  } catch (error) {
    // URIError: a lone surrogate has no UTF-8 form.
    throw new ConfigError(`${name} must be well-formed Unicode`, [{ field: name, rule: 'unicode', message: 'has a lone surrogate, which cannot be percent-encoded' }], { cause: error });
  }
}

/**
 * A tagged template that encodes every interpolated value as one path segment.
 *
 * @example
 * path`/api/now/table/${table}/${sysId}` // each value encoded, '..' refused
 */
export function path(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += encodeSegment(value) + (strings[i + 1] ?? '');
  });
  return out;
}
