import { createEmitter, type Emitter } from '../../core/index.js';
import type { DataSourceUpdate } from '../connection.js';
import { canonicalId } from '../ids.js';

/** An update with the id the live stream sends it under (`id:` in SSE, what `Last-Event-ID` names). */
export interface PublishedUpdate {
  readonly id: string;
  readonly update: DataSourceUpdate;
}

/** Options of an {@link UpdateHub}. */
export interface UpdateHubOptions {
  /** Updates kept per organization for `Last-Event-ID` replay. @default 256 */
  readonly bufferSize?: number;
}

/**
 * Fans `data_source_update` events out to each organization's subscribers
 * (the SSE streams), numbering them and keeping a short per-organization
 * history so a reconnecting client resumes from its `Last-Event-ID`. One
 * event per organization on the core emitter.
 */
export class UpdateHub {
  private seq = 0;
  private readonly bufferSize: number;
  private readonly buffers = new Map<string, PublishedUpdate[]>();
  private readonly emitter: Emitter<Record<string, [PublishedUpdate]>> = createEmitter();

  constructor(options: UpdateHubOptions = {}) {
    this.bufferSize = options.bufferSize ?? 256;
  }

  /** Publishes to the update's organization and returns it with its event id. */
  publish(update: DataSourceUpdate): PublishedUpdate {
    const published: PublishedUpdate = { id: String(++this.seq), update };
    const org = canonicalId(update.organizationId);
    let buffer = this.buffers.get(org);
    if (!buffer) this.buffers.set(org, (buffer = []));
    buffer.push(published);
    if (buffer.length > this.bufferSize) buffer.splice(0, buffer.length - this.bufferSize);
    this.emitter.emit(org, published);
    return published;
  }

  /**
   * Listens to one organization's updates. With `lastEventId`, first replays
   * the buffered updates published after it. Returns the unsubscribe function.
   */
  subscribe(organizationId: string, listener: (published: PublishedUpdate) => void, options: { readonly lastEventId?: string | undefined } = {}): () => void {
    const org = canonicalId(organizationId);
    if (options.lastEventId !== undefined) {
      const after = Number(options.lastEventId);
      if (Number.isFinite(after)) {
        for (const published of this.buffers.get(org) ?? []) if (Number(published.id) > after) listener(published);
      }
    }
    // A wrapper per subscription, so subscribing one function twice gives two independent subscriptions.
    const handler = (published: PublishedUpdate): void => listener(published);
    this.emitter.on(org, handler);
    return () => {
      this.emitter.off(org, handler);
    };
  }

  /** The number of live subscribers of an organization. */
  subscribers(organizationId: string): number {
    return this.emitter.listenerCount(canonicalId(organizationId));
  }
}
