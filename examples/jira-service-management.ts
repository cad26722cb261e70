/**
 * docs/jira-service-management.md: Jira Service Management through
 * `jira.serviceDesk` against the sandbox's fake JSM (the "IT Help" desk):
 * request types and their fields, a customer request raised on behalf of a
 * customer, a public reply and an internal note, SLAs, an approval, a
 * customer transition, and the typed errors for bad input.
 */
import { JiraClient, isNotFoundError, isRequestFieldsError, isServiceDeskPermissionError } from '../src/index.js';
import { startSandbox } from '../src/testing/index.js';

const sandbox = await startSandbox();
try {
  const { url, credentials } = sandbox.jira;
  const jira = new JiraClient({ baseUrl: url, auth: { type: 'basic', email: credentials['email'] as string, apiToken: credentials['apiToken'] as string } });

  // Desks and request types: one page with listX(), everything with iterateX().
  const desks = await jira.serviceDesk.listDesks();
  const desk = desks.values.find((d) => d.projectKey === 'ITSM');
  if (!desk) throw new Error('the sandbox has no ITSM desk');
  console.log(`desks: ${desks.values.map((d) => `${d.projectName} (${d.projectKey}, id ${d.id})`).join(', ')}`);
  for await (const type of jira.serviceDesk.iterateRequestTypes(desk.id)) console.log(`  request type ${type.id}: ${type.name}`);

  // What "Report an incident" needs.
  const incident = await jira.serviceDesk.requestTypeFields(desk.id, '11');
  for (const f of incident.fields.filter((x) => x.visible)) {
    const values = f.validValues.length ? ` one of ${f.validValues.map((v) => `${v.value}=${v.label}`).join(', ')}` : '';
    console.log(`  ${f.required ? 'required' : 'optional'} ${f.fieldId} "${f.name}"${values}`);
  }

  // Forgetting a required field is refused before anything is sent, naming the fields.
  try {
    await jira.serviceDesk.createRequest({ serviceDeskId: desk.id, requestTypeId: '11', fields: { summary: 'VPN drops every hour' } });
  } catch (error) {
    if (!isRequestFieldsError(error)) throw error;
    console.log(`refused: missing ${error.missing.map((f) => `${f.fieldId} ("${f.name}")`).join(', ')}`);
  }

  // Raise it for a customer (an account id on Cloud, a user name on Data Center).
  const request = await jira.serviceDesk.createRequest({
    serviceDeskId: desk.id,
    requestTypeId: '11',
    fields: { summary: 'VPN drops every hour', description: 'Since Monday, on the office Wi-Fi', customfield_10050: { id: '10101' } },
    raiseOnBehalfOf: 'qm:1a2b3c4d:customer-casey',
  });
  console.log(`raised ${request.issueKey} for ${request.reporter?.displayName}: ${request.currentStatus?.status} since ${request.createdDate?.date.toISOString()}`);
  console.log(`  portal: ${request.portalUrl}`);

  // An internal note (agents only) and a public reply (the customer sees it; JSM then waits for the customer).
  await jira.serviceDesk.addComment(request.issueKey, { body: 'Looks like the 802.1X certificate expired.', public: false });
  await jira.serviceDesk.addComment(request.issueKey, { body: 'We are renewing the certificate; please reconnect in 10 minutes.', public: true });
  const now = await jira.serviceDesk.getRequest(request.issueKey);
  console.log(`${now.issueKey} is now "${now.currentStatus?.status}"`);
  for await (const c of jira.serviceDesk.iterateComments(request.issueKey)) console.log(`  ${c.public ? 'reply' : 'note '}: ${c.body}`);

  // SLAs.
  for (const sla of (await jira.serviceDesk.listSlas(request.issueKey)).values) {
    const cycle = sla.ongoingCycle ?? sla.completedCycles.at(-1);
    const state = sla.ongoingCycle ? (sla.ongoingCycle.paused ? 'paused' : 'running') : 'met';
    console.log(`  SLA ${sla.name}: ${state}, ${cycle?.remainingTime?.friendly ?? '?'} left of ${cycle?.goalDuration?.friendly ?? '?'}`);
  }

  // An approval, then a customer transition with a comment.
  const software = await jira.serviceDesk.createRequest({ serviceDeskId: desk.id, requestTypeId: '12', fields: { summary: 'Figma licence for the design team' } });
  const [approval] = (await jira.serviceDesk.listApprovals(software.issueKey)).values;
  if (approval?.canAnswerApproval) {
    const answered = await jira.serviceDesk.answerApproval(software.issueKey, approval.id, 'approve');
    console.log(`approval "${answered.name}" on ${software.issueKey}: ${answered.finalDecision}`);
  }
  const transitions = (await jira.serviceDesk.listTransitions(software.issueKey)).values;
  const resolve = transitions.find((t) => t.name === 'Resolve this issue');
  if (resolve) await jira.serviceDesk.transition(software.issueKey, { id: resolve.id, comment: 'Licence assigned.' });
  const history = [];
  for await (const s of jira.serviceDesk.iterateStatusHistory(software.issueKey)) history.push(s.status);
  console.log(`${software.issueKey} went ${history.reverse().join(' -> ')}`);

  // The same request is a Jira issue.
  const issue = await jira.issues.get(software.issueKey);
  console.log(`as a Jira issue: ${issue.key} [${issue.status?.name}] ${issue.summary}`);

  // Typed failures.
  try {
    await jira.serviceDesk.createRequest({ serviceDeskId: desk.id, requestTypeId: '10', fields: { summary: 'Help' }, raiseOnBehalfOf: '5b10a2844c20165700ede21g' });
  } catch (error) {
    if (!isServiceDeskPermissionError(error)) throw error;
    console.log(`permission (${error.status}) for ${error.customer}: ${error.platformError?.message}`);
  }
  try {
    await jira.serviceDesk.listRequestTypes('99');
  } catch (error) {
    if (!isNotFoundError(error)) throw error;
    console.log(`not found (${error.status}): ${error.platformError?.message}`);
  }
} finally {
  await sandbox.close();
}
