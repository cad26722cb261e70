/**
 * Runs the fake ServiceNow and the fake Jira in their own process for the
 * transport bench, so the server's CPU is not shared with the clients being
 * measured. Sends both URLs to the parent over IPC, then serves until killed.
 * The fakes' request logs are emptied every second: the bench sends hundreds
 * of thousands of requests, and a growing heap would slow the server as it runs.
 */
import { testing } from '../itsmkit.js';

const { FakeJira, FakeServiceNow, serveHandler } = testing;

const serviceNow = new FakeServiceNow();
const jira = new FakeJira();
const [sn, jr] = await Promise.all([serveHandler(serviceNow.handle), serveHandler(jira.handle)]);
setInterval(() => {
  serviceNow.requests.length = 0;
  jira.requests.length = 0;
}, 1000);
process.send?.({ serviceNowUrl: sn.url, jiraUrl: jr.url });
