/**
 * `itsmkit/testing/msw`: mounts the `itsmkit/testing` fakes on msw.
 * @module itsmkit/testing/msw
 */
import { http, type HttpHandler } from 'msw';
import type { Handler } from './handler.js';

/**
 * Mounts a fake's handler on msw for every request under `baseUrl`, so tests
 * can use the real `fetch` with `setupServer(...)` and `onUnhandledRequest: 'error'`.
 *
 * @example
 * const sn = new FakeServiceNow();
 * const server = setupServer(mswHandler('https://acme.service-now.com', sn.handle));
 */
export function mswHandler(baseUrl: string, handler: Handler): HttpHandler {
  const base = baseUrl.replace(/\/+$/, '');
  return http.all(`${base}/*`, async ({ request }) => {
    const response = await handler(request);
    return response;
  });
}
