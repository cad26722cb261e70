import { describe, expect, it } from 'vitest';
import { isUnexpectedResponseError, type UnexpectedResponseError } from '../../src/core/errors.js';
import { JiraClient } from '../../src/jira/client.js';
import type { JiraDeployment } from '../../src/jira/types.js';
import { BASE, FakeClock, unexpected } from './support.js';

/** A Jira that answers every request 200 with the same body. */
function answering(body: string, deployment: JiraDeployment = 'cloud'): JiraClient {
  const fetch = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  const auth = deployment === 'cloud' ? ({ type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } as const) : ({ type: 'bearer', token: 'sandbox-pat' } as const);
  return new JiraClient({ baseUrl: BASE, auth, deployment, fetch, clock: new FakeClock(), retry: { retries: 0 } });
}

async function wrong(call: Promise<unknown>): Promise<UnexpectedResponseError> {
  const error = await call.then(unexpected, (e: unknown) => e);
  expect(isUnexpectedResponseError(error), String(error)).toBe(true);
  return error as UnexpectedResponseError;
}

const collect = async (it: AsyncIterable<unknown>) => {
  for await (const _ of it) void _;
};

type Op = [name: string, run: (jira: JiraClient) => Promise<unknown>, missing: string, deployment?: JiraDeployment];

const OPS: Op[] = [
  ['issues.get', (j) => j.issues.get('OPS-1'), '"id"'],
  ['issues.create', (j) => j.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Disk full' }), '"id"'],
  ['issues.addComment', (j) => j.issues.addComment('OPS-1', 'hello'), '"id"'],
  ['issues.comments', (j) => j.issues.comments('OPS-1'), '"comments"'],
  ['issues.transitions', (j) => j.issues.transitions('OPS-1'), '"transitions"'],
  ['issues.transition', (j) => j.issues.transition('OPS-1', { to: 'Done' }), '"transitions"'],
  ['issues.search (Cloud)', (j) => collect(j.issues.iterate('project = OPS')), '"issues"'],
  ['issues.search (Data Center)', (j) => collect(j.issues.iterate('project = OPS')), '"issues"', 'datacenter'],
  ['issues.count (Cloud)', (j) => j.issues.count('project = OPS'), '"count"'],
  ['issues.count (Data Center)', (j) => j.issues.count('project = OPS'), '"total"', 'datacenter'],
];

describe('a 200 that is not what the operation returns is an UnexpectedResponseError naming the missing field', () => {
  for (const [name, run, missing, deployment] of OPS) {
    for (const body of ['{"records":[]}', '', '[]', '"ok"', '{"id":"","key":""}']) {
      it(`${name} refuses ${body === '' ? 'an empty body' : body}`, async () => {
        const error = await wrong(run(answering(body, deployment)));
        if (body.startsWith('{')) expect(error.message).toContain(missing);
        expect(error.status).toBe(200);
        expect(error.message).not.toContain('records');
      });
    }
  }

  it('keeps the body off the message and on error.body', async () => {
    const error = await wrong(answering('{"records":[{"summary":"Payroll of Jane Roe"}]}').issues.get('OPS-1'));
    expect(error.message).toContain('has no "id"');
    expect(error.message).not.toContain('Jane Roe');
    expect(JSON.stringify(error.body)).toContain('Jane Roe');
    expect(error.url).toBe(`${BASE}/rest/api/3/issue/OPS-1`);
  });

  it('names the entry of a list that lacks its id', async () => {
    const error = await wrong(collect(answering('{"issues":[{"id":"1"},{"key":"OPS-2"}],"isLast":true}').issues.iterate('project = OPS')));
    expect(error.message).toContain('has no "id" (a non-empty string) in "issues" entry 1');
  });

  it('testConnection reports a /myself answer without a user as an error, not ok', async () => {
    const result = await answering('{"records":[]}').testConnection();
    expect(result).toMatchObject({ ok: false, reason: 'error' });
    if (!result.ok) expect(result.message).toContain('"accountId" or "name"');
  });

  it('accepts the documented answers (create 201 {id,key,self})', async () => {
    const created = await answering('{"id":"10000","key":"ED-24","self":"https://acme.atlassian.net/rest/api/3/issue/10000"}').issues.create({ projectKey: 'ED', issueType: 'Task', summary: 's' });
    expect(created).toMatchObject({ id: '10000', key: 'ED-24' });
  });
});
