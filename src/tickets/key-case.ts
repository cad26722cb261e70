/** `retry_policy` -> `retryPolicy`; keys without an underscore are returned as they are. */
export function snakeToCamel(key: string): string {
  return key.includes('_') ? key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : key;
}

/** `shortDescription` -> `short_description`. */
export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Path segments that could reach an object's prototype; refused in every user-given path. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
