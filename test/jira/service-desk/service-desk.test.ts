import { describe, expect, it } from 'vitest';
import { isForbiddenError, isNotFoundError, isUnexpectedResponseError, isValidationError, type NotFoundError, type ValidationError } from '../../../src/core/errors.js';
import { adfToText, type AdfDoc } from '../../../src/jira/adf.js';
import { isRequestFieldsError, isServiceDeskPermissionError, type RequestFieldsError, type ServiceDeskPermissionError } from '../../../src/jira/service-desk/errors.js';
import { setup, unexpected } from '../support.js';

const CASEY = 'qm:1a2b3c4d:customer-casey';

describe('jira.serviceDesk against the fake', () => {
  it('lists desks and request types page by page, and reads a request type\'s fields', async () => {
    const { fake, jira } = setup();
    const first = await jira.serviceDesk.listDesks({ limit: 1 });
    expect(first.values.map((d) => [d.id, d.projectKey, d.projectName])).toEqual([['1', 'ITSM', 'IT Help']]);
    expect(first).toMatchObject({ start: 0, limit: 1, isLastPage: false, nextStart: 1 });
    expect(fake.requests.at(-1)).toMatchObject({ path: '/rest/servicedeskapi/servicedesk', query: { start: '0', limit: '1' } });
    const all = [];
    for await (const desk of jira.serviceDesk.iterateDesks({ limit: 1 })) all.push(desk.projectKey);
    expect(all).toEqual(['ITSM', 'HR']);

    const types = [];
    for await (const t of jira.serviceDesk.iterateRequestTypes('1', { limit: 2 })) types.push(t.name);
    expect(types).toEqual(['Get IT help', 'Report an incident', 'Request new software']);
    const fields = await jira.serviceDesk.requestTypeFields('1', '11');
    expect(fields.canRaiseOnBehalfOf).toBe(true);
    expect(fields.fields.map((f) => [f.fieldId, f.name, f.required, f.visible])).toEqual([
      ['summary', 'Summarize the problem', true, true],
      ['description', "What's happening?", true, true],
      ['customfield_10050', 'Affected system', true, true],
      ['customfield_10004', 'Impact', true, false],
    ]);
    expect(fields.fields[2]?.validValues.map((v) => v.label)).toEqual(['Email', 'VPN', 'Laptop']);
    expect(fields.fields[2]?.jiraSchema).toMatchObject({ type: 'option', customId: 10050 });
  });

  it('raises a request on behalf of a customer, visible as a Jira issue, with typed dates and status', async () => {
    const { fake, jira, clock } = setup();
    const request = await jira.serviceDesk.createRequest({
      serviceDeskId: '1',
      requestTypeId: '11',
      fields: { summary: 'VPN drops every hour', description: 'Since Monday', customfield_10050: { id: '10101' } },
      raiseOnBehalfOf: CASEY,
    });
    expect(request).toMatchObject({ issueKey: 'ITSM-1', serviceDeskId: '1', requestTypeId: '11', summary: 'VPN drops every hour', currentStatus: { status: 'Waiting for support', statusCategory: 'NEW' } });
    expect(request.reporter).toMatchObject({ accountId: CASEY, displayName: 'Casey Customer' });
    expect(request.createdDate?.date).toEqual(new Date(clock.now()));
    expect(request.createdDate?.iso8601).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect(request.portalUrl).toBe('https://acme.atlassian.net/servicedesk/customer/portal/1/ITSM-1');
    expect(fake.requests.map((r) => `${r.method} ${r.path}`).slice(-2)).toEqual(['GET /rest/servicedeskapi/servicedesk/1/requesttype/11/field', 'POST /rest/servicedeskapi/request']);
    expect(fake.requests.at(-1)?.body).toEqual({
      serviceDeskId: '1',
      requestTypeId: '11',
      requestFieldValues: { summary: 'VPN drops every hour', description: 'Since Monday', customfield_10050: { id: '10101' } },
      raiseOnBehalfOf: CASEY,
    });
    const issue = await jira.issues.get('ITSM-1');
    expect(issue).toMatchObject({ summary: 'VPN drops every hour', issueType: { name: 'Incident' }, status: { name: 'Waiting for support' } });
    expect(adfToText(fake.issue('ITSM-1')?.fields['description'] as AdfDoc)).toBe('Since Monday');
    expect((await jira.serviceDesk.getRequest('ITSM-1')).fieldValues.map((v) => v.fieldId)).toEqual(['summary', 'description', 'customfield_10050']);
  });

  it('adds public replies and internal notes, moves status and stops the first-response SLA', async () => {
    const { fake, jira, clock } = setup();
    const { issueKey } = await jira.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '10', fields: { summary: 'New monitor' }, raiseOnBehalfOf: CASEY });
    clock.advance(30 * 60_000);
    const note = await jira.serviceDesk.addComment(issueKey, { body: 'Check stock first', public: false });
    expect(note).toMatchObject({ body: 'Check stock first', public: false, author: { displayName: 'Demo User' } });
    expect(fake.requests.at(-1)?.body).toEqual({ body: 'Check stock first', public: false });
    clock.advance(30 * 60_000);
    await jira.serviceDesk.addComment(issueKey, { body: 'Ordered, arrives Friday', public: true });
    expect((await jira.serviceDesk.getRequest(issueKey)).currentStatus?.status).toBe('Waiting for customer');
    expect((await jira.serviceDesk.listComments(issueKey, { internal: false })).values.map((c) => c.body)).toEqual(['Ordered, arrives Friday']);
    expect((await jira.serviceDesk.listComments(issueKey)).values.map((c) => c.public)).toEqual([false, true]);
    expect((await jira.issues.comments(issueKey)).map((c) => c.body)).toEqual(['Check stock first', 'Ordered, arrives Friday']);

    const slas = (await jira.serviceDesk.listSlas(issueKey)).values;
    const [response, resolution] = slas;
    expect(response).toMatchObject({ id: '1', name: 'Time to first response', ongoingCycle: undefined });
    expect(response?.completedCycles[0]).toMatchObject({ breached: false, elapsedTime: { millis: 3_600_000, friendly: '1h 60m' }, goalDuration: { millis: 4 * 3_600_000 } });
    expect(resolution?.ongoingCycle).toMatchObject({ paused: true, breached: false, remainingTime: { millis: 23 * 3_600_000 } });
    expect(fake.requests.at(-1)?.headers['x-experimentalapi']).toBe('opt-in');

    const history = [];
    for await (const s of jira.serviceDesk.iterateStatusHistory(issueKey)) history.push(s.status);
    expect(history).toEqual(['Waiting for customer', 'Waiting for support']);
  });

  it('answers an approval, then transitions the request with a comment', async () => {
    const { fake, jira } = setup();
    const { issueKey, currentStatus } = await jira.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '12', fields: { summary: 'Figma licence' } });
    expect(currentStatus?.status).toBe('Waiting for approval');
    const [approval] = (await jira.serviceDesk.listApprovals(issueKey)).values;
    expect(approval).toMatchObject({ name: 'Manager approval', finalDecision: 'pending', canAnswerApproval: true, completedDate: undefined });
    const answered = await jira.serviceDesk.answerApproval(issueKey, approval?.id ?? '', 'approve');
    expect(answered).toMatchObject({ finalDecision: 'approved', canAnswerApproval: false, approvers: [{ decision: 'approved' }] });
    expect(answered.completedDate?.date).toBeInstanceOf(Date);
    expect(fake.requests.at(-1)).toMatchObject({ body: { decision: 'approve' }, headers: { 'x-experimentalapi': 'opt-in' } });
    expect((await jira.serviceDesk.getRequest(issueKey)).currentStatus?.status).toBe('Waiting for support');

    const transitions = (await jira.serviceDesk.listTransitions(issueKey)).values;
    expect(transitions).toEqual([
      { id: '911', name: 'Cancel request' },
      { id: '921', name: 'Resolve this issue' },
    ]);
    await jira.serviceDesk.transition(issueKey, { id: '921', comment: 'Installed' });
    expect(fake.requests.at(-1)?.body).toEqual({ id: '921', additionalComment: { body: 'Installed' } });
    expect((await jira.serviceDesk.getRequest(issueKey)).currentStatus).toMatchObject({ status: 'Resolved', statusCategory: 'DONE' });
    expect((await jira.issues.get(issueKey)).resolution?.name).toBe('Done');
    const [, resolution] = (await jira.serviceDesk.listSlas(issueKey)).values;
    expect(resolution?.completedCycles).toHaveLength(1);
  });

  it('speaks Data Center: user names for customers, the header as true, no status category', async () => {
    const { fake, jira } = setup({ fake: { deployment: 'datacenter' } });
    const request = await jira.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '10', fields: { summary: 'Printer jam' }, raiseOnBehalfOf: 'casey' });
    expect(request.reporter).toMatchObject({ name: 'casey', key: 'JIRAUSER10008', accountId: undefined });
    expect(request.currentStatus).toMatchObject({ status: 'Waiting for support', statusCategory: undefined });
    await jira.serviceDesk.listSlas(request.issueKey);
    expect(fake.requests.at(-1)?.headers['x-experimentalapi']).toBe('true');
    expect(fake.issue(request.issueKey)?.fields['description']).toBeNull();
  });
});

describe('jira.serviceDesk failures', () => {
  it('names the missing required fields before sending anything', async () => {
    const { fake, jira } = setup();
    const error = (await jira.serviceDesk
      .createRequest({ serviceDeskId: '1', requestTypeId: '11', fields: { summary: 'Laptop dead', priority: { id: '1' } } })
      .then(unexpected, (e: unknown) => e)) as RequestFieldsError;
    expect(isRequestFieldsError(error)).toBe(true);
    expect(isValidationError(error)).toBe(true);
    expect(error.missing).toEqual([
      { fieldId: 'description', name: "What's happening?" },
      { fieldId: 'customfield_10050', name: 'Affected system' },
    ]);
    expect(error.unknown).toEqual(['priority']);
    expect(error.message).toBe(
      'Cannot create a request of type 11 in service desk 1 (give the required fields in requestFieldValues; list them with serviceDesk.requestTypeFields()): requestFieldValues.description: "What\'s happening?" is required; requestFieldValues.customfield_10050: "Affected system" is required; requestFieldValues.priority: is not a field of this request type',
    );
    expect(error.issues.map((i) => `${i.field} ${i.rule}`)).toEqual(['requestFieldValues.description required', 'requestFieldValues.customfield_10050 required', 'requestFieldValues.priority unknown']);
    expect(fake.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('maps JSM\'s 400 for a missing field when the check is off', async () => {
    const { fake, jira } = setup();
    const error = (await jira.serviceDesk
      .createRequest({ serviceDeskId: '1', requestTypeId: '11', fields: { summary: 'Laptop dead', description: 'No power', customfield_10050: '' } }, { checkFields: false })
      .then(unexpected, (e: unknown) => e)) as RequestFieldsError;
    expect(isRequestFieldsError(error)).toBe(true);
    expect(error.missing).toEqual([{ fieldId: 'customfield_10050', name: 'Affected system' }]);
    expect((error.cause as { status: number; platformError: { message: string } }).platformError.message).toBe(
      "Your request could not be created. Please check the fields have been correctly filled in. Please provide a valid value for field 'Affected system'",
    );
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  it('reports an unknown desk or request type as a NotFoundError saying how to list them', async () => {
    const { jira } = setup();
    const desk = (await jira.serviceDesk.listRequestTypes('99').then(unexpected, (e: unknown) => e)) as NotFoundError;
    expect(isNotFoundError(desk)).toBe(true);
    expect(desk.message).toBe(
      'jira GET https://acme.atlassian.net/rest/servicedeskapi/servicedesk/99/requesttype?start=0&limit=50 failed with 404: The service desk you are trying to view does not exist.. service desk 99 does not exist or is not visible to these credentials: list the desks with serviceDesk.listDesks() (a project key or id also works)',
    );
    const type = (await jira.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '77', fields: { summary: 'x' } }).then(unexpected, (e: unknown) => e)) as NotFoundError;
    expect(isNotFoundError(type)).toBe(true);
    expect(type.message).toContain("list the desk's request types with serviceDesk.listRequestTypes(deskId)");
    const request = (await jira.serviceDesk.getRequest('OPS-404').then(unexpected, (e: unknown) => e)) as NotFoundError;
    expect(request.platformError?.message).toBe('The request you are trying to view does not exist.');
  });

  it('turns a 403 and JSM\'s 400 "does not have permission" into a ServiceDeskPermissionError', async () => {
    const { jira } = setup();
    const denied = (await jira.serviceDesk.createRequest({ serviceDeskId: '2', requestTypeId: '20', fields: { summary: 'Leave' } }).then(unexpected, (e: unknown) => e)) as ServiceDeskPermissionError;
    expect(isServiceDeskPermissionError(denied)).toBe(true);
    expect(isForbiddenError(denied)).toBe(true);
    expect(denied.status).toBe(403);
    expect(denied.message).toContain('Check that these credentials belong to an agent or a customer of the service desk');

    const onBehalf = (await jira.serviceDesk
      .createRequest({ serviceDeskId: '1', requestTypeId: '10', fields: { summary: 'Help' }, raiseOnBehalfOf: '5b10a2844c20165700ede21g' })
      .then(unexpected, (e: unknown) => e)) as ServiceDeskPermissionError;
    expect(isServiceDeskPermissionError(onBehalf)).toBe(true);
    expect(onBehalf.status).toBe(400);
    expect(onBehalf.customer).toBe('5b10a2844c20165700ede21g');
    expect(onBehalf.platformError?.message).toBe("The user '5b10a2844c20165700ede21g' does not have permission to raise requests in this service desk.");
    expect(onBehalf.message).toContain('Check that the customer "5b10a2844c20165700ede21g" is a customer of the service desk');
  });

  it('refuses a bad approval decision, comment or transition before sending', async () => {
    const { fake, jira } = setup();
    const before = fake.requests.length;
    const bad = (await jira.serviceDesk.answerApproval('ITSM-1', '1', 'maybe' as 'approve').then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(bad.issues).toEqual([{ field: 'decision', rule: 'enum', message: 'must be "approve" or "decline", got "maybe"' }]);
    const comment = (await jira.serviceDesk.addComment('ITSM-1', { body: ' ' } as never).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(comment.issues.map((i) => i.field)).toEqual(['body', 'public']);
    const move = (await jira.serviceDesk.transition('ITSM-1', { id: 'Resolve' }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(move.issues[0]?.field).toBe('id');
    expect(fake.requests.length).toBe(before);
  });

  it('passes JSM\'s own 400s through: an approval answered twice, a transition not available', async () => {
    const { jira } = setup();
    const { issueKey } = await jira.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '12', fields: { summary: 'Licence' } });
    await jira.serviceDesk.answerApproval(issueKey, '1', 'decline');
    const twice = (await jira.serviceDesk.answerApproval(issueKey, '1', 'approve').then(unexpected, (e: unknown) => e)) as NotFoundError;
    expect(twice.status).toBe(400);
    expect(twice.platformError).toEqual({ message: 'This approval has already been completed.', detail: 'sd.approval.already.completed' });
    const move = (await jira.serviceDesk.transition(issueKey, { id: '921' }).then(unexpected, (e: unknown) => e)) as NotFoundError;
    expect(move.platformError?.message).toBe("The transition with id '921' is not valid for this request.");
  });
});

describe('jira.serviceDesk on answers of the wrong shape', () => {
  const client = (data: unknown, status = 200) => {
    const { jira } = setup({ client: { fetch: async () => Response.json(data, { status }) } });
    return jira;
  };

  it('reports a request without issueKey, or a page without values, as an UnexpectedResponseError', async () => {
    const request = (await client({ issueId: '1' }).serviceDesk.getRequest('ITSM-1').then(unexpected, (e: unknown) => e)) as Error;
    expect(isUnexpectedResponseError(request)).toBe(true);
    expect(request.message).toContain('The answer has a request without "issueKey" (a non-empty string)');
    const page = (await client({ issues: [] }).serviceDesk.listDesks().then(unexpected, (e: unknown) => e)) as Error;
    expect(page.message).toContain('has no "values" array (not a Jira Service Management page');
  });

  it('reads an odd but valid answer leniently: no isLastPage means the end when empty, dates from iso8601 alone', async () => {
    const page = await client({ values: [] }).serviceDesk.listStatusHistory('ITSM-1');
    expect(page).toMatchObject({ values: [], isLastPage: true, nextStart: undefined });
    const [status] = (await client({ values: [{ status: 'Open', statusDate: { iso8601: '2015-10-08T14:05:00+0700' } }], isLastPage: true }).serviceDesk.listStatusHistory('ITSM-1')).values;
    expect(status?.statusDate).toEqual({ date: new Date('2015-10-08T07:05:00Z'), epochMillis: Date.parse('2015-10-08T07:05:00Z'), iso8601: '2015-10-08T14:05:00+0700', friendly: undefined });
  });

  it('refuses bad page options before sending', async () => {
    const error = (await client({}).serviceDesk.listDesks({ start: -1, limit: 0 }).then(unexpected, (e: unknown) => e)) as ValidationError;
    expect(error.issues.map((i) => i.field)).toEqual(['start', 'limit']);
  });
});
