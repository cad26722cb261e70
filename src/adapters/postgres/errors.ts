import { hasErrorKind, ItsmError } from '../../core/index.js';

/** What kind of store failure it was. */
export type StoreErrorCode =
  /** The server could not be reached, or the connection broke mid-operation (the statement did not commit). */
  | 'unavailable'
  /** A value was refused by the database (bad uuid, timestamp, ...). */
  | 'invalid_data'
  /** A row with the same id exists. */
  | 'duplicate'
  /** Serialization failure or deadlock: safe to run again. */
  | 'contention'
  /** Any other database error. */
  | 'query_failed';

/** Fields a {@link StoreError} is built from. */
export interface StoreErrorInit {
  readonly code: StoreErrorCode;
  /** The store operation (`get`, `list`, `insert`, `update`, `migrate`). */
  readonly operation: string;
  /** The PostgreSQL SQLSTATE, when the server sent one. */
  readonly sqlState?: string | undefined;
  readonly cause?: unknown;
}

/**
 * A PostgreSQL store operation failed. `transient` says whether running it
 * again later may succeed (the AMQP source leaves such messages for
 * redelivery instead of counting them toward the dead-letter limit).
 */
export class StoreError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'StoreError';

  readonly code: StoreErrorCode;
  readonly operation: string;
  readonly sqlState: string | undefined;
  readonly transient: boolean;

  constructor(message: string, init: StoreErrorInit) {
    super(message, init.cause === undefined ? {} : { cause: init.cause });
    this.code = init.code;
    this.operation = init.operation;
    this.sqlState = init.sqlState;
    this.transient = init.code === 'unavailable' || init.code === 'contention';
  }
}

/** True for {@link StoreError} (works across duplicate installs). */
export const isStoreError = (e: unknown): e is StoreError => hasErrorKind(e, 'StoreError');

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// What pg and pg-pool say when a connection broke or could not be made; they carry no SQLSTATE.
const LOST_CONNECTION = /connection terminated|connection error|not queryable|client was closed|timeout exceeded when trying to connect|server closed the connection/i;

/** Maps a driver error (pg, PGlite, node:net) to a {@link StoreError}; passes itsmkit errors through. */
export function toStoreError(error: unknown, operation: string): Error {
  if (error instanceof ItsmError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const sqlState = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const text = typeof fields.message === 'string' ? fields.message : String(error);
  const kind = classify(sqlState, code, text);
  const what = kind === 'unavailable' ? 'PostgreSQL is unavailable' : 'PostgreSQL refused the statement';
  return new StoreError(`Store ${operation} failed: ${what}${sqlState ? ` (SQLSTATE ${sqlState})` : code ? ` (${code})` : ''}: ${scrubConnectionSecrets(text)}`, {
    code: kind,
    operation,
    sqlState,
    cause: error,
  });
}

function classify(sqlState: string | undefined, code: string | undefined, text: string): StoreErrorCode {
  if (sqlState) {
    // 08: connection exception; 57P01-03: admin/crash shutdown, cannot connect now; 53300: too many connections.
    if (sqlState.startsWith('08') || /^57P0[1-3]$/.test(sqlState) || sqlState === '53300') return 'unavailable';
    if (sqlState === '40001' || sqlState === '40P01') return 'contention';
    if (sqlState === '23505') return 'duplicate';
    if (sqlState.startsWith('22') || sqlState.startsWith('23')) return 'invalid_data';
    return 'query_failed';
  }
  if ((code && NETWORK_CODES.has(code)) || LOST_CONNECTION.test(text)) return 'unavailable';
  return 'query_failed';
}

/** Removes passwords from connection strings and `password=` settings a driver message may quote. */
export function scrubConnectionSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1[REDACTED]@')
    .replace(/(password\s*=\s*)('[^']*'|"[^"]*"|\S+)/gi, '$1[REDACTED]');
}
