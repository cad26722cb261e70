import {
  AttachmentsDisabledError,
  AttachmentTooLargeError,
  callFields,
  type CallOptions,
  ConfigError,
  type DownloadOptions,
  isHttpError,
  multipartEnvelope,
  path,
  prepareUpload,
  type RequestSpec,
  saveToFile,
  downloadBody,
  type TransportResponse,
  uploadFields,
  type UploadOptions,
  type UploadSource,
  wrongAnswer,
} from '../core/index.js';
import type { JiraContext } from './context.js';

/** A Jira attachment's metadata. */
export interface JiraAttachment {
  /** The attachment id (a string in the upload answer, a number in `GET /attachment/{id}`; a string here). */
  readonly id: string;
  readonly fileName: string;
  /** The file's size in bytes. */
  readonly sizeBytes: number;
  readonly mimeType: string;
  /** The URL of its content. */
  readonly contentUrl: string | undefined;
  /** The URL of its thumbnail (images). */
  readonly thumbnailUrl: string | undefined;
  /**
   * ISO 8601 with offset (`2022-10-06T07:32:47.000+0000`), as Jira sends it;
   * where the answer carries epoch milliseconds (the documented "Add
   * attachment" example does), the same instant in that format, UTC.
   */
  readonly created: string | undefined;
  /** Who attached it: the account id (Cloud) or user name (Data Center). */
  readonly authorId: string | undefined;
}

/** The site's attachment settings (`GET /attachment/meta`). */
export interface JiraAttachmentLimits {
  /** Whether attachments are turned on. */
  readonly enabled: boolean;
  /** The largest file the site accepts, in bytes. */
  readonly uploadLimitBytes: number | undefined;
}

/**
 * Jira attachments: upload a file to an issue (streamed `multipart/form-data`
 * with `X-Atlassian-Token: no-check`), read one's metadata, download its
 * content as a stream, delete it, and read the site's limits. `/rest/api/3` on
 * Cloud, `/rest/api/2` on Data Center.
 *
 * @example
 * const [att] = [await jira.attachments.upload('OPS-1', './screenshot.png')];
 * await jira.attachments.downloadTo(att.id, '/tmp/screenshot.png');
 */
export class JiraAttachments {
  private limitsCache: Promise<JiraAttachmentLimits> | undefined;

  /** @internal */
  constructor(private readonly ctx: JiraContext) {}

  /**
   * Attaches a file to `issueKey`. When its size is known the site's limits are
   * checked first (read once per client): attachments turned off is an
   * {@link AttachmentsDisabledError}, a file over `uploadLimit` an
   * {@link AttachmentTooLargeError}, and so is Jira's own 413. A missing issue is a `NotFoundError`.
   */
  async upload(issueKey: string, source: UploadSource, options: UploadOptions = {}): Promise<JiraAttachment> {
    const upload = await prepareUpload(source, options);
    if (upload.sizeBytes !== undefined) {
      const limits = await this.cachedLimits(options);
      if (!limits.enabled) throw new AttachmentsDisabledError('jira');
      if (limits.uploadLimitBytes !== undefined && upload.sizeBytes > limits.uploadLimitBytes) throw tooLarge(upload.fileName, upload.sizeBytes, limits.uploadLimitBytes, 'client');
    }
    const envelope = multipartEnvelope('file', upload.fileName, upload.contentType);
    const fields = uploadFields(options);
    const spec: RequestSpec = {
      method: 'POST',
      path: `${this.ctx.api}${path`/issue/${issueKey}/attachments`}`,
      body: upload.body(envelope.contentType, envelope.prefix, envelope.suffix),
      operation: 'jira.attachment.upload',
      notRetriedHint: 'an upload may have attached the file: check the issue\'s attachments before uploading again',
      ...fields,
      headers: { ...fields.headers, 'x-atlassian-token': 'no-check' },
    };
    let res: TransportResponse;
    try {
      res = await this.ctx.send(spec);
    } catch (error) {
      if (isHttpError(error) && error.status === 413) {
        const limits = this.limitsCache ? await this.limitsCache.catch(() => undefined) : undefined;
        throw tooLarge(upload.fileName, upload.sizeBytes, limits?.uploadLimitBytes, 'server', error);
      }
      throw error;
    }
    // The answer is an array: one entry per file of the form, here exactly one.
    const first: unknown = Array.isArray(res.data) ? res.data[0] : undefined;
    return toAttachment(first, res, this.ctx, spec);
  }

  /** One attachment's metadata (`GET /attachment/{id}`); a missing one is a `NotFoundError`. */
  async get(id: string, options: CallOptions = {}): Promise<JiraAttachment> {
    const spec: RequestSpec = { method: 'GET', path: `${this.ctx.api}${path`/attachment/${id}`}`, operation: 'jira.attachment.get', ...callFields(options) };
    const res = await this.ctx.send(spec);
    return toAttachment(res.data, res, this.ctx, spec);
  }

  /**
   * The attachment's content as a stream, read as it arrives. Cloud:
   * `GET /rest/api/3/attachment/content/{id}?redirect=false`; Data Center: its
   * metadata's `content` URL (on the same site). Read it to the end or cancel it.
   */
  async download(id: string, options: DownloadOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const target = this.ctx.deployment === 'cloud' ? { path: `${this.ctx.api}${path`/attachment/content/${id}`}`, query: { redirect: false } } : { path: await this.contentUrl(id, options) };
    const res = await this.ctx.send<Response>({
      method: 'GET',
      ...target,
      headers: { accept: '*/*', ...options.headers },
      responseType: 'stream',
      // A site may still answer with a redirect to its media store: followed, on the same request.
      followRedirects: true,
      operation: 'jira.attachment.download',
      ...callFields({ ...options, headers: undefined }),
    });
    return downloadBody(res, options.onProgress);
  }

  /** Downloads the attachment into the file `target` (written as it arrives; removed again on a failure) and resolves with its size. */
  async downloadTo(id: string, target: string, options: DownloadOptions = {}): Promise<{ readonly path: string; readonly sizeBytes: number }> {
    const sizeBytes = await saveToFile(await this.download(id, options), target);
    return { path: target, sizeBytes };
  }

  /** Deletes an attachment (`DELETE /attachment/{id}`, 204); a missing one is a `NotFoundError`. */
  async delete(id: string, options: CallOptions = {}): Promise<void> {
    await this.ctx.send({ method: 'DELETE', path: `${this.ctx.api}${path`/attachment/${id}`}`, responseType: 'none', operation: 'jira.attachment.delete', ...callFields(options) });
  }

  /** Whether attachments are on and the largest upload the site takes (`GET /attachment/meta`), asked now. */
  async limits(options: CallOptions = {}): Promise<JiraAttachmentLimits> {
    const spec: RequestSpec = { method: 'GET', path: `${this.ctx.api}/attachment/meta`, operation: 'jira.attachment.meta', ...callFields(options) };
    const res = await this.ctx.send<{ enabled?: unknown; uploadLimit?: unknown }>(spec);
    const data = res.data as { enabled?: unknown; uploadLimit?: unknown } | undefined;
    if (!data || typeof data.enabled !== 'boolean') throw wrongAnswer(res, this.ctx.where(spec)(), 'came without "enabled" (a boolean)');
    return { enabled: data.enabled, uploadLimitBytes: typeof data.uploadLimit === 'number' ? data.uploadLimit : undefined };
  }

  /** {@link limits}, asked once per client (a failure is asked again next time). */
  private cachedLimits(options: CallOptions): Promise<JiraAttachmentLimits> {
    this.limitsCache ??= this.limits(options).catch((error: unknown) => {
      this.limitsCache = undefined;
      throw error;
    });
    return this.limitsCache;
  }

  /** Data Center: the content URL of the attachment's metadata, which must be on this site. */
  private async contentUrl(id: string, options: CallOptions): Promise<string> {
    const meta = await this.get(id, options);
    const base = new URL(this.ctx.where({ method: 'GET', path: '/' })().url);
    if (meta.contentUrl === undefined) throw new ConfigError(`Jira attachment ${id} has no content URL`, [{ field: 'id', rule: 'content', message: 'the metadata has no "content" link' }]);
    const url = new URL(meta.contentUrl, base);
    if (url.origin !== base.origin) {
      throw new ConfigError(`Jira attachment ${id} is served from another origin`, [{ field: 'id', rule: 'origin', message: `its content URL is on ${url.origin}, not ${base.origin}: credentials are not sent there` }]);
    }
    return url.href;
  }
}

function tooLarge(fileName: string, sizeBytes: number | undefined, limitBytes: number | undefined, source: 'client' | 'server', cause?: unknown): AttachmentTooLargeError {
  return new AttachmentTooLargeError({
    platform: 'jira',
    fileName,
    sizeBytes,
    limitBytes,
    source,
    hint: 'compress or split the file, or ask a Jira administrator to raise the attachment size limit (Settings > System > Attachments)',
    cause,
  });
}

function toAttachment(value: unknown, res: TransportResponse, ctx: JiraContext, spec: RequestSpec): JiraAttachment {
  const r = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const id = r && (typeof r['id'] === 'number' ? String(r['id']) : str(r['id']));
  const fileName = r && str(r['filename']);
  if (!r || id === undefined || fileName === undefined) throw wrongAnswer(res, ctx.where(spec)(), 'came without an attachment ("id" and "filename")');
  const author = r['author'] as Record<string, unknown> | undefined;
  return {
    id,
    fileName,
    sizeBytes: typeof r['size'] === 'number' ? r['size'] : 0,
    mimeType: str(r['mimeType']) ?? 'application/octet-stream',
    contentUrl: str(r['content']),
    thumbnailUrl: str(r['thumbnail']),
    created: created(r['created']),
    authorId: author && typeof author === 'object' ? (str(author['accountId']) ?? str(author['name'])) : undefined,
  };
}

/** `created`: Jira's date-time string, or epoch milliseconds written as one (`+0000`). */
function created(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().replace('Z', '+0000');
  return str(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
