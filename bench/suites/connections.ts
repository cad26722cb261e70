import type { BenchResult, BenchSuite } from '../lib.js';
import { opsPerSecond } from '../lib.js';
import { itsmkit } from '../itsmkit.js';

const { applyStatusMessage, MemoryConnectionStore, newConnectionRecord, parseStatusMessage } = itsmkit;

const CONNECTIONS = 1000;
const encoder = new TextEncoder();

/** One tenant per connection: a tenant holds one connection per type. */
function tenant(connection: number): string {
  return `6f1c2b9a-${String(connection).padStart(4, '0')}-4000-8000-000000000001`;
}

function typical(connection: number, seq: number): Uint8Array {
  const status = seq % 2 === 0 ? 'sync_started' : 'sync_completed';
  return encoder.encode(
    JSON.stringify({
      type: 'sync',
      connection_id: `7d3e${String(connection).padStart(4, '0')}-0000-4000-8000-000000000000`,
      tenant_id: tenant(connection),
      status,
      ...(status === 'sync_completed' ? { documents_processed: 42 } : {}),
      timestamp: new Date(Date.UTC(2025, 9, 1) + seq * 1000).toISOString(),
    }),
  );
}

/** parseStatusMessage alone, and parse -> applyStatusMessage -> MemoryConnectionStore, in messages per second. */
export const connectionsSuite: BenchSuite = {
  name: 'connections',
  async run(): Promise<BenchResult[]> {
    const sample = Array.from({ length: 4096 }, (_, i) => typical(i % CONNECTIONS, i));
    let i = 0;
    const parseRate = opsPerSecond(() => parseStatusMessage(sample[i++ & 4095]), 1000);

    const store = new MemoryConnectionStore();
    for (let c = 0; c < CONNECTIONS; c++) {
      const id = `7d3e${String(c).padStart(4, '0')}-0000-4000-8000-000000000000`;
      await store.insert(
        newConnectionRecord({ id, organizationId: tenant(c), type: 'confluence', name: 'Confluence', enabled: true, createdBy: tenant(c), at: '2025-01-01T00:00:00.000Z' }),
      );
    }
    // A long stream with ever newer timestamps, so every message is applied and stored.
    const total = 100_000;
    const stream = Array.from({ length: total }, (_, n) => typical(n % CONNECTIONS, Math.floor(n / CONNECTIONS)));
    let applied = 0;
    const now = Date.now();
    const clockReading = { now, nowIso: new Date(now).toISOString() };
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (const bytes of stream) {
      const parsed = parseStatusMessage(bytes);
      if (!parsed.ok) continue;
      const current = await store.get(parsed.message.organizationId, parsed.message.connectionId);
      if (!current) continue;
      const result = applyStatusMessage(current, parsed.message, clockReading);
      if (result.outcome !== 'applied') continue;
      const stored = await store.update(result.connection, current.version);
      if (stored.ok) applied++;
    }
    const wallRate = (total / (performance.now() - start)) * 1000;
    const cpu = process.cpuUsage(cpuStart);
    // Per CPU-second of this process: what one core does, even when the machine is shared.
    const cpuRate = total / ((cpu.user + cpu.system) / 1e6);
    if (applied !== total) throw new Error(`bench stream applied ${applied} of ${total}`);

    return [
      { name: 'parseStatusMessage, typical sync message (bytes)', unit: 'msgs/s', value: parseRate, note: 'target >= 500000' },
      { name: 'parse + applyStatusMessage + MemoryConnectionStore', unit: 'msgs/s', value: wallRate, note: 'target >= 200000, one core (wall clock)' },
      { name: 'parse + applyStatusMessage + MemoryConnectionStore, per CPU-second', unit: 'msgs/s', value: cpuRate, note: 'process.cpuUsage; GC threads included' },
    ];
  },
};
