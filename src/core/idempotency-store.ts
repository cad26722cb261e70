/**
 * Where keyed creates record who is creating what, so the same key makes one
 * ticket across a caller's retries, concurrent duplicates and (with a shared
 * store such as `PostgresIdempotencyStore`) processes.
 *
 * The rules follow Stripe's idempotency keys: the same key with the same
 * request gives the same ticket; the same key with a different request is
 * refused.
 */

/** What a store holds for a key. `fingerprint` identifies the request that reserved it. */
export type Reservation =
  /** The key was free (or its reservation had expired): the caller now holds it and must `complete` or `release` it. */
  | { readonly state: 'new' }
  /** Another call holds the key and has not finished. */
  | { readonly state: 'in_progress'; readonly fingerprint: string }
  /** A call with this key finished: `ref` is the ticket (ServiceNow `sys_id`, Jira issue id). */
  | { readonly state: 'done'; readonly fingerprint: string; readonly ref: string };

/** Timing a store applies to one reservation. */
export interface ReserveOptions {
  /** An `in_progress` reservation older than this is taken over (its holder is presumed dead), in ms. */
  readonly leaseMs: number;
  /** A `done` entry is forgotten after this, in ms. */
  readonly ttlMs: number;
}

/**
 * The port: implement it over any store with an atomic insert-if-absent.
 * Every method may throw; keyed creates turn a failure into an
 * `IdempotencyStoreError` and then never create without a reservation.
 */
export interface IdempotencyStore {
  /** Takes the key for `fingerprint` if it is free (or expired), else says who has it. Atomic. */
  reserve(key: string, fingerprint: string, options: ReserveOptions): Promise<Reservation>;
  /** Marks the key done with the ticket it made or found. */
  complete(key: string, ref: string): Promise<void>;
  /** Frees the key (the create certainly did not happen). */
  release(key: string): Promise<void>;
}

interface Entry {
  fingerprint: string;
  ref: string | undefined;
  /** When an in-progress reservation lapses, or when a done entry is forgotten (epoch ms). */
  expiresAt: number;
  ttlMs: number;
}

/**
 * The default store: one process's memory. Keys are guarded against
 * concurrent duplicates and repeats inside the process, not across processes
 * or restarts (use `PostgresIdempotencyStore` for that).
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private sweeps = 0;

  /** @param now the clock, for tests. @default Date.now */
  constructor(private readonly now: () => number = Date.now) {}

  reserve(key: string, fingerprint: string, options: ReserveOptions): Promise<Reservation> {
    const now = this.now();
    if (++this.sweeps % 1024 === 0) this.sweep(now);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) {
      return Promise.resolve(entry.ref === undefined ? { state: 'in_progress', fingerprint: entry.fingerprint } : { state: 'done', fingerprint: entry.fingerprint, ref: entry.ref });
    }
    this.entries.set(key, { fingerprint, ref: undefined, expiresAt: now + options.leaseMs, ttlMs: options.ttlMs });
    return Promise.resolve({ state: 'new' });
  }

  complete(key: string, ref: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry) {
      entry.ref = ref;
      entry.expiresAt = this.now() + entry.ttlMs;
    }
    return Promise.resolve();
  }

  release(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  /** How many keys are held (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
