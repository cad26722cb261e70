/**
 * Attachments against hand-written servers that answer with the vendors'
 * documented example payloads verbatim. The multipart body the client streams
 * is parsed back with the platform's own multipart parser.
 *
 * ServiceNow: Attachment API reference (servicenow.com/docs/r/api-reference/rest-apis/c_AttachmentAPI.html;
 * ServiceNow's own markdown copy: ServiceNow/ServiceNowDocs
 * markdown/api-reference/rest-apis/c_AttachmentAPI.md, release "australia"), the
 * response examples of `POST /now/attachment/file`, `GET /now/attachment` and
 * `GET /now/attachment/{sys_id}`.
 *
 * Jira Cloud: the platform's OpenAPI document (developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json,
 * version 1001.0.0-SNAPSHOT-57a0ca5b4a0bb0ac5f3fee4764acb1c14e4d7e71; copy at
 * jarekbird/jira-api-mcp-wrapper swagger-v3.v3.json), the 200 examples of
 * `addAttachment` (POST /rest/api/3/issue/{issueIdOrKey}/attachments),
 * `getAttachmentMeta` (GET /rest/api/3/attachment/meta) and `getAttachment`
 * (GET /rest/api/3/attachment/{id}), as the document holds them (one line each).
 * Note the two shapes: the upload answer (`Attachment`) has a string `id` and,
 * in the example, `created` in epoch milliseconds; the metadata answer
 * (`AttachmentMetadata`) a numeric `id` and a date-time string.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { JiraClient, ServiceNowClient } from '../../src/index.js';
import { close, listen } from '../helpers/servers.js';

/** `POST /now/attachment/file`, the documented answer. */
const SN_UPLOAD_EXAMPLE = `{
  "result": {
    "table_sys_id": "d71f7935c0a8016700802b64c67c11c6",
    "size_bytes": "36597",
    "download_link": "https://instance.servicenow.com/api/now/attachment/6ea10fe64f411200adf9f8e18110c739/file",
    "sys_updated_on": "2016-01-22 15:14:07",
    "sys_id": "6ea10fe64f411200adf9f8e18110c739",
    "image_height": "",
    "sys_created_on": "2016-01-22 15:14:07",
    "file_name": "Issue_screenshot",
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

/** `GET /now/attachment?sysparm_limit=1`, the documented answer. */
const SN_LIST_EXAMPLE = `{
  "result": [
    {
      "table_sys_id": "5054b6f8c0a800060056addcf551ecf8",
      "size_bytes": "462",
      "download_link": "https://instance.service-now.com/api/now/attachment/615ea769c0a80166001cf5f2367302f5/file",
      "sys_updated_on": "2009-05-21 04:12:21",
      "sys_id": "615ea769c0a80166001cf5f2367302f5",
      "image_height": "",
      "sys_created_on": "2009-05-21 04:12:21",
      "file_name": "blocks.swf",
      "sys_created_by": "glide.maint",
      "compressed": "true",
      "average_image_color": "",
      "sys_updated_by": "glide.maint",
      "sys_tags": "",
      "table_name": "content_block_programmatic",
      "image_width": "",
      "sys_mod_count": "0",
      "content_type": "application/x-shockwave-flash",
      "size_compressed": "485"
    }
  ]
}`;

/** `GET /now/attachment/{sys_id}`, the documented answer. */
const SN_GET_EXAMPLE = `{
  "result": {
    "table_sys_id": "5054b6f8c0a800060056addcf551ecf8",
    "size_bytes": "462",
    "download_link": "https://instance.service-now.com/api/now/attachment/615ea769c0a80166001cf5f2367302f5/file",
    "sys_updated_on": "2009-05-21 04:12:21",
    "sys_id": "615ea769c0a80166001cf5f2367302f5",
    "image_height": "",
    "sys_created_on": "2009-05-21 04:12:21",
    "file_name": "blocks.swf",
    "sys_created_by": "glide.maint",
    "compressed": "true",
    "average_image_color": "",
    "sys_updated_by": "glide.maint",
    "sys_tags": "",
    "table_name": "content_block_programmatic",
    "image_width": "",
    "sys_mod_count": "0",
    "content_type": "application/x-shockwave-flash",
    "size_compressed": "485"
  }
}`;

/** `addAttachment` 200 example: two files (the documented answer of a two-file form). */
const JIRA_ADD_EXAMPLE = `[{"author":{"accountId":"5b10a2844c20165700ede21g","active":true,"avatarUrls":{"16x16":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=16&s=16","24x24":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=24&s=24","32x32":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=32&s=32","48x48":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=48&s=48"},"displayName":"Mia Krystof","emailAddress":"mia@example.com","self":"https://your-domain.atlassian.net/rest/api/3/user?accountId=5b10a2844c20165700ede21g","timeZone":"Australia/Sydney"},"content":"https://your-domain.atlassian.net/rest/api/3/attachment/content/10000","created":1651316514000,"filename":"picture.jpg","id":"10001","mimeType":"image/jpeg","self":"https://your-domain.atlassian.net/rest/api/3/attachments/10000","size":23123,"thumbnail":"https://your-domain.atlassian.net/rest/api/3/attachment/thumbnail/10000"},{"author":{"accountId":"5b10a2844c20165700ede21g","active":true,"avatarUrls":{"16x16":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=16&s=16","24x24":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=24&s=24","32x32":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=32&s=32","48x48":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=48&s=48"},"displayName":"Mia Krystof","emailAddress":"mia@example.com","self":"https://your-domain.atlassian.net/rest/api/3/user?accountId=5b10a2844c20165700ede21g","timeZone":"Australia/Sydney"},"content":"https://your-domain.atlassian.net/rest/api/3/attachment/content/10001","created":1658898511000,"filename":"dbeuglog.txt","mimeType":"text/plain","self":"https://your-domain.atlassian.net/rest/api/3/attachments/10001","size":2460}]`;

/** `getAttachmentMeta` 200 example. */
const JIRA_META_EXAMPLE = `{"enabled":true,"uploadLimit":1000000}`;

/** `getAttachment` 200 example. */
const JIRA_GET_EXAMPLE = `{"author":{"accountId":"5b10a2844c20165700ede21g","accountType":"atlassian","active":false,"avatarUrls":{"16x16":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=16&s=16","24x24":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=24&s=24","32x32":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=32&s=32","48x48":"https://avatar-management--avatars.server-location.prod.public.atl-paas.net/initials/MK-5.png?size=48&s=48"},"displayName":"Mia Krystof","key":"","name":"","self":"https://your-domain.atlassian.net/rest/api/3/user?accountId=5b10a2844c20165700ede21g"},"content":"https://your-domain.atlassian.net/jira/rest/api/3/attachment/content/10000","created":"2022-10-06T07:32:47.000+0000","filename":"picture.jpg","id":10000,"mimeType":"image/jpeg","self":"https://your-domain.atlassian.net/rest/api/3/attachments/10000","size":23123,"thumbnail":"https://your-domain.atlassian.net/jira/rest/api/3/attachment/thumbnail/10000"}`;

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
      res.writeHead(201, { 'content-type': 'application/json', location: 'https://instance.servicenow.com/api/now/attachment/6ea10fe64f411200adf9f8e18110c739' });
      res.end(SN_UPLOAD_EXAMPLE);
    });
    const sn = new ServiceNowClient({ instanceUrl: url, auth: { type: 'basic', username: 'admin', password: 'pw' } });
    const att = await sn.attachments.upload('incident', 'd71f7935c0a8016700802b64c67c11c6', new Blob([payload], { type: 'image/jpeg' }), { fileName: 'Issue_screenshot' });
    expect(att).toEqual({
      sysId: '6ea10fe64f411200adf9f8e18110c739',
      fileName: 'Issue_screenshot',
      contentType: 'image/jpeg',
      sizeBytes: 36597,
      sizeCompressed: 25130,
      compressed: true,
      tableName: 'incident',
      tableSysId: 'd71f7935c0a8016700802b64c67c11c6',
      downloadLink: 'https://instance.servicenow.com/api/now/attachment/6ea10fe64f411200adf9f8e18110c739/file',
      createdOn: '2016-01-22 15:14:07',
      createdBy: 'admin',
    });
    const [req] = seen;
    expect(req?.url).toBe('/api/now/attachment/file?table_name=incident&table_sys_id=d71f7935c0a8016700802b64c67c11c6&file_name=Issue_screenshot');
    expect(req?.headers['content-type']).toBe('image/jpeg');
    expect(req?.headers['content-length']).toBe(String(payload.length));
    expect(Buffer.compare(req?.body ?? Buffer.alloc(0), Buffer.from(payload))).toBe(0);
  });

  it('ServiceNow: the documented list and metadata answers decode alike', async () => {
    const { url, seen } = await serve((s, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(s.url.startsWith('/api/now/attachment?') ? SN_LIST_EXAMPLE : SN_GET_EXAMPLE);
    });
    const sn = new ServiceNowClient({ instanceUrl: url, auth: { type: 'basic', username: 'admin', password: 'pw' } });
    const expected = {
      sysId: '615ea769c0a80166001cf5f2367302f5',
      fileName: 'blocks.swf',
      contentType: 'application/x-shockwave-flash',
      sizeBytes: 462,
      sizeCompressed: 485,
      compressed: true,
      tableName: 'content_block_programmatic',
      tableSysId: '5054b6f8c0a800060056addcf551ecf8',
      downloadLink: 'https://instance.service-now.com/api/now/attachment/615ea769c0a80166001cf5f2367302f5/file',
      createdOn: '2009-05-21 04:12:21',
      createdBy: 'glide.maint',
    };
    expect(await sn.attachments.list('content_block_programmatic', '5054b6f8c0a800060056addcf551ecf8')).toEqual([expected]);
    expect(await sn.attachments.get('615ea769c0a80166001cf5f2367302f5')).toEqual(expected);
    expect(seen.map((s) => s.url.split('?')[0])).toEqual(['/api/now/attachment', '/api/now/attachment/615ea769c0a80166001cf5f2367302f5']);
  });

  it('Jira: the documented meta and add-attachment answers; the streamed multipart parses as one "file" part', async () => {
    const { url, seen } = await serve((s, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(s.url.endsWith('/attachment/meta') ? JIRA_META_EXAMPLE : JIRA_ADD_EXAMPLE);
    });
    const jira = new JiraClient({ baseUrl: url, auth: { type: 'basic', email: 'a@example.com', apiToken: 't' } });
    expect(await jira.attachments.limits()).toEqual({ enabled: true, uploadLimitBytes: 1000000 });
    const att = await jira.attachments.upload('TEST-123', new Blob([payload], { type: 'image/jpeg' }), { fileName: 'picture.jpg' });
    // The first entry of the documented two-file answer; its `created` is epoch milliseconds (1651316514000).
    expect(att).toEqual({
      id: '10001',
      fileName: 'picture.jpg',
      sizeBytes: 23123,
      mimeType: 'image/jpeg',
      contentUrl: 'https://your-domain.atlassian.net/rest/api/3/attachment/content/10000',
      thumbnailUrl: 'https://your-domain.atlassian.net/rest/api/3/attachment/thumbnail/10000',
      created: '2022-04-30T11:01:54.000+0000',
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

  it('Jira: the documented attachment metadata (numeric id, date-time string) decodes to the same shape', async () => {
    const { url, seen } = await serve((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JIRA_GET_EXAMPLE);
    });
    const jira = new JiraClient({ baseUrl: url, auth: { type: 'basic', email: 'a@example.com', apiToken: 't' } });
    expect(await jira.attachments.get('10000')).toEqual({
      id: '10000',
      fileName: 'picture.jpg',
      sizeBytes: 23123,
      mimeType: 'image/jpeg',
      contentUrl: 'https://your-domain.atlassian.net/jira/rest/api/3/attachment/content/10000',
      thumbnailUrl: 'https://your-domain.atlassian.net/jira/rest/api/3/attachment/thumbnail/10000',
      created: '2022-10-06T07:32:47.000+0000',
      authorId: '5b10a2844c20165700ede21g',
    });
    expect(seen[0]?.url).toBe('/rest/api/3/attachment/10000');
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
