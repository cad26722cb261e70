/** How far an upload or download has got. */
export interface TransferProgress {
  /** Bytes of the file sent or received so far. */
  readonly loadedBytes: number;
  /** The file's size, when known (a file, a Blob, bytes; a download with a `Content-Length`). */
  readonly totalBytes?: number;
}

/** Called as an upload or download goes: at most every {@link PROGRESS_INTERVAL_MS} and once at the end. */
export type ProgressCallback = (progress: TransferProgress) => void;

/** The least time between two progress calls (the last call, at the end, always comes). */
export const PROGRESS_INTERVAL_MS = 100;

/** Counts bytes and calls a {@link ProgressCallback}, throttled. */
export class ProgressMeter {
  loadedBytes = 0;
  private last = 0;

  constructor(
    private readonly callback: ProgressCallback | undefined,
    private readonly totalBytes: number | undefined,
  ) {}

  /** Counts `bytes` more. */
  add(bytes: number): void {
    this.loadedBytes += bytes;
    if (!this.callback) return;
    const now = Date.now();
    if (now - this.last < PROGRESS_INTERVAL_MS) return;
    this.last = now;
    this.report();
  }

  /** The final call, at the end. */
  done(): void {
    if (this.callback) this.report();
  }

  /** Starts counting again (a file re-opened for a retry). */
  reset(): void {
    this.loadedBytes = 0;
    this.last = 0;
  }

  private report(): void {
    (this.callback as ProgressCallback)(this.totalBytes === undefined ? { loadedBytes: this.loadedBytes } : { loadedBytes: this.loadedBytes, totalBytes: this.totalBytes });
  }
}
