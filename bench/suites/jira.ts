/**
 * Jira: create and search through the SDK vs raw fetch against the sandbox's
 * fake Jira on loopback (latency at concurrency 1, throughput at concurrency
 * 100), measured twice: with the server in its own process (like a real Jira:
 * the targets apply here) and in the same process as the client, and ADF
 * conversion of a 10 KB text. Targets: create median overhead <= 10% over raw
 * fetch; throughput >= 90% of raw; text -> ADF under 1 ms median.
 */
import { forkServer } from '../fork-server.js';
import { itsmkit, testing } from '../itsmkit.js';
import { alternatingMicros, type BenchResult, type BenchSuite, inMemoryFetch, medianMicros, pairedLatencies, pairedThroughput, quantile } from '../lib.js';

const { adfToText, basicAuth, JiraClient, textToAdf, Transport } = itsmkit;
const { startSandbox } = testing;

const CREATE_INPUT = { projectKey: 'OPS', issueType: 'Task', summary: 'Disk full on db-1', labels: ['bench'] };
/** The wire body of {@link CREATE_INPUT}, as a raw caller would send it. */
const CREATE_FIELDS = { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Disk full on db-1', labels: ['bench'] } };

/** SDK and raw at concurrency 1 (paired calls) and 100 (alternating rounds): medians and p99. */
async function compare(sdk: () => Promise<unknown>, raw: () => Promise<unknown>, iterations: number) {
  const [s, r] = await pairedLatencies(sdk, raw, iterations);
  const [sdkRate, rawRate] = await pairedThroughput(sdk, raw, { rounds: 6 });
  return {
    sdk: { median: quantile(s, 0.5), p99: quantile(s, 0.99), perSecond: sdkRate },
    raw: { median: quantile(r, 0.5), p99: quantile(r, 0.99), perSecond: rawRate },
  };
}

function tenKilobytes(): string {
  const paragraph = [
    'The data volume on db-1 reached 98% at 02:14 UTC; see https://status.example.com/incidents/4711 for the timeline.',
    'Owner: [~accountid:557058:oncall-1]',
    '',
    '- rotate the application logs',
    '- grow the volume by 200 GB',
    '1. page the database team',
    '2. confirm replication lag is under 5 s',
    '```sh',
    'df -h /var/lib/postgresql',
    '```',
    '',
  ].join('\n');
  let text = '';
  while (text.length < 10 * 1024) text += paragraph;
  return text.slice(0, 10 * 1024);
}

async function measure(url: string, where: string, credentials: { email: string; apiToken: string }): Promise<BenchResult[]> {
  const { email, apiToken } = credentials;
  const authorization = `Basic ${Buffer.from(`${email}:${apiToken}`).toString('base64')}`;
  const jira = new JiraClient({ baseUrl: url, auth: { type: 'basic', email, apiToken } });
  const headers = { authorization, accept: 'application/json', 'content-type': 'application/json' };
  const results: BenchResult[] = [];
  const target = where === 'server in its own process';

  // Search first, over a fixed set, before creates grow the store.
  for (let i = 0; i < 20; i++) await jira.issues.create({ projectKey: 'DEV', issueType: 'Task', summary: `search target ${i}` });
  const query = 'project = DEV ORDER BY created DESC';
  const sdkSearch = () => jira.issues.search(query, { fields: ['summary', 'status'], pageSize: 20 });
  const rawSearch = async () => {
    const res = await fetch(`${url}/rest/api/3/search/jql`, { method: 'POST', headers, body: JSON.stringify({ jql: query, fields: ['summary', 'status'], maxResults: 20 }) });
    return res.json();
  };
  const search = await compare(sdkSearch, rawSearch, 600);
  results.push(
    { name: `search 20 issues, median (${where})`, unit: 'ms', value: search.sdk.median, baseline: search.raw.median },
    { name: `search 20 issues, p99 (${where})`, unit: 'ms', value: search.sdk.p99, baseline: search.raw.p99 },
    { name: `search throughput, concurrency 100 (${where})`, unit: 'req/s', value: search.sdk.perSecond, baseline: search.raw.perSecond },
  );

  const input = CREATE_INPUT;
  const fields = CREATE_FIELDS;
  const sdkCreate = () => jira.issues.create(input);
  // Serialises per call, as a caller with new data each time does (and as the SDK must).
  const rawCreate = async () => {
    const res = await fetch(`${url}/rest/api/3/issue`, { method: 'POST', headers, body: JSON.stringify(fields) });
    return res.json();
  };
  // The core transport alone with the same request: separates the Jira layer's cost from the transport's.
  const transport = new Transport({ baseUrl: url, platform: 'jira', auth: basicAuth(email, apiToken) });
  const wire: unknown = fields;
  const transportCreate = () => transport.request({ method: 'POST', path: '/rest/api/3/issue', json: wire });
  const create = await compare(sdkCreate, rawCreate, 1000);
  const bare = await compare(transportCreate, rawCreate, 1000);
  // Raw fetch with the one fetch option the SDK sets (it refuses redirects, which also spares undici a copy of the body):
  // the SDK's overhead with that saving taken out.
  const rawNoRedirect = async () => {
    const res = await fetch(`${url}/rest/api/3/issue`, { method: 'POST', headers, body: JSON.stringify(fields), redirect: 'error' });
    return res.json();
  };
  const matched = target ? await compare(sdkCreate, rawNoRedirect, 1000) : undefined;
  results.push(
    { name: `create issue, median (${where})`, unit: 'ms', value: create.sdk.median, baseline: create.raw.median, ...(target ? { note: 'target <= 1.10x raw' } : {}) },
    { name: `create issue, p99 (${where})`, unit: 'ms', value: create.sdk.p99, baseline: create.raw.p99 },
    { name: `create throughput, concurrency 100 (${where})`, unit: 'req/s', value: create.sdk.perSecond, baseline: create.raw.perSecond, ...(target ? { note: 'target >= 0.90x raw' } : {}) },
    { name: `create via core Transport alone, median (${where})`, unit: 'ms', value: bare.sdk.median, baseline: bare.raw.median },
    { name: `create via core Transport alone, throughput (${where})`, unit: 'req/s', value: bare.sdk.perSecond, baseline: bare.raw.perSecond },
  );
  if (matched) {
    results.push(
      { name: `create issue vs raw fetch with redirect: 'error', median (${where})`, unit: 'ms', value: matched.sdk.median, baseline: matched.raw.median },
      { name: `create vs raw fetch with redirect: 'error', throughput (${where})`, unit: 'req/s', value: matched.sdk.perSecond, baseline: matched.raw.perSecond },
    );
  }
  return results;
}

export const jiraSuite: BenchSuite = {
  name: 'jira',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    const credentials = { email: 'demo@example.com', apiToken: 'sandbox-api-token' };
    const server = await forkServer<{ url: string }>(new URL('./jira-server.ts', import.meta.url));
    try {
      results.push(...(await measure(server.message.url, 'server in its own process', credentials)));
    } finally {
      server.stop();
    }
    const sandbox = await startSandbox();
    try {
      const c = sandbox.jira.credentials;
      results.push(...(await measure(sandbox.jira.url, 'sandbox in the same process', { email: c['email'] as string, apiToken: c['apiToken'] as string })));
    } finally {
      await sandbox.close();
    }
    // The same create with the network taken out: the SDK's own cost per call, steady where the loopback figures swing.
    const memory = inMemoryFetch({ id: '10001', key: 'OPS-1', self: 'https://jira.example/rest/api/3/issue/10001' }, 201);
    const memoryJira = new JiraClient({ baseUrl: 'https://jira.example', auth: { type: 'basic', ...credentials }, fetch: memory });
    const authorization = `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`;
    const [sdkMicros, rawMicros] = await alternatingMicros(
      () => memoryJira.issues.create(CREATE_INPUT),
      async () => {
        const res = await memory('https://jira.example/rest/api/3/issue', {
          method: 'POST',
          headers: { authorization, accept: 'application/json', 'content-type': 'application/json' },
          body: JSON.stringify(CREATE_FIELDS),
        });
        return res.json();
      },
    );
    results.push({ name: 'create issue, in-memory fetch (the SDK\'s own cost)', unit: 'µs', value: sdkMicros, baseline: rawMicros, note: `SDK adds ${(sdkMicros - rawMicros).toFixed(1)} µs per call` });

    const text = tenKilobytes();
    results.push({ name: 'text -> ADF, 10 KB, median', unit: 'µs', value: medianMicros(() => textToAdf(text), 200, 10), note: 'target < 1000 µs' });
    const doc = textToAdf(text);
    results.push({ name: 'ADF -> text, 10 KB, median', unit: 'µs', value: medianMicros(() => adfToText(doc), 200, 10) });
    return results;
  },
};
