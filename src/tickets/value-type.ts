import type { FieldType } from './config-schema.js';

/** The JSON-ish type name of a value, as messages print it (`array`, `null`, `string`, ...). */
export function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

/** Whether `value` is of a field or variable type; numbers must be finite. */
export function isOfType(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeName(value) === type;
  }
}

/** `a string`, `an array`: for messages. */
export function withArticle(type: FieldType): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
