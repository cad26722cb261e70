import type { Clock } from '../core/clock.js';
import { AbortedError, isHttpError, isRateLimitError, isServerError } from '../core/errors.js';
import type { DataSourceUpdate } from './connection.js';
import { readServerSentEvents } from './event-stream.js';
import { fromWireUpdate } from './mapper.js';

/** Opens the event stream once; given the id to resume after. */
export type OpenEventStream = (lastEventId: string | undefined, signal: AbortSignal) => Promise<ReadableStream<Uint8Array>>;

/** Options of {@link ConnectionsClient.watch}. */
export interface WatchOptions {
  /** Stops the watch. */
  readonly signal?: AbortSignal;
  /** Resume after this event id (what a previous watch's `lastEventId` was). */
  readonly lastEventId?: string;
  /** Delay before reconnecting when the server did not advertise one (`retry:`), in ms. @default 1000 */
  readonly reconnectDelayMs?: number;
}

/**
 * A live stream of `data_source_update` events: iterate it with `for await`.
 * It reconnects after a dropped connection or a server error, sending
 * `Last-Event-ID` so nothing buffered by the server is missed. It ends when
 * closed or aborted, and throws on a permanent refusal (401, 403, 404, other 4xx).
 * Iterate it once.
 */
export class ConnectionWatch implements AsyncIterable<DataSourceUpdate> {
  /** The id of the last event received (resume point). */
  lastEventId: string | undefined;
  /** How many times the stream was reopened after the first connection. */
  reconnects = 0;
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
          for await (const event of readServerSentEvents(body)) {
            if (event.id !== undefined) this.lastEventId = event.id;
            if (event.retry !== undefined) delayMs = event.retry;
            if (event.event !== 'data_source_update') continue;
            const update = parseUpdate(event.data);
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
}

function parseUpdate(data: string): DataSourceUpdate | undefined {
  try {
    return fromWireUpdate(JSON.parse(data));
  } catch {
    return undefined;
  }
}

/** Network trouble, timeouts and 5xx/429 are worth reconnecting for; other HTTP refusals are not. */
function retryable(error: unknown): boolean {
  // Anything else (network errors, timeouts, a stream broken mid-read) is worth another connection.
  return !isHttpError(error) || isServerError(error) || isRateLimitError(error);
}
