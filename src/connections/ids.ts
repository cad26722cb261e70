const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPPER_HEX = /[A-F]/;

/** True for a UUID in its hyphenated form, in any letter case. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * An id as every store keeps it: a UUID in lower case (how PostgreSQL
 * returns one), any other id as it is. So `6F1C...` and `6f1c...` name the
 * same connection whichever store holds it.
 */
export function canonicalId(id: string): string {
  // Most ids already are canonical: one scan, no new string.
  return UPPER_HEX.test(id) && UUID.test(id) ? id.toLowerCase() : id;
}
