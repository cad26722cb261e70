/**
 * Coalesces calls made in the same turn of the event loop into one batch
 * (flushed on `setImmediate`), at most `maxSize` per batch. `run` answers
 * every input in order. When a batch fails for a reason that is not
 * `transient`, its inputs are run again one at a time, in order (so what
 * they write keeps the order they were called in), and one bad input fails
 * alone.
 */
export class Batcher<I, O> {
  private queue: { input: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly run: (inputs: readonly I[]) => Promise<O[]>,
    private readonly maxSize: number,
  ) {}

  call(input: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length) void this.settle(this.queue.splice(0, this.maxSize));
  }

  private async settle(batch: typeof this.queue): Promise<void> {
    try {
      const out = await this.run(batch.map((b) => b.input));
      batch.forEach((b, i) => b.resolve(out[i] as O));
    } catch (error) {
      if (batch.length === 1 || (error as { transient?: unknown }).transient === true) {
        for (const b of batch) b.reject(error);
        return;
      }
      for (const b of batch) await this.settle([b]);
    }
  }
}
