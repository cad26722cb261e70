import type { MessageSource, RejectInfo, SourceMessage } from '../../connections/index.js';

/** A message that was rejected, with why. */
export interface DeadLetter {
  readonly message: SourceMessage;
  readonly info: RejectInfo;
}

/**
 * An in-process {@link MessageSource}: a queue in memory with a dead-letter
 * list, delivering one message at a time (like a prefetch of 1). For tests and
 * the sandbox; the AMQP adapter is the production one.
 */
export class MemoryMessageSource implements MessageSource {
  /** Rejected messages with their reasons. */
  readonly deadLetters: DeadLetter[] = [];
  /** Acknowledged message ids, in order. */
  readonly acked: string[] = [];
  /** How many deliveries failed (the handler threw) and were queued again. */
  redeliveries = 0;
  private readonly queue: SourceMessage[] = [];
  private deliver: ((message: SourceMessage) => Promise<void>) | undefined;
  private pumping: Promise<void> | undefined;
  private seq = 0;
  private idleWaiters: (() => void)[] = [];

  /** Queues a message (what the external service's publish does) and returns its id. */
  publish(body: Uint8Array | string | object, options: { readonly queue?: string } = {}): string {
    const id = String(++this.seq);
    const raw = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    this.queue.push({ id, body: raw, ...(options.queue ? { queue: options.queue } : {}) });
    this.pump();
    return id;
  }

  /** Messages waiting for delivery. */
  get pending(): number {
    return this.queue.length;
  }

  async start(deliver: (message: SourceMessage) => Promise<void>): Promise<void> {
    this.deliver = deliver;
    this.pump();
  }

  async stop(): Promise<void> {
    this.deliver = undefined;
    await this.pumping;
  }

  async ack(message: SourceMessage): Promise<void> {
    this.acked.push(message.id);
  }

  async reject(message: SourceMessage, info: RejectInfo): Promise<void> {
    this.deadLetters.push({ message, info });
  }

  /** Resolves when the queue is empty and nothing is being delivered. */
  drain(): Promise<void> {
    if (!this.pumping && (this.queue.length === 0 || !this.deliver)) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.pumping || !this.deliver) return;
    this.pumping = (async () => {
      // Deliveries start on a later tick, so publishers (webhook handlers) return first, as with a broker.
      await Promise.resolve();
      for (let message = this.queue.shift(); message && this.deliver; message = this.queue.shift()) {
        try {
          await this.deliver(message);
        } catch {
          this.redeliveries++;
          this.queue.push({ ...message, redelivered: true });
          // Give the failing dependency a moment instead of spinning.
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    })().finally(() => {
      this.pumping = undefined;
      if (this.queue.length && this.deliver) this.pump();
      else for (const wake of this.idleWaiters.splice(0)) wake();
    });
  }
}
