import { Agent, EnvHttpProxyAgent, ProxyAgent, interceptors, type Dispatcher } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_CONNECT_TIMEOUT_MS, PROXY_VARIABLES, type HttpOptions } from './http-options.js';
import { AttemptTimeout, ERROR_BODY_LIMIT, toHeaders, type ResponseHeaders, type Wire, type WireRequest, type WireResponse } from './wire.js';

// The Node transport: undici's dispatch API on a keep-alive pool per origin,
// with no Request, Response, Headers or AbortSignal objects on the way. Loaded
// only on Node (see loadNodeWire), so other runtimes' bundles leave undici out.

/** The dispatcher the options describe, and where requests go through a proxy. */
export function createDispatcher(options: HttpOptions = {}, env: Readonly<Record<string, string | undefined>> = process.env): Dispatcher {
  if (options.dispatcher) return options.dispatcher;
  const tls = options.tls;
  const connect = {
    timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...(tls?.ca === undefined ? {} : { ca: tls.ca as string | Buffer | (string | Buffer)[] }),
    ...(tls?.cert === undefined ? {} : { cert: tls.cert as string | Buffer }),
    ...(tls?.key === undefined ? {} : { key: tls.key as string | Buffer }),
    ...(tls?.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    ...(tls?.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
  };
  const pool = {
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    ...(options.keepAliveTimeoutMs === undefined ? {} : { keepAliveTimeout: options.keepAliveTimeoutMs }),
  };
  const proxy = options.proxy ?? 'env';
  if (typeof proxy === 'string' && proxy !== 'env') {
    return new ProxyAgent({ uri: proxy, ...pool, requestTls: connect, proxyTls: { timeout: connect.timeout } });
  }
  if (proxy === 'env' && PROXY_VARIABLES.some((name) => env[name])) {
    // EnvHttpProxyAgent reads the variables (NO_PROXY included) and picks per origin.
    return new EnvHttpProxyAgent({ ...pool, requestTls: connect, proxyTls: { timeout: connect.timeout }, connect });
  }
  return new Agent({ ...pool, connect });
}

/** A wire over `dispatcher`; redirects (webhooks only) go through a redirect-following copy of it. */
export function dispatcherWire(dispatcher: Dispatcher): Wire {
  let following: Dispatcher | undefined;
  return (request) =>
    new Promise<WireResponse>((resolve, reject) => {
      const slash = request.url.indexOf('/', request.url.indexOf('//') + 2);
      const origin = slash === -1 ? request.url : request.url.slice(0, slash);
      const path = slash === -1 ? '/' : request.url.slice(slash);
      const target = request.followRedirects ? (following ??= dispatcher.compose(interceptors.redirect({ maxRedirections: 5 }))) : dispatcher;
      const handler = new Reader(request, resolve, reject);
      try {
        // A stream body (an upload) is an async iterable, which undici sends as it is read.
        const body = (request.body ?? null) as string | null;
        target.dispatch({ origin, path, method: request.method as Dispatcher.HttpMethod, headers: request.headers, body }, handler);
      } catch (error) {
        handler.onResponseError(undefined, error as Error);
      }
    });
}

/**
 * Reads one answer: the whole body (capped for errors), or for a 2xx `stream`
 * request a `Response` over the body as it arrives. Ends it on the attempt's
 * timeout or the caller's abort, before it is sent when it is still queued.
 */
class Reader implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onAbort: (() => void) | undefined;
  private settled = false;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private stream: ReadableStreamDefaultController<Uint8Array> | undefined;

  constructor(
    private readonly request: WireRequest,
    private readonly resolve: (response: WireResponse) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.timer = setTimeout(() => this.end(new AttemptTimeout()), request.timeoutMs);
    const signal = request.signal;
    if (signal) {
      this.onAbort = () => this.end(signal.reason);
      if (signal.aborted) queueMicrotask(this.onAbort);
      else signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Ended while it waited for a connection: never sent.
    if (this.settled && !this.stream) controller.abort(new AttemptTimeout());
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    if (status < 200) return;
    this.status = status;
    this.headers = headers;
    if (this.request.stream && status < 300) this.openStream(controller);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.stream) {
      // undici hands an empty chunk on resuming a paused body: nothing to pass on, and no reason to pause again.
      if (chunk.byteLength === 0) return;
      this.stream.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if ((this.stream.desiredSize ?? 1) <= 0) controller.pause();
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    if ((this.status < 200 || this.status >= 300) && this.size >= ERROR_BODY_LIMIT) {
      // Enough of an error body: the rest is not read.
      this.finish({ status: this.status, headers: new RecordHeaders(this.headers), text: this.text().slice(0, ERROR_BODY_LIMIT) });
      controller.abort(new Error('error body over the limit'));
    }
  }

  onResponseEnd(): void {
    if (this.stream) {
      this.stream.close();
      this.cleanup();
      return;
    }
    this.finish({ status: this.status, headers: new RecordHeaders(this.headers), text: this.text() });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.stream) {
      this.stream.error(error);
      this.cleanup();
      return;
    }
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    this.reject(error);
  }

  /** Ends the attempt with `reason` (timeout or the caller's abort). */
  private end(reason: unknown): void {
    if (this.stream) {
      this.controller?.abort(reason instanceof Error ? reason : new Error(String(reason)));
      return;
    }
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    this.controller?.abort(reason instanceof Error ? reason : new Error(String(reason)));
    this.reject(reason);
  }

  private finish(response: WireResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.cleanup();
    this.resolve(response);
  }

  private openStream(controller: Dispatcher.DispatchController): void {
    clearTimeout(this.timer);
    this.settled = true;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.stream = c;
      },
      pull: () => controller.resume(),
      cancel: () => controller.abort(new Error('the reader cancelled the body')),
    });
    const headers = toHeaders(new RecordHeaders(this.headers));
    this.resolve({ status: this.status, headers, text: '', response: new Response(body, { status: this.status, headers }) });
  }

  private cleanup(): void {
    clearTimeout(this.timer);
    if (this.onAbort) this.request.signal?.removeEventListener('abort', this.onAbort);
  }

  private text(): string {
    const { chunks } = this;
    const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, this.size).toString('utf8');
    // As fetch's text(): a UTF-8 byte order mark is not part of the text.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** undici's header object (lower-case names), read like `Headers`. */
class RecordHeaders implements ResponseHeaders {
  constructor(private readonly record: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.record[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const name in this.record) {
      const value = this.record[name];
      if (value !== undefined) callback(Array.isArray(value) ? value.join(', ') : value, name);
    }
  }
}

let shared: Dispatcher | undefined;

/** The dispatcher of every client without `http` options (proxy from the environment, default timeouts). */
export function sharedDispatcher(): Dispatcher {
  shared ??= createDispatcher();
  return shared;
}
