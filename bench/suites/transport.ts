/**
 * The transport against the platform's limit (issue 16): ServiceNow create
 * and get, Jira search and create, each made by five clients against the same
 * fakes in their own process (see transport-server.ts): raw `fetch`,
 * `node:http` (keep-alive agent, 100 sockets), `undici.request` (a pool of 100
 * connections), the SDK with its Node transport (no `fetch` option) and the
 * SDK's fetch path (`fetch` given). Latency at concurrency 1 (the clients
 * interleaved call by call) and throughput at concurrency 100 (short rounds,
 * the clients in turn; the median round). Targets: the SDK's node transport at
 * least 0.85x the best of node:http and undici.request in create throughput,
 * at most 1.15x its median latency; the fetch path at least 0.95x raw fetch.
 */
import http from 'node:http';
import { Pool } from 'undici';
import { forkServer } from '../fork-server.js';
import { InstantDispatcher } from '../instant-dispatcher.js';
import { itsmkit } from '../itsmkit.js';
import { interleavedLatencies, interleavedThroughput, quantile, throughput, type BenchResult, type BenchSuite } from '../lib.js';
import { fetchCall, httpCall, type RawCall, undiciCall, type WireCall } from '../raw-clients.js';

const { JiraClient, ServiceNowClient } = itsmkit;

const CLIENTS = ['fetch', 'node:http', 'undici.request', 'sdk (node transport)', 'sdk (fetch path)'] as const;
type Client = (typeof CLIENTS)[number];

/** Calls per client at concurrency 1, after a tenth as many unmeasured. */
const LATENCY_CALLS = 600;
/** Rounds at concurrency 100, after one unmeasured round (connections opened). */
const THROUGHPUT = { rounds: 6, callsPerRound: 400, concurrency: 100, warmupRounds: 1 } as const;

const SN_AUTH = { type: 'basic', username: 'admin', password: 'sandbox-password' } as const;
const JIRA_AUTH = { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } as const;
const INCIDENT = { shortDescription: 'Bench incident', urgency: 'medium', impact: 'low' } as const;
const ISSUE = { projectKey: 'OPS', issueType: 'Task', summary: 'Disk full on db-1', labels: ['bench'] };
const JQL = 'project = DEV ORDER BY created DESC';

function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
}

/** One operation: its wire form (for the raw clients) and the SDK call on a client. */
interface Operation<C> {
  readonly name: string;
  readonly wire: WireCall;
  readonly sdk: (client: C) => Promise<unknown>;
}

type Results = Record<Client, { median: number; p99: number; rate: number }>;

async function measure(calls: Record<Client, RawCall>): Promise<Results> {
  const fns = CLIENTS.map((c) => calls[c]);
  const latencies = await interleavedLatencies(fns, LATENCY_CALLS);
  const rates = await interleavedThroughput(fns, THROUGHPUT);
  const out = {} as Results;
  CLIENTS.forEach((c, i) => {
    const l = latencies[i] ?? [];
    out[c] = { median: quantile(l, 0.5), p99: quantile(l, 0.99), rate: rates[i] ?? Number.NaN };
  });
  return out;
}

function report(op: string, r: Results): BenchResult[] {
  const out: BenchResult[] = [];
  for (const c of CLIENTS) {
    out.push(
      { name: `${op}, ${c}: median latency, concurrency 1`, unit: 'ms', value: r[c].median },
      { name: `${op}, ${c}: p99 latency, concurrency 1`, unit: 'ms', value: r[c].p99 },
      { name: `${op}, ${c}: throughput, concurrency 100`, unit: 'req/s', value: r[c].rate },
    );
  }
  const sdk = r['sdk (node transport)'];
  const fetchPath = r['sdk (fetch path)'];
  const bestLatency = r['node:http'].median <= r['undici.request'].median ? 'node:http' : 'undici.request';
  const bestRate = r['node:http'].rate >= r['undici.request'].rate ? 'node:http' : 'undici.request';
  const create = op.endsWith('create');
  out.push(
    { name: `${op}, sdk (node transport) vs best raw: median, concurrency 1`, unit: 'ms', value: sdk.median, baseline: r[bestLatency].median, note: `target <= 1.15x best of node:http/undici.request (${bestLatency})` },
    {
      name: `${op}, sdk (node transport) vs best raw: throughput, concurrency 100`,
      unit: 'req/s',
      value: sdk.rate,
      baseline: r[bestRate].rate,
      note: `${create ? 'target >= 0.85x ' : ''}best of node:http/undici.request (${bestRate})`,
    },
    { name: `${op}, sdk (fetch path) vs raw fetch: median, concurrency 1`, unit: 'ms', value: fetchPath.median, baseline: r.fetch.median, note: 'target <= 1.05x raw fetch (0.95x its speed)' },
    { name: `${op}, sdk (fetch path) vs raw fetch: throughput, concurrency 100`, unit: 'req/s', value: fetchPath.rate, baseline: r.fetch.rate, note: 'target >= 0.95x raw fetch' },
    { name: `${op}, SDK own cost per call, concurrency 1`, unit: 'µs', value: (sdk.median - r['undici.request'].median) * 1000, note: 'sdk (node transport) median minus undici.request median' },
    { name: `${op}, SDK own cost per call, concurrency 100`, unit: 'µs', value: 1e6 / sdk.rate - 1e6 / r['undici.request'].rate, note: '1e6/sdk (node transport) rate minus 1e6/undici.request rate' },
    { name: `${op}, SDK fetch path own cost per call, concurrency 1`, unit: 'µs', value: (fetchPath.median - r.fetch.median) * 1000, note: 'sdk (fetch path) median minus fetch median' },
    { name: `${op}, SDK fetch path own cost per call, concurrency 100`, unit: 'µs', value: 1e6 / fetchPath.rate - 1e6 / r.fetch.rate, note: '1e6/sdk (fetch path) rate minus 1e6/fetch rate' },
  );
  return out;
}

/** Microseconds per call of `fn` with `concurrency` calls in flight (the median of 5 rounds of 20,000 calls, after one unmeasured). */
async function microsPerCall(fn: () => Promise<unknown>, concurrency: number): Promise<number> {
  await throughput(fn, 20_000, concurrency);
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) rounds.push(1e6 / (await throughput(fn, 20_000, concurrency)));
  return quantile(rounds, 0.5);
}

export const transportSuite: BenchSuite = {
  name: 'transport',
  async run(): Promise<BenchResult[]> {
    const server = await forkServer<{ serviceNowUrl: string; jiraUrl: string }>(new URL('./transport-server.ts', import.meta.url));
    const { serviceNowUrl, jiraUrl } = server.message;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
    const pools = { [serviceNowUrl]: new Pool(serviceNowUrl, { connections: 100 }), [jiraUrl]: new Pool(jiraUrl, { connections: 100 }) };
    const viaFetch = (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init);
    try {
      const sn = { node: new ServiceNowClient({ instanceUrl: serviceNowUrl, auth: SN_AUTH }), fetch: new ServiceNowClient({ instanceUrl: serviceNowUrl, auth: SN_AUTH, fetch: viaFetch }) };
      const jira = { node: new JiraClient({ baseUrl: jiraUrl, auth: JIRA_AUTH }), fetch: new JiraClient({ baseUrl: jiraUrl, auth: JIRA_AUTH, fetch: viaFetch }) };
      // Gets read one seeded record; the search reads a fixed set of 20, measured before the Jira creates grow the store the fake scans.
      const seeded = await sn.node.incidents.create(INCIDENT);
      for (let i = 0; i < 20; i++) await jira.node.issues.create({ projectKey: 'DEV', issueType: 'Task', summary: `search target ${i}` });

      const snHeaders = { authorization: basic(SN_AUTH.username, SN_AUTH.password), accept: 'application/json' };
      const jiraHeaders = { authorization: basic(JIRA_AUTH.email, JIRA_AUTH.apiToken), accept: 'application/json', 'content-type': 'application/json' };
      const serviceNowOps: Operation<InstanceType<typeof ServiceNowClient>>[] = [
        {
          name: 'ServiceNow create',
          wire: {
            method: 'POST',
            origin: serviceNowUrl,
            path: '/api/now/table/incident',
            headers: { ...snHeaders, 'content-type': 'application/json' },
            body: () => JSON.stringify({ short_description: INCIDENT.shortDescription, urgency: '2', impact: '3' }),
            status: 201,
          },
          sdk: (c) => c.incidents.create(INCIDENT),
        },
        {
          name: 'ServiceNow get',
          wire: { method: 'GET', origin: serviceNowUrl, path: `/api/now/table/incident/${seeded.sysId}`, headers: snHeaders, status: 200 },
          sdk: (c) => c.incidents.get(seeded.sysId),
        },
      ];
      const jiraOps: Operation<InstanceType<typeof JiraClient>>[] = [
        {
          name: 'Jira search (20 issues)',
          wire: { method: 'POST', origin: jiraUrl, path: '/rest/api/3/search/jql', headers: jiraHeaders, body: () => JSON.stringify({ jql: JQL, fields: ['summary', 'status'], maxResults: 20 }), status: 200 },
          sdk: (c) => c.issues.search(JQL, { fields: ['summary', 'status'], pageSize: 20 }),
        },
        {
          name: 'Jira create',
          wire: {
            method: 'POST',
            origin: jiraUrl,
            path: '/rest/api/3/issue',
            headers: jiraHeaders,
            body: () => JSON.stringify({ fields: { project: { key: ISSUE.projectKey }, issuetype: { name: ISSUE.issueType }, summary: ISSUE.summary, labels: ISSUE.labels } }),
            status: 201,
          },
          sdk: (c) => c.issues.create(ISSUE),
        },
      ];

      const results: BenchResult[] = [];
      const run = async <C>(op: Operation<C>, clients: { node: C; fetch: C }) => {
        const pool = pools[op.wire.origin];
        if (!pool) throw new Error(`no pool for ${op.wire.origin}`);
        const r = await measure({
          fetch: fetchCall(op.wire),
          'node:http': httpCall(agent, op.wire),
          'undici.request': undiciCall(pool, op.wire),
          'sdk (node transport)': () => op.sdk(clients.node),
          'sdk (fetch path)': () => op.sdk(clients.fetch),
        });
        results.push(...report(op.name, r));
      };
      for (const op of serviceNowOps) await run(op, sn);
      for (const op of jiraOps) await run(op, jira);

      // The SDK's own cost with the network taken out: a dispatcher that answers at once, in process.
      const record = await (await fetch(`${serviceNowUrl}/api/now/table/incident/${seeded.sysId}`, { headers: snHeaders })).text();
      for (const [op, status, call] of [
        ['ServiceNow get', 200, (c: InstanceType<typeof ServiceNowClient>) => c.incidents.get(seeded.sysId)],
        ['ServiceNow create', 201, (c: InstanceType<typeof ServiceNowClient>) => c.incidents.create(INCIDENT)],
      ] as const) {
        const client = new ServiceNowClient({ instanceUrl: serviceNowUrl, auth: SN_AUTH, http: { dispatcher: new InstantDispatcher(status, record) } });
        for (const concurrency of [1, 100]) {
          const perCall = await microsPerCall(() => call(client), concurrency);
          results.push({ name: `${op}, SDK own cost per call, no network, concurrency ${concurrency}`, unit: 'µs', value: perCall, note: 'node transport on an in-process dispatcher that answers at once' });
        }
      }
      return results;
    } finally {
      agent.destroy();
      await Promise.all(Object.values(pools).map((p) => p.close()));
      server.stop();
    }
  },
};
