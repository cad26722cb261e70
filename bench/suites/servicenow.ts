import type { IncidentField } from '../../src/index.js';
import { itsmkit, testing } from '../itsmkit.js';
import { alternatingMicros, inMemoryFetch, opsPerSecond, pairedLatencies, pairedThroughput, quantile, type BenchResult, type BenchSuite } from '../lib.js';

const { ServiceNowClient, encodedQuery } = itsmkit;
const { FakeServiceNow, serveHandler } = testing;

const AUTH = `Basic ${btoa('admin:sandbox-password')}`;

/**
 * ServiceNow create and get through the SDK vs raw fetch against the loopback
 * sandbox (same fetch, keep-alive on both sides), and query-builder speed.
 */
export const servicenowSuite: BenchSuite = {
  name: 'servicenow',
  async run(): Promise<BenchResult[]> {
    const fake = new FakeServiceNow();
    const server = await serveHandler(fake.handle);
    const fetchFn = (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init);
    const sn = new ServiceNowClient({
      instanceUrl: server.url,
      auth: { type: 'basic', username: 'admin', password: 'sandbox-password' },
      fetch: fetchFn,
    });
    const body = { shortDescription: 'Bench incident', urgency: 'medium', impact: 'low' } as const;
    const rawCreate = async () => {
      // The idiomatic call (url and init, no Request object), as the SDK itself makes it.
      const res = await fetchFn(`${server.url}/api/now/table/incident`, {
        method: 'POST',
        headers: { authorization: AUTH, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ short_description: body.shortDescription, urgency: '2', impact: '3' }),
      });
      if (res.status !== 201) throw new Error(`raw create: ${res.status}`);
      return ((await res.json()) as { result: { sys_id: string } }).result;
    };
    const sdkCreate = () => sn.incidents.create(body);
    const seeded = await rawCreate();
    const rawGet = async () => {
      const res = await fetchFn(`${server.url}/api/now/table/incident/${seeded.sys_id}`, { headers: { authorization: AUTH, accept: 'application/json' } });
      if (!res.ok) throw new Error(`raw get: ${res.status}`);
      return res.json();
    };
    const sdkGet = () => sn.incidents.get(seeded.sys_id);
    // Raw fetch with the one fetch option the SDK sets (it refuses redirects, which also spares undici a copy of the body):
    // the SDK's overhead with that saving taken out.
    const rawCreateNoRedirect = async () => {
      const res = await fetchFn(`${server.url}/api/now/table/incident`, {
        method: 'POST',
        headers: { authorization: AUTH, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ short_description: body.shortDescription, urgency: '2', impact: '3' }),
        redirect: 'error',
      });
      return ((await res.json()) as { result: unknown }).result;
    };

    const out: BenchResult[] = [];
    try {
      for (const [op, raw, sdk] of [
        ['create', rawCreate, sdkCreate],
        ['get', rawGet, sdkGet],
        ["create vs raw fetch with redirect: 'error',", rawCreateNoRedirect, sdkCreate],
      ] as const) {
        const [sdkLat, rawLat] = await pairedLatencies(sdk, raw, 1000);
        out.push(
          { name: `${op} median latency, concurrency 1`, unit: 'ms', value: quantile(sdkLat, 0.5), baseline: quantile(rawLat, 0.5), note: op === 'create' ? 'target: <= 1.10x raw fetch' : 'SDK vs raw fetch' },
          { name: `${op} p99 latency, concurrency 1`, unit: 'ms', value: quantile(sdkLat, 0.99), baseline: quantile(rawLat, 0.99) },
        );
        const [sdkRate, rawRate] = await pairedThroughput(sdk, raw);
        out.push({ name: `${op} throughput, concurrency 100`, unit: 'req/s', value: sdkRate, baseline: rawRate, note: op === 'create' ? 'target: >= 0.90x raw fetch' : 'SDK vs raw fetch' });
      }
    } finally {
      await server.close();
    }

    // The exactly-once path: a new key per create costs the reservation and one lookup by correlation_id.
    // A fresh, small table: the fake scans rows where an instance uses an index, so a big table would measure the fake.
    const keyedFake = new FakeServiceNow();
    const keyedServer = await serveHandler(keyedFake.handle);
    try {
      const keyedSn = new ServiceNowClient({ instanceUrl: keyedServer.url, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' }, fetch: fetchFn });
      let keys = 0;
      const keyedCreate = () => keyedSn.incidents.create({ ...body, correlationId: `bench-${++keys}` });
      const plainCreate = () => keyedSn.incidents.create(body);
      const [keyedLat, plainLat] = await pairedLatencies(keyedCreate, plainCreate, 300);
      out.push({ name: 'create with a correlation id, median latency, concurrency 1', unit: 'ms', value: quantile(keyedLat, 0.5), baseline: quantile(plainLat, 0.5), note: 'baseline: the same create without a key; the key adds one lookup' });
      const [keyedRate, plainRate] = await pairedThroughput(keyedCreate, plainCreate, { rounds: 2, callsPerRound: 500 });
      out.push({ name: 'create with a correlation id, throughput, concurrency 100', unit: 'req/s', value: keyedRate, baseline: plainRate, note: 'baseline: the same create without a key' });
    } finally {
      await keyedServer.close();
    }

    // The same calls with the network taken out: the SDK's own cost per call, steady where the loopback figures swing.
    const memory = inMemoryFetch({ result: seeded }, 201);
    const memorySn = new ServiceNowClient({ instanceUrl: server.url, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' }, fetch: memory });
    const memoryRaw = async (init: RequestInit) => ((await (await memory(`${server.url}/api/now/table/incident`, init)).json()) as { result: unknown }).result;
    for (const [op, sdk, raw] of [
      [
        'create',
        () => memorySn.incidents.create(body),
        () =>
          memoryRaw({
            method: 'POST',
            headers: { authorization: AUTH, accept: 'application/json', 'content-type': 'application/json' },
            body: JSON.stringify({ short_description: body.shortDescription, urgency: '2', impact: '3' }),
          }),
      ],
      ['get', () => memorySn.incidents.get(seeded.sys_id), () => memoryRaw({ headers: { authorization: AUTH, accept: 'application/json' } })],
    ] as const) {
      const [sdkMicros, rawMicros] = await alternatingMicros(sdk, raw);
      out.push({ name: `${op}, in-memory fetch (the SDK's own cost)`, unit: 'µs', value: sdkMicros, baseline: rawMicros, note: `SDK adds ${(sdkMicros - rawMicros).toFixed(1)} µs per call` });
    }

    out.push({
      name: 'encoded-query build (5 conditions + sort)',
      unit: 'ops/s',
      value: opsPerSecond(() =>
        encodedQuery<IncidentField>()
          .where('active', '=', true)
          .where('priority', '<=', 2)
          .or('urgency', '=', 1)
          .where('state', 'IN', [1, 2, 3])
          .where('short_description', 'LIKE', 'VPN ^ outage')
          .orderByDesc('sys_created_on')
          .toString(),
      ),
    });
    return out;
  },
};
