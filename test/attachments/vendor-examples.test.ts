/**
 * Attachments against hand-written servers that answer with the vendors'
 * documented example payloads verbatim: ServiceNow's Attachment API
 * `POST /now/attachment/file` example (docs: REST API reference, Attachment
 * API), and Jira Cloud's "Add attachment" and "Get attachment settings"
 * examples (developer.atlassian.com, Issue attachments). The multipart body the
 * client streams is parsed back with the platform's own multipart parser.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { JiraClient, ServiceNowClient } from '../../src/index.js';
import { close, listen } from '../helpers/servers.js';

const SN_UPLOAD_EXAMPLE = `{
  "result": {
    "table_sys_id": "d71f7935c0a8016700802b64c67c11c6",
    "size_bytes": "36597",
    "download_link": "https://instance.service-now.com/api/now/attachment/994adbc64f511200adf9f8e18110c796/file",
    "sys_updated_on": "2016-02-02 14:00:21",
    "sys_id": "994adbc64f511200adf9f8e18110c796",
    "image_height": "",
    "sys_created_on": "2016-02-02 14:00:21",
    "file_name": "banner-CS0001345_v1_1.jpeg",
    "sys_created_by": "admin",
    "compressed": "true",
    "average_image_color": "",
    "sys_updated_by": "admin",
    "sys_tags": "",
    "table_name": "incident",
    "image_width": "",
    "sys_mod_count": "0",
    "content_type": "image/jpeg",
    "size_compressed": "25130"
  }
}`;

const JIRA_ADD_EXAMPLE = `[
  {
    "author": {
      "accountId": "5b10a2844c20165700ede21g",
      "accountType": "atlassian",
      "active": false,
      "avatarUrls": {
        "16x16": "https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=16&s=16",
        "24x24": "https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=24&s=24",
        "32x32": "https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=32&s=32",
        "48x48": "https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=48&s=48"
      },
      "displayName": "Mia Krystof",
      "key": "",
      "name": "",
      "self": "https://your-domain.atlassian.net/rest/api/3/user?accountId=5b10a2844c20165700ede21g"
    },
    "content": "https://your-domain.atlassian.net/jira/rest/api/3/attachment/content/10000",
    "created": "2023-06-24T19:24:50.000+0000",
    "filename": "picture.jpg",
    "id": 10001,
    "mimeType": "image/jpeg",
    "self": "https://your-domain.atlassian.net/rest/api/3/attachments/10000",
    "size": 23123,
    "thumbnail": "https://your-domain.atlassian.net/jira/rest/api/3/attachment/thumbnail/10000"
  }
]`;

const JIRA_META_EXAMPLE = `{
  "enabled": true,
  "uploadLimit": 1000000
}`;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(answer: (seen: Seen, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await listen(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
        seen.push(s);
        answer(s, res);
      });
    }),
  );
  servers.push({ close: () => close(server) });
  return { url: `http://127.0.0.1:${server.port}`, seen };
}

const payload = new Uint8Array(300_000).map((_, i) => (i * 7) % 256);

describe('vendor examples, verbatim', () => {
  it('ServiceNow: the documented upload answer becomes a typed record with numeric sizes', async () => {
    const { url, seen } = await serve((_, res) => {
      res.writeHead(201, { 'content-type': 'application/json', location: 'https://instance.service-now.com/api/now/attachment/994adbc64f511200adf9f8e18110c796' });
      res.end(SN_UPLOAD_EXAMPLE);
    });
    const sn = new ServiceNowClient({ instanceUrl: url, auth: { type: 'basic', username: 'admin', password: 'pw' } });
    const att = await sn.attachments.upload('incident', 'd71f7935c0a8016700802b64c67c11c6', new Blob([payload]), { fileName: 'banner-CS0001345_v1_1.jpeg' });
    expect(att).toEqual({
      sysId: '994adbc64f511200adf9f8e18110c796',
      fileName: 'banner-CS0001345_v1_1.jpeg',
      contentType: 'image/jpeg',
      sizeBytes: 36597,
      sizeCompressed: 25130,
      compressed: true,
      tableName: 'incident',
      tableSysId: 'd71f7935c0a8016700802b64c67c11c6',
      downloadLink: 'https://instance.service-now.com/api/now/attachment/994adbc64f511200adf9f8e18110c796/file',
      createdOn: '2016-02-02 14:00:21',
      createdBy: 'admin',
    });
    const [req] = seen;
    expect(req?.url).toBe('/api/now/attachment/file?table_name=incident&table_sys_id=d71f7935c0a8016700802b64c67c11c6&file_name=banner-CS0001345_v1_1.jpeg');
    expect(req?.headers['content-type']).toBe('image/jpeg');
    expect(req?.headers['content-length']).toBe(String(payload.length));
    expect(Buffer.compare(req?.body ?? Buffer.alloc(0), Buffer.from(payload))).toBe(0);
  });

  it('Jira: the documented meta and add-attachment answers; the streamed multipart parses as one "file" part', async () => {
    const { url, seen } = await serve((s, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(s.url.endsWith('/attachment/meta') ? JIRA_META_EXAMPLE : JIRA_ADD_EXAMPLE);
    });
    const jira = new JiraClient({ baseUrl: url, auth: { type: 'basic', email: 'a@example.com', apiToken: 't' } });
    expect(await jira.attachments.limits()).toEqual({ enabled: true, uploadLimitBytes: 1000000 });
    const att = await jira.attachments.upload('TEST-123', new Blob([payload], { type: 'image/jpeg' }), { fileName: 'picture.jpg' });
    expect(att).toEqual({
      id: '10001',
      fileName: 'picture.jpg',
      sizeBytes: 23123,
      mimeType: 'image/jpeg',
      contentUrl: 'https://your-domain.atlassian.net/jira/rest/api/3/attachment/content/10000',
      thumbnailUrl: 'https://your-domain.atlassian.net/jira/rest/api/3/attachment/thumbnail/10000',
      created: '2023-06-24T19:24:50.000+0000',
      authorId: '5b10a2844c20165700ede21g',
    });
    const upload = seen.find((s) => s.method === 'POST');
    expect(upload?.url).toBe('/rest/api/3/issue/TEST-123/attachments');
    expect(upload?.headers['x-atlassian-token']).toBe('no-check');
    expect(Number(upload?.headers['content-length'])).toBe(upload?.body.length);
    const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': String(upload?.headers['content-type']) }, body: upload ? new Uint8Array(upload.body) : null }).formData();
    const file = form.get('file') as File;
    expect([file.name, file.type, file.size, [...form.keys()]]).toEqual(['picture.jpg', 'image/jpeg', payload.length, ['file']]);
    expect(Buffer.compare(Buffer.from(await file.arrayBuffer()), Buffer.from(payload))).toBe(0);
  });

  it('Jira: a file over the documented uploadLimit is refused before the upload is sent', async () => {
    const { url, seen } = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JIRA_META_EXAMPLE);
    });
    const jira = new JiraClient({ baseUrl: url, auth: { type: 'basic', email: 'a@example.com', apiToken: 't' } });
    await expect(jira.attachments.upload('TEST-123', new Uint8Array(1_000_001), { fileName: 'big.zip' })).rejects.toMatchObject({ name: 'AttachmentTooLargeError', limitBytes: 1000000, sizeBytes: 1000001 });
    expect(seen.map((s) => s.method)).toEqual(['GET']);
  });
});
