import { delay, type Handler } from '../../../src/testing/handler.js';

/** A ticket create on either fake: `POST /api/now/table/incident` or `POST /rest/api/{2,3}/issue`. */
export function isCreate(request: Request): boolean {
  return request.method === 'POST' && /\/(api\/now\/table\/incident|rest\/api\/\d\/issue)$/.test(new URL(request.url).pathname);
}

/**
 * The first `times` creates are written, then their response is held for
 * `ms` (a server that committed and then stalled). The wait ends early when
 * the client gives up on the request, as a real socket would. `hits` picks
 * the requests (default: ticket creates).
 */
export function lateAfterWrite(ms: number, times = 1, hits: (request: Request) => boolean = isCreate): (handler: Handler) => Handler {
  return (handler) => {
    // Counted per wrapped handler, so one scenario run against several targets hits each of them.
    let left = times;
    return async (request) => {
      if (!hits(request) || left <= 0) return handler(request);
      left--;
      const response = await handler(request);
      await delay(ms, request.signal);
      return response;
    };
  };
}

/**
 * The first `times` creates are written and answered with their status and
 * headers, then the body sends half and never ends (a proxy that stalled
 * mid-body). Only the client's deadline can end it. `hits` as above.
 */
export function stalledBodyAfterWrite(times = 1, hits: (request: Request) => boolean = isCreate): (handler: Handler) => Handler {
  return (handler) => {
    // Counted per wrapped handler, so one scenario run against several targets hits each of them.
    let left = times;
    return async (request) => {
      if (!hits(request) || left <= 0) return handler(request);
      left--;
      const response = await handler(request);
      const text = await response.text();
      const half = new TextEncoder().encode(text.slice(0, Math.floor(text.length / 2)));
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(half);
          },
        }),
        { status: response.status, headers },
      );
    };
  };
}
