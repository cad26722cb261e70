import type { DataSourceUpdate } from './connection.js';

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
 * history so a reconnecting client resumes from its `Last-Event-ID`.
 */
export class UpdateHub {
  private seq = 0;
  private readonly bufferSize: number;
  private readonly buffers = new Map<string, PublishedUpdate[]>();
  private readonly listeners = new Map<string, Set<(published: PublishedUpdate) => void>>();

  constructor(options: UpdateHubOptions = {}) {
    this.bufferSize = options.bufferSize ?? 256;
  }

  /** Publishes to the update's organization and returns it with its event id. */
  publish(update: DataSourceUpdate): PublishedUpdate {
    const published: PublishedUpdate = { id: String(++this.seq), update };
    let buffer = this.buffers.get(update.organizationId);
    if (!buffer) this.buffers.set(update.organizationId, (buffer = []));
    buffer.push(published);
    if (buffer.length > this.bufferSize) buffer.splice(0, buffer.length - this.bufferSize);
    const set = this.listeners.get(update.organizationId);
    if (set) for (const listener of set) listener(published);
    return published;
  }

  /**
   * Listens to one organization's updates. With `lastEventId`, first replays
   * the buffered updates published after it. Returns the unsubscribe function.
   */
  subscribe(organizationId: string, listener: (published: PublishedUpdate) => void, options: { readonly lastEventId?: string | undefined } = {}): () => void {
    if (options.lastEventId !== undefined) {
      const after = Number(options.lastEventId);
      if (Number.isFinite(after)) {
        for (const published of this.buffers.get(organizationId) ?? []) if (Number(published.id) > after) listener(published);
      }
    }
    let set = this.listeners.get(organizationId);
    if (!set) this.listeners.set(organizationId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(organizationId);
    };
  }

  /** The number of live subscribers of an organization. */
  subscribers(organizationId: string): number {
    return this.listeners.get(organizationId)?.size ?? 0;
  }
}
