import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isConfigError, Transport } from '../../src/index.js';

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"result":"from the server"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  vi.unstubAllGlobals();
});

/** A global fetch replaced the way msw and nock do it (a function that is not Node's `fetch`). */
function replaceGlobalFetch(): string[] {
  const seen: string[] = [];
  const original = globalThis.fetch;
  vi.stubGlobal('fetch', async function interceptor(input: string | URL | Request, init?: RequestInit) {
    seen.push(String(input));
    return original(input, init);
  });
  return seen;
}

describe('which wire a client sends through', () => {
  it('on Node, a replaced global fetch (msw, nock) is used by clients without http options, so it sees the calls', async () => {
    const seen = replaceGlobalFetch();
    const res = await new Transport({ baseUrl: base, platform: 'servicenow' }).request({ method: 'GET', path: '/x' });
    expect(res.data).toEqual({ result: 'from the server' });
    expect(seen).toEqual([`${base}/x`]);
  });

  it('a client with http options keeps the Node transport even then', async () => {
    const seen = replaceGlobalFetch();
    await new Transport({ baseUrl: base, platform: 'servicenow', http: { proxy: false } }).request({ method: 'GET', path: '/x' });
    expect(seen).toEqual([]);
  });

  it('off Node (Deno here) the global fetch is the wire, and http options are refused rather than ignored', async () => {
    vi.stubGlobal('Deno', {});
    const seen = replaceGlobalFetch();
    await new Transport({ baseUrl: base, platform: 'jira' }).request({ method: 'GET', path: '/y' });
    expect(seen).toEqual([`${base}/y`]);
    let error: unknown;
    try {
      new Transport({ baseUrl: base, platform: 'jira', http: { tls: { rejectUnauthorized: true } } });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/^Invalid JiraClient options: http: needs Node/);
    expect((error as { issues: unknown[] }).issues).toEqual([expect.objectContaining({ field: 'http', message: expect.stringMatching(/needs Node/) })]);
  });
});
