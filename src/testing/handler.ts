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
    const request = input instanceof Request && init === undefined ? input : new Request(input, init);
    const response = await handler(request);
    if (response.type === 'error') {
      const code = (response as Response & { dropCode?: string }).dropCode ?? 'ECONNRESET';
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`socket: ${code}`), { code }) });
    }
    return response;
  };
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
