/**
 * The sandbox ServiceNow for the attachments bench, in its own process: the
 * fake keeps uploaded files in memory, and that must not count against the
 * client whose memory is measured. Sends its URL and an incident's sys_id to
 * the parent over IPC, then serves until killed.
 */
import { testing } from '../itsmkit.js';

const { FakeServiceNow, serveHandler } = testing;

const serviceNow = new FakeServiceNow();
const incident = serviceNow.insert('incident', { short_description: 'Bench attachments' });
const served = await serveHandler(serviceNow.handle);
setInterval(() => {
  serviceNow.requests.length = 0;
}, 1000);
process.send?.({ url: served.url, sysId: incident['sys_id'] });
