/** One stored attachment of a fake: its metadata and its bytes, as received. */
export interface FakeAttachment {
  readonly id: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  /** What it is attached to: a ServiceNow table and record, or a Jira issue id. */
  readonly owner: string;
  /** Epoch ms. */
  readonly created: number;
  /** Who uploaded it (a user name or account id). */
  readonly createdBy: string;
  readonly chunks: readonly Uint8Array[];
}

/** What {@link FakeAttachmentStore.receive} read: the chunks, or that the body passed the limit. */
export type FakeAttachmentReceived = { readonly ok: true; readonly chunks: Uint8Array[]; readonly sizeBytes: number } | { readonly ok: false; readonly sizeBytes: number };

/**
 * The fakes' attachment storage: bodies kept in memory as the chunks they
 * arrived in (no copy into one buffer), read as a stream, a body over the
 * limit refused as soon as it passes it (the rest is not read).
 */
export class FakeAttachmentStore {
  private readonly byId = new Map<string, FakeAttachment>();

  /** Reads a request body, up to `limit` bytes. */
  async receive(body: ReadableStream<Uint8Array> | null, limit: number): Promise<FakeAttachmentReceived> {
    const chunks: Uint8Array[] = [];
    let sizeBytes = 0;
    if (!body) return { ok: true, chunks, sizeBytes };
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { ok: true, chunks, sizeBytes };
      sizeBytes += value.byteLength;
      if (sizeBytes > limit) {
        await reader.cancel().catch(() => {});
        return { ok: false, sizeBytes };
      }
      chunks.push(value);
    }
  }

  add(attachment: FakeAttachment): FakeAttachment {
    this.byId.set(attachment.id, attachment);
    return attachment;
  }

  get(id: string): FakeAttachment | undefined {
    return this.byId.get(id);
  }

  delete(id: string): boolean {
    return this.byId.delete(id);
  }

  /** Attachments of one owner, oldest first. */
  of(owner: string): FakeAttachment[] {
    return [...this.byId.values()].filter((a) => a.owner === owner);
  }

  /** The bytes as a stream, chunk by chunk. */
  stream(attachment: FakeAttachment): ReadableStream<Uint8Array> {
    let i = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = attachment.chunks[i++];
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
  }
}

/** Strips a `multipart/form-data` body's one file part out of its chunks: the part's name, type and bytes. */
export function parseMultipartFile(chunks: readonly Uint8Array[], contentType: string): { field: string; fileName: string; contentType: string; chunks: Uint8Array[]; sizeBytes: number } | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return undefined;
  const marker = `--${boundary[1] ?? boundary[2]}`;
  const first = chunks[0];
  if (!first) return undefined;
  // The part's headers are in the first chunk as clients send them (the preamble goes out first): up to 8 KiB are looked at.
  const headText = new TextDecoder().decode(concatHead(chunks, 8192));
  const start = headText.indexOf(marker);
  const headersEnd = headText.indexOf('\r\n\r\n', start);
  if (start !== 0 || headersEnd === -1) return undefined;
  const headers = headText.slice(marker.length + 2, headersEnd);
  const disposition = /content-disposition:\s*form-data;\s*name="([^"]*)"(?:;\s*filename="([^"]*)")?/i.exec(headers);
  if (!disposition) return undefined;
  const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
  const headBytes = new TextEncoder().encode(headText.slice(0, headersEnd + 4)).byteLength;
  const tailBytes = new TextEncoder().encode(`\r\n${marker}--\r\n`).byteLength;
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const out = slice(chunks, headBytes, total - tailBytes);
  return { field: disposition[1] ?? '', fileName: decodeURIComponent(disposition[2] ?? ''), contentType: type, chunks: out, sizeBytes: Math.max(0, total - tailBytes - headBytes) };
}

function concatHead(chunks: readonly Uint8Array[], max: number): Uint8Array {
  const out = new Uint8Array(Math.min(max, chunks.reduce((n, c) => n + c.byteLength, 0)));
  let at = 0;
  for (const c of chunks) {
    if (at >= out.length) break;
    const part = c.subarray(0, out.length - at);
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** The bytes from `from` to `to` of the chunks, as views (no copy). */
function slice(chunks: readonly Uint8Array[], from: number, to: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of chunks) {
    const end = at + c.byteLength;
    const s = Math.max(from, at);
    const e = Math.min(to, end);
    if (e > s) out.push(c.subarray(s - at, e - at));
    at = end;
  }
  return out;
}
