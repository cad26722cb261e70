import type { Clock } from './clock.js';
import { ConfigError } from './errors.js';

/** The default lifetime of a cached lookup: 5 minutes. */
export const DEFAULT_CACHE_TTL_MS = 300_000;

/**
 * A client's cache-lifetime option, checked once at construction: a number of
 * milliseconds, 0 or more (0: nothing kept), {@link DEFAULT_CACHE_TTL_MS} when
 * not given; anything else is a `ConfigError` naming `client` and `field`.
 */
export function cacheTtlOption(value: unknown, client: string, field: string): number {
  if (value === undefined) return DEFAULT_CACHE_TTL_MS;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  throw new ConfigError(`Invalid ${client} options`, [{ field, rule: 'min', message: 'must be a number of milliseconds, 0 or more' }]);
}

/**
 * A small map whose entries expire `ttlMs` after they were set, on an
 * injected clock: lookups that resolve the same thing again and again (a user
 * by email, a request type's fields) keep their answers here, per client.
 * Only answers are kept, never failures.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { readonly value: V; readonly expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    /** Entries kept at most; the oldest goes first. */
    private readonly maxEntries = 1000,
  ) {}

  /** The cached value for `key`, or the one `load` gives (kept until it expires). */
  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.clock.now()) return hit.value;
    const value = await load();
    if (this.ttlMs > 0) {
      this.entries.delete(key);
      this.entries.set(key, { value, expires: this.clock.now() + this.ttlMs });
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    return value;
  }

  /** Forgets one key, or everything. */
  clear(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}
