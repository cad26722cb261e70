import type { Registry } from 'prom-client';

/**
 * A `/metrics` endpoint as a fetch-style handler: the registry's text
 * exposition with its content type (`text/plain; version=0.0.4` or
 * OpenMetrics, as the registry is set up). Mount it on any server that speaks
 * `Request`/`Response` (node:http via an adapter, Hono, Bun, Deno, Next.js).
 *
 * @example
 * const handle = metricsHandler(registry);
 * // Hono: app.get('/metrics', (c) => handle(c.req.raw));
 */
export function metricsHandler(registry: Registry): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method Not Allowed', { status: 405, headers: { allow: 'GET, HEAD' } });
    }
    const body = await registry.metrics();
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' } });
  };
}
