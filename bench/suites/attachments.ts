/**
 * Attachments (issue 17): upload and download a 100 MB file through the
 * sandbox ServiceNow and Jira, served from a child process
 * (attachments-server.ts), with the SDK (Node transport) and with raw `fetch`
 * piping the same file (`duplex: 'half'` upload of a file stream, for Jira
 * inside a streamed `multipart/form-data` body; download piped to a file).
 * Reports the client process's peak RSS growth during each SDK transfer
 * (target under 30 MB) and the SDK's throughput against raw fetch's (target at
 * least 0.8x). Rounds interleave the two clients; the median round counts.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { UploadSource } from '../../src/index.js';
import { forkServer } from '../fork-server.js';
import { itsmkit } from '../itsmkit.js';
import { quantile, type BenchResult, type BenchSuite } from '../lib.js';
import type { AttachmentsServerMessage } from './attachments-server.js';

const { JiraClient, ServiceNowClient } = itsmkit;

const SIZE = 100 * 1024 * 1024;
const ROUNDS = 3;
const SN_BASIC = `Basic ${Buffer.from('admin:sandbox-password').toString('base64')}`;
const JIRA_BASIC = `Basic ${Buffer.from('demo@example.com:sandbox-api-token').toString('base64')}`;

/** One service's transfers of the bench file, by the SDK and by raw fetch, each resolving with the attachment's id. */
interface Transfers {
  readonly service: string;
  sdkUpload(source: UploadSource): Promise<string>;
  sdkDownload(id: string): Promise<unknown>;
  rawUpload(): Promise<string>;
  rawDownload(id: string): Promise<void>;
  remove(id: string): Promise<unknown>;
}

/** Runs `fn`, sampling this process's RSS every 5 ms: its seconds and the peak growth over the RSS before it. */
async function measured(fn: () => Promise<unknown>): Promise<{ seconds: number; rssGrowth: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  await fn();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds, rssGrowth: peak - before };
}

async function writeFile100(path: string): Promise<void> {
  const handle = await open(path, 'w');
  const block = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < SIZE / block.length; i++) {
    block.fill(i % 251);
    await handle.write(block);
  }
  await handle.close();
}

/** A streamed request body for fetch (`duplex: 'half'`): `source`, read as it is sent. */
function streamed(source: Readable): RequestInit {
  return { body: Readable.toWeb(source) as ReadableStream<Uint8Array>, duplex: 'half' } as RequestInit;
}

/** Pipes a response's body into the file `target`. */
async function toFile(res: Response, target: string): Promise<void> {
  await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), createWriteStream(target));
}

function serviceNowTransfers(url: string, sysId: string, file: string, target: string): Transfers {
  const sn = new ServiceNowClient({ instanceUrl: url, auth: { type: 'basic', username: 'admin', password: 'sandbox-password' } });
  return {
    service: 'ServiceNow',
    sdkUpload: async (source) => (await sn.attachments.upload('incident', sysId, source, { fileName: 'sdk.bin' })).sysId,
    sdkDownload: (id) => sn.attachments.downloadTo(id, target),
    rawUpload: async () => {
      const res = await fetch(`${url}/api/now/attachment/file?table_name=incident&table_sys_id=${sysId}&file_name=raw.bin`, {
        method: 'POST',
        headers: { authorization: SN_BASIC, 'content-type': 'application/octet-stream', 'content-length': String(SIZE), accept: 'application/json' },
        ...streamed(createReadStream(file)),
      });
      return ((await res.json()) as { result: { sys_id: string } }).result.sys_id;
    },
    rawDownload: async (id) => toFile(await fetch(`${url}/api/now/attachment/${id}/file`, { headers: { authorization: SN_BASIC, accept: '*/*' } }), target),
    remove: (id) => fetch(`${url}/api/now/attachment/${id}`, { method: 'DELETE', headers: { authorization: SN_BASIC } }),
  };
}

function jiraTransfers(url: string, issueKey: string, file: string, target: string): Transfers {
  const jira = new JiraClient({ baseUrl: url, auth: { type: 'basic', email: 'demo@example.com', apiToken: 'sandbox-api-token' } });
  const boundary = `----bench${Date.now().toString(16)}`;
  const prefix = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="raw.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const suffix = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* multipart(): AsyncGenerator<Uint8Array> {
    yield prefix;
    yield* createReadStream(file) as AsyncIterable<Buffer>;
    yield suffix;
  }
  return {
    service: 'Jira',
    sdkUpload: async (source) => (await jira.attachments.upload(issueKey, source, { fileName: 'sdk.bin' })).id,
    sdkDownload: (id) => jira.attachments.downloadTo(id, target),
    rawUpload: async () => {
      const res = await fetch(`${url}/rest/api/3/issue/${issueKey}/attachments`, {
        method: 'POST',
        headers: {
          authorization: JIRA_BASIC,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(prefix.length + SIZE + suffix.length),
          'x-atlassian-token': 'no-check',
          accept: 'application/json',
        },
        ...streamed(Readable.from(multipart())),
      });
      return ((await res.json()) as { id: string }[])[0]?.id ?? '';
    },
    rawDownload: async (id) => toFile(await fetch(`${url}/rest/api/3/attachment/content/${id}?redirect=false`, { headers: { authorization: JIRA_BASIC, accept: '*/*' } }), target),
    remove: (id) => fetch(`${url}/rest/api/3/attachment/${id}`, { method: 'DELETE', headers: { authorization: JIRA_BASIC } }),
  };
}

/** Warms up, then runs the interleaved rounds: the four rows of one service. */
async function bench(t: Transfers, file: string): Promise<BenchResult[]> {
  // Warm-up: connections, modules, JIT (a small file through the SDK, the bench file raw).
  const warm = await t.sdkUpload(new Uint8Array(1024 * 1024));
  await t.sdkDownload(warm);
  await t.remove(warm);
  await t.remove(await t.rawUpload());
  const rows = { sdkUp: [] as number[], rawUp: [] as number[], sdkDown: [] as number[], rawDown: [] as number[], rssUp: [] as number[], rssDown: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    let id = '';
    const up = await measured(async () => {
      id = await t.sdkUpload(file);
    });
    const down = await measured(() => t.sdkDownload(id));
    await t.remove(id);
    let rawId = '';
    const rawUp = await measured(async () => {
      rawId = await t.rawUpload();
    });
    const rawDown = await measured(() => t.rawDownload(rawId));
    await t.remove(rawId);
    rows.sdkUp.push(SIZE / up.seconds / 1e6);
    rows.sdkDown.push(SIZE / down.seconds / 1e6);
    rows.rawUp.push(SIZE / rawUp.seconds / 1e6);
    rows.rawDown.push(SIZE / rawDown.seconds / 1e6);
    rows.rssUp.push(up.rssGrowth / 1024 / 1024);
    rows.rssDown.push(down.rssGrowth / 1024 / 1024);
  }
  const median = (xs: number[]) => quantile(xs, 0.5);
  const worst = (xs: number[]) => `target < 30 MB (worst round; rounds ${xs.map((x) => x.toFixed(1)).join(', ')})`;
  return [
    { name: `${t.service} upload 100 MB, sdk vs raw fetch`, unit: 'MB/s', value: median(rows.sdkUp), baseline: median(rows.rawUp), note: 'target >= 0.8x raw fetch' },
    { name: `${t.service} download 100 MB, sdk vs raw fetch`, unit: 'MB/s', value: median(rows.sdkDown), baseline: median(rows.rawDown), note: 'target >= 0.8x raw fetch' },
    { name: `${t.service} upload 100 MB, client peak RSS growth`, unit: 'MB', value: Math.max(...rows.rssUp), note: worst(rows.rssUp) },
    { name: `${t.service} download 100 MB, client peak RSS growth`, unit: 'MB', value: Math.max(...rows.rssDown), note: worst(rows.rssDown) },
  ];
}

export const attachmentsSuite: BenchSuite = {
  name: 'attachments',
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(join(tmpdir(), 'itsmkit-bench-att-'));
    const file = join(dir, 'upload.bin');
    const target = join(dir, 'download.bin');
    await writeFile100(file);
    const server = await forkServer<AttachmentsServerMessage>(new URL('./attachments-server.ts', import.meta.url));
    const { serviceNowUrl, sysId, jiraUrl, issueKey } = server.message;
    try {
      return [...(await bench(serviceNowTransfers(serviceNowUrl, sysId, file, target), file)), ...(await bench(jiraTransfers(jiraUrl, issueKey, file, target), file))];
    } finally {
      server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
