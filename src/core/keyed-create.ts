import type { Clock } from './clock.js';
import { walkProblem } from './depth.js';
import { isAbortedError, ValidationError, type Platform, type RetryMetadata } from './errors.js';
import type { Emitter, TransportEvents } from './events.js';
import { IdempotencyConflictError, IdempotencyKeyReusedError, IdempotencyStoreError, TicketMayExistError } from './idempotency-errors.js';
import { MemoryIdempotencyStore, type IdempotencyStore, type Reservation } from './idempotency-store.js';
import type { ReconcileContext } from './transport.js';

/** How a client makes creates with a correlation key happen once. Every field is optional. */
export interface IdempotencyOptions {
  /** Where reservations live. Share a `PostgresIdempotencyStore` between processes for the guarantee across them. @default a MemoryIdempotencyStore per client */
  readonly store?: IdempotencyStore;
  /**
   * After an ambiguous failure, how long lookups by key are repeated (with
   * backoff) before the create is sent again: a server can commit after the
   * client gave up on it. @default the retry policy's attempt timeout, at most 10 s
   */
  readonly settleMs?: number;
  /** How long a create waits for another call holding the same key before an {@link IdempotencyConflictError}. @default 10000 */
  readonly waitMs?: number;
  /** A reservation whose holder never finished (a crashed process) is taken over after this. @default 120000 */
  readonly leaseMs?: number;
  /** How long a finished key is remembered. @default 86400000 (a day) */
  readonly ttlMs?: number;
  /**
   * When a lookup finds several tickets with one key (a writer outside the
   * SDK, a very late commit), close the newer ones with a note naming the kept
   * one. Off: they are only reported (`duplicate` event). @default false
   */
  readonly closeDuplicates?: boolean;
}

/** Emitted when a lookup by key found more than one ticket: the oldest is kept and returned. */
export interface DuplicateEvent {
  readonly platform: Platform;
  readonly operation: string;
  readonly key: string;
  /** The ticket returned (ServiceNow `sys_id`, Jira issue id). */
  readonly kept: string;
  /** The newer tickets with the same key. */
  readonly duplicates: readonly string[];
  /** Whether `closeDuplicates` closed them. */
  readonly closed: boolean;
}

/** What a keyed create says besides the ticket. */
export interface CreateOutcome {
  /** False when the ticket already existed (an earlier call made it) and was returned instead of created. */
  readonly created: boolean;
  /** True when this call's own ambiguous attempt turned out to have created it (found by key). */
  readonly reconciled: boolean;
  /** Attempts and time of the call that produced the ticket (the lookup's, when it was found). */
  readonly retry: RetryMetadata;
}

/** Something read or written, with the retry metadata of the call. */
export interface Fetched<T> {
  readonly value: T;
  readonly retry: RetryMetadata;
}

/** What one keyed create needs from its platform. */
export interface KeyedCreateSteps<T> {
  /** The correlation key (already checked for the platform). */
  readonly key: string;
  /** Where the key lives: platform, instance and table or project, so equal keys elsewhere do not collide. */
  readonly scope: string;
  /** The request the key is for (see {@link fingerprintOf}). */
  readonly fingerprint: string;
  readonly operation: string;
  readonly signal?: AbortSignal | undefined;
  /** Reads the ticket a finished key points at; `undefined` when it is gone. */
  fetch(ref: string): Promise<Fetched<T> | undefined>;
  /** The tickets carrying the key, oldest first. */
  find(): Promise<{ readonly values: readonly T[]; readonly retry: RetryMetadata }>;
  /** Sends the create (its ambiguous failures settled by {@link KeyedCreates.settle}). */
  create(): Promise<Fetched<T> & { readonly reconciled: boolean }>;
  /** The id a ticket is stored under. */
  ref(value: T): string;
  /** Closes newer duplicates (when `closeDuplicates` is on). */
  closeDuplicate?(kept: T, newer: T): Promise<void>;
}

const MAX_SETTLE_MS = 10_000;

/**
 * Makes creates with a correlation key happen once per key: a repeat returns
 * the first ticket, a concurrent duplicate waits for it, a different request
 * with the same key is refused, and an ambiguous failure is settled by
 * lookups before anything is sent again. One per client.
 */
export class KeyedCreates {
  private readonly store: IdempotencyStore;
  private readonly settleMs: number;
  private readonly waitMs: number;
  private readonly reserveOptions: { leaseMs: number; ttlMs: number };
  private readonly closeDuplicates: boolean;

  constructor(
    options: IdempotencyOptions,
    private readonly deps: { readonly platform: Platform; readonly clock: Clock; readonly events: Emitter<TransportEvents>; readonly attemptTimeoutMs: number },
  ) {
    this.store = options.store ?? new MemoryIdempotencyStore(() => deps.clock.now());
    this.settleMs = options.settleMs ?? Math.min(deps.attemptTimeoutMs, MAX_SETTLE_MS);
    this.waitMs = options.waitMs ?? 10_000;
    this.reserveOptions = { leaseMs: options.leaseMs ?? 120_000, ttlMs: options.ttlMs ?? 86_400_000 };
    this.closeDuplicates = options.closeDuplicates ?? false;
  }

  /** Runs one keyed create: the stored result, else an existing ticket, else a new one. */
  async run<T>(steps: KeyedCreateSteps<T>): Promise<Fetched<T> & CreateOutcome> {
    const storeKey = `${steps.scope}:${steps.key}`;
    const reservation = await this.reserve(storeKey, steps);
    if (reservation.state === 'done') {
      const stored = await steps.fetch(reservation.ref);
      if (stored) return { ...stored, created: false, reconciled: false };
      // The ticket was deleted since: start over under a fresh reservation.
      await this.store.release(storeKey).catch(() => undefined);
      return this.run(steps);
    }
    try {
      const found = await steps.find();
      const [oldest, ...newer] = found.values;
      if (oldest !== undefined) {
        if (newer.length) await this.reportDuplicates(steps, oldest, newer);
        await this.complete(storeKey, steps.ref(oldest));
        return { value: oldest, retry: found.retry, created: false, reconciled: false };
      }
      const made = await steps.create();
      await this.complete(storeKey, steps.ref(made.value));
      return { ...made, created: true };
    } catch (error) {
      // Freed whatever happened: the next holder always looks the ticket up before
      // sending, and sends only when that lookup answered "none" (after this call's
      // settle window, when the create was ambiguous).
      await this.store.release(storeKey).catch(() => undefined);
      throw error;
    }
  }

  /**
   * The transport's `reconcile` for a keyed create: after an ambiguous
   * failure, looks the ticket up. When the write may still be in flight (a
   * timeout, a connection lost after sending, a 504), lookups repeat with
   * backoff for up to `settleMs`, the last on the window's end, never past the
   * call's deadline; when the server answered (502, 503), one lookup tells.
   * Found: its body. Not found while the lookup answered: `undefined` (send
   * again). The lookup never answered: a {@link TicketMayExistError}.
   */
  async settle<B>(key: string, ctx: ReconcileContext, lookup: (deadline: number) => Promise<B | undefined>): Promise<B | undefined> {
    const { clock, platform } = this.deps;
    const until = Math.min(clock.now() + (ctx.inFlight ? this.settleMs : 0), ctx.deadline);
    let wait = 100;
    let polls = 0;
    let failure: unknown;
    for (;;) {
      polls++;
      try {
        const found = await lookup(ctx.deadline);
        if (found !== undefined) return found;
        failure = undefined;
      } catch (error) {
        if (isAbortedError(error)) throw error;
        failure = error;
      }
      // The last lookup falls on the window's end, so a write landing late in the window is seen;
      // none is started at the deadline itself, where it would have no time to answer.
      const left = until - clock.now();
      if (left <= 0 || clock.now() + Math.min(wait, left) >= ctx.deadline) break;
      await clock.sleep(Math.min(wait, left), ctx.signal);
      wait = Math.min(wait * 2, 2_000);
    }
    if (failure !== undefined) throw new TicketMayExistError({ platform, key, polls, reason: 'the lookup by key failed', cause: failure });
    return undefined;
  }

  private async reserve<T>(storeKey: string, steps: KeyedCreateSteps<T>): Promise<Exclude<Reservation, { state: 'in_progress' }>> {
    const { clock } = this.deps;
    const started = clock.now();
    let wait = 25;
    for (;;) {
      let reservation: Reservation;
      try {
        reservation = await this.store.reserve(storeKey, steps.fingerprint, this.reserveOptions);
      } catch (error) {
        throw new IdempotencyStoreError(steps.key, error);
      }
      if (reservation.state !== 'new' && reservation.fingerprint !== steps.fingerprint) throw new IdempotencyKeyReusedError(steps.key);
      if (reservation.state !== 'in_progress') return reservation;
      const waited = clock.now() - started;
      if (waited + wait > this.waitMs) throw new IdempotencyConflictError(steps.key, waited);
      await clock.sleep(wait, steps.signal);
      wait = Math.min(wait * 2, 1_000);
    }
  }

  private async complete(storeKey: string, ref: string): Promise<void> {
    // The ticket exists whatever the store says: a failure to record it must not
    // fail the call, and a later call with the key finds the ticket by lookup.
    await this.store.complete(storeKey, ref).catch(() => undefined);
  }

  private async reportDuplicates<T>(steps: KeyedCreateSteps<T>, kept: T, newer: readonly T[]): Promise<void> {
    let closed = false;
    if (this.closeDuplicates && steps.closeDuplicate) {
      const results = await Promise.allSettled(newer.map((n) => steps.closeDuplicate!(kept, n)));
      closed = results.every((r) => r.status === 'fulfilled');
    }
    this.deps.events.emit('duplicate', {
      platform: this.deps.platform,
      operation: steps.operation,
      key: steps.key,
      kept: steps.ref(kept),
      duplicates: newer.map((n) => steps.ref(n)),
      closed,
    });
  }
}

/**
 * A short, stable digest of a request body: JSON with sorted keys, hashed
 * (cyrb53, 53 bits, as 14 hex digits). Equal bodies give equal fingerprints
 * whatever their key order; it is not a cryptographic hash. A body that has
 * no JSON form (a cycle, nesting past 64 levels, a BigInt, a getter that
 * throws) is a {@link ValidationError} naming the path.
 */
export function fingerprintOf(value: unknown): string {
  const text = canonicalJson(value);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** How deep a request body may nest for its fingerprint: far beyond any ticket, well within the stack. */
const MAX_BODY_DEPTH = 64;

function canonicalJson(value: unknown): string {
  const problem = walkProblem(value, MAX_BODY_DEPTH);
  if (problem) throw new ValidationError('Request body cannot be sent as JSON', [{ field: problem.path, rule: problem.rule, message: problem.message }]);
  return canonicalText(value, '');
}

function canonicalText(value: unknown, path: string): string {
  if (typeof value === 'bigint') throw new ValidationError('Request body cannot be sent as JSON', [{ field: path || '(root)', rule: 'type', message: 'a BigInt has no JSON form' }]);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v, i) => canonicalText(v, path ? `${path}.${i}` : String(i))).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalText(record[k], path ? `${path}.${k}` : k)}`)
    .join(',')}}`;
}
