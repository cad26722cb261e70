import { AbortedError, type CallOptions, type Clock, isHttpError, isRateLimitError, isServerError } from '../core/index.js';
import type { DataSourceUpdate } from './connection.js';
import { readServerSentEvents } from './event-stream.js';
import { fromWireUpdate } from './mapper.js';

/** Opens the event stream once; given the id to resume after. */
export type OpenEventStream = (lastEventId: string | undefined, signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>;

/** Why the watch skipped an event of the stream. */
export type WatchSkipReason =
  /** An event of another kind: a named event other than `data_source_update`, or unnamed JSON whose `type` is not `data_source_update` (the host's stream may carry other feeds). */
  | 'other_event'
  /** Its data is not JSON. */
  | 'not_json'
  /** JSON that names no connection (`connectionId` / `connection_id`). */
  | 'no_connection'
  /** Larger than `maxEventLength`. */
  | 'too_large';

/** Options of {@link ConnectionsClient.watch}; `headers` are added to each (re)connection's request. */
export interface WatchOptions extends Pick<CallOptions, 'headers'> {
  /** Stops the watch. */
  readonly signal?: AbortSignal;
  /** Resume after this event id (what a previous watch's `lastEventId` was). */
  readonly lastEventId?: string;
  /** Delay before reconnecting when the server did not advertise one (`retry:`), in ms. @default 1000 */
  readonly reconnectDelayMs?: number;
  /** Events larger than this (in characters) are skipped (`too_large`). @default 1048576 */
  readonly maxEventLength?: number;
}

/** The event names that carry connection updates: the SDK's own, and the older per-sync one. */
const UPDATE_EVENTS = new Set(['data_source_update', 'data_source_sync_status']);

/**
 * A live stream of `data_source_update` events: iterate it with `for await`.
 * It takes unnamed events whose JSON has `type: 'data_source_update'` (the
 * update in its `data`, or the fields beside `type`), and named
 * `data_source_update` (and `data_source_sync_status`) events. Anything
 * else on the stream is skipped and counted in {@link skipped} by reason;
 * a malformed event never ends the watch. It reconnects after a dropped
 * connection or a server error, sending `Last-Event-ID` so nothing buffered
 * by the server is missed. It ends when closed or aborted, and throws on a
 * permanent refusal (401, 403, 404, other 4xx). Iterate it once.
 */
export class ConnectionWatch implements AsyncIterable<DataSourceUpdate> {
  /** The id of the last event received (resume point). */
  lastEventId: string | undefined;
  /** How many times the stream was reopened after the first connection. */
  reconnects = 0;
  /** Events skipped so far, by reason. */
  readonly skipped: Record<WatchSkipReason, number> = { other_event: 0, not_json: 0, no_connection: 0, too_large: 0 };
  /** Resolves once the first connection is open (subscribed); rejects if it could not be opened for good. */
  readonly connected: Promise<void>;
  private readonly controller = new AbortController();
  private markConnected!: () => void;
  private failConnected!: (error: unknown) => void;

  constructor(
    private readonly open: OpenEventStream,
    private readonly clock: Clock,
    private readonly options: WatchOptions = {},
  ) {
    this.lastEventId = options.lastEventId;
    this.connected = new Promise<void>((resolve, reject) => {
      this.markConnected = resolve;
      this.failConnected = reject;
    });
    this.connected.catch(() => {});
    const outer = options.signal;
    if (outer) {
      if (outer.aborted) this.controller.abort(outer.reason);
      else outer.addEventListener('abort', () => this.controller.abort(outer.reason), { once: true });
    }
  }

  /** Stops the watch; a pending iteration ends. */
  close(): void {
    this.controller.abort();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<DataSourceUpdate> {
    const signal = this.controller.signal;
    let delayMs = this.options.reconnectDelayMs ?? 1000;
    let opened = false;
    try {
      while (!signal.aborted) {
        try {
          const body = await this.open(this.lastEventId, signal);
          if (opened) this.reconnects++;
          opened = true;
          this.markConnected();
          const events = readServerSentEvents(body, {
            ...(this.options.maxEventLength === undefined ? {} : { maxEventLength: this.options.maxEventLength }),
            onDropped: (reason) => this.skipped[reason]++,
          });
          for await (const event of events) {
            if (event.id !== undefined) this.lastEventId = event.id;
            if (event.retry !== undefined) delayMs = event.retry;
            if (event.data === '' && event.retry !== undefined) continue;
            const update = this.read(event.event, event.data);
            if (update) yield update;
          }
        } catch (error) {
          if (signal.aborted) break;
          if (!retryable(error)) {
            this.failConnected(error);
            throw error;
          }
        }
        try {
          await this.clock.sleep(delayMs, signal);
        } catch {
          break;
        }
      }
    } finally {
      this.failConnected(new AbortedError('The watch was closed'));
      this.controller.abort();
    }
  }

  /** The update an event carries, or `undefined` (counted in {@link skipped}). */
  private read(name: string, data: string): DataSourceUpdate | undefined {
    const unnamed = name === 'message';
    if (!unnamed && !UPDATE_EVENTS.has(name)) return this.skip('other_event');
    let value: unknown;
    try {
      value = JSON.parse(data);
    } catch {
      return this.skip(unnamed ? 'other_event' : 'not_json');
    }
    if (unnamed && (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'data_source_update')) return this.skip('other_event');
    return fromWireUpdate(value) ?? this.skip('no_connection');
  }

  private skip(reason: WatchSkipReason): undefined {
    this.skipped[reason]++;
    return undefined;
  }
}

/** Network trouble, timeouts and 5xx/429 are worth reconnecting for; other HTTP refusals are not. */
function retryable(error: unknown): boolean {
  // Anything else (network errors, timeouts, a stream broken mid-read) is worth another connection.
  return !isHttpError(error) || isServerError(error) || isRateLimitError(error);
}
