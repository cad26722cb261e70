import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JiraClient } from '../../src/jira/client.js';
import { FakeJira } from '../../src/testing/fake-jira/fake-jira.js';
import { mswHandler } from '../../src/testing/msw.js';

const SITE = 'https://jsm-msw.atlassian.net';
const AUTH = `Basic ${btoa('demo@example.com:sandbox-api-token')}`;
const CASEY = 'qm:1a2b3c4d:customer-casey';

/** One call to the fake, answered in-process. */
async function call(fake: FakeJira, method: string, path: string, body?: unknown, auth: string | null = AUTH): Promise<{ status: number; data: Record<string, unknown> }> {
  const res = await fake.fetch(`${SITE}/rest/servicedeskapi${path}`, {
    method,
    headers: { ...(auth ? { authorization: auth } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, data: res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>) };
}

describe('FakeServiceDesk on the wire', () => {
  it('pages like JSM: size, start, limit, isLastPage, _links next/prev', async () => {
    const fake = new FakeJira();
    const page = await call(fake, 'GET', '/servicedesk/1/requesttype?start=1&limit=1');
    expect(page.data).toMatchObject({
      _expands: [],
      size: 1,
      start: 1,
      limit: 1,
      isLastPage: false,
      _links: {
        base: `${SITE}/rest/servicedeskapi`,
        context: '',
        next: `${SITE}/rest/servicedeskapi/servicedesk/1/requesttype?start=2&limit=1`,
        prev: `${SITE}/rest/servicedeskapi/servicedesk/1/requesttype?start=0&limit=1`,
      },
    });
    expect((page.data['values'] as { name: string }[]).map((t) => t.name)).toEqual(['Report an incident']);
    expect((await call(fake, 'GET', '/servicedesk/ITSM')).data).toMatchObject({ id: '1', projectKey: 'ITSM' });
  });

  it('answers errors as {errorMessage, i18nErrorMessage} with JSM\'s statuses', async () => {
    const fake = new FakeJira();
    expect(await call(fake, 'GET', '/servicedesk', undefined, null)).toMatchObject({ status: 401, data: { errorMessage: expect.any(String), i18nErrorMessage: { i18nKey: 'sd.user.not.authenticated', parameters: [] } } });
    expect(await call(fake, 'GET', '/servicedesk/9')).toMatchObject({ status: 404, data: { errorMessage: 'The service desk you are trying to view does not exist.' } });
    expect(await call(fake, 'POST', '/request', { serviceDeskId: '1', requestTypeId: '11', requestFieldValues: { summary: 'x', description: 'y' } })).toMatchObject({
      status: 400,
      data: { errorMessage: "Your request could not be created. Please check the fields have been correctly filled in. Please provide a valid value for field 'Affected system'" },
    });
    expect(await call(fake, 'POST', '/request', { serviceDeskId: '2', requestTypeId: '20', requestFieldValues: { summary: 'x' } })).toMatchObject({ status: 403 });
    const created = await call(fake, 'POST', '/request', { serviceDeskId: '1', requestTypeId: '12', requestFieldValues: { summary: 'x' }, raiseOnBehalfOf: CASEY });
    expect(created.status).toBe(201);
    const key = created.data['issueKey'] as string;
    expect(await call(fake, 'POST', `/request/${key}/approval/1`, { decision: 'maybe' })).toMatchObject({ status: 400, data: { i18nErrorMessage: { i18nKey: 'sd.approval.decision.invalid', parameters: ['maybe'] } } });
    expect(await call(fake, 'POST', `/request/${key}/transition`, { id: '921' })).toMatchObject({ status: 400 });
    expect(fake.serviceDesk.request(key)?.reporter.displayName).toBe('Casey Customer');
  });

  it('opens a desk to a new customer with addCustomer and lets the HR desk accept requests with denyRequests(false)', async () => {
    const fake = new FakeJira();
    const body = { serviceDeskId: '1', requestTypeId: '10', requestFieldValues: { summary: 'Help' }, raiseOnBehalfOf: '5b10a2844c20165700ede21g' };
    expect((await call(fake, 'POST', '/request', body)).status).toBe(400);
    fake.serviceDesk.addCustomer('1', '5b10a2844c20165700ede21g');
    expect((await call(fake, 'POST', '/request', body)).status).toBe(201);
    fake.serviceDesk.denyRequests('2', false);
    expect((await call(fake, 'POST', '/request', { serviceDeskId: '2', requestTypeId: '20', requestFieldValues: { summary: 'Leave' } })).data).toMatchObject({ issueKey: 'HR-1' });
  });
});

describe('FakeServiceDesk through msw', () => {
  const fake = new FakeJira();
  const server = setupServer(mswHandler(SITE, fake.handle));
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  it('raises and comments on a request over msw with the real fetch', async () => {
    const jira = new JiraClient({ baseUrl: SITE, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' }, fetch: (input, init) => fetch(input, init), retry: { retries: 0 } });
    const request = await jira.serviceDesk.createRequest({ serviceDeskId: '1', requestTypeId: '10', fields: { summary: 'Through msw' }, raiseOnBehalfOf: CASEY });
    await jira.serviceDesk.addComment(request.issueKey, { body: 'On it', public: true });
    expect(fake.serviceDesk.request(request.issueKey)?.comments.map((c) => c.body)).toEqual(['On it']);
  });

});
