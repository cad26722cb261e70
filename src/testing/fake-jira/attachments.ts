import { FakeAttachmentStore, parseMultipartFile, type FakeAttachment } from '../fake-attachments.js';
import { json } from '../handler.js';

/** The attachment paths of the REST API (and Data Center's `/secure/attachment` content URL). */
export const JIRA_ATTACHMENT_PATH = /^(?:\/rest\/api\/(2|3)\/(?:issue\/([^/]+)\/attachments|attachment\/(meta|content\/[^/]+|[^/]+))|\/secure\/attachment\/([^/]+)\/[^/]*)$/;

const ERR = (errorMessages: string[], status: number) => json({ errorMessages, errors: {} }, status);

/** What the fake Jira hands its attachment API for one request. */
export interface JiraAttachmentRequest {
  readonly req: Request;
  readonly url: URL;
  /** The path (OAuth gateway prefix removed). */
  readonly path: string;
  /** The site's base for links (`https://x.atlassian.net` or the gateway's). */
  readonly origin: string;
  /** The caller's account id, or `undefined` when anonymous. */
  readonly accountId: string | undefined;
  /** An issue id by key or id, when it exists. */
  readonly issueId: (idOrKey: string) => string | undefined;
}

/**
 * The fake Jira's attachments, as the site answers: `multipart/form-data`
 * uploads (field `file`) that need `X-Atlassian-Token: no-check` (403 `XSRF
 * check failed` without), an array answer, 404 for an unknown issue, 413 over
 * `uploadLimit`, 403 when attachments are off, `/attachment/meta`, metadata,
 * content (Cloud: a 303 to the content unless `redirect=false`), 204 on delete.
 */
export class FakeJiraAttachments {
  readonly store = new FakeAttachmentStore();
  /** Whether attachments are on (`/attachment/meta` `enabled`). */
  enabled = true;
  private seq = 10000;

  constructor(
    private readonly deployment: 'cloud' | 'datacenter',
    private readonly now: () => number,
    /** The largest upload accepted, in bytes. */
    public uploadLimitBytes: number,
  ) {}

  async handle(r: JiraAttachmentRequest): Promise<Response> {
    const m = JIRA_ATTACHMENT_PATH.exec(r.path) as RegExpExecArray;
    const [, version = this.deployment === 'cloud' ? '3' : '2', issueRef, sub, secureId] = m;
    if (this.deployment === 'datacenter' && version === '3') return ERR([`null for uri: ${r.url.href}`], 404);
    const method = r.req.method;
    if (issueRef !== undefined && method === 'POST') return this.upload(r, decodeURIComponent(issueRef), version);
    if (!r.accountId) return ERR(['You are not authenticated. Authentication required to perform this operation.'], 401);
    if (sub === 'meta' && method === 'GET') return json({ enabled: this.enabled, uploadLimit: this.uploadLimitBytes });
    const contentId = secureId ?? (sub?.startsWith('content/') ? decodeURIComponent(sub.slice(8)) : undefined);
    if (contentId !== undefined && method === 'GET') {
      const attachment = this.store.get(contentId);
      if (!attachment) return ERR(['The attachment with id ' + contentId + ' does not exist'], 404);
      if (secureId === undefined && r.url.searchParams.get('redirect') !== 'false') {
        return new Response(null, { status: 303, headers: { location: `${r.origin}/rest/api/${version}/attachment/content/${contentId}?redirect=false` } });
      }
      return new Response(this.store.stream(attachment), { status: 200, headers: { 'content-type': attachment.contentType, 'content-length': String(attachment.sizeBytes) } });
    }
    if (sub !== undefined && contentId === undefined) {
      const id = decodeURIComponent(sub);
      const attachment = this.store.get(id);
      if (!attachment) return ERR([`The attachment with id ${id} does not exist`], 404);
      if (method === 'GET') return json({ ...this.render(attachment, r.origin, version), id: Number(attachment.id) });
      if (method === 'DELETE') {
        this.store.delete(id);
        return new Response(null, { status: 204 });
      }
    }
    return ERR([`null for uri: ${r.url.href}`], 404);
  }

  private async upload(r: JiraAttachmentRequest, issueRef: string, version: string): Promise<Response> {
    const refuse = async (response: Response) => {
      await r.req.body?.cancel().catch(() => {});
      return response;
    };
    if (r.req.headers.get('x-atlassian-token')?.toLowerCase() !== 'no-check') {
      return refuse(new Response('XSRF check failed', { status: 403, headers: { 'content-type': 'text/plain;charset=UTF-8' } }));
    }
    const issueId = r.accountId ? r.issueId(issueRef) : undefined;
    if (!issueId) return refuse(ERR(['Issue does not exist or you do not have permission to see it.'], 404));
    if (!this.enabled) return refuse(ERR(['Attachments are disabled.'], 403));
    const type = r.req.headers.get('content-type') ?? '';
    if (!/^multipart\/form-data/i.test(type)) return refuse(ERR(['The request was not a multipart request.'], 415));
    // The limit applies to the file; the multipart envelope is allowed on top of it.
    const received = await this.store.receive(r.req.body, this.uploadLimitBytes + 16 * 1024);
    const part = received.ok ? parseMultipartFile(received.chunks, type) : undefined;
    if (!received.ok || (part && part.sizeBytes > this.uploadLimitBytes)) {
      return ERR([`The file you are trying to upload is larger than the ${this.uploadLimitBytes} bytes limit.`], 413);
    }
    if (!part || part.field !== 'file') return ERR(['The multipart request has no "file" part.'], 400);
    const attachment = this.store.add({
      id: String(++this.seq),
      fileName: part.fileName,
      contentType: part.contentType,
      sizeBytes: part.sizeBytes,
      owner: issueId,
      created: this.now(),
      createdBy: r.accountId as string,
      chunks: part.chunks,
    });
    return json([this.render(attachment, r.origin, version)]);
  }

  private render(a: FakeAttachment, origin: string, version: string): Record<string, unknown> {
    const author = this.deployment === 'cloud' ? { accountId: a.createdBy, accountType: 'atlassian', active: true, displayName: 'Demo User' } : { name: a.createdBy, key: a.createdBy, active: true, displayName: 'Demo User' };
    return {
      self: `${origin}/rest/api/${version}/attachment/${a.id}`,
      id: a.id,
      filename: a.fileName,
      author,
      created: new Date(a.created).toISOString().replace('Z', '+0000'),
      size: a.sizeBytes,
      mimeType: a.contentType,
      content: this.deployment === 'cloud' ? `${origin}/rest/api/3/attachment/content/${a.id}` : `${origin}/secure/attachment/${a.id}/${encodeURIComponent(a.fileName)}`,
    };
  }
}
