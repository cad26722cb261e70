import { afterAll, describe, it } from 'vitest';
import { Transport } from '../../src/core/transport.js';
import { JiraClient, type JiraClientOptions } from '../../src/jira/client.js';
import { ServiceNowClient, type ServiceNowClientOptions } from '../../src/servicenow/client.js';
import { FakeJira } from '../../src/testing/fake-jira/fake-jira.js';
import { FakeServiceNow } from '../../src/testing/fake-servicenow/fake-servicenow.js';
import type { Fault } from '../../src/testing/faults.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { CANARY as UUID_CANARY, FlowRun, recordCanaryTotals, SPECIAL_CANARY } from './support/canary.js';

const RETRY = { retries: 2, minDelayMs: 10, jitter: 'none', attemptTimeoutMs: 40 } as const;
const SLOW: Fault = { kind: 'delay', ms: 400 };

afterAll(recordCanaryTotals);

/** The whole matrix for one canary value (a plain one, and one with URL-special characters). */
function canarySuite(CANARY: string, tag: string): void {
  function serviceNow(run: FlowRun, fake: FakeServiceNow, auth: ServiceNowClientOptions['auth']): ServiceNowClient {
    const client = new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth, fetch: run.recorder.fetch(fake.fetch), logger: run.recorder.logger, clock: new FakeClock(), retry: RETRY });
    run.recorder.watch(client.events);
    return client;
  }

  /** Every ServiceNow flow a credential goes through: success and each failure class. */
  async function serviceNowFlows(run: FlowRun, fake: FakeServiceNow, sn: ServiceNowClient): Promise<void> {
    const echo = { error: { message: `Invalid credentials ${CANARY}`, detail: `token=${CANARY}` }, status: 'failure' };
    await run.flow('testConnection', () => sn.testConnection());
    const created = (await run.flow('create', () => sn.incidents.create({ shortDescription: 'Canary', correlationId: 'canary-1' }))) as { number?: string };
    const number = created.number ?? 'INC0010001';
    await run.flow('get', () => sn.incidents.get(number));
    await run.flow('search', () => sn.incidents.search({ active: true }, { limit: 5 }));
    await run.flow('work note', () => sn.incidents.addWorkNote(number, 'note'));
    await run.flow('404', () => sn.incidents.get('INC9999999'));
    for (const [name, fault, times] of [
      ['400 echoing the secret', { kind: 'status', status: 400, body: echo }, 1],
      ['401 echoing the secret', { kind: 'status', status: 401, body: echo }, 1],
      ['401 whose WWW-Authenticate echoes the secret', { kind: 'status', status: 401, headers: { 'www-authenticate': `Basic realm="x", error="${encodeURIComponent(CANARY)}"` }, body: echo }, 1],
      ['token endpoint echoing the URL-encoded secret', { kind: 'status', status: 401, body: { error: 'invalid_client', error_description: `client_secret=${encodeURIComponent(CANARY)} is wrong` } }, 1],
      ['403 echoing the secret', { kind: 'status', status: 403, body: echo }, 1],
      ['429 with Retry-After', { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: echo }, 2],
      ['429 past the retries', { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: echo }, 5],
      ['503 burst', { kind: 'status', status: 503, body: echo }, 5],
      ['502 after the write', { kind: 'statusAfter', status: 502 }, 1],
      ['connection refused', { kind: 'drop', when: 'before' }, 5],
      ['reset after the write', { kind: 'drop', when: 'after' }, 1],
      ['HTML page with 200', { kind: 'html' }, 1],
      ['truncated body', { kind: 'truncate' }, 1],
      ['timeout', SLOW, 5],
    ] as const) {
      fake.faults.add({ fault: fault as Fault, times });
      await run.flow(name, () => sn.incidents.create({ shortDescription: name, correlationId: `canary-${name.replace(/\W+/g, '-')}` }));
      fake.faults.clear();
    }
  }

  describe(`secret canary: ServiceNow${tag}`, () => {
    const users = [{ userName: 'admin', password: CANARY }];
    const make = () => new FakeServiceNow({ users, apiKeys: [CANARY], oauthClients: [{ clientId: 'canary-client', clientSecret: CANARY }] });

    for (const [name, auth] of [
      ['basic password', { type: 'basic', username: 'admin', password: CANARY }],
      ['API key (x-sn-apikey)', { type: 'apiKey', apiKey: CANARY }],
      ['bearer token (refused: 401)', { type: 'bearer', token: CANARY }],
      ['OAuth password grant (client secret and password)', { type: 'oauth', grant: 'password', clientId: 'canary-client', clientSecret: CANARY, username: 'admin', password: CANARY }],
      ['OAuth refresh token refused by the token endpoint', { type: 'oauth', grant: 'refresh_token', clientId: 'canary-client', clientSecret: CANARY, refreshToken: CANARY }],
      ['OAuth unknown client (401 from the token endpoint)', { type: 'oauth', grant: 'client_credentials', clientId: 'nobody', clientSecret: CANARY }],
      ['basic password refused (401)', { type: 'basic', username: 'someone', password: CANARY }],
      ['a function returning basic credentials', () => ({ type: 'basic', username: 'admin', password: CANARY })],
    ] as [string, ServiceNowClientOptions['auth']][]) {
      it(`never leaks the ${name}`, async () => {
        const run = new FlowRun(`servicenow|every flow (success, 4xx, 429, 5xx, network, timeout, HTML, echoed secrets and headers) x 8 credential kinds${tag}`, ['admin', 'someone'], {}, CANARY);
        const fake = make();
        await serviceNowFlows(run, fake, serviceNow(run, fake, auth));
        await run.finish();
      });
    }
  });

  function jira(run: FlowRun, fake: FakeJira, options: Partial<JiraClientOptions> & Pick<JiraClientOptions, 'auth'>): JiraClient {
    const client = new JiraClient({ baseUrl: 'https://acme.atlassian.net', fetch: run.recorder.fetch(fake.fetch), logger: run.recorder.logger, clock: new FakeClock(), retry: RETRY, consistency: { polls: 2, intervalMs: 10 }, ...options });
    run.recorder.watch(client.events);
    return client;
  }

  async function jiraFlows(run: FlowRun, fake: FakeJira, client: JiraClient): Promise<void> {
    const echo = { errorMessages: [`Bad token ${CANARY}`], errors: { summary: `secret ${CANARY}` } };
    await run.flow('testConnection', () => client.testConnection());
    const created = (await run.flow('create', () => client.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Canary', correlationKey: 'canary-1' }))) as { key?: string };
    const key = created.key ?? 'OPS-1';
    await run.flow('get', () => client.issues.get(key));
    await run.flow('search', async () => {
      const out = [];
      for await (const issue of client.issues.iterate(`project = OPS`, { limit: 5 })) out.push(issue);
      return out;
    });
    await run.flow('comment', () => client.issues.addComment(key, 'note'));
    await run.flow('404 (and the /myself check)', () => client.issues.get('OPS-999'));
    for (const [name, fault, times] of [
      ['400 echoing the secret', { kind: 'status', status: 400, body: echo }, 1],
      ['401 echoing the secret', { kind: 'status', status: 401, body: `<html>token ${CANARY}</html>` }, 1],
      ['401 whose WWW-Authenticate echoes the secret', { kind: 'status', status: 401, headers: { 'www-authenticate': `Bearer error="${JSON.stringify(CANARY).slice(1, -1)}"` }, body: { errorMessages: [`token ${Buffer.from(CANARY).toString('base64')}`] } }, 1],
      ['403 echoing the secret', { kind: 'status', status: 403, body: echo }, 1],
      ['429 with Retry-After', { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: echo }, 2],
      ['503 burst', { kind: 'status', status: 503, body: `upstream ${CANARY}` }, 5],
      ['reset after the write', { kind: 'drop', when: 'after' }, 1],
      ['connection refused', { kind: 'drop', when: 'before' }, 5],
      ['HTML page with 200', { kind: 'html' }, 1],
      ['timeout', SLOW, 5],
    ] as const) {
      fake.faults.add({ fault: fault as Fault, times });
      await run.flow(name, () => client.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: name, correlationKey: `canary-${name.replace(/\W+/g, '-')}` }));
      fake.faults.clear();
    }
  }

  describe(`secret canary: Jira${tag}`, () => {
    const KEY = `jira|every flow (success, 4xx, 429, 5xx, network, timeout, HTML, echoed secrets and headers) x 5 credential kinds${tag}`;

    it('never leaks the Cloud API token (and a refused one)', async () => {
      const run = new FlowRun(KEY, ['demo@example.com', 'other@example.com'], {}, CANARY);
      const fake = new FakeJira({ credentials: { email: 'demo@example.com', apiToken: CANARY } });
      await jiraFlows(run, fake, jira(run, fake, { auth: { type: 'basic', email: 'demo@example.com', apiToken: CANARY } }));
      await jiraFlows(run, fake, jira(run, fake, { auth: { type: 'basic', email: 'other@example.com', apiToken: CANARY } }));
      await run.finish();
    });

    it('never leaks a Data Center personal access token', async () => {
      const run = new FlowRun(KEY, [], {}, CANARY);
      const fake = new FakeJira({ deployment: 'datacenter', personalAccessTokens: [CANARY] });
      const client = jira(run, fake, { deployment: 'datacenter', auth: { type: 'bearer', token: CANARY } });
      await run.flow('testConnection', () => client.testConnection());
      await run.flow('create', () => client.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x', correlationKey: 'dc-1' }));
      fake.faults.add({ fault: { kind: 'status', status: 403, body: { errorMessages: [`PAT ${CANARY} lacks permission`] } } });
      await run.flow('403 echo', () => client.issues.get('OPS-1'));
      await run.finish();
    });

    it('never leaks the OAuth client secret, refresh token or access token (refresh that works, and one that fails)', async () => {
      const run = new FlowRun(KEY, [], {}, CANARY);
      const fake = new FakeJira({ oauth: { cloudId: 'canary-cloud', clientId: 'canary-client', clientSecret: CANARY } });
      const good = jira(run, fake, {
        auth: { type: 'oauth', cloudId: 'canary-cloud', accessToken: fake.grantAccessToken(), refreshToken: fake.currentRefreshToken, clientId: 'canary-client', clientSecret: CANARY },
      });
      await run.flow('create', () => good.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x', correlationKey: 'oauth-1' }));
      fake.expireAccessTokens();
      await run.flow('refresh after 401', () => good.issues.get('OPS-1'));
      const refused = jira(run, fake, { auth: { type: 'oauth', cloudId: 'canary-cloud', accessToken: CANARY, refreshToken: CANARY, clientId: 'canary-client', clientSecret: CANARY } });
      await jiraFlows(run, fake, refused);
      await run.finish();
    });
  });

  describe(`secret canary: configuration errors${tag}`, () => {
    it('never echoes a secret placed where it does not belong', async () => {
      const run = new FlowRun(`core|configuration errors carrying the secret in URLs and auth${tag}`, [], {}, CANARY);
      const fetch = async () => new Response(null, { status: 204 });
      run.config('SN instanceUrl with credentials', () => new ServiceNowClient({ instanceUrl: `https://admin:${CANARY}@acme.service-now.com`, auth: { type: 'basic', username: 'a', password: CANARY } }));
      run.config('SN instanceUrl with a token query', () => new ServiceNowClient({ instanceUrl: `https://acme.service-now.com/?token=${CANARY}`, auth: { type: 'basic', username: 'a', password: CANARY } }));
      run.config('SN instanceUrl not a URL', () => new ServiceNowClient({ instanceUrl: `acme token=${CANARY}`, auth: { type: 'basic', username: 'a', password: CANARY } }));
      run.config('SN basic without a user', () => new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basic', username: '', password: CANARY } }));
      run.config('SN unknown auth type', () => new ServiceNowClient({ instanceUrl: 'https://acme.service-now.com', auth: { type: 'basik', password: CANARY } as never }));
      run.config('Jira baseUrl with credentials', () => new JiraClient({ baseUrl: `https://me:${CANARY}@acme.atlassian.net`, auth: { type: 'basic', email: 'a@b.c', apiToken: CANARY }, fetch }));
      run.config('Jira baseUrl with a token query', () => new JiraClient({ baseUrl: `https://acme.atlassian.net/?token=${CANARY}`, auth: { type: 'basic', email: 'a@b.c', apiToken: CANARY }, fetch }));
      run.config('Jira baseUrl not a URL', () => new JiraClient({ baseUrl: `acme.atlassian.net?token=${CANARY}`, auth: { type: 'basic', email: 'a@b.c', apiToken: CANARY }, fetch }));
      run.config('Jira basic without an email', () => new JiraClient({ baseUrl: 'https://acme.atlassian.net', auth: { type: 'basic', email: '', apiToken: CANARY } }));
      run.config('Jira OAuth without a client id', () => new JiraClient({ auth: { type: 'oauth', cloudId: 'c', accessToken: CANARY, refreshToken: CANARY, clientSecret: CANARY } }));
      run.config('Transport baseUrl not a URL', () => new Transport({ baseUrl: `ftp//${CANARY}`, platform: 'servicenow' }));
      await run.finish();
    });
  });
}

canarySuite(UUID_CANARY, '');
canarySuite(SPECIAL_CANARY, ' (secret with / @ + = & % spaces and a quote)');
