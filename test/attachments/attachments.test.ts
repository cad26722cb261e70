import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JiraClient, ServiceNowClient } from '../../src/index.js';
import { isAttachmentSourceError, isAttachmentsDisabledError, isAttachmentTooLargeError } from '../../src/core/attachments/errors.js';
import { FakeJira, FakeServiceNow, serveHandler } from '../../src/testing/index.js';
import type { TransferProgress } from '../../src/core/attachments/progress.js';

const SN_AUTH = { type: 'basic', username: 'admin', password: 'sandbox-password' } as const;
const JIRA_AUTH = { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } as const;
let dir: string;
let file: string;
const bytes = new Uint8Array(700_000).map((_, i) => i % 251);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'itsmkit-att-'));
  file = join(dir, 'app.log');
  await writeFile(file, bytes);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Byte equality without vitest's element-by-element diff (slow on 700 KB). */
function expectBytes(actual: Uint8Array): void {
  expect(Buffer.compare(Buffer.from(actual), Buffer.from(bytes))).toBe(0);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function snOverFetch() {
  const fake = new FakeServiceNow();
  const sn = new ServiceNowClient({ instanceUrl: 'https://fake.service-now.com', auth: SN_AUTH, fetch: fake.fetch, retry: { minDelayMs: 1, maxDelayMs: 1 } });
  const inc = fake.insert('incident', { short_description: 'disk full' });
  return { fake, sn, sysId: inc['sys_id'] as string };
}

describe('ServiceNow attachments (fetch wire)', () => {
  it('uploads a file path, lists, gets, downloads and deletes it', async () => {
    const { sn, sysId, fake } = snOverFetch();
    const seen: TransferProgress[] = [];
    const att = await sn.attachments.upload('incident', sysId, file, { onProgress: (p) => seen.push(p) });
    expect(att).toMatchObject({ fileName: 'app.log', contentType: 'text/plain', sizeBytes: bytes.length, tableName: 'incident', tableSysId: sysId });
    expect(seen.at(-1)).toEqual({ loadedBytes: bytes.length, totalBytes: bytes.length });
    const sent = fake.requestsTo('/api/now/attachment/file', 'POST')[0];
    expect(sent?.query).toEqual({ table_name: 'incident', table_sys_id: sysId, file_name: 'app.log' });
    expect(sent?.headers['content-type']).toBe('text/plain');
    expect(await sn.attachments.list('incident', sysId)).toEqual([att]);
    expect(await sn.attachments.get(att.sysId)).toEqual(att);
    expectBytes(await readAll(await sn.attachments.download(att.sysId)));
    const target = join(dir, 'copy.log');
    expect(await sn.attachments.downloadTo(att.sysId, target)).toEqual({ path: target, sizeBytes: bytes.length });
    expectBytes(await readFile(target));
    await sn.attachments.delete(att.sysId);
    await expect(sn.attachments.get(att.sysId)).rejects.toMatchObject({ name: 'NotFoundError', status: 404 });
  });

  it('uploads a web stream, a Blob and bytes with a content type from the name or given', async () => {
    const { sn, sysId } = snOverFetch();
    const stream = new Blob([bytes]).stream();
    expect(await sn.attachments.upload('incident', sysId, stream, { fileName: 'trace.har' })).toMatchObject({ contentType: 'application/json', sizeBytes: bytes.length });
    expect(await sn.attachments.upload('incident', sysId, new Blob(['a,b']), { fileName: 'x.csv' })).toMatchObject({ contentType: 'text/csv', sizeBytes: 3 });
    expect(await sn.attachments.upload('incident', sysId, new Uint8Array([1, 2]), { fileName: 'x.bin', contentType: 'application/x-custom' })).toMatchObject({ contentType: 'application/x-custom', sizeBytes: 2 });
  });

  it('refuses a missing record (404), a missing file and a file over the client limit, typed', async () => {
    const { sn, sysId, fake } = snOverFetch();
    await expect(sn.attachments.upload('incident', 'f'.repeat(32), file)).rejects.toMatchObject({ name: 'NotFoundError' });
    const missing = await sn.attachments.upload('incident', sysId, join(dir, 'nope.log')).catch((e: unknown) => e);
    expect(isAttachmentSourceError(missing) && missing.reason).toBe('not-found');
    expect(String((missing as Error).message)).toContain('nope.log');
    const small = new ServiceNowClient({ instanceUrl: 'https://fake.service-now.com', auth: SN_AUTH, fetch: fake.fetch, attachmentMaxSizeMb: 0.5 });
    const tooBig = await small.attachments.upload('incident', sysId, file).catch((e: unknown) => e);
    expect(isAttachmentTooLargeError(tooBig) && tooBig.source).toBe('client');
    expect(fake.requestsTo('/api/now/attachment/file')).toHaveLength(1);
  });

  it('maps the server\'s 413 to AttachmentTooLargeError', async () => {
    const { sn, sysId, fake } = snOverFetch();
    fake.attachments.maxSizeBytes = 1000;
    const error = await sn.attachments.upload('incident', sysId, file).catch((e: unknown) => e);
    expect(isAttachmentTooLargeError(error) && error.source).toBe('server');
  });

  it('a stream that fails mid-upload is an AttachmentSourceError, and the upload is not retried', async () => {
    const { sn, sysId, fake } = snOverFetch();
    let pulls = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        if (++pulls > 2) c.error(new Error('disk went away'));
        else c.enqueue(new Uint8Array(1000));
      },
    });
    const error = await sn.attachments.upload('incident', sysId, failing, { fileName: 'x.log' }).catch((e: unknown) => e);
    expect(isAttachmentSourceError(error) && error.reason).toBe('read-failed');
    expect(fake.requestsTo('/api/now/attachment/file')).toHaveLength(1);
  });

  it('a consumed stream is not sent again after a retryable answer; a file path is', async () => {
    const { sn, sysId, fake } = snOverFetch();
    fake.faults.add({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } } });
    const error = await sn.attachments.upload('incident', sysId, new Blob([bytes]).stream(), { fileName: 'x.log' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RateLimitError' });
    expect(String((error as Error).message)).toMatch(/was a stream and was already/);
    expect(fake.requestsTo('/api/now/attachment/file')).toHaveLength(1);
    fake.faults.add({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } } });
    expect(await sn.attachments.upload('incident', sysId, file)).toMatchObject({ sizeBytes: bytes.length });
    expect(fake.requestsTo('/api/now/attachment/file')).toHaveLength(3);
  });

  it('a file that shrinks while it is uploaded is an AttachmentSourceError naming it', async () => {
    const { sn, sysId } = snOverFetch();
    const shrinking = join(dir, 'shrinking.log');
    await writeFile(shrinking, new Uint8Array(2_000_000));
    const error = await sn.attachments.upload('incident', sysId, shrinking, { onProgress: () => void truncate(shrinking, 10) }).catch((e: unknown) => e);
    expect(isAttachmentSourceError(error) && error.path).toBe(shrinking);
  });
});

describe('attachments over the Node (undici) wire, through the served fakes', () => {
  it('ServiceNow and Jira upload and download a file, streamed', async () => {
    const snFake = new FakeServiceNow();
    const jiraFake = new FakeJira();
    const [a, b] = await Promise.all([serveHandler(snFake.handle), serveHandler(jiraFake.handle)]);
    try {
      const sysId = snFake.insert('incident', { short_description: 'x' })['sys_id'] as string;
      const sn = new ServiceNowClient({ instanceUrl: a.url, auth: SN_AUTH });
      const att = await sn.attachments.upload('incident', sysId, file);
      expectBytes(await readAll(await sn.attachments.download(att.sysId)));
      const jira = new JiraClient({ baseUrl: b.url, auth: JIRA_AUTH });
      const issue = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' });
      const jatt = await jira.attachments.upload(issue.key, new URL(`file://${file}`));
      expect(jatt).toMatchObject({ fileName: 'app.log', sizeBytes: bytes.length, mimeType: 'text/plain' });
      expectBytes(await readAll(await jira.attachments.download(jatt.id)));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('input checks and odd answers', () => {
  it('ServiceNow: bad targets, a bad limit option, a 400 size refusal and an answer without records', async () => {
    const { sn, sysId, fake } = snOverFetch();
    await expect(sn.attachments.upload('Bad Table', sysId, file)).rejects.toMatchObject({ name: 'ValidationError', issues: [{ field: 'tableName' }] });
    await expect(sn.attachments.get('../x')).rejects.toMatchObject({ name: 'ValidationError', issues: [{ field: 'sysId' }] });
    expect(() => new ServiceNowClient({ instanceUrl: 'https://a.service-now.com', auth: SN_AUTH, attachmentMaxSizeMb: 0 })).toThrow(/attachmentMaxSizeMb/);
    fake.faults.add({ fault: { kind: 'status', status: 400, body: { error: { message: 'Failed to create the attachment. File part might be too large.', detail: null }, status: 'failure' } } });
    const refused = await sn.attachments.upload('incident', sysId, file).catch((e: unknown) => e);
    expect(isAttachmentTooLargeError(refused) && refused.source).toBe('server');
    fake.faults.add({ fault: { kind: 'status', status: 200, body: { result: {} } } });
    await expect(sn.attachments.list('incident', sysId)).rejects.toMatchObject({ name: 'UnexpectedResponseError' });
    fake.faults.add({ fault: { kind: 'status', status: 200, body: { result: [{ sys_id: 'x' }] } } });
    await expect(sn.attachments.list('incident', sysId)).rejects.toMatchObject({ name: 'UnexpectedResponseError' });
  });

  it('Jira: downloadTo, an answer that is not an attachment, meta without enabled, a content URL on another origin', async () => {
    const fake = new FakeJira({ deployment: 'datacenter' });
    const jira = new JiraClient({ baseUrl: 'https://fake.atlassian.net', auth: { type: 'bearer', token: 'sandbox-pat' }, fetch: fake.fetch, deployment: 'datacenter' });
    const issue = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' });
    const att = await jira.attachments.upload(issue.key, new Uint8Array([1, 2, 3]), { fileName: 'a.bin' });
    const target = join(dir, 'jira.bin');
    expect(await jira.attachments.downloadTo(att.id, target)).toEqual({ path: target, sizeBytes: 3 });
    fake.faults.add({ fault: { kind: 'status', status: 200, body: { id: 1, filename: 'a.bin', content: 'https://elsewhere.example.com/secure/attachment/1/a.bin' } } });
    await expect(jira.attachments.download(att.id)).rejects.toMatchObject({ name: 'ConfigError', issues: [{ rule: 'origin' }] });
    fake.faults.add({ fault: { kind: 'status', status: 200, body: { id: 1, filename: 'a.bin' } } });
    await expect(jira.attachments.download(att.id)).rejects.toMatchObject({ name: 'ConfigError', issues: [{ rule: 'content' }] });
    fake.faults.add({ fault: { kind: 'status', status: 200, body: { nope: true } } });
    await expect(jira.attachments.get(att.id)).rejects.toMatchObject({ name: 'UnexpectedResponseError' });
    fake.faults.add({ fault: { kind: 'status', status: 200, body: {} } });
    await expect(jira.attachments.limits()).rejects.toMatchObject({ name: 'UnexpectedResponseError' });
  });
});

describe('failures over the Node (undici) wire', () => {
  it('413 from the served fake, a stream failing mid-upload and a shrinking file are typed, never unhandled', async () => {
    const snFake = new FakeServiceNow();
    const served = await serveHandler(snFake.handle);
    try {
      const sysId = snFake.insert('incident', { short_description: 'x' })['sys_id'] as string;
      const sn = new ServiceNowClient({ instanceUrl: served.url, auth: SN_AUTH, retry: { minDelayMs: 1, maxDelayMs: 1 } });
      snFake.attachments.maxSizeBytes = 100_000;
      const tooBig = await sn.attachments.upload('incident', sysId, file).catch((e: unknown) => e);
      expect(isAttachmentTooLargeError(tooBig) && tooBig.source).toBe('server');
      snFake.attachments.maxSizeBytes = 10_000_000;
      let pulls = 0;
      const failing = new ReadableStream<Uint8Array>({
        pull(c) {
          if (++pulls > 3) c.error(new Error('source went away'));
          else c.enqueue(new Uint8Array(64 * 1024));
        },
      });
      const broken = await sn.attachments.upload('incident', sysId, failing, { fileName: 'x.log' }).catch((e: unknown) => e);
      expect(isAttachmentSourceError(broken) && [broken.reason, broken.path]).toEqual(['read-failed', undefined]);
      const shrinking = join(dir, 'shrinking-node.log');
      await writeFile(shrinking, new Uint8Array(2_000_000));
      const shrunk = await sn.attachments.upload('incident', sysId, shrinking, { onProgress: () => void truncate(shrinking, 10) }).catch((e: unknown) => e);
      expect(isAttachmentSourceError(shrunk) && shrunk.path).toBe(shrinking);
      expect(await sn.attachments.list('incident', sysId)).toEqual([]);
    } finally {
      await served.close();
    }
  });

  it('an abort mid-upload ends the call with AbortedError', async () => {
    const { sn, sysId } = snOverFetch();
    const controller = new AbortController();
    const slow = new ReadableStream<Uint8Array>({
      async pull(c) {
        controller.abort();
        await new Promise((r) => setTimeout(r, 5));
        c.enqueue(new Uint8Array(10));
      },
    });
    await expect(sn.attachments.upload('incident', sysId, slow, { fileName: 'x.log', signal: controller.signal })).rejects.toMatchObject({ name: 'AbortedError' });
  });
});

describe('Jira attachments', () => {
  function jiraOverFetch(deployment: 'cloud' | 'datacenter' = 'cloud') {
    const fake = new FakeJira({ deployment });
    const auth = deployment === 'cloud' ? JIRA_AUTH : ({ type: 'bearer', token: 'sandbox-pat' } as const);
    const jira = new JiraClient({ baseUrl: 'https://fake.atlassian.net', auth, fetch: fake.fetch, deployment });
    return { fake, jira };
  }

  it.each(['cloud', 'datacenter'] as const)('uploads (multipart, XSRF header), gets, downloads, deletes on %s', async (deployment) => {
    const { fake, jira } = jiraOverFetch(deployment);
    const issue = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' });
    const att = await jira.attachments.upload(issue.key, file);
    expect(att).toMatchObject({ fileName: 'app.log', sizeBytes: bytes.length, mimeType: 'text/plain' });
    const api = deployment === 'cloud' ? '3' : '2';
    const sent = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/attachments'));
    expect(sent?.path).toBe(`/rest/api/${api}/issue/${issue.key}/attachments`);
    expect(sent?.headers['x-atlassian-token']).toBe('no-check');
    expect(sent?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(await jira.attachments.get(att.id)).toMatchObject({ id: att.id, sizeBytes: bytes.length });
    expectBytes(await readAll(await jira.attachments.download(att.id)));
    await jira.attachments.delete(att.id);
    await expect(jira.attachments.get(att.id)).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses over uploadLimit before sending, maps 413, disabled attachments and an unknown issue', async () => {
    const { fake, jira } = jiraOverFetch();
    const issue = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' });
    fake.attachments.uploadLimitBytes = 1000;
    const before = await jira.attachments.upload(issue.key, file).catch((e: unknown) => e);
    expect(isAttachmentTooLargeError(before) && [before.source, before.limitBytes]).toEqual(['client', 1000]);
    const stream = await jira.attachments.upload(issue.key, new Blob([bytes]).stream(), { fileName: 'x.log' }).catch((e: unknown) => e);
    expect(isAttachmentTooLargeError(stream) && stream.source).toBe('server');
    const { jira: fresh, fake: other } = jiraOverFetch();
    other.attachments.enabled = false;
    expect(isAttachmentsDisabledError(await fresh.attachments.upload('OPS-1', file).catch((e: unknown) => e))).toBe(true);
    await expect(jira.attachments.upload('NOPE-1', new Uint8Array([1]), { fileName: 'a.txt' })).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('the fake refuses an upload without X-Atlassian-Token: 403 XSRF check failed', async () => {
    const { fake } = jiraOverFetch();
    const res = await fake.fetch('https://fake.atlassian.net/rest/api/3/issue/OPS-1/attachments', {
      method: 'POST',
      headers: { authorization: `Basic ${btoa('demo@example.com:sandbox-api-token')}`, 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x--',
    });
    expect([res.status, await res.text()]).toEqual([403, 'XSRF check failed']);
  });
});
