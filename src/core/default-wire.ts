import { ConfigError } from './errors.js';
import type { HttpOptions } from './http-options.js';
import { fetchWire, type FetchLike, type Wire } from './wire.js';

/** Whether this runtime is Node itself (Bun and Deno mimic it but keep their own fetch). */
export function isNode(): boolean {
  const g = globalThis as { process?: { release?: { name?: string }; versions?: Record<string, string | undefined> }; Deno?: unknown };
  return g.process?.release?.name === 'node' && g.process.versions?.['bun'] === undefined && g.Deno === undefined;
}

/** Whether a client given this `fetch` option sends through undici. */
export function usesNodeWire(fetchOption: FetchLike | undefined): boolean {
  return fetchOption === undefined && isNode();
}

/**
 * The wire a client sends through: the `fetch` it was given; on Node, undici
 * with its `http` options; elsewhere the global fetch. `http` options with a
 * `fetch`, or off Node, are refused: they would be silently ignored.
 */
export function chooseWire(fetchOption: FetchLike | undefined, http: HttpOptions | undefined, clientName: string): Wire {
  const configured = http !== undefined && Object.values(http).some((v) => v !== undefined);
  if (fetchOption) {
    if (configured) throw conflict(clientName, 'configures the Node transport, which a client given `fetch` does not use: set networking up on that fetch, or drop `fetch`');
    return fetchWire(fetchOption);
  }
  if (isNode()) return nodeWire(configured ? http : undefined);
  if (configured) throw conflict(clientName, 'needs Node (the SDK sends through undici there); on this runtime pass a `fetch` set up for your network');
  return fetchWire((input, init) => globalThis.fetch(input, init));
}

function conflict(clientName: string, message: string): ConfigError {
  return new ConfigError(`Invalid ${clientName} options`, [{ field: 'http', rule: 'conflict', message }]);
}

/**
 * undici, loaded on the first request (so importing itsmkit stays cheap, and
 * bundles for other runtimes can leave it out). Without `http` options every
 * such client shares one keep-alive pool per origin, and a global fetch that
 * something replaced (msw, nock, a test double) is used instead, so it sees the calls.
 */
function nodeWire(http: HttpOptions | undefined): Wire {
  const viaGlobalFetch = fetchWire((input, init) => globalThis.fetch(input, init));
  let wire: Wire | undefined;
  let loading: Promise<Wire> | undefined;
  return (request) => {
    if (!http && globalThis.fetch.name !== 'fetch') return viaGlobalFetch(request);
    if (wire) return wire(request);
    loading ??= import('./node-wire.js').then(
      (m) => (wire = typeof m.dispatcherWire === 'function' ? m.dispatcherWire(http ? m.createDispatcher(http) : m.sharedDispatcher()) : viaGlobalFetch),
      () => (wire = viaGlobalFetch),
    );
    return loading.then((w) => w(request));
  };
}
