import { describe, expect, it } from 'vitest';
import type { CallOptions } from '../../src/core/call-options.js';
import { isAbortedError, isConfigError, isHttpError, isTimeoutError, type ConfigError, type HttpError, type TimeoutError } from '../../src/core/errors.js';
import type { FetchLike } from '../../src/core/transport.js';
import { ConnectionsClient } from '../../src/connections/client.js';
import { JiraClient } from '../../src/jira/client.js';
import { ServiceNowClient } from '../../src/servicenow/client.js';
import { createDataSourcesSandbox, FakeJira, FakeServiceNow, FaultInjector, handlerFetch } from '../../src/testing/index.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { fakeClock, INSTANCE } from '../servicenow/helpers.js';

/** One request as the client handed it to fetch. */
interface Sent {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
}

/** A client wired to a fake, ready to run one operation with the given call options. */
interface Env {
  /** Requests sent since the operation's fixtures were made. */
  sent(): Sent[];
  readonly faults: FaultInjector;
  run(options: CallOptions): Promise<unknown>;
}

interface Case {
  readonly name: string;
  /** The fewest requests the operation makes: each of them must carry the call's options. */
  readonly requests: number;
  /** A read, retried on a 503 (the retry-count checks run on these). */
  readonly read: boolean;
  readonly env: () => Promise<Env>;
}

const CLIENT_HEADERS = { 'x-team': 'ops', 'X-Call': 'client' } as const;
const SN_AUTH = `Basic ${Buffer.from('admin:sandbox-password').toString('base64')}`;
const JIRA_AUTH = `Basic ${Buffer.from('demo@example.com:sandbox-api-token').toString('base64')}`;
const DS_AUTH = 'Bearer demo-admin-token';

function capturing(fetch: FetchLike): { fetch: FetchLike; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetch: (input, init) => {
      sent.push({ method: init?.method ?? 'GET', url: String(input), headers: new Headers(init?.headers) });
      return fetch(input, init);
    },
  };
}

/** Builds an env: `prepare` makes fixtures and returns an id for the operation (requests it sends are not counted); `op` is the operation under test. */
async function serviceNow(prepare: (fake: FakeServiceNow) => string, op: (sn: ServiceNowClient, o: CallOptions, id: string) => Promise<unknown>): Promise<Env> {
  const clock = fakeClock();
  const fake = new FakeServiceNow({ now: clock.now });
  const cap = capturing(fake.fetch);
  const sn = new ServiceNowClient({
    instanceUrl: INSTANCE,
    auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
    fetch: cap.fetch,
    clock,
    retry: { minDelayMs: 10, maxDelayMs: 50, jitter: 'none', retries: 3 },
    headers: CLIENT_HEADERS,
  });
  const id = prepare(fake);
  const start = cap.sent.length;
  return { sent: () => cap.sent.slice(start), faults: fake.faults, run: (o) => op(sn, o, id) };
}

async function jira(prepare: (jira: JiraClient) => Promise<void> | void, op: (jira: JiraClient, o: CallOptions) => Promise<unknown>): Promise<Env> {
  const clock = new FakeClock();
  const fake = new FakeJira({ now: () => clock.now() });
  const cap = capturing(fake.fetch);
  const client = new JiraClient({
    baseUrl: 'https://acme.atlassian.net',
    auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' },
    fetch: cap.fetch,
    clock,
    retry: { jitter: 'none', minDelayMs: 100, retries: 3 },
    headers: CLIENT_HEADERS,
  });
  await prepare(client);
  const start = cap.sent.length;
  return { sent: () => cap.sent.slice(start), faults: fake.faults, run: (o) => op(client, o) };
}

async function connections(prepare: (ds: ConnectionsClient) => Promise<string>, op: (ds: ConnectionsClient, o: CallOptions, id: string) => Promise<unknown>): Promise<Env> {
  const sandbox = createDataSourcesSandbox({ sseRetryMs: 5 });
  const faults = new FaultInjector();
  const cap = capturing(handlerFetch(faults.wrap(sandbox.handler)));
  const ds = new ConnectionsClient({
    baseUrl: 'https://platform.example.com',
    token: 'demo-admin-token',
    fetch: cap.fetch,
    retry: { minDelayMs: 1, maxDelayMs: 5, jitter: 'none', retries: 3 },
    headers: CLIENT_HEADERS,
  });
  const id = await prepare(ds);
  const start = cap.sent.length;
  return { sent: () => cap.sent.slice(start), faults, run: (o) => op(ds, o, id) };
}

/** Collects an async iterable. */
async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** testConnection resolves its failures: turn them back into rejections. */
function rejectFailure<R extends { readonly ok: boolean; readonly error?: unknown }>(result: R): R {
  if (!result.ok) throw result.error;
  return result;
}

/** Two incidents, INC0010001 and INC0010002; the first one's sys_id. */
const twoIncidents = (fake: FakeServiceNow): string => {
  const first = fake.insert('incident', { short_description: 'VPN down' });
  fake.insert('incident', { short_description: 'Mail slow' });
  return String(first['sys_id']);
};
const nothing = (): string => '';
const INC = 'INC0010001';

const SERVICENOW: Case[] = [
  { name: 'table.get', requests: 1, read: true, env: () => serviceNow(twoIncidents, (sn, o, id) => sn.table('incident').get(id, o)) },
  { name: 'table.list', requests: 1, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.table('incident').list({ limit: 1, ...o })) },
  { name: 'table.iterate (every page)', requests: 2, read: true, env: () => serviceNow(twoIncidents, (sn, o) => all(sn.table('incident').iterate({ limit: 1, ...o }))) },
  { name: 'table.create', requests: 1, read: false, env: () => serviceNow(nothing, (sn, o) => sn.table('incident').create({ short_description: 'x' }, o)) },
  { name: 'table.create with a correlation_id (lookup, then create)', requests: 2, read: true, env: () => serviceNow(nothing, (sn, o) => sn.table('incident').create({ short_description: 'x', correlation_id: 'alert-1' }, o)) },
  { name: 'table.update', requests: 1, read: true, env: () => serviceNow(twoIncidents, (sn, o, id) => sn.table('incident').update(id, { short_description: 'y' }, o)) },
  { name: 'table.replace', requests: 1, read: true, env: () => serviceNow(twoIncidents, (sn, o, id) => sn.table('incident').replace(id, { short_description: 'y' }, o)) },
  { name: 'table.delete', requests: 1, read: true, env: () => serviceNow(twoIncidents, (sn, o, id) => sn.table('incident').delete(id, o)) },
  { name: 'incidents.get by number', requests: 1, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.get(INC, o)) },
  { name: 'incidents.search', requests: 1, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.search({ state: 'new' }, o)) },
  { name: 'incidents.iterate (every page)', requests: 2, read: true, env: () => serviceNow(twoIncidents, (sn, o) => all(sn.incidents.iterate({}, { limit: 1, ...o }))) },
  { name: 'incidents.resolveSysId', requests: 1, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.resolveSysId(INC, o)) },
  { name: 'incidents.create with a correlationId (lookup, then create)', requests: 2, read: true, env: () => serviceNow(nothing, (sn, o) => sn.incidents.create({ shortDescription: 'x', correlationId: 'alert-2' }, o)) },
  { name: 'incidents.update by number (resolve, then patch)', requests: 2, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.update(INC, { urgency: 'high' }, o)) },
  { name: 'incidents.resolve', requests: 2, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.resolve(INC, { closeCode: 'Solution provided', closeNotes: 'fixed' }, o)) },
  { name: 'incidents.close', requests: 2, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.close(INC, { closeCode: 'Solution provided', closeNotes: 'done' }, o)) },
  { name: 'incidents.addWorkNote', requests: 2, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.addWorkNote(INC, 'looking', o)) },
  { name: 'incidents.addComment', requests: 2, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.addComment(INC, 'on it', o)) },
  { name: 'incidents.workNotes (resolve, then journal)', requests: 2, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.workNotes(INC, o)) },
  { name: 'incidents.comments', requests: 2, read: true, env: () => serviceNow(twoIncidents, (sn, o) => sn.incidents.comments(INC, o)) },
  { name: 'problems.create', requests: 1, read: false, env: () => serviceNow(nothing, (sn, o) => sn.problems.create({ shortDescription: 'Recurring VPN drops' }, o)) },
  { name: 'changeRequests.create', requests: 1, read: false, env: () => serviceNow(nothing, (sn, o) => sn.changeRequests.create({ type: 'normal', shortDescription: 'Move DC' }, o)) },
  { name: 'changeTasks.search', requests: 1, read: true, env: () => serviceNow(nothing, (sn, o) => sn.changeTasks.search({}, o)) },
  { name: 'requestedItems.get', requests: 1, read: true, env: () => serviceNow(nothing, (sn, o) => sn.requestedItems.get('RITM0000001', o)) },
  { name: 'journal.entries', requests: 1, read: true, env: () => serviceNow(twoIncidents, (sn, o, id) => sn.journal.entries('incident', id, 'work_notes', o)) },
  { name: 'users.resolve', requests: 1, read: true, env: () => serviceNow(nothing, (sn, o) => sn.users.resolve('abel.tuter@example.com', o)) },
  { name: 'groups.resolveSysId', requests: 1, read: true, env: () => serviceNow(nothing, (sn, o) => sn.groups.resolveSysId('Network', o)) },
  { name: 'configurationItems.resolve', requests: 1, read: true, env: () => serviceNow(nothing, (sn, o) => sn.configurationItems.resolve('web-01', { className: 'cmdb_ci_server', ...o })) },
  { name: 'testConnection', requests: 1, read: true, env: () => serviceNow(nothing, async (sn, o) => rejectFailure(await sn.testConnection(o))) },
].map((c) => ({ ...c, name: `ServiceNow ${c.name}` }));

const oneIssue = async (client: JiraClient) => {
  await client.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Disk full' });
  await client.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'Disk full again' });
};
const KEY = 'OPS-1';

const JIRA: Case[] = [
  { name: 'issues.create', requests: 1, read: false, env: () => jira(() => {}, (j, o) => j.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x' }, o)) },
  {
    name: 'issues.create with a correlationKey (search, then create)',
    requests: 2,
    read: true,
    env: () => jira(() => {}, (j, o) => j.issues.create({ projectKey: 'OPS', issueType: 'Task', summary: 'x', correlationKey: 'alert-3' }, o)),
  },
  { name: 'issues.get', requests: 1, read: true, env: () => jira(oneIssue, (j, o) => j.issues.get(KEY, o)) },
  { name: 'issues.update', requests: 1, read: true, env: () => jira(oneIssue, (j, o) => j.issues.update(KEY, { summary: 'y' }, o)) },
  { name: 'issues.delete', requests: 1, read: true, env: () => jira(oneIssue, (j, o) => j.issues.delete(KEY, o)) },
  { name: 'issues.iterate (every page)', requests: 2, read: true, env: () => jira(oneIssue, (j, o) => all(j.issues.iterate('project = OPS', { pageSize: 1, ...o }))) },
  { name: 'issues.search (one page)', requests: 1, read: true, env: () => jira(oneIssue, (j, o) => j.issues.search('project = OPS', { pageSize: 1, ...o })) },
  { name: 'issues.count', requests: 1, read: true, env: () => jira(oneIssue, (j, o) => j.issues.count('project = OPS', o)) },
  { name: 'issues.findByCorrelationKey', requests: 1, read: true, env: () => jira(oneIssue, (j, o) => j.issues.findByCorrelationKey('OPS', 'alert-4', o)) },
  { name: 'issues.transitions', requests: 1, read: true, env: () => jira(oneIssue, (j, o) => j.issues.transitions(KEY, o)) },
  { name: 'issues.transition (list, then move)', requests: 2, read: true, env: () => jira(oneIssue, (j, o) => j.issues.transition(KEY, { to: 'Done', ...o })) },
  { name: 'issues.addComment', requests: 1, read: false, env: () => jira(oneIssue, (j, o) => j.issues.addComment(KEY, 'hello', o)) },
  { name: 'issues.comments', requests: 1, read: true, env: () => jira(oneIssue, (j, o) => j.issues.comments(KEY, o)) },
  { name: 'testConnection', requests: 1, read: true, env: () => jira(() => {}, async (j, o) => rejectFailure(await j.testConnection(o))) },
].map((c) => ({ ...c, name: `Jira ${c.name}` }));

/** The seeded connections; the ServiceNow ITSM one's id. */
const seeded = async (ds: ConnectionsClient): Promise<string> => {
  await ds.seed();
  return (await ds.list({ type: 'servicenow_itsm' }))[0]!.id;
};
const noConnections = async (): Promise<string> => '';

const CONNECTIONS: Case[] = [
  { name: 'seed', requests: 1, read: true, env: () => connections(noConnections, (ds, o) => ds.seed(o)) },
  { name: 'list', requests: 1, read: true, env: () => connections(seeded, (ds, o) => ds.list({}, o)) },
  { name: 'get', requests: 1, read: true, env: () => connections(seeded, (ds, o, id) => ds.get(id, o)) },
  { name: 'update', requests: 1, read: true, env: () => connections(seeded, (ds, o, id) => ds.update(id, { name: 'ITSM', config: {}, enabled: false }, o)) },
  { name: 'patch', requests: 1, read: true, env: () => connections(seeded, (ds, o, id) => ds.patch(id, { enabled: true }, o)) },
  { name: 'verify', requests: 1, read: false, env: () => connections(seeded, (ds, o, id) => ds.verify(id, { credentials: { username: 'u', password: 'p-secret' } }, o)) },
  { name: 'remove', requests: 1, read: true, env: () => connections(seeded, (ds, o, id) => ds.remove(id, o)) },
  { name: 'syncTickets by id (get, then sync)', requests: 2, read: true, env: () => connections(seeded, (ds, o, id) => ds.syncTickets(id, { force: true }, o).catch(keepHttpError)) },
  { name: 'createDelegation', requests: 1, read: false, env: () => connections(noConnections, (ds, o) => ds.createDelegation({ itsmSystemType: 'jira', delegateEmail: 'a@acme.test' }, o)) },
  { name: 'listDelegations', requests: 1, read: true, env: () => connections(noConnections, (ds, o) => ds.listDelegations({}, o)) },
].map((c) => ({ ...c, name: `Connections ${c.name}` }));

/** syncTickets on an unconfigured connection is refused by the server after both requests went out; that answer is what the test expects. */
function keepHttpError(error: unknown): unknown {
  if (isHttpError(error) && error.status < 500) return error;
  throw error;
}

const CASES = [...SERVICENOW, ...JIRA, ...CONNECTIONS];
const READS = CASES.filter((c) => c.read);

/** Runs an operation and returns what it rejected with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 200)}`);
    },
    (error: unknown) => error,
  );
}

describe('per-call options on every operation', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: the call and client headers reach each request, the call winning, the credentials winning over both', async (_, c) => {
    const env = await c.env();
    await env.run({ headers: { 'X-Call': 'per-call', 'x-trace': 't-1', Authorization: 'Bearer not-the-credentials' } });
    const sent = env.sent();
    expect(sent.length).toBeGreaterThanOrEqual(c.requests);
    for (const request of sent) {
      expect({ url: request.url, call: request.headers.get('x-call'), trace: request.headers.get('x-trace'), team: request.headers.get('x-team') }).toEqual({
        url: request.url,
        call: 'per-call',
        trace: 't-1',
        team: 'ops',
      });
      expect(request.headers.get('authorization')).toBe(c.name.startsWith('ServiceNow') ? SN_AUTH : c.name.startsWith('Jira') ? JIRA_AUTH : DS_AUTH);
    }
  });

  it.each(READS.map((c) => [c.name, c] as const))('%s: retry false makes one attempt on a 503, retry { retries: 1 } two, the client policy four', async (_, c) => {
    const attempts: number[] = [];
    for (const options of [{ retry: false }, { retry: { retries: 1 } }, {}] as const) {
      const env = await c.env();
      env.faults.add({ fault: { kind: 'status', status: 503, body: { error: { message: 'unavailable' } } }, times: 10 });
      const error = (await failure(env.run(options))) as HttpError;
      expect(isHttpError(error) && error.status).toBe(503);
      attempts.push(error.retry.attempts);
      expect(env.sent()).toHaveLength(error.retry.attempts);
    }
    expect(attempts).toEqual([1, 2, 4]);
  });

  it.each(READS.map((c) => [c.name, c] as const))('%s: timeoutMs ends a slow attempt with a TimeoutError carrying the call value', async (_, c) => {
    const env = await c.env();
    env.faults.add({ fault: { kind: 'delay', ms: 10_000 }, times: 10 });
    const error = (await failure(env.run({ timeoutMs: 40, retry: false }))) as TimeoutError;
    expect(isTimeoutError(error)).toBe(true);
    expect({ timeoutMs: error.timeoutMs, scope: error.scope, attempts: error.retry.attempts }).toEqual({ timeoutMs: 40, scope: 'attempt', attempts: 1 });
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: a bad timeoutMs is a ConfigError naming it, and nothing is sent', async (_, c) => {
    for (const timeoutMs of [0, -1, Number.NaN]) {
      const env = await c.env();
      const error = (await failure(env.run({ timeoutMs }))) as ConfigError;
      expect(isConfigError(error)).toBe(true);
      expect(error.issues.map((i) => i.field)).toEqual(['timeoutMs']);
      expect(env.sent()).toEqual([]);
    }
  });

  it.each(READS.map((c) => [c.name, c] as const))('%s: signal still aborts the call', async (_, c) => {
    const env = await c.env();
    env.faults.add({ fault: { kind: 'delay', ms: 10_000 }, times: 10 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 20);
    expect(isAbortedError(await failure(env.run({ signal: controller.signal, timeoutMs: 5_000 })))).toBe(true);
  });
});

describe('per-call timeoutMs against the client policy', () => {
  it('a longer per-call timeoutMs lets a call outlast the client attemptTimeoutMs', async () => {
    const clock = fakeClock();
    const fake = new FakeServiceNow({ now: clock.now });
    const sn = new ServiceNowClient({ instanceUrl: INSTANCE, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' }, fetch: fake.fetch, clock, retry: { attemptTimeoutMs: 20, retries: 0 } });
    fake.faults.add({ fault: { kind: 'delay', ms: 80 } });
    const error = (await failure(sn.users.resolve('abel.tuter@example.com'))) as TimeoutError;
    expect({ timeout: isTimeoutError(error), timeoutMs: error.timeoutMs }).toEqual({ timeout: true, timeoutMs: 20 });
    fake.faults.add({ fault: { kind: 'delay', ms: 80 } });
    expect((await sn.users.resolve('abel.tuter@example.com', { timeoutMs: 5_000 })).userName).toBe('abel.tuter');
  });
});

describe('call options in their other forms', () => {
  it('resolveSysId still takes a bare AbortSignal (its earlier form) and aborts with it', async () => {
    const env = await serviceNow(twoIncidents, (sn, o) => sn.incidents.resolveSysId(INC, o.signal));
    env.faults.add({ fault: { kind: 'delay', ms: 10_000 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 20);
    expect(isAbortedError(await failure(env.run({ signal: controller.signal })))).toBe(true);
    const users = await serviceNow(nothing, (sn, o) => sn.users.resolveSysId('abel.tuter@example.com', o.signal));
    expect(await users.run({ signal: new AbortController().signal })).toBe('62826bf03710200044e0bfc8bcbe5df1');
  });

  it('ConnectionsClient.waitFor sends its headers on the live stream and the read, the stream keeping its own accept', async () => {
    const env = await connections(seeded, (ds, o, id) => ds.waitFor(id, () => true, { ...(o.headers ? { headers: o.headers } : {}), timeoutMs: 5_000 }));
    const state = (await env.run({ headers: { 'x-trace': 'w-1', Accept: 'text/html' } })) as { readonly status: string };
    expect(state.status).toBe('idle');
    const sent = env.sent().map((r) => ({ path: new URL(r.url).pathname, trace: r.headers.get('x-trace'), accept: r.headers.get('accept'), team: r.headers.get('x-team') }));
    expect(sent).toEqual([
      { path: '/api/sse', trace: 'w-1', accept: 'text/event-stream', team: 'ops' },
      { path: expect.stringMatching(/^\/api\/data-sources\/[^/]+$/), trace: 'w-1', accept: 'text/html', team: 'ops' },
    ]);
  });
});
