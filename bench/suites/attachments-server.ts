/**
 * The sandbox ServiceNow and Jira for the attachments bench, in their own
 * process: the fakes keep uploaded files in memory, and that must not count
 * against the client whose memory is measured. Sends their URLs, an
 * incident's sys_id and an issue's key to the parent over IPC, then serves
 * until killed. Deleted attachments leave both fakes' stores (nothing else
 * holds their bytes: upload bodies are not recorded, and the request logs are
 * emptied every second), so the process's memory stays at one or two files.
 */
import { itsmkit, testing } from '../itsmkit.js';

const { JiraClient } = itsmkit;
const { FakeJira, FakeServiceNow, serveHandler } = testing;

/** What the server sends the suite. */
export interface AttachmentsServerMessage {
  readonly serviceNowUrl: string;
  readonly sysId: string;
  readonly jiraUrl: string;
  readonly issueKey: string;
}

const serviceNow = new FakeServiceNow();
const incident = serviceNow.insert('incident', { short_description: 'Bench attachments' });
// The upload limit (the default, stated): the bench's 100 MB files must pass it.
const jira = new FakeJira({ attachmentUploadLimitBytes: 1024 * 1024 * 1024 });
// The issue is created as the sandbox's tickets API does: a JiraClient answered by the fake in-process.
const issue = await new JiraClient({
  baseUrl: 'https://sandbox.atlassian.net',
  auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' },
  fetch: jira.fetch,
}).issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Bench attachments' });
const [servedServiceNow, servedJira] = await Promise.all([serveHandler(serviceNow.handle), serveHandler(jira.handle)]);
setInterval(() => {
  serviceNow.requests.length = 0;
  jira.requests.length = 0;
}, 1000);
const message: AttachmentsServerMessage = { serviceNowUrl: servedServiceNow.url, sysId: String(incident['sys_id']), jiraUrl: servedJira.url, issueKey: issue.key };
process.send?.(message);
