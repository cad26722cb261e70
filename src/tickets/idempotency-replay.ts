import { fingerprintOf } from '../core/index.js';

/** A response kept for replay. */
interface Kept {
  readonly fingerprint: string;
  /** Undefined while the first request is still running. */
  response: { readonly status: number; readonly body: string; readonly headers: Record<string, string> } | undefined;
  expiresAt: number;
}

/** Options of {@link IdempotencyReplay}. */
export interface IdempotencyReplayOptions {
  /** How long a response is replayed, in ms. @default 86400000 (a day) */
  readonly ttlMs?: number;
  /** The most keys kept; the oldest go first. @default 10000 */
  readonly maxKeys?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * `Idempotency-Key` for HTTP handlers, on Stripe's rules: the first
 * successful (2xx) response to a key is replayed, status and body, to every
 * later request with the same key and body (with `Idempotent-Replayed: true`);
 * a request while the first is still running gets 409; the same key with a
 * different body gets 422. Failures are not kept, so a retry runs again (the
 * create underneath is keyed too, so running again cannot duplicate).
 * One process's memory: across processes, the correlation key and the
 * clients' idempotency store keep the ticket single.
 */
export class IdempotencyReplay {
  private readonly kept = new Map<string, Kept>();
  private readonly ttlMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: IdempotencyReplayOptions = {}) {
    this.ttlMs = options.ttlMs ?? 86_400_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Runs `handle` once per key and body; replays, 409s and 422s as described above. */
  async run(scope: string, key: string, body: unknown, handle: () => Promise<Response>): Promise<Response> {
    const id = `${scope} ${key}`;
    const fingerprint = fingerprintOf(body);
    const now = this.now();
    const existing = this.kept.get(id);
    if (existing && existing.expiresAt > now) {
      if (existing.fingerprint !== fingerprint) {
        return problem(422, `Idempotency-Key "${key}" was used with a different request body; use a new key for a different request`);
      }
      if (!existing.response) return problem(409, `A request with Idempotency-Key "${key}" is still in progress; retry it later`);
      const { status, body: text, headers } = existing.response;
      return new Response(text, { status, headers: { ...headers, 'idempotent-replayed': 'true' } });
    }
    const entry: Kept = { fingerprint, response: undefined, expiresAt: now + this.ttlMs };
    this.kept.delete(id);
    this.kept.set(id, entry);
    this.evict();
    let response: Response;
    try {
      response = await handle();
    } catch (error) {
      this.kept.delete(id);
      throw error;
    }
    if (response.status < 200 || response.status > 299) {
      this.kept.delete(id);
      return response;
    }
    const text = await response.text();
    entry.response = { status: response.status, body: text, headers: Object.fromEntries(response.headers) };
    entry.expiresAt = this.now() + this.ttlMs;
    return new Response(text, { status: response.status, headers: response.headers });
  }

  private evict(): void {
    for (const id of this.kept.keys()) {
      if (this.kept.size <= this.maxKeys) return;
      this.kept.delete(id);
    }
  }
}

function problem(status: number, error: string): Response {
  return new Response(JSON.stringify({ error }), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
}
