/**
 * One response decoder per {@link ConnectionsClient} method. Each accepts the
 * shapes hosts answer with, the record wrapped in `data` (`{ "data": {...} }`)
 * or bare, and is strict about what its method returns: an answer without it
 * (a connection without an `id`, a verification without a `status`) is an
 * `UnexpectedResponseError` naming the missing field, never a record of
 * empty strings. Unknown fields are ignored.
 */
import { type AnswerSource, type TransportResponse, type UnexpectedResponseError, wrongAnswer } from '../core/index.js';
import type { DataSourceConnection } from './connection.js';
import { type CredentialDelegation, fromWireConnection, fromWireDelegation } from './mapper.js';

/** The answer of `ConnectionsClient.seed`. */
export interface SeedConnectionsResult {
  readonly created: number;
  readonly existing: number;
  readonly message: string;
}

/** The answer of `ConnectionsClient.verify`: the result arrives later as a live update. */
export interface VerifyResult {
  readonly id: string;
  /** `verifying` (the result follows as a live update); `verified` or `failed` when the host verified at once (`valid` in its answer). */
  readonly status: string;
  readonly message: string;
  /** Whether the credentials were valid, when the host verified them at once. */
  readonly valid?: boolean;
  /** The resources the credentials reach, when the host verified them at once (`available_options`, as the host sent them). */
  readonly availableOptions?: Readonly<Record<string, unknown>>;
  /** The host's error code for invalid credentials (`INVALID_CREDENTIALS`). */
  readonly errorCode?: string;
}

/** The answer of `ConnectionsClient.sync` and `ConnectionsClient.syncTickets`. */
export interface SyncResult {
  readonly id: string;
  /** `syncing` (also for an answer of just `{ "success": true }`). */
  readonly status: string;
  /** When the sync was triggered (ISO 8601): the answer's `triggered_at`, or the client's clock when the request was sent if the answer has none. */
  readonly triggeredAt: string;
}

/** The answer of `ConnectionsClient.remove`. */
export interface RemovedConnection {
  readonly id: string;
  readonly deletedAt: string;
}

/** A delegation just created, with its one-time token. */
export interface CreatedDelegation extends CredentialDelegation {
  /** The invitation token: shown once, never stored by the client. */
  readonly token: string | null;
}

type Wire = Record<string, unknown>;
type Answer = Pick<TransportResponse, 'status' | 'requestId' | 'retry' | 'data'>;

/** What a decoder knows beyond the answer: where it came from, the id asked about, when it was sent. */
export interface DecodeContext extends AnswerSource {
  readonly id?: string;
  /** ISO 8601. */
  readonly sentAt?: string;
}

class Reader {
  constructor(
    private readonly res: Answer,
    private readonly where: AnswerSource,
  ) {}

  fail(problem: string): UnexpectedResponseError {
    return wrongAnswer(this.res, this.where, problem);
  }

  /** The object the answer carries: its `data` when that is one, else the body itself. */
  object(): Wire {
    const body = this.res.data;
    if (isObject(body) && isObject(body['data'])) return body['data'];
    if (isObject(body)) return body;
    throw this.fail('is not a JSON object');
  }

  /** The list the answer carries: its `data` when that is one, else the body itself. */
  list(): unknown[] {
    const body = this.res.data;
    if (isObject(body) && Array.isArray(body['data'])) return body['data'];
    if (Array.isArray(body)) return body;
    throw this.fail('has no list (a "data" array, or an array)');
  }

  /** A required non-empty string field. */
  text(w: Wire, key: string, at = ''): string {
    const value = w[key];
    if (typeof value !== 'string' || value === '') throw this.fail(`has no "${key}" (a non-empty string)${at}`);
    return value;
  }

  /** A required number field. */
  count(w: Wire, key: string): number {
    const value = w[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.fail(`has no "${key}" (a number)`);
    return value;
  }

  connection(w: Wire, at = ''): DataSourceConnection {
    for (const key of ['id', 'type', 'name', 'status']) this.text(w, key, at);
    return fromWireConnection(w);
  }

  delegation(w: Wire, at = ''): CredentialDelegation {
    for (const key of ['id', 'itsm_system_type', 'status']) this.text(w, key, at);
    return fromWireDelegation(w);
  }
}

function isObject(value: unknown): value is Wire {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalText(w: Wire, key: string): string | undefined {
  const value = w[key];
  return typeof value === 'string' ? value : undefined;
}

const connection = (res: Answer, ctx: DecodeContext): DataSourceConnection => {
  const r = new Reader(res, ctx);
  return r.connection(r.object());
};

const connections = (res: Answer, ctx: DecodeContext): DataSourceConnection[] => {
  const r = new Reader(res, ctx);
  return r.list().map((item, i) => {
    if (!isObject(item)) throw r.fail(`has an entry ${i} that is not an object`);
    return r.connection(item, ` in entry ${i}`);
  });
};

const sync = (res: Answer, ctx: DecodeContext): SyncResult => {
  const r = new Reader(res, ctx);
  const w = r.object();
  const status = optionalText(w, 'status') || (w['success'] === true ? 'syncing' : undefined);
  if (status === undefined) throw r.fail('has no "status" (a non-empty string) or "success": true');
  return { id: optionalText(w, 'id') || (ctx.id ?? ''), status, triggeredAt: optionalText(w, 'triggered_at') || (ctx.sentAt ?? '') };
};

const delegation = (res: Answer, ctx: DecodeContext): CredentialDelegation => {
  const r = new Reader(res, ctx);
  return r.delegation(r.object());
};

/** The decoder of each `ConnectionsClient` method. */
export const CONNECTIONS_DECODERS = {
  /** `{ success, created, existing, message }`, bare or in `data`. */
  seed: (res: Answer, ctx: DecodeContext): SeedConnectionsResult => {
    const r = new Reader(res, ctx);
    const w = r.object();
    return { created: r.count(w, 'created'), existing: r.count(w, 'existing'), message: optionalText(w, 'message') ?? '' };
  },
  /** `{ data: [connection...] }` or a bare array; every entry needs `id`, `type`, `name` and `status`. */
  list: connections,
  /** `{ data: connection }` or the bare connection. */
  get: connection,
  /**
   * `{ status: "verifying", message }` (the result follows as a status
   * message), also in `data` with an `id`; or a host that verified at once:
   * `{ valid, message, available_options?, error_code? }`.
   */
  verify: (res: Answer, ctx: DecodeContext): VerifyResult => {
    const r = new Reader(res, ctx);
    const w = r.object();
    const valid = typeof w['valid'] === 'boolean' ? w['valid'] : undefined;
    const status = optionalText(w, 'status') || (valid === undefined ? undefined : valid ? 'verified' : 'failed');
    if (status === undefined) throw r.fail('has no "status" (a non-empty string) or "valid" (a boolean)');
    const options = w['available_options'];
    const errorCode = optionalText(w, 'error_code');
    return {
      id: optionalText(w, 'id') || (ctx.id ?? ''),
      status,
      message: optionalText(w, 'message') ?? '',
      ...(valid === undefined ? {} : { valid }),
      ...(isObject(options) ? { availableOptions: options } : {}),
      ...(errorCode === undefined ? {} : { errorCode }),
    };
  },
  update: connection,
  patch: connection,
  /** `{ data: { id, deleted_at } }` or bare. */
  remove: (res: Answer, ctx: DecodeContext): RemovedConnection => {
    const r = new Reader(res, ctx);
    const w = r.object();
    return { id: optionalText(w, 'id') || (ctx.id ?? ''), deletedAt: r.text(w, 'deleted_at') };
  },
  /** `{ data: { id, status, triggered_at } }`, bare, or just `{ success: true }`. */
  sync,
  syncTickets: sync,
  /** The delegation with its one-time `token`, bare or in `data`; needs `id`, `itsm_system_type` and `status`. */
  createDelegation: (res: Answer, ctx: DecodeContext): CreatedDelegation => {
    const r = new Reader(res, ctx);
    const w = r.object();
    const token = w['token'];
    return { ...r.delegation(w), token: typeof token === 'string' ? token : null };
  },
  /** `{ data: [delegation...] }` or a bare array. */
  listDelegations: (res: Answer, ctx: DecodeContext): CredentialDelegation[] => {
    const r = new Reader(res, ctx);
    return r.list().map((item, i) => {
      if (!isObject(item)) throw r.fail(`has an entry ${i} that is not an object`);
      return r.delegation(item, ` in entry ${i}`);
    });
  },
  revokeDelegation: delegation,
} as const;
