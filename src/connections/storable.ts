/**
 * What every store keeps exactly: the one check the host side runs above the
 * store port (ConnectionService before each write, StatusConsumer before
 * each update), so no store implements it and every store receives only
 * values all of them hold the same way.
 */
import type { FieldIssue } from '../core/index.js';
import { credentialIssues } from './credential-issues.js';
import type { ConnectionRecord } from './connection.js';
import type { NewConnection } from './ports.js';

/** The earliest timestamp a store keeps: 0001-01-01T00:00:00.000Z. */
export const MIN_STORED_TIME_MS = -62_135_596_800_000;
/** The latest timestamp a store keeps: 9999-12-31T23:59:59.999Z (ISO 8601 with a four-digit year). */
export const MAX_STORED_TIME_MS = 253_402_300_799_999;
/** Deeper `config` or options nesting is refused. */
export const MAX_JSON_DEPTH = 32;

/** NUL, or half of a surrogate pair: PostgreSQL cannot store either in text or JSON. */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');
const CANONICAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** True when every store keeps `text` as it is (no NUL, no half surrogate pair). */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** `text` with each NUL and each half of a surrogate pair replaced by U+FFFD, so every store keeps it. */
export function toStorableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE_ALL, '\uFFFD') : text;
}

/** True for an instant every store keeps (years 0001 to 9999). */
export function isStorableTime(ms: number): boolean {
  return ms >= MIN_STORED_TIME_MS && ms <= MAX_STORED_TIME_MS;
}

const TEXT_FIELDS = ['id', 'organizationId', 'type', 'name', 'description', 'status', 'lastSyncStatus', 'lastSyncError', 'lastVerificationError', 'createdBy', 'updatedBy'] as const;
const TIME_FIELDS = ['createdAt', 'updatedAt', 'lastSyncAt', 'lastVerificationAt', 'deletedAt'] as const;
const CLOCK_FIELDS = ['status', 'sync', 'verification', 'options'] as const;

/**
 * Why a connection cannot be stored as it is, as field issues (never quoting
 * a value); empty when it can: credential-like keys in `config` or
 * `latestOptions`, text with NUL or half a surrogate pair, timestamps that
 * are not canonical ISO 8601 (`toISOString()`) in the years 0001-9999,
 * values JSON cannot carry, nesting deeper than 32 levels.
 */
export function storableIssues(connection: NewConnection | ConnectionRecord): FieldIssue[] {
  const issues = [...credentialIssues(connection.config, 'config'), ...credentialIssues(connection.latestOptions, 'latestOptions')];
  for (const field of TEXT_FIELDS) {
    const value = connection[field];
    if (value === null && field !== 'id' && field !== 'organizationId' && field !== 'type' && field !== 'name') continue;
    if (typeof value !== 'string') issues.push({ field, rule: 'type', message: 'must be a string' });
    else if (!isStorableText(value)) issues.push(textIssue(field));
  }
  for (const field of TIME_FIELDS) {
    const value = connection[field];
    if (value === null && field !== 'createdAt' && field !== 'updatedAt') continue;
    if (typeof value !== 'string' || !CANONICAL_TIME.test(value) || !isStorableTime(Date.parse(value)) || new Date(value).toISOString() !== value) {
      issues.push({ field, rule: 'timestamp', message: 'must be an ISO 8601 UTC timestamp with milliseconds (as toISOString writes it) in the years 0001-9999' });
    }
  }
  if (typeof connection.enabled !== 'boolean') issues.push({ field: 'enabled', rule: 'type', message: 'must be a boolean' });
  for (const field of CLOCK_FIELDS) {
    const value = connection.messageClock?.[field];
    if (value !== null && !Number.isSafeInteger(value)) issues.push({ field: `messageClock.${field}`, rule: 'type', message: 'must be a safe integer or null' });
  }
  jsonIssues(connection.config, 'config', issues, 0, false);
  jsonIssues(connection.latestOptions, 'latestOptions', issues, 0, true);
  return issues;
}

function textIssue(field: string): FieldIssue {
  return { field, rule: 'text', message: 'must not contain NUL or half of a surrogate pair' };
}

/** Plain JSON only: what every store gives back as it was given. */
function jsonIssues(value: unknown, field: string, issues: FieldIssue[], depth: number, nullable: boolean): void {
  if (value === null) {
    if (!nullable && depth === 0) issues.push({ field, rule: 'type', message: 'must be an object' });
    return;
  }
  if (depth > MAX_JSON_DEPTH) {
    issues.push({ field, rule: 'depth', message: `nests deeper than ${MAX_JSON_DEPTH} levels` });
    return;
  }
  switch (typeof value) {
    case 'string':
      if (!isStorableText(value)) issues.push(textIssue(field));
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) issues.push({ field, rule: 'type', message: 'must be a finite number' });
      return;
    case 'object': {
      const array = Array.isArray(value);
      const proto = Object.getPrototypeOf(value) as unknown;
      if (!array && proto !== Object.prototype && proto !== null) {
        issues.push({ field, rule: 'type', message: 'must be plain JSON (an object, array, string, number, boolean or null)' });
        return;
      }
      if (depth === 0 && array) {
        issues.push({ field, rule: 'type', message: 'must be an object' });
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        const path = `${field}.${key}`;
        if (!array && !isStorableText(key)) issues.push(textIssue(path));
        jsonIssues(item, path, issues, depth + 1, true);
      }
      return;
    }
    default:
      issues.push({ field, rule: 'type', message: 'must be plain JSON (an object, array, string, number, boolean or null)' });
  }
}
