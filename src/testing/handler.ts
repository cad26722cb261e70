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
      const response = await untilAborted(handler(request), request.signal);
      if (response.type === 'error') {
        const code = (response as Response & { dropCode?: string }).dropCode ?? 'ECONNRESET';
        throw new TypeError('fetch failed', { cause: Object.assign(new Error(`socket: ${code}`), { code }) });
      }
      return abortableBody(response, request.signal);
    } finally {
      inFlight.delete(input);
      inFlight.delete(request);
    }
  };
}

const inFlight = new Set<unknown>();

/** Like fetch, rejects with the signal's reason once it aborts, whether or not the handler ever answers. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Like fetch, errors the body stream with the signal's reason when it aborts mid-body (a stalled server). */
function abortableBody(response: Response, signal: AbortSignal): Response {
  const source = response.body;
  if (!source) return response;
  const reader = source.getReader();
  let onAbort: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        controller.error(signal.reason);
        void reader.cancel(signal.reason).catch(() => {});
      };
      signal.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (signal.aborted) return;
        if (done) {
          signal.removeEventListener('abort', onAbort as () => void);
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        signal.removeEventListener('abort', onAbort as () => void);
        if (!signal.aborted) controller.error(error);
      }
    },
    cancel(reason) {
      signal.removeEventListener('abort', onAbort as () => void);
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

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
