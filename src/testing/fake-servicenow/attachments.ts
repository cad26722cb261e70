import { FakeAttachmentStore, type FakeAttachment } from '../fake-attachments.js';
import { json } from '../handler.js';
import type { FakeStore } from './store.js';

/** The Attachment API paths. */
export const ATTACHMENT_PATH = /^\/api\/now\/(?:v1\/)?attachment(?:\/([^/]+))?(\/file)?\/?$/;

/**
 * The fake's Attachment API (`/api/now/attachment`), as an instance answers:
 * upload with the raw body (`/file`, 201 + `Location`), 404 for a record that
 * does not exist, 400 without `table_name`/`table_sys_id`/`file_name`, 413
 * over the size limit, list with `sysparm_query`/limit/offset, metadata,
 * content, 204 on delete.
 */
export class FakeServiceNowAttachments {
  readonly store = new FakeAttachmentStore();
  private seq = 0;

  constructor(
    private readonly records: FakeStore,
    private readonly now: () => number,
    /** `com.glide.attachment.max_size`, in bytes. */
    public maxSizeBytes: number,
  ) {}

  async handle(url: URL, request: Request, userName: string): Promise<Response> {
    const m = ATTACHMENT_PATH.exec(url.pathname) as RegExpExecArray;
    const [, rawId, file] = m;
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    if (id === 'file' && !file && request.method === 'POST') return this.upload(url, request, userName);
    if (id === undefined && request.method === 'GET') return this.list(url);
    const attachment = id === undefined ? undefined : this.store.get(id);
    if (request.method === 'GET' && id !== undefined) {
      if (!attachment) return failure(404, 'Record doesn\'t exist or ACL restricts the record retrieval', null);
      if (!file) return json({ result: this.render(attachment, url.origin) });
      return new Response(this.store.stream(attachment), {
        status: 200,
        headers: { 'content-type': attachment.contentType, 'content-length': String(attachment.sizeBytes), 'x-attachment-metadata': JSON.stringify(this.render(attachment, url.origin)) },
      });
    }
    if (request.method === 'DELETE' && id !== undefined && !file) {
      if (!this.store.delete(id)) return failure(404, 'Record doesn\'t exist or ACL restricts the record retrieval', null);
      return new Response(null, { status: 204 });
    }
    return failure(405, 'Method not Supported', `${request.method} is not supported on ${url.pathname}`);
  }

  private async upload(url: URL, request: Request, userName: string): Promise<Response> {
    const p = url.searchParams;
    const table = p.get('table_name');
    const sysId = p.get('table_sys_id');
    const fileName = p.get('file_name');
    if (!table || !sysId || !fileName) {
      await request.body?.cancel();
      return failure(400, 'Missing parameters', 'table_name, table_sys_id and file_name are mandatory');
    }
    if (!this.records.find(table, sysId)) {
      await request.body?.cancel();
      return failure(404, 'Invalid table or record', `Record ${sysId} of table ${table} does not exist`);
    }
    const received = await this.store.receive(request.body, this.maxSizeBytes);
    if (!received.ok) return failure(413, 'Failed to create the attachment. File part might be too large.', `The file exceeds the maximum attachment size of ${Math.floor(this.maxSizeBytes / (1024 * 1024))} MB (com.glide.attachment.max_size)`);
    const attachment = this.store.add({
      id: (++this.seq).toString(16).padStart(32, 'a'),
      fileName,
      contentType: request.headers.get('content-type') ?? 'application/octet-stream',
      sizeBytes: received.sizeBytes,
      owner: `${table}:${sysId}`,
      created: this.now(),
      chunks: received.chunks,
      createdBy: userName,
    });
    return json({ result: this.render(attachment, url.origin) }, 201, { location: `${url.origin}/api/now/attachment/${attachment.id}` });
  }

  private list(url: URL): Response {
    const p = url.searchParams;
    const query = p.get('sysparm_query') ?? '';
    const table = /(?:^|\^)table_name=([^^]+)/.exec(query)?.[1];
    const sysId = /(?:^|\^)table_sys_id=([^^]+)/.exec(query)?.[1];
    const limit = Number(p.get('sysparm_limit') ?? 1000);
    const offset = Number(p.get('sysparm_offset') ?? 0);
    const rows = table && sysId ? this.store.of(`${table}:${sysId}`) : [];
    return json({ result: rows.slice(offset, offset + limit).map((a) => this.render(a, url.origin)) }, 200, { 'x-total-count': String(rows.length) });
  }

  private render(a: FakeAttachment, origin: string): Record<string, string> {
    const [table = '', sysId = ''] = a.owner.split(':');
    const stamp = new Date(a.created).toISOString().replace('T', ' ').slice(0, 19);
    const by = a.createdBy;
    return {
      size_bytes: String(a.sizeBytes),
      file_name: a.fileName,
      sys_mod_count: '0',
      average_image_color: '',
      image_width: '',
      sys_updated_on: stamp,
      sys_tags: '',
      table_name: table,
      sys_id: a.id,
      image_height: '',
      sys_updated_by: by,
      download_link: `${origin}/api/now/attachment/${a.id}/file`,
      content_type: a.contentType,
      sys_created_on: stamp,
      // Stored uncompressed: the docs' "Size of the compressed attachment file. If the file is not compressed, empty."
      size_compressed: '',
      compressed: 'false',
      state: 'available',
      table_sys_id: sysId,
      chunk_size_bytes: '700000',
      hash: '',
      sys_created_by: by,
    };
  }
}

function failure(status: number, message: string, detail: string | null): Response {
  return json({ error: { message, detail }, status: 'failure' }, status);
}
