import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentTypeFor } from '../../src/core/attachments/content-type.js';
import { downloadBody, saveToFile, trackDownload } from '../../src/core/attachments/download.js';
import { AttachmentsDisabledError, AttachmentTooLargeError, formatBytes, isAttachmentSourceError } from '../../src/core/attachments/errors.js';
import { multipartEnvelope } from '../../src/core/attachments/multipart.js';
import { ProgressMeter } from '../../src/core/attachments/progress.js';
import { uploadFields } from '../../src/core/attachments/transfer.js';
import { prepareUpload } from '../../src/core/attachments/upload-body.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'itsmkit-att-core-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function drain(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new TextDecoder().decode(await new Response(stream).arrayBuffer());
}

describe('content types', () => {
  it('maps extensions case-insensitively, unknown and extension-less to octet-stream', () => {
    expect(['a.PNG', 'x.log', 'r.docx', 'noext', '.hidden', 'trail.', 'a.weird'].map(contentTypeFor)).toEqual([
      'image/png',
      'text/plain',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
      'application/octet-stream',
    ]);
  });
});

describe('prepareUpload', () => {
  it('reads a Node Readable once, with prefix and suffix around it', async () => {
    const upload = await prepareUpload(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), { fileName: 'x.txt' });
    const body = upload.body('multipart/x', new TextEncoder().encode('<'), new TextEncoder().encode('>'));
    expect([upload.sizeBytes, body.length, body.replayable]).toEqual([undefined, undefined, false]);
    expect(await drain(await body.open())).toBe('<abcd>');
    expect(body.sent).toBe(true);
  });

  it('refuses what it cannot upload, with the field named', async () => {
    await expect(prepareUpload(new Uint8Array(1))).rejects.toMatchObject({ name: 'ValidationError', issues: [{ field: 'fileName' }] });
    await expect(prepareUpload(42 as never)).rejects.toMatchObject({ issues: [{ field: 'source', rule: 'type' }] });
    await expect(prepareUpload(' ')).rejects.toMatchObject({ issues: [{ field: 'source', rule: 'required' }] });
    await expect(prepareUpload(new URL('https://example.com/a.txt'))).rejects.toMatchObject({ issues: [{ field: 'source', rule: 'url' }] });
    const folder = await prepareUpload(dir).catch((e: unknown) => e);
    expect(isAttachmentSourceError(folder) && folder.reason).toBe('not-a-file');
  });

  it('names a File by its name and types it by its type; re-opens a file for each attempt', async () => {
    const file = await prepareUpload(new File(['x'], 'shot.bin', { type: 'image/png' }));
    expect([file.fileName, file.contentType, file.sizeBytes]).toEqual(['shot.bin', 'image/png', 1]);
    const path = join(dir, 'twice.txt');
    await writeFile(path, 'hello');
    const body = (await prepareUpload(path)).body('text/plain');
    expect([await drain(await body.open()), await drain(await body.open())]).toEqual(['hello', 'hello']);
    await rm(path);
    const gone = await body.open().catch((e: unknown) => e);
    expect(isAttachmentSourceError(gone) && gone.reason).toBe('not-found');
  });
});

describe('progress, multipart, downloads', () => {
  it('reports at most every 100 ms and always at the end', () => {
    vi.useFakeTimers();
    try {
      const seen: number[] = [];
      const meter = new ProgressMeter((p) => seen.push(p.loadedBytes), 10);
      meter.add(1);
      meter.add(2);
      vi.advanceTimersByTime(150);
      meter.add(3);
      meter.done();
      expect(seen).toEqual([1, 6, 6]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('escapes the file name in the multipart envelope', () => {
    const env = multipartEnvelope('file', 'a"b\r\nc.txt', 'text/plain');
    const head = new TextDecoder().decode(env.prefix);
    expect(head).toContain('filename="a%22b%0D%0Ac.txt"');
    expect(env.contentType).toMatch(/^multipart\/form-data; boundary=----itsmkit[0-9a-f]{32}$/);
  });

  it('counts a download, reads Content-Length, saves to a file and removes it on a failure', async () => {
    const seen: unknown[] = [];
    const tracked = trackDownload(new Blob(['hello']).stream(), 5, (p) => seen.push(p));
    const target = join(dir, 'saved.txt');
    expect(await saveToFile(tracked, target)).toBe(5);
    expect(await readFile(target, 'utf8')).toBe('hello');
    expect(seen.at(-1)).toEqual({ loadedBytes: 5, totalBytes: 5 });
    const totals: unknown[] = [];
    await new Response(downloadBody({ data: new Response('12 bytes....'), headers: new Headers({ 'content-length': '12' }) }, (p) => totals.push(p.totalBytes))).text();
    await new Response(downloadBody({ data: new Response(null), headers: new Headers({ 'content-length': 'x' }) }, (p) => totals.push(p.totalBytes))).text();
    expect(totals).toEqual([12, 12, undefined]); // the 12 bytes, then done; the empty body only reports done
    const failing = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(3));
        c.error(new Error('reset'));
      },
    });
    const broken = join(dir, 'broken.txt');
    await expect(saveToFile(failing, broken)).rejects.toThrow('reset');
    await expect(readFile(broken)).rejects.toMatchObject({ code: 'ENOENT' });
    const noDir = await saveToFile(new Blob(['x']).stream(), join(dir, 'missing', 'x.txt')).catch((e: unknown) => e);
    expect(isAttachmentSourceError(noDir)).toBe(true);
  });
});

describe('errors and options', () => {
  it('say sizes, limits and what to do', () => {
    expect(new AttachmentTooLargeError({ platform: 'jira', fileName: 'a.zip', sizeBytes: 3 * 1024 * 1024, limitBytes: 1024 * 1024, source: 'client', hint: 'split it' }).message).toBe(
      'jira attachment "a.zip" (3 MB) is over the attachment size limit of 1 MB: split it',
    );
    expect(new AttachmentsDisabledError('jira').message).toMatch(/disabled on this jira site: a Jira administrator/);
    expect([formatBytes(12), formatBytes(2048), formatBytes(1536 * 1024)]).toEqual(['12 bytes', '2 KB', '1.5 MB']);
  });

  it("give uploads a long timeout and a budget to match, keeping the caller's", () => {
    expect(uploadFields({})).toEqual({ timeoutMs: 600_000, retry: { totalBudgetMs: 660_000 } });
    expect(uploadFields({ timeoutMs: 1000, retry: false })).toEqual({ timeoutMs: 1000, retry: { retries: 0, totalBudgetMs: 61_000 } });
  });
});
