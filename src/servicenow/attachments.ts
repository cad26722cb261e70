import {
  type AnswerSource,
  AttachmentTooLargeError,
  callFields,
  type CallOptions,
  ConfigError,
  type DownloadOptions,
  type HttpError,
  isHttpError,
  path,
  prepareUpload,
  type RequestSpec,
  saveToFile,
  downloadBody,
  type Transport,
  type TransportResponse,
  uploadFields,
  type UploadOptions,
  type UploadSource,
  ValidationError,
  wrongAnswer,
} from '../core/index.js';

/** A ServiceNow attachment (`sys_attachment`), sizes as numbers. */
export interface ServiceNowAttachment {
  readonly sysId: string;
  readonly fileName: string;
  readonly contentType: string;
  /** The file's size in bytes. */
  readonly sizeBytes: number;
  /** Its stored (compressed) size, when the instance says. */
  readonly sizeCompressed: number | undefined;
  readonly compressed: boolean;
  /** The table of the record it is attached to (`incident`). */
  readonly tableName: string;
  /** The `sys_id` of that record. */
  readonly tableSysId: string;
  /** The URL of its content (`/api/now/attachment/{sys_id}/file`). */
  readonly downloadLink: string;
  /** `yyyy-MM-dd HH:mm:ss`, UTC, as the instance sends it. */
  readonly createdOn: string | undefined;
  readonly createdBy: string | undefined;
}

/** Options of {@link ServiceNowAttachments.list}. */
export interface ListAttachmentsOptions extends CallOptions {
  /** Rows per request (`sysparm_limit`); pages are followed until the last. @default 100 */
  readonly pageSize?: number;
}

/** The default of `attachmentMaxSizeMb`: ServiceNow's `com.glide.attachment.max_size` out of the box. */
export const SERVICENOW_ATTACHMENT_MAX_SIZE_MB = 1024;

/**
 * The Attachment API (`/api/now/attachment`): upload a file to any record,
 * list a record's attachments, read one's metadata, download it as a stream,
 * delete it. Uploads and downloads stream: a file is never read whole into memory.
 *
 * @example
 * const att = await sn.attachments.upload('incident', inc.sysId, './app.log', { onProgress: (p) => console.log(p.loadedBytes) });
 * const stream = await sn.attachments.download(att.sysId);
 */
export class ServiceNowAttachments {
  private readonly maxBytes: number;

  /** @internal */
  constructor(
    private readonly transport: Transport,
    /** The instance's `com.glide.attachment.max_size`, in MB. */
    maxSizeMb: number = SERVICENOW_ATTACHMENT_MAX_SIZE_MB,
  ) {
    if (!(typeof maxSizeMb === 'number' && maxSizeMb > 0)) {
      throw new ConfigError('Invalid ServiceNowClient options', [{ field: 'attachmentMaxSizeMb', rule: 'range', message: 'must be a number of MB greater than 0 (the instance property com.glide.attachment.max_size)' }]);
    }
    this.maxBytes = maxSizeMb * 1024 * 1024;
  }

  /**
   * Attaches a file to the record `tableSysId` of `tableName`
   * (`POST /api/now/attachment/file`, the raw bytes with their content type).
   * A file over `attachmentMaxSizeMb` is refused before anything is sent; the
   * server's own refusal is an {@link AttachmentTooLargeError} too. A missing
   * record is a `NotFoundError`.
   */
  async upload(tableName: string, tableSysId: string, source: UploadSource, options: UploadOptions = {}): Promise<ServiceNowAttachment> {
    checkTable(tableName);
    checkSysId(tableSysId, 'tableSysId');
    const upload = await prepareUpload(source, options);
    if (upload.sizeBytes !== undefined && upload.sizeBytes > this.maxBytes) throw this.tooLarge(upload.fileName, upload.sizeBytes, 'client');
    const spec: RequestSpec = {
      method: 'POST',
      path: '/api/now/attachment/file',
      query: { table_name: tableName, table_sys_id: tableSysId, file_name: upload.fileName },
      body: upload.body(upload.contentType),
      operation: 'attachment.upload',
      notRetriedHint: 'an upload may have created the attachment: list the record\'s attachments before uploading again',
      ...uploadFields(options),
    };
    let res: TransportResponse;
    try {
      res = await this.transport.request(spec);
    } catch (error) {
      if (isHttpError(error) && isSizeRefusal(error)) throw this.tooLarge(upload.fileName, upload.sizeBytes, 'server', error);
      throw error;
    }
    return decodeAttachment(res, spec, this.transport);
  }

  /** Every attachment of one record, oldest first (`GET /api/now/attachment?sysparm_query=table_name=...^table_sys_id=...`, paged). */
  async list(tableName: string, tableSysId: string, options: ListAttachmentsOptions = {}): Promise<ServiceNowAttachment[]> {
    checkTable(tableName);
    checkSysId(tableSysId, 'tableSysId');
    const pageSize = options.pageSize ?? 100;
    const out: ServiceNowAttachment[] = [];
    for (;;) {
      const spec: RequestSpec = {
        method: 'GET',
        path: '/api/now/attachment',
        query: { sysparm_query: `table_name=${tableName}^table_sys_id=${tableSysId}^ORDERBYsys_created_on`, sysparm_limit: pageSize, sysparm_offset: out.length },
        operation: 'attachment.list',
        ...callFields(options),
      };
      const res = await this.transport.request(spec);
      const rows = (res.data as { result?: unknown } | undefined)?.result;
      if (!Array.isArray(rows)) throw wrongAnswer(res, where(spec, this.transport)(), 'came without a "result" array of attachments');
      for (const row of rows) out.push(toAttachment(row, res, spec, this.transport));
      if (rows.length < pageSize) return out;
    }
  }

  /** One attachment's metadata (`GET /api/now/attachment/{sys_id}`); a missing one is a `NotFoundError`. */
  async get(sysId: string, options: CallOptions = {}): Promise<ServiceNowAttachment> {
    checkSysId(sysId, 'sysId');
    const spec: RequestSpec = { method: 'GET', path: path`/api/now/attachment/${sysId}`, operation: 'attachment.get', ...callFields(options) };
    return decodeAttachment(await this.transport.request(spec), spec, this.transport);
  }

  /**
   * The attachment's content as a stream, read as it arrives
   * (`GET /api/now/attachment/{sys_id}/file`). Read it to the end or cancel it,
   * which frees the connection.
   */
  async download(sysId: string, options: DownloadOptions = {}): Promise<ReadableStream<Uint8Array>> {
    checkSysId(sysId, 'sysId');
    const res = await this.transport.request<Response>({
      method: 'GET',
      path: path`/api/now/attachment/${sysId}/file`,
      headers: { accept: '*/*', ...options.headers },
      responseType: 'stream',
      operation: 'attachment.download',
      ...callFields({ ...options, headers: undefined }),
    });
    return downloadBody(res, options.onProgress);
  }

  /** Downloads the attachment into the file `target` (written as it arrives; removed again on a failure) and resolves with its size. */
  async downloadTo(sysId: string, target: string, options: DownloadOptions = {}): Promise<{ readonly path: string; readonly sizeBytes: number }> {
    const sizeBytes = await saveToFile(await this.download(sysId, options), target);
    return { path: target, sizeBytes };
  }

  /** Deletes an attachment (`DELETE /api/now/attachment/{sys_id}`, 204); a missing one is a `NotFoundError`. */
  async delete(sysId: string, options: CallOptions = {}): Promise<void> {
    checkSysId(sysId, 'sysId');
    await this.transport.request({ method: 'DELETE', path: path`/api/now/attachment/${sysId}`, responseType: 'none', operation: 'attachment.delete', ...callFields(options) });
  }

  private tooLarge(fileName: string, sizeBytes: number | undefined, source: 'client' | 'server', cause?: HttpError): AttachmentTooLargeError {
    return new AttachmentTooLargeError({
      platform: 'servicenow',
      fileName,
      sizeBytes,
      limitBytes: source === 'client' ? this.maxBytes : undefined,
      source,
      hint:
        source === 'client'
          ? 'compress or split the file, or, if the instance allows more, raise com.glide.attachment.max_size there and set the client\'s attachmentMaxSizeMb to match'
          : 'compress or split the file, or ask the instance admin to raise com.glide.attachment.max_size (and set attachmentMaxSizeMb to match)',
      cause,
    });
  }
}

/** 413, or the Attachment API's 400 for a file over `com.glide.attachment.max_size`. */
function isSizeRefusal(error: HttpError): boolean {
  if (error.status === 413) return true;
  const text = `${error.platformError?.message ?? ''} ${error.platformError?.detail ?? ''}`;
  return error.status === 400 && /too large|max(imum)?[ _.]?(file )?size|size limit/i.test(text);
}

function decodeAttachment(res: TransportResponse, spec: RequestSpec, transport: Transport): ServiceNowAttachment {
  const result = (res.data as { result?: unknown } | undefined)?.result;
  return toAttachment(result, res, spec, transport);
}

function toAttachment(row: unknown, res: TransportResponse, spec: RequestSpec, transport: Transport): ServiceNowAttachment {
  const r = row !== null && typeof row === 'object' && !Array.isArray(row) ? (row as Record<string, unknown>) : undefined;
  const sysId = r ? str(r['sys_id']) : undefined;
  const fileName = r ? str(r['file_name']) : undefined;
  if (!r || sysId === undefined || fileName === undefined) {
    throw wrongAnswer(res, where(spec, transport)(), 'came without an attachment record ("result" with "sys_id" and "file_name")');
  }
  return {
    sysId,
    fileName,
    contentType: str(r['content_type']) ?? 'application/octet-stream',
    sizeBytes: num(r['size_bytes']) ?? 0,
    sizeCompressed: num(r['size_compressed']),
    compressed: r['compressed'] === true || r['compressed'] === 'true',
    tableName: str(r['table_name']) ?? '',
    tableSysId: str(r['table_sys_id']) ?? '',
    downloadLink: str(r['download_link']) ?? '',
    createdOn: str(r['sys_created_on']),
    createdBy: str(r['sys_created_by']),
  };
}

/** Where an answer came from, for its error (the query left out: it names records). */
function where(spec: RequestSpec, transport: Transport): () => AnswerSource {
  return () => ({ platform: 'servicenow', method: spec.method, url: `${transport.baseUrl.replace(/\/$/, '')}${spec.path}` });
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A size: a number, or the string the Attachment API sends (`"36597"`). */
function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

function checkTable(name: string): void {
  if (typeof name !== 'string' || !/^[a-z0-9_]+$/.test(name)) {
    throw new ValidationError('Invalid attachment target', [{ field: 'tableName', rule: 'format', message: 'must be a table name: lower-case letters, digits and _' }]);
  }
}

function checkSysId(value: string, field: string): void {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) {
    throw new ValidationError('Invalid attachment target', [{ field, rule: 'format', message: 'must be a sys_id (32 hex characters)' }]);
  }
}
