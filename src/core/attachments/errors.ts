import { hasErrorKind, ItsmError, type Platform } from '../errors.js';

/** What an upload was refused for being over a limit. */
export interface AttachmentTooLargeInit {
  readonly platform: Platform;
  /** The file's name as it would be stored. */
  readonly fileName: string;
  /** The upload's size, when known. */
  readonly sizeBytes: number | undefined;
  /** The limit, when known. */
  readonly limitBytes: number | undefined;
  /** Where the limit came from: checked before sending, or refused by the server (HTTP 413 or its message). */
  readonly source: 'client' | 'server';
  /** What to do about it. */
  readonly hint: string;
  readonly cause?: unknown;
}

/**
 * An attachment is over the platform's size limit: found before anything was
 * sent (`source: 'client'`) or refused by the server (`source: 'server'`).
 * The message says the size, the limit and what to do.
 */
export class AttachmentTooLargeError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'AttachmentTooLargeError';

  readonly platform: Platform;
  readonly fileName: string;
  readonly sizeBytes: number | undefined;
  readonly limitBytes: number | undefined;
  readonly source: 'client' | 'server';
  constructor(init: AttachmentTooLargeInit) {
    const size = init.sizeBytes === undefined ? '' : ` (${formatBytes(init.sizeBytes)})`;
    const limit = init.limitBytes === undefined ? '' : ` of ${formatBytes(init.limitBytes)}`;
    const who = init.source === 'client' ? 'is over' : 'was refused by the server: it is over';
    super(`${init.platform} attachment "${init.fileName}"${size} ${who} the attachment size limit${limit}: ${init.hint}`, { cause: init.cause });
    this.platform = init.platform;
    this.fileName = init.fileName;
    this.sizeBytes = init.sizeBytes;
    this.limitBytes = init.limitBytes;
    this.source = init.source;
  }
}

/** Why an upload's source failed. */
export type AttachmentSourceReason = 'not-found' | 'not-a-file' | 'read-failed';

/**
 * The upload's source could not be read: the file does not exist, is not a
 * regular file, or failed while it was read (deleted, truncated, a stream
 * that errored). Names the file (`path`, or `stream` for one given as a stream);
 * `cause` is the underlying error.
 */
export class AttachmentSourceError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'AttachmentSourceError';

  /** The file path, or `undefined` for a stream, Blob or bytes. */
  readonly path: string | undefined;
  readonly reason: AttachmentSourceReason;
  /** Bytes of the source read before it failed. */
  readonly loadedBytes: number;
  constructor(init: { readonly path: string | undefined; readonly reason: AttachmentSourceReason; readonly loadedBytes: number; readonly cause?: unknown }) {
    const what = init.path === undefined ? 'The upload stream' : `The file "${init.path}"`;
    const messages: Record<AttachmentSourceReason, string> = {
      'not-found': 'does not exist: check the path (relative paths resolve against the process working directory)',
      'not-a-file': 'is not a regular file (a directory or a device): pass the path of a file',
      'read-failed': `failed after ${init.loadedBytes} bytes were read (deleted, truncated or changed while it was uploaded)${init.path === undefined ? '' : ': upload it again once it is stable'}; nothing was attached`,
    };
    super(`${what} ${messages[init.reason]}`, { cause: init.cause });
    this.path = init.path;
    this.reason = init.reason;
    this.loadedBytes = init.loadedBytes;
  }
}

/** Jira answered that attachments are turned off on the site (`/attachment/meta` `enabled: false`). */
export class AttachmentsDisabledError extends ItsmError {
  /** @internal */
  static override readonly errorKind: string = 'AttachmentsDisabledError';

  readonly platform: Platform;
  constructor(platform: Platform, options: { readonly cause?: unknown } = {}) {
    super(`Attachments are disabled on this ${platform} site: a Jira administrator can turn them on (Settings > System > Attachments)`, options);
    this.platform = platform;
  }
}

/** True for {@link AttachmentTooLargeError} (works across duplicate installs). */
export const isAttachmentTooLargeError = (e: unknown): e is AttachmentTooLargeError => hasErrorKind(e, 'AttachmentTooLargeError');
/** True for {@link AttachmentSourceError} (works across duplicate installs). */
export const isAttachmentSourceError = (e: unknown): e is AttachmentSourceError => hasErrorKind(e, 'AttachmentSourceError');
/** True for {@link AttachmentsDisabledError} (works across duplicate installs). */
export const isAttachmentsDisabledError = (e: unknown): e is AttachmentsDisabledError => hasErrorKind(e, 'AttachmentsDisabledError');

/** `1.5 MB`, `300 KB`, `12 bytes`: binary units, for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
