import { AttachmentSourceError } from './errors.js';
import { ProgressMeter, type ProgressCallback } from './progress.js';

/** `body` counted as it is read, reporting to `onProgress` (nothing is wrapped without one). */
export function trackDownload(body: ReadableStream<Uint8Array>, totalBytes: number | undefined, onProgress: ProgressCallback | undefined): ReadableStream<Uint8Array> {
  if (!onProgress) return body;
  const meter = new ProgressMeter(onProgress, totalBytes);
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) {
        meter.done();
        controller.close();
        return;
      }
      meter.add(value.byteLength);
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** A streamed download's body (empty when the answer had none), counted for `onProgress` against its `Content-Length`. */
export function downloadBody(res: { readonly data: Response; readonly headers: Headers }, onProgress: ProgressCallback | undefined): ReadableStream<Uint8Array> {
  const body = res.data.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  return trackDownload(body, contentLength(res.headers), onProgress);
}

/** The size a `Content-Length` header says, when it is a plain number. */
function contentLength(headers: Headers): number | undefined {
  const value = headers.get('content-length');
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * Writes a stream to a file as it arrives (Node), and resolves with the bytes
 * written. On a failure the partial file is removed and the error is thrown
 * (the download's own error, or an {@link AttachmentSourceError} naming the file).
 *
 * @example
 * await saveToFile(await sn.attachments.download(sysId), '/tmp/app.log');
 */
export async function saveToFile(stream: ReadableStream<Uint8Array>, path: string): Promise<number> {
  const fs = await import('node:fs/promises');
  let handle: Awaited<ReturnType<typeof fs.open>>;
  try {
    handle = await fs.open(path, 'w');
  } catch (cause) {
    await stream.cancel().catch(() => {});
    throw new AttachmentSourceError({ path, reason: 'not-found', loadedBytes: 0, cause });
  }
  const reader = stream.getReader();
  let written = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await handle.write(value);
      written += value.byteLength;
    }
    await handle.close();
    return written;
  } catch (error) {
    await reader.cancel().catch(() => {});
    await handle.close().catch(() => {});
    await fs.rm(path, { force: true }).catch(() => {});
    throw error;
  }
}
