/**
 * The baselines of the transport bench: the same HTTP call made with each of
 * Node's clients directly, no SDK: global `fetch`, `node:http` with a
 * keep-alive agent, and `undici`'s `request` on a pool. Each sends the
 * method, headers and body it is given, checks the status, and reads and
 * parses the whole JSON body, as the SDK does.
 */
import http from 'node:http';
import type { Pool } from 'undici';

/** One call as it goes over the wire. */
export interface WireCall {
  readonly method: 'GET' | 'POST';
  /** `http://host:port` */
  readonly origin: string;
  readonly path: string;
  /** authorization, accept and, with a body, content-type. */
  readonly headers: Readonly<Record<string, string>>;
  /** Builds the body anew for each call (a caller with new data serialises per call, as the SDK must). */
  readonly body?: () => string;
  /** The status a successful call answers with. */
  readonly status: number;
}

/** A call that resolves to the parsed JSON body. */
export type RawCall = () => Promise<unknown>;

function unexpected(client: string, call: WireCall, status: number): Error {
  return new Error(`${client} ${call.method} ${call.path}: status ${status}, expected ${call.status}`);
}

/** The call with global `fetch` (its own keep-alive pool). */
export function fetchCall(call: WireCall): RawCall {
  const url = `${call.origin}${call.path}`;
  return async () => {
    const res = await fetch(url, { method: call.method, headers: call.headers, body: call.body ? call.body() : null });
    if (res.status !== call.status) throw unexpected('fetch', call, res.status);
    return res.json();
  };
}

/** The call with `http.request` on `agent` (keep-alive). */
export function httpCall(agent: http.Agent, call: WireCall): RawCall {
  const { hostname, port } = new URL(call.origin);
  return () =>
    new Promise((resolve, reject) => {
      const body = call.body?.();
      const headers = body === undefined ? call.headers : { ...call.headers, 'content-length': String(Buffer.byteLength(body)) };
      const req = http.request({ hostname, port, path: call.path, method: call.method, headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode !== call.status) reject(unexpected('node:http', call, res.statusCode ?? 0));
          else {
            try {
              resolve(JSON.parse(text));
            } catch (error) {
              reject(error as Error);
            }
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
}

/** The call with undici's `request` on `pool` (a pool for the call's origin). */
export function undiciCall(pool: Pool, call: WireCall): RawCall {
  return async () => {
    const res = await pool.request({ method: call.method, path: call.path, headers: call.headers, body: call.body ? call.body() : null });
    if (res.statusCode !== call.status) {
      await res.body.dump();
      throw unexpected('undici.request', call, res.statusCode);
    }
    return res.body.json();
  };
}
