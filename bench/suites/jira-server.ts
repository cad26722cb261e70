/**
 * Runs the sandbox's fake Jira in its own process for the jira bench, so the
 * server's CPU is not shared with the client being measured (as with a real
 * Jira). Sends its URL to the parent over IPC, then serves until killed.
 */
import { testing } from '../itsmkit.js';

const { FakeJira, serveHandler } = testing;

const fake = new FakeJira();
const served = await serveHandler(fake.handle);
process.send?.({ url: served.url });
