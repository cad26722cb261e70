import { delay, dropped, type Handler, json } from './handler.js';

/** One scripted misbehaviour of a fake server. */
export type Fault =
  /** Answer with this status, headers and body instead of handling the request. */
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
  /** Wait, then handle the request normally (or time the client out). */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Drop the connection: `before` the request is processed (refused), or `after` it was (reset, write applied). */
  | { readonly kind: 'drop'; readonly when: 'before' | 'after' }
  /** Answer 200 with an HTML page, as a hibernating ServiceNow developer instance does. */
  | { readonly kind: 'html'; readonly status?: number }
  /** Handle the request, then answer with its JSON body cut in half. */
  | { readonly kind: 'truncate' }
  /** Handle the request, then answer with this status (a 5xx after the write took effect). */
  | { readonly kind: 'statusAfter'; readonly status: number }
  /**
   * A slow commit: hold the request without answering until the client gives
   * up on it (its attempt timeout or abort), then apply the write `afterMs`
   * later, as a server whose transaction outlives the client's patience does.
   * `holdMs` caps the wait for a client that never gives up. Read
   * {@link FaultInjector.lateCommits} to await the writes still to land.
   */
  | { readonly kind: 'lateCommit'; readonly afterMs: number; readonly holdMs?: number };

/** Which requests a fault applies to. */
export interface FaultMatch {
  readonly method?: string;
  /** A substring of, or a pattern for, the URL path. */
  readonly path?: string | RegExp;
}

/** A fault, what it matches, and how many times it fires. */
export interface FaultRule {
  readonly fault: Fault;
  readonly match?: FaultMatch;
  /** @default 1 */
  readonly times?: number;
}

const HIBERNATING_PAGE =
  '<!DOCTYPE html><html><head><title>Instance Hibernating page</title></head><body><h1>Your instance is hibernating</h1></body></html>';

/**
 * Scripted fault injection shared by every fake: queue faults, and the next
 * matching requests get them in order.
 *
 * @example
 * fake.faults.add({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '1' } }, times: 2 });
 */
export class FaultInjector {
  private rules: { rule: FaultRule; left: number }[] = [];
  /** How many faults fired so far. */
  fired = 0;
  private readonly landing = new Set<Promise<unknown>>();

  /** Queues a fault. */
  add(rule: FaultRule): this {
    this.rules.push({ rule, left: rule.times ?? 1 });
    return this;
  }

  /** Drops every queued fault. */
  clear(): void {
    this.rules = [];
  }

  /** Resolves once every late commit started so far has landed (or failed). */
  async lateCommits(): Promise<void> {
    while (this.landing.size) await Promise.allSettled([...this.landing]);
  }

  /** How many fault firings are still queued. */
  get pending(): number {
    return this.rules.reduce((n, r) => n + r.left, 0);
  }

  /** Wraps a handler so queued faults apply before (or after) it. */
  wrap(handler: Handler): Handler {
    return async (request) => {
      const fault = this.take(request);
      if (!fault) return handler(request);
      this.fired++;
      switch (fault.kind) {
        case 'status':
          return typeof fault.body === 'string'
            ? new Response(fault.body, { status: fault.status, headers: fault.headers ?? {} })
            : json(fault.body ?? {}, fault.status, fault.headers ?? {});
        case 'delay':
          await delay(fault.ms, request.signal);
          return handler(request);
        case 'drop':
          if (fault.when === 'after') await handler(request);
          return dropped(fault.when === 'before' ? 'ECONNREFUSED' : 'ECONNRESET');
        case 'html':
          return new Response(HIBERNATING_PAGE, { status: fault.status ?? 200, headers: { 'content-type': 'text/html' } });
        case 'truncate': {
          const res = await handler(request);
          const text = await res.text();
          return new Response(text.slice(0, Math.floor(text.length / 2)), { status: res.status, headers: res.headers });
        }
        case 'statusAfter':
          await handler(request);
          return json({ error: { message: 'Internal error', detail: 'injected' }, status: 'failure' }, fault.status);
        case 'lateCommit':
          return this.commitLate(handler, request, fault.afterMs, fault.holdMs ?? 120_000);
      }
    };
  }

  private async commitLate(handler: Handler, request: Request, afterMs: number, holdMs: number): Promise<Response> {
    // Copied before waiting, and without the signal: the write must land after the client is gone.
    const copy = new Request(request.url, { method: request.method, headers: request.headers, body: request.body ? await request.clone().arrayBuffer() : null });
    const landed = (async () => {
      await gaveUp(request.signal, holdMs);
      await delay(afterMs);
      return handler(copy);
    })();
    this.landing.add(landed);
    void landed.catch(() => undefined).finally(() => this.landing.delete(landed));
    await landed;
    return json({ error: { message: 'Gateway Timeout', detail: 'injected late commit' }, status: 'failure' }, 504);
  }

  private take(request: Request): Fault | undefined {
    const url = new URL(request.url);
    const index = this.rules.findIndex(({ rule }) => matches(rule.match, request.method, url.pathname));
    if (index < 0) return undefined;
    const entry = this.rules[index]!;
    entry.left--;
    if (entry.left <= 0) this.rules.splice(index, 1);
    return entry.rule.fault;
  }
}

/** Resolves when the signal aborts, or after `ms`. */
function gaveUp(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? path.includes(match.path) : match.path.test(path);
}
