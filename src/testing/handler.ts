/** A fake server: a function from a web `Request` to a web `Response`. */
export type Handler = (request: Request) => Promise<Response>;

/** A `fetch` that answers from a handler in-process, for injecting into a client. */
export type HandlerFetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Turns a handler into a `fetch` function. A `Response.error()` from the
 * handler (a dropped connection) rejects like real fetch does, with a
 * `TypeError` whose cause carries the socket error code.
 */
export function handlerFetch(handler: Handler): HandlerFetch {
  return async (input, init) => {
    const request = input instanceof Request && !hasRequestInit(init) ? input : new Request(input, init);
    // A Request's signal follows its parent's through a WeakRef. Real fetch keeps
    // in-flight requests reachable (the socket does); an in-process handler must
    // too, or an abort (a timeout) can be garbage-collected away mid-request.
    inFlight.add(input).add(request);
    try {
      const response = await handler(request);
      if (response.type === 'error') {
        const code = (response as Response & { dropCode?: string }).dropCode ?? 'ECONNRESET';
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(`socket: ${code}`), { code }) });
      }
      return response;
    } finally {
      inFlight.delete(input);
      inFlight.delete(request);
    }
  };
}

const inFlight = new Set<unknown>();

function hasRequestInit(init: RequestInit | undefined): boolean {
  return init !== undefined && Object.keys(init).length > 0;
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
}

/** A dropped connection: `code` is what the client sees (`ECONNREFUSED`: never reached; `ECONNRESET`: maybe processed). */
export function dropped(code: 'ECONNREFUSED' | 'ECONNRESET'): Response {
  return Object.assign(Response.error(), { dropCode: code });
}

/** Waits `ms`, or rejects when the request is aborted. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
