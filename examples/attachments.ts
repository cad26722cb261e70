/**
 * docs/attachments.md: attach a log file to a ServiceNow incident and to a Jira
 * issue, streamed from disk with progress; list, download and delete them; and
 * the typed errors for a missing file and a file over the limit. Runs against
 * the sandbox fakes served on loopback (no network, no credentials).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JiraClient, ServiceNowClient, isAttachmentSourceError, isAttachmentTooLargeError } from '../src/index.js';
import { FakeJira, FakeServiceNow, serveHandler } from '../src/testing/index.js';

const dir = await mkdtemp(join(tmpdir(), 'itsmkit-attachments-'));
const log = join(dir, 'app.log');
await writeFile(log, 'ERROR disk full on db-1\n'.repeat(50_000)); // about 1.2 MB

const fakeSn = new FakeServiceNow();
const fakeJira = new FakeJira();
const [snServer, jiraServer] = await Promise.all([serveHandler(fakeSn.handle), serveHandler(fakeJira.handle)]);
try {
  // ServiceNow: the raw bytes go to /api/now/attachment/file, streamed from the file.
  const sn = new ServiceNowClient({ instanceUrl: snServer.url, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' } });
  const incident = await sn.incidents.create({ shortDescription: 'Disk full on db-1', urgency: 'high', impact: 'medium' });
  const attachment = await sn.attachments.upload('incident', incident.sysId, log, {
    onProgress: ({ loadedBytes, totalBytes }) => console.log(`servicenow upload: ${loadedBytes} of ${totalBytes} bytes`),
  });
  console.log(`attached ${attachment.fileName} (${attachment.contentType}, ${attachment.sizeBytes} bytes) as ${attachment.sysId}`);
  console.log('on the incident:', (await sn.attachments.list('incident', incident.sysId)).map((a) => a.fileName));
  const copy = await sn.attachments.downloadTo(attachment.sysId, join(dir, 'copy.log'));
  console.log(`downloaded ${copy.sizeBytes} bytes to ${copy.path}`);
  await sn.attachments.delete(attachment.sysId);

  // Jira: multipart/form-data with X-Atlassian-Token: no-check, streamed the same way.
  const jira = new JiraClient({ baseUrl: jiraServer.url, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } });
  const issue = await jira.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Disk full on db-1' });
  console.log('jira limits:', await jira.attachments.limits());
  const jiraAttachment = await jira.attachments.upload(issue.key, log);
  console.log(`attached ${jiraAttachment.fileName} to ${issue.key} as ${jiraAttachment.id}`);
  const stream = await jira.attachments.download(jiraAttachment.id);
  console.log(`streamed back ${(await new Response(stream).arrayBuffer()).byteLength} bytes`);

  // Typed errors that say what to do.
  try {
    await sn.attachments.upload('incident', incident.sysId, join(dir, 'missing.log'));
  } catch (error) {
    if (isAttachmentSourceError(error)) console.log(`${error.name} (${error.reason}): ${error.message}`);
  }
  fakeJira.attachments.uploadLimitBytes = 1024 * 1024;
  const limited = new JiraClient({ baseUrl: jiraServer.url, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } });
  try {
    await limited.attachments.upload(issue.key, log);
  } catch (error) {
    if (isAttachmentTooLargeError(error)) console.log(`${error.name}: ${error.message}`);
  }
} finally {
  await Promise.all([snServer.close(), jiraServer.close()]);
  await rm(dir, { recursive: true, force: true });
}
