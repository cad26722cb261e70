import { StatusMessageError } from '../core/index.js';
import type { ConnectionOptions } from './connection.js';
import { canonicalId } from './ids.js';
import { isStorableTime, toStorableText } from './storable.js';

/** The queues the older per-queue message shapes came from. */
export type StatusQueue = 'data_source.sync_status' | 'data_source.verification_status';

/** A sync status message, normalised from the unified or the older shape. */
export interface SyncStatusMessage {
  readonly kind: 'sync';
  /** The message's `connection_id` (a UUID in lower case). */
  readonly connectionId: string;
  /** The message's `tenant_id`. */
  readonly organizationId: string;
  /** The older shape's `completed | failed` become `sync_completed | sync_failed`. */
  readonly status: 'sync_started' | 'sync_completed' | 'sync_failed';
  readonly error: string | null;
  readonly documentsProcessed: number | null;
  /** ISO 8601 as sent, or `null` when the message had none. */
  readonly timestamp: string | null;
  /** The timestamp in epoch ms, or `null`. */
  readonly timestampMs: number | null;
  /** `unified` (`type` field) or the older per-queue shape. */
  readonly format: 'unified' | 'legacy';
}

/** A verification status message, normalised from the unified or the older shape. */
export interface VerificationStatusMessage {
  readonly kind: 'verification';
  readonly connectionId: string;
  readonly organizationId: string;
  readonly status: 'success' | 'failed';
  /** Options as lists: `{ spaces: "ENG, PROD,,ENG" }` becomes `{ spaces: ["ENG", "PROD"] }`. */
  readonly options: ConnectionOptions | null;
  readonly error: string | null;
  readonly timestamp: string | null;
  readonly timestampMs: number | null;
  readonly format: 'unified' | 'legacy';
}

/** A broker status message about one connection. */
export type StatusMessage = SyncStatusMessage | VerificationStatusMessage;

/** The outcome of {@link parseStatusMessage}: never an exception. */
export type ParseStatusMessageResult = { readonly ok: true; readonly message: StatusMessage } | { readonly ok: false; readonly error: StatusMessageError };

/** Options of {@link parseStatusMessage}. */
export interface ParseStatusMessageOptions {
  /** The queue the message came from; decides the older shapes' kind when the status alone cannot (`failed`). */
  readonly queue?: string | undefined;
  /** Larger inputs are refused unparsed. @default 1048576 (1 MiB) */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 1024 * 1024;
const MAX_TEXT = 10_000;

/**
 * Parses a broker status message (bytes, a string, or an already-parsed
 * object) into a typed {@link StatusMessage}. Accepts the unified shape
 * (`type: 'sync' | 'verification'`) and the older per-queue shapes
 * (`data_source.sync_status`, `data_source.verification_status`). Maps
 * `tenant_id` to `organizationId` and normalises options to lists.
 *
 * What every store keeps decides the rest: UUIDs come out in lower case;
 * NUL and half surrogate pairs in error texts and options become U+FFFD
 * (PostgreSQL cannot store them, and the message still carries a result);
 * a timestamp outside the years 0001-9999 is refused (`invalid_timestamp`).
 *
 * Never throws: every problem comes back as `{ ok: false, error }` with a
 * machine-readable `error.reason` and the offending `error.path`.
 *
 * @example
 * const r = parseStatusMessage('{"type":"sync","connection_id":"c1","tenant_id":"t1","status":"sync_started","timestamp":"2025-10-01T10:00:00Z"}');
 * if (r.ok) r.message.status; // 'sync_started'
 */
export function parseStatusMessage(input: unknown, options: ParseStatusMessageOptions = {}): ParseStatusMessageResult {
  try {
    return parse(input, options);
  } catch (cause) {
    // Hostile objects (throwing getters, proxies) end here rather than in the caller.
    return fail('unreadable', 'The message could not be read', undefined, cause);
  }
}

function parse(input: unknown, options: ParseStatusMessageOptions): ParseStatusMessageResult {
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  let value: unknown = input;
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    if (input.byteLength > max) return fail('too_large', `The message is larger than ${max} bytes`);
    value = new TextDecoder('utf-8', { fatal: false }).decode(input);
  }
  if (typeof value === 'string') {
    if (value.length > max) return fail('too_large', `The message is larger than ${max} bytes`);
    try {
      value = JSON.parse(value);
    } catch (cause) {
      return fail('invalid_json', 'The message is not valid JSON', undefined, cause);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('not_an_object', 'The message is not a JSON object');
  const m = value as Record<string, unknown>;

  const rawConnectionId = m['connection_id'];
  if (typeof rawConnectionId !== 'string' || rawConnectionId === '') return missingOrInvalid(rawConnectionId, 'connection_id');
  const rawTenant = m['tenant_id'] ?? m['organization_id'];
  if (typeof rawTenant !== 'string' || rawTenant === '') return missingOrInvalid(rawTenant, 'tenant_id');
  const connectionId = canonicalId(rawConnectionId);
  const tenant = canonicalId(rawTenant);

  const timestamp = m['timestamp'];
  let timestampMs: number | null = null;
  if (timestamp !== undefined && timestamp !== null) {
    if (typeof timestamp !== 'string') return fail('invalid_field', 'timestamp must be an ISO 8601 string', 'timestamp');
    timestampMs = Date.parse(timestamp);
    if (Number.isNaN(timestampMs)) return fail('invalid_timestamp', 'timestamp is not a date', 'timestamp');
    if (!isStorableTime(timestampMs)) return fail('invalid_timestamp', 'timestamp is outside the years 0001-9999', 'timestamp');
  }
  const ts = typeof timestamp === 'string' ? timestamp : null;

  const type = m['type'];
  const status = m['status'];
  if (typeof status !== 'string') return missingOrInvalid(status, 'status');
  let kind: 'sync' | 'verification';
  let format: 'unified' | 'legacy';
  if (type === 'sync' || type === 'verification') {
    kind = type;
    format = 'unified';
  } else if (type !== undefined && type !== null) {
    return fail('unknown_type', `Unknown message type ${describe(type)}`, 'type');
  } else {
    format = 'legacy';
    const legacy = legacyKind(status, m, options.queue);
    if (!legacy) return fail('unknown_status', `Unknown status ${describe(status)}`, 'status');
    kind = legacy;
  }

  const errorText = readError(m);
  if (errorText === false) return fail('invalid_field', 'error must be a string or null', m['error_message'] !== undefined ? 'error_message' : 'error');

  if (kind === 'sync') {
    const normal = SYNC_STATUS[format][status];
    if (!normal) return fail('unknown_status', `Unknown sync status ${describe(status)}`, 'status');
    const docs = m['documents_processed'];
    if (docs !== undefined && docs !== null && !(typeof docs === 'number' && Number.isInteger(docs) && docs >= 0)) {
      return fail('invalid_field', 'documents_processed must be a non-negative integer', 'documents_processed');
    }
    const message: SyncStatusMessage = {
      kind,
      connectionId,
      organizationId: tenant,
      status: normal,
      error: errorText,
      documentsProcessed: typeof docs === 'number' ? docs : null,
      timestamp: ts,
      timestampMs,
      format,
    };
    return { ok: true, message };
  }
  if (status !== 'success' && status !== 'failed') return fail('unknown_status', `Unknown verification status ${describe(status)}`, 'status');
  const parsedOptions = normaliseOptions(m['options']);
  if (parsedOptions instanceof StatusMessageError) return { ok: false, error: parsedOptions };
  const message: VerificationStatusMessage = {
    kind,
    connectionId,
    organizationId: tenant,
    status,
    options: parsedOptions,
    error: errorText,
    timestamp: ts,
    timestampMs,
    format,
  };
  return { ok: true, message };
}

const SYNC_STATUS: Record<'unified' | 'legacy', Record<string, SyncStatusMessage['status'] | undefined>> = {
  unified: { sync_started: 'sync_started', sync_completed: 'sync_completed', sync_failed: 'sync_failed' },
  legacy: { completed: 'sync_completed', failed: 'sync_failed' },
};

function legacyKind(status: string, m: Record<string, unknown>, queue: string | undefined): 'sync' | 'verification' | undefined {
  if (queue === 'data_source.sync_status') return status === 'completed' || status === 'failed' ? 'sync' : undefined;
  if (queue === 'data_source.verification_status') return status === 'success' || status === 'failed' ? 'verification' : undefined;
  if (status === 'completed') return 'sync';
  if (status === 'success') return 'verification';
  // `failed` is shared: only verification results carry `options` (null on failure).
  if (status === 'failed') return Object.hasOwn(m, 'options') ? 'verification' : 'sync';
  return undefined;
}

/** The error text (`error_message` in unified sync messages, `error` elsewhere), `null`, or `false` when not a string. */
function readError(m: Record<string, unknown>): string | null | false {
  const value = m['error_message'] ?? m['error'];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return false;
  return toStorableText(value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value);
}

/**
 * `{ spaces: "ENG, PROD,,ENG" }` -> `{ spaces: ["ENG", "PROD"] }`: split on
 * commas, trimmed, empties dropped, duplicates dropped (first kept). Lists of
 * strings are accepted as they are, with the same clean-up. Any key is an
 * own property, `__proto__` included; NUL and half surrogate pairs become U+FFFD.
 */
export function normaliseOptions(value: unknown): ConnectionOptions | null | StatusMessageError {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return error('invalid_options', 'options must be an object', 'options');
  const out: Record<string, readonly string[]> = {};
  for (const key of Object.keys(value)) {
    const entry = (value as Record<string, unknown>)[key];
    let parts: unknown[];
    if (typeof entry === 'string') parts = entry.split(',');
    else if (Array.isArray(entry)) parts = entry;
    else return error('invalid_options', `options.${key} must be a comma-separated string`, `options.${key}`);
    const seen = new Set<string>();
    for (const part of parts) {
      if (typeof part !== 'string') return error('invalid_options', `options.${key} must hold strings only`, `options.${key}`);
      const trimmed = toStorableText(part.trim());
      if (trimmed !== '') seen.add(trimmed);
    }
    // Defined, not assigned: `out['__proto__'] = [...]` would make an Array the object's prototype.
    Object.defineProperty(out, toStorableText(key), { value: [...seen], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function missingOrInvalid(value: unknown, path: string): ParseStatusMessageResult {
  return value === undefined || value === null || value === ''
    ? fail('missing_field', `${path} is required`, path)
    : fail('invalid_field', `${path} must be a non-empty string`, path);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  return `of type ${value === null ? 'null' : typeof value}`;
}

function error(reason: string, message: string, path?: string, cause?: unknown): StatusMessageError {
  return new StatusMessageError(message, path === undefined ? { reason } : { reason, path }, cause === undefined ? {} : { cause });
}

function fail(reason: string, message: string, path?: string, cause?: unknown): ParseStatusMessageResult {
  return { ok: false, error: error(reason, message, path, cause) };
}
