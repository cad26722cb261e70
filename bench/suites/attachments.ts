/**
 * Attachments (issue 17): upload and download a 100 MB file through the
 * sandbox ServiceNow, served from a child process (attachments-server.ts), with
 * the SDK (Node transport) and with raw `fetch` piping the same file
 * (`duplex: 'half'` upload of a file stream; download piped to a file).
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
import { forkServer } from '../fork-server.js';
import { itsmkit } from '../itsmkit.js';
import { quantile, type BenchResult, type BenchSuite } from '../lib.js';

const { ServiceNowClient } = itsmkit;

const SIZE = 100 * 1024 * 1024;
const ROUNDS = 3;
const AUTH = { type: 'basic', username: 'admin', password: 'sandbox-password' } as const;
const BASIC = `Basic ${Buffer.from('admin:sandbox-password').toString('base64')}`;

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

export const attachmentsSuite: BenchSuite = {
  name: 'attachments',
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(join(tmpdir(), 'itsmkit-bench-att-'));
    const file = join(dir, 'upload.bin');
    const target = join(dir, 'download.bin');
    await writeFile100(file);
    const server = await forkServer<{ url: string; sysId: string }>(new URL('./attachments-server.ts', import.meta.url));
    const { url, sysId } = server.message;
    const sn = new ServiceNowClient({ instanceUrl: url, auth: AUTH });
    const uploadUrl = `${url}/api/now/attachment/file?table_name=incident&table_sys_id=${sysId}&file_name=raw.bin`;
    const rawUpload = async (): Promise<string> => {
      const res = await fetch(uploadUrl, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/octet-stream', 'content-length': String(SIZE), accept: 'application/json' },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit);
      return ((await res.json()) as { result: { sys_id: string } }).result.sys_id;
    };
    const rawDownload = async (id: string): Promise<void> => {
      const res = await fetch(`${url}/api/now/attachment/${id}/file`, { headers: { authorization: BASIC, accept: '*/*' } });
      await pipeline(Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>), createWriteStream(target));
    };
    const remove = (id: string) => fetch(`${url}/api/now/attachment/${id}`, { method: 'DELETE', headers: { authorization: BASIC } });
    try {
      // Warm-up: connections, modules, JIT (a small file each way).
      const warm = await sn.attachments.upload('incident', sysId, new Uint8Array(1024 * 1024), { fileName: 'warm.bin' });
      await sn.attachments.downloadTo(warm.sysId, target);
      await remove(warm.sysId);
      await remove(await rawUpload());
      const rows = { sdkUp: [] as number[], rawUp: [] as number[], sdkDown: [] as number[], rawDown: [] as number[], rssUp: [] as number[], rssDown: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        let id = '';
        const up = await measured(async () => {
          id = (await sn.attachments.upload('incident', sysId, file)).sysId;
        });
        const down = await measured(() => sn.attachments.downloadTo(id, target));
        await remove(id);
        let rawId = '';
        const rawUp = await measured(async () => {
          rawId = await rawUpload();
        });
        const rawDown = await measured(() => rawDownload(rawId));
        await remove(rawId);
        rows.sdkUp.push(SIZE / up.seconds / 1e6);
        rows.sdkDown.push(SIZE / down.seconds / 1e6);
        rows.rawUp.push(SIZE / rawUp.seconds / 1e6);
        rows.rawDown.push(SIZE / rawDown.seconds / 1e6);
        rows.rssUp.push(up.rssGrowth / 1024 / 1024);
        rows.rssDown.push(down.rssGrowth / 1024 / 1024);
      }
      const median = (xs: number[]) => quantile(xs, 0.5);
      return [
        { name: 'ServiceNow upload 100 MB, sdk vs raw fetch', unit: 'MB/s', value: median(rows.sdkUp), baseline: median(rows.rawUp), note: 'target >= 0.8x raw fetch' },
        { name: 'ServiceNow download 100 MB, sdk vs raw fetch', unit: 'MB/s', value: median(rows.sdkDown), baseline: median(rows.rawDown), note: 'target >= 0.8x raw fetch' },
        { name: 'ServiceNow upload 100 MB, client peak RSS growth', unit: 'MB', value: Math.max(...rows.rssUp), note: `target < 30 MB (worst round; rounds ${rows.rssUp.map((x) => x.toFixed(1)).join(', ')})` },
        { name: 'ServiceNow download 100 MB, client peak RSS growth', unit: 'MB', value: Math.max(...rows.rssDown), note: `target < 30 MB (worst round; rounds ${rows.rssDown.map((x) => x.toFixed(1)).join(', ')})` },
      ];
    } finally {
      server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
