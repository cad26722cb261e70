import { callFields, type CallOptions } from '../call-options.js';
import type { RequestSpec } from '../transport.js';
import type { ProgressCallback } from './progress.js';
import type { UploadDescription } from './upload-body.js';

/** Options of an upload: its name, type and progress, and the per-call ones. */
export interface UploadOptions extends CallOptions, UploadDescription {}

/** Options of a download. */
export interface DownloadOptions extends CallOptions {
  /** Called as bytes arrive: at most every 100 ms, and once at the end. */
  readonly onProgress?: ProgressCallback | undefined;
}

/**
 * An upload's attempt timeout unless the call gives one: a large file takes
 * longer than an API call's 30 s. @default 600000 (10 minutes)
 */
export const UPLOAD_TIMEOUT_MS = 10 * 60_000;

/** The request fields of an upload: the call's options, with a timeout and budget for a long transfer. */
export function uploadFields(options: CallOptions): Pick<RequestSpec, 'signal' | 'timeoutMs' | 'retry' | 'headers'> {
  const timeoutMs = options.timeoutMs ?? UPLOAD_TIMEOUT_MS;
  const base = options.retry === false ? { retries: 0 } : (options.retry ?? {});
  return { ...callFields(options), timeoutMs, retry: { ...base, totalBudgetMs: base.totalBudgetMs ?? timeoutMs + 60_000 } };
}
