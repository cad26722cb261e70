import { redirectRefusalMode } from './redirect.js';

/** A `fetch`-shaped function; inject your own (undici, a proxy agent, msw, a test double). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The response headers the transport reads: `Headers`, or the Node transport's lighter view of them. */
export interface ResponseHeaders {
  /** A header's value (several joined with `, `), or `null`. Names are case-insensitive. */
  get(name: string): string | null;
  forEach(callback: (value: string, name: string) => void): void;
}

/** `headers` as a `Headers` (itself when it is one). */
export function toHeaders(headers: ResponseHeaders): Headers {
  if (headers instanceof Headers) return headers;
  const out = new Headers();
  headers.forEach((value, name) => out.append(name, value));
  return out;
}

/** One attempt, as the transport hands it to a {@link Wire}. */
export interface WireRequest {
  /** The absolute URL. */
  readonly url: string;
  readonly method: string;
  /** Lower-case names. */
  readonly headers: Record<string, string>;
  /** A string, or a stream (an upload; fetch is then given `duplex: 'half'`). */
  readonly body: string | ReadableStream<Uint8Array> | undefined;
  /** The caller's signal: an abort ends the attempt with the signal's reason. */
  readonly signal: AbortSignal | undefined;
  /** The attempt's timeout, until the body is read (or, for a stream, until the headers): it ends with an {@link AttemptTimeout}. */
  readonly timeoutMs: number;
  readonly followRedirects: boolean;
  /** `stream`: a 2xx answer's body is handed over unread, as a `Response`. */
  readonly stream: boolean;
}

/** What one attempt got back. */
export interface WireResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The body as text: whole for a 2xx, the first {@link ERROR_BODY_LIMIT} characters otherwise; `''` for a stream. */
  readonly text: string;
  /** A 2xx answer to a `stream` request, body unread. */
  readonly response?: Response;
}

/** Sends one attempt and reads its answer. Rejections carry the underlying error (its `code`, or an {@link AttemptTimeout}). */
export type Wire = (request: WireRequest) => Promise<WireResponse>;

/** How much of an error body is read. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** The reason an attempt was ended by its timeout. */
export class AttemptTimeout extends Error {
  constructor() {
    super('attempt timeout');
    this.name = 'AttemptTimeout';
  }
}

/** A wire over a `fetch` function: every runtime, and wherever a `fetch` is injected (fakes, msw, tests). */
export function fetchWire(fetchFn: FetchLike): Wire {
  return async (request) => {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new AttemptTimeout()), request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
    try {
      const init: RequestInit & { duplex?: 'half' } = {
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal,
        redirect: request.followRedirects ? 'follow' : redirectRefusalMode(),
      };
      // A streamed body: fetch sends it as it is read, and needs to be told so.
      if (typeof request.body === 'object') init.duplex = 'half';
      const response = await fetchFn(request.url, init);
      if (response.ok && request.stream) return { status: response.status, headers: response.headers, text: '', response };
      const text = response.ok ? await response.text() : await readCapped(response, ERROR_BODY_LIMIT);
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      throw timeout.signal.aborted ? timeout.signal.reason : error;
    } finally {
      clearTimeout(timer);
    }
  };
}

async function readCapped(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (text.length >= limit) {
        await reader.cancel().catch(() => {});
        return text.slice(0, limit);
      }
    }
    return text + decoder.decode();
  } finally {
    reader.releaseLock();
  }
}
