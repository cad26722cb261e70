import { ServiceNowClient, encodedQuery, type IncidentField } from '../../src/index.js';
import { FakeServiceNow } from '../../src/testing/index.js';
import { serveHandler } from '../../src/testing/serve.js';
import { latencies, opsPerSecond, quantile, throughput, type BenchResult, type BenchSuite } from '../lib.js';

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

    const out: BenchResult[] = [];
    try {
      for (const [op, raw, sdk] of [
        ['create', rawCreate, sdkCreate],
        ['get', rawGet, sdkGet],
      ] as const) {
        // Alternate runs so drift (JIT, GC, a growing table) hits both sides alike.
        const rawLat: number[] = [];
        const sdkLat: number[] = [];
        for (let round = 0; round < 4; round++) {
          rawLat.push(...(await latencies(raw, 250)));
          sdkLat.push(...(await latencies(sdk, 250)));
        }
        out.push(
          { name: `${op} median latency, concurrency 1`, unit: 'ms', value: quantile(sdkLat, 0.5), baseline: quantile(rawLat, 0.5), note: op === 'create' ? 'target: <= 1.10x raw fetch' : 'SDK vs raw fetch' },
          { name: `${op} p99 latency, concurrency 1`, unit: 'ms', value: quantile(sdkLat, 0.99), baseline: quantile(rawLat, 0.99) },
        );
        // Short alternating rounds and medians: a shared machine's load swings more than the difference measured.
        const rawRates: number[] = [];
        const sdkRates: number[] = [];
        for (let round = 0; round < 8; round++) {
          const first = round % 2 === 0 ? raw : sdk;
          const second = first === raw ? sdk : raw;
          const a = (await throughput(first, 1000, 100)).perSecond;
          const b = (await throughput(second, 1000, 100)).perSecond;
          (first === raw ? rawRates : sdkRates).push(a);
          (second === raw ? rawRates : sdkRates).push(b);
        }
        out.push({ name: `${op} throughput, concurrency 100`, unit: 'req/s', value: quantile(sdkRates, 0.5), baseline: quantile(rawRates, 0.5), note: 'target: >= 0.90x raw fetch' });
      }
    } finally {
      await server.close();
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
