import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type { Emitter, TransportEvents } from '../../../src/core/events.js';
import type { Logger, LogFields } from '../../../src/core/logger.js';
import type { FetchLike } from '../../../src/core/transport.js';

/** One unique value used as every secret in a canary run. */
export const CANARY = `canary-${randomUUID()}`;

/** Headers that may carry a secret: the credentials themselves. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-sn-apikey']);
/** Token endpoints, whose request bodies carry client secrets and refresh tokens by design. */
const TOKEN_PATHS = [/\/oauth_token\.do$/, /\/oauth\/token$/];

/** Where a canary turned up. */
export interface CanaryLeak {
  readonly where: string;
  /** Up to 200 characters around it. */
  readonly excerpt: string;
}

/**
 * Records everything that must never carry a secret — every log line, every
 * transport event, every outgoing request (except the credential header and
 * token-endpoint bodies), every error (message, stack, cause chain,
 * `JSON.stringify`, `util.inspect`) and every result — and finds the canary in
 * any of its encodings (raw, URL-encoded, base64, Basic `user:secret`).
 *
 * Plug it into any client: `logger`, `fetch(inner)`, `watch(client.events)`,
 * and `error(e)` / `value(where, v)` for what a call returned. Later layers
 * (connection verification, ticket flows) use the same recorder.
 */
export class CanaryRecorder {
  readonly leaks: CanaryLeak[] = [];
  /** How many things were inspected. */
  inspected = 0;
  private readonly needles: string[];

  constructor(
    readonly canary: string = CANARY,
    /** User names sent with the canary in Basic auth, so `base64(user:canary)` is looked for too. */
    users: readonly string[] = [],
  ) {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    this.needles = [canary, encodeURIComponent(canary), b64(canary), ...users.map((u) => b64(`${u}:${canary}`))];
  }

  /** A Logger that inspects every line. */
  readonly logger: Logger = {
    debug: (message, fields) => this.line('debug', message, fields),
    info: (message, fields) => this.line('info', message, fields),
    warn: (message, fields) => this.line('warn', message, fields),
    error: (message, fields) => this.line('error', message, fields),
  };

  /** Inspects every event an emitter sends. */
  watch(events: Emitter<TransportEvents>): void {
    for (const name of ['request', 'response', 'retry', 'error'] as const) {
      events.on(name, (event: unknown) => this.value(`event ${name}`, event));
    }
  }

  /** Wraps a fetch so every outgoing request is inspected; only credentials may carry the secret. */
  fetch(inner: FetchLike): FetchLike {
    return async (input, init) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      this.text(`request URL ${request.method} ${url.pathname}`, request.url);
      request.headers.forEach((value, name) => {
        if (!CREDENTIAL_HEADERS.has(name)) this.text(`request header ${name}`, value);
      });
      const body = request.body ? await request.clone().text() : '';
      if (!TOKEN_PATHS.some((p) => p.test(url.pathname))) this.text(`request body ${request.method} ${url.pathname}`, body);
      return inner(input, init);
    };
  }

  /** Inspects an error: message, stack, each cause, JSON and util.inspect forms. */
  error(error: unknown, where = 'error'): void {
    for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
      const at = depth === 0 ? where : `${where} cause ${depth}`;
      if (e instanceof Error) {
        this.text(`${at} message`, e.message);
        this.text(`${at} stack`, e.stack ?? '');
      }
      this.value(at, e);
    }
  }

  /** Inspects any value by its JSON and util.inspect forms. */
  value(where: string, value: unknown): void {
    let json = '';
    try {
      json = JSON.stringify(value) ?? '';
    } catch {
      json = '';
    }
    this.text(`${where} (JSON)`, json);
    this.text(`${where} (inspect)`, inspect(value, { depth: 12, breakLength: Infinity }));
  }

  /** Inspects one string. */
  text(where: string, text: string): void {
    this.inspected++;
    for (const needle of this.needles) {
      const at = text.indexOf(needle);
      if (at >= 0) {
        this.leaks.push({ where, excerpt: text.slice(Math.max(0, at - 80), at + needle.length + 80) });
        return;
      }
    }
  }

  private line(level: string, message: string, fields: LogFields | undefined): void {
    this.text(`log ${level}`, message);
    if (fields) this.value(`log ${level} fields`, fields);
  }
}
