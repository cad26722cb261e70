/**
 * docs/classification.md: classify support requests, and the
 * support-counter flow (incident + automation or classification + work
 * note + acknowledgement) through SupportCounter and its HTTP handler.
 */
import assert from 'node:assert/strict';
import { compileClassifier, DEFAULT_ITSM_CONFIG, loadItsmConfig, ServiceNowClient, SupportCounter, TicketService, type Notifier } from '../src/index.js';
import { startSandbox } from '../src/testing/index.js';

// 1. The built-in rules (the support counter's examples): compile once, classify many.
const classifier = compileClassifier(DEFAULT_ITSM_CONFIG.classification);
const vpn = classifier.classify({ category: 'Network – VPN', shortDescription: 'VPN disconnects every hour', errorCode: '809' });
console.log(`${vpn.topic}: ${vpn.reason}`);
assert.equal(vpn.ruleId, 'network-vpn');
assert.deepEqual(vpn.matched, { errorCodes: ['809'], keywords: ['vpn', 'disconnects'] });

// Category spelling is forgiving: case, dash style and spacing are ignored.
const printer = classifier.classify({ category: 'hardware - printer', shortDescription: 'Paper jam on floor 3' });
assert.equal(printer.topic, 'Printer Troubleshooting');

// No rule: the category default, else the fallback.
assert.equal(classifier.classify({ category: 'Google Workspace – Email', shortDescription: 'Labels vanished' }).outcome, 'categoryDefault');
assert.equal(classifier.classify({ category: 'Facilities', shortDescription: 'Coffee machine empty' }).topic, 'Unclassified / Manual Review');

// 2. Your own rules, from the same config file as everything else.
const config = loadItsmConfig({
  classification: {
    rules: [
      { id: 'sso-expired', category: 'Access', topic: 'SSO Session Expired', matchKeywords: ['session expired', 'sso'], matchErrorCodes: ['440'], recommendedResources: [{ type: 'doc', label: 'Sign in again', url: 'https://intranet.example.com/sso' }] },
      { id: 'access-generic', category: 'Access', topic: 'Access Problems', matchKeywords: ['access', 'login'], recommendedResources: [] },
    ],
    categoryDefaults: [{ category: 'Access', topic: 'Access Problems', recommendedResources: [] }],
  },
});
const mine = compileClassifier(config.classification).classify({ category: 'access', shortDescription: 'SSO login fails', detailedDescription: 'It says session expired', errorCode: '440' });
console.log(`${mine.topic}: ${mine.reason}`);
assert.equal(mine.ruleId, 'sso-expired');
assert.deepEqual(mine.runnersUp, ['access-generic']);

// 3. The support counter: validate, create the incident, automate or classify, work note, acknowledge.
const sandbox = await startSandbox();
try {
  const servicenow = new ServiceNowClient({ instanceUrl: sandbox.servicenow.url, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' } });
  const sent: string[] = [];
  const notifier: Notifier = {
    async sendAcknowledgement(ack) {
      sent.push(`${ack.to}: ${ack.incidentNumber} ${ack.topic}`);
      return { emailSent: true, emailProvider: 'example-mailer' };
    },
  };
  const support = new SupportCounter({ tickets: new TicketService({ servicenow }), notifier });
  const result = await support.createSupportIncident(
    { client: 'ACME', category: 'Google Workspace – Account Access', shortDescription: 'Forgot password', clientEmail: 'pat@acme.example', priority: 'High' },
    { correlationKey: 'support-req-1001' },
  );
  console.log(`${result.number}: ${result.topic} (automation ${result.automationName}, email sent ${result.automation.emailSent}, work note ${result.automation.workNoteAdded})`);
  assert.equal(result.automationName, 'google-workspace-account-access');
  assert.deepEqual(sent, [`pat@acme.example: ${result.number} Google Workspace Password Reset`]);
  const [note] = await servicenow.incidents.workNotes(result.sysId);
  console.log(`work note:\n${note?.text}`);

  // The same flow over HTTP: the sandbox's tickets API is createTicketsHandler over a SupportCounter.
  const response = await fetch(`${sandbox.tickets.url}/incident`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'support-req-1002' },
    body: JSON.stringify({ client: 'ACME', category: 'Network – VPN', shortDescription: 'VPN tunnel keeps dropping' }),
  });
  const body = (await response.json()) as { number: string; topic: string; automation: { classified: boolean } };
  console.log(`POST /incident -> ${response.status} ${body.number} ${body.topic}`);
  assert.equal(response.status, 201);
  assert.equal(body.topic, 'VPN Connectivity');

  const invalid = await fetch(`${sandbox.tickets.url}/incident`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client": "ACME"}' });
  console.log(`POST /incident without the required fields -> ${invalid.status}`, JSON.stringify(await invalid.json()));
  assert.equal(invalid.status, 400);

  const activity = await support.automationActivity({ limit: 5 });
  console.log('automation activity:', activity.activities.map((a) => `${a.incidentNumber} ${a.summary}`));
} finally {
  await sandbox.close();
}
