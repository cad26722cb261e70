import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import type { Emitter, TransportEvents } from '../../../src/core/events.js';
import type { Logger, LogFields } from '../../../src/core/logger.js';
import type { FetchLike } from '../../../src/core/transport.js';
import { expect } from 'vitest';
import { isItsmError } from '../../../src/core/errors.js';
import { recordFigures } from './results.js';
import { ProcessWatch } from './watch.js';

/** One unique value used as every secret in a canary run. */
export const CANARY = `canary-${randomUUID()}`;
/** The same, with the characters URL, form, JSON and base64 encodings change: `/ @ + = & %`, spaces and a quote. */
export const SPECIAL_CANARY = `cNrY7/p@s+w0rd=9&Z% "q" ${randomUUID()}`;

/**
 * Every spelling a secret can take: raw, URL-encoded (both escape cases),
 * form-encoded, JSON-escaped, base64 (standard, unpadded, URL-safe). Written
 * here independently of the SDK's own list.
 */
export function encodings(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64');
  const uri = encodeURIComponent(secret);
  return [
    ...new Set([
      secret,
      uri,
      uri.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      b64,
      b64.replace(/=+$/, ''),
      Buffer.from(secret).toString('base64url'),
    ]),
  ];
}

/** Headers that may carry a secret: the credentials themselves. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-sn-apikey']);
/** Token endpoints, whose request bodies carry client secrets and refresh tokens by design. */
const TOKEN_PATHS = [/\/oauth_token\.do$/, /\/oauth\/token$/];

/** Options of a {@link CanaryRecorder}. */
export interface CanaryRecorderOptions {
  /**
   * Request bodies that carry the secret by design (a verify call's
   * credentials, the verify webhook's payload), besides token endpoints.
   */
  readonly allowBody?: (url: URL, body: string) => boolean;
}

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
    private readonly options: CanaryRecorderOptions = {},
  ) {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    this.needles = [...encodings(canary), ...users.map((u) => b64(`${u}:${canary}`))];
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
      if (!TOKEN_PATHS.some((p) => p.test(url.pathname)) && !this.options.allowBody?.(url, body)) this.text(`request body ${request.method} ${url.pathname}`, body);
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

/** Totals across the file, for the report. */
const totals = new Map<string, { flows: number; inspected: number; leaks: number; errors: number; calls: number; unhandled: number; leaked: number }>();

/** Records the canary totals of a test file (call it in `afterAll`). */
export function recordCanaryTotals(): void {
  for (const [key, t] of totals) {
    const [area, scenario] = key.split('|') as [string, string];
    recordFigures({ group: 'canary', area, scenario, cases: t.inspected, calls: t.calls, duplicates: 0, lost: 0, untypedErrors: 0, unhandledRejections: t.unhandled, leakedHandles: t.leaked, canaryLeaks: t.leaks, note: `${t.flows} flows, ${t.errors} errors inspected; cases = strings inspected` });
  }
  totals.clear();
}

/** Runs flows with one recorder, inspecting every result and error, then asserts no leak. */
export class FlowRun {
  readonly recorder: CanaryRecorder;
  private readonly watch = new ProcessWatch();
  calls = 0;
  flows = 0;
  errors = 0;
  constructor(
    /** `area|scenario` of the report row the run adds to. */
    private readonly key: string,
    users: readonly string[] = [],
    options: CanaryRecorderOptions = {},
    canary: string = CANARY,
  ) {
    this.recorder = new CanaryRecorder(canary, users, options);
  }

  async flow(name: string, call: () => Promise<unknown>): Promise<unknown> {
    this.flows++;
    this.calls++;
    try {
      const value = await call();
      this.recorder.value(`${name} result`, value);
      return value;
    } catch (error) {
      this.errors++;
      expect(isItsmError(error), `${name}: ${String(error)}`).toBe(true);
      this.recorder.error(error, `${name} error`);
      return error;
    }
  }

  /** A constructor or other synchronous call that should throw a ConfigError. */
  config(name: string, build: () => unknown): void {
    this.flows++;
    this.calls++;
    try {
      build();
      throw new Error(`${name}: expected a ConfigError`);
    } catch (error) {
      this.errors++;
      expect(isItsmError(error), `${name}: ${String(error)}`).toBe(true);
      this.recorder.error(error, `${name} error`);
    }
  }

  /** Records the run's totals (leaks, unhandled rejections, handles left open) and asserts there are none. */
  async finish(): Promise<void> {
    const watched = await this.watch.stop();
    const t = totals.get(this.key) ?? { flows: 0, inspected: 0, leaks: 0, errors: 0, calls: 0, unhandled: 0, leaked: 0 };
    totals.set(this.key, {
      flows: t.flows + this.flows,
      inspected: t.inspected + this.recorder.inspected,
      leaks: t.leaks + this.recorder.leaks.length,
      errors: t.errors + this.errors,
      calls: t.calls + this.calls,
      unhandled: t.unhandled + watched.unhandled.length,
      leaked: t.leaked + watched.leaked.length,
    });
    expect(this.recorder.leaks).toEqual([]);
    expect(watched.unhandled, 'unhandled rejections').toEqual([]);
    expect(watched.leaked, 'handles left open').toEqual([]);
    expect(this.recorder.inspected).toBeGreaterThan(0);
  }
}
