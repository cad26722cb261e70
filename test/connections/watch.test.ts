import { describe, expect, it } from 'vitest';
import { readServerSentEvents } from '../../src/connections/event-stream.js';
import { ConnectionsClient, type DataSourceUpdate } from '../../src/index.js';
import { handlerFetch } from '../../src/testing/index.js';

const BASE = 'https://rita.example.com';

/** A server that sends `frames` on its event stream, then ends it; records the paths asked for. */
function sseServer(frames: string[]) {
  const paths: string[] = [];
  const fetch = handlerFetch(async (request) => {
    paths.push(new URL(request.url).pathname);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const frame of frames) controller.enqueue(encoder.encode(frame));
        controller.close();
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  });
  const client = new ConnectionsClient({ baseUrl: BASE, token: 't', fetch });
  return { client, paths };
}

async function collect(client: ConnectionsClient, count: number): Promise<{ updates: DataSourceUpdate[]; skipped: Record<string, number> }> {
  const watch = client.watch({ reconnectDelayMs: 60_000 });
  const updates: DataSourceUpdate[] = [];
  for await (const update of watch) {
    updates.push(update);
    if (updates.length === count) break;
  }
  return { updates, skipped: { ...watch.skipped } };
}

describe('ConnectionsClient.watch reads live updates as the architecture sends them', () => {
  it("opens /api/sse and takes unnamed events whose JSON is { type: 'data_source_update', data }", async () => {
    // sendToOrganization(tenant_id, { type: 'data_source_update', data: {...} }) on an EventSource('/api/sse') stream.
    const sync = { type: 'data_source_update', data: { connectionId: 'c-1', status: 'idle', last_sync_status: 'completed', last_sync_at: '2025-10-01T12:00:00Z', documentsProcessed: 42, timestamp: '2025-10-01T12:00:01Z' } };
    const verification = {
      type: 'data_source_update',
      data: { connectionId: 'c-1', status: 'idle', last_verification_at: '2025-10-01T12:01:00Z', latest_options: { spaces: 'ENG,PROD,DOCS' }, timestamp: '2025-10-01T12:01:01Z' },
    };
    const { client, paths } = sseServer([`data: ${JSON.stringify(sync)}\n\n`, `id: 9\ndata: ${JSON.stringify(verification)}\n\n`]);
    const { updates } = await collect(client, 2);
    expect(paths).toEqual(['/api/sse']);
    expect(updates[0]).toMatchObject({ connectionId: 'c-1', status: 'idle', lastSyncStatus: 'completed', lastSyncAt: '2025-10-01T12:00:00Z', documentsProcessed: 42, timestamp: '2025-10-01T12:00:01Z' });
    expect(updates[1]).toMatchObject({ connectionId: 'c-1', lastVerificationAt: '2025-10-01T12:01:00Z', latestOptions: { spaces: ['ENG', 'PROD', 'DOCS'] } });
  });

  it("still takes named data_source_update events, flat or in the envelope, and the older data_source_sync_status event's { connectionId, status, error }", async () => {
    const { client } = sseServer([
      `event: data_source_update\ndata: ${JSON.stringify({ connectionId: 'c-1', type: 'confluence', status: 'syncing', version: 3 })}\n\n`,
      `event: data_source_update\ndata: ${JSON.stringify({ type: 'data_source_update', data: { connectionId: 'c-2', status: 'idle' } })}\n\n`,
      `event: data_source_sync_status\ndata: ${JSON.stringify({ connectionId: 'c-3', status: 'failed', error: 'Token expired' })}\n\n`,
      `data: ${JSON.stringify({ type: 'data_source_update', connection_id: 'c-4', connection_type: 'jira', status: 'verifying' })}\n\n`,
    ]);
    const { updates } = await collect(client, 4);
    expect(updates.map((u) => [u.connectionId, u.type, u.status, u.lastSyncError])).toEqual([
      ['c-1', 'confluence', 'syncing', null],
      ['c-2', '', 'idle', null],
      ['c-3', '', 'failed', 'Token expired'],
      ['c-4', 'jira', 'verifying', null],
    ]);
  });

  it('skips malformed and foreign frames with a reason, and never ends or throws for them', async () => {
    const good = `data: ${JSON.stringify({ type: 'data_source_update', data: { connectionId: 'c-9', status: 'idle' } })}\n\n`;
    const { client } = sseServer([
      // Other feeds on the host's stream: a chat message, a ping, another named event.
      `data: ${JSON.stringify({ type: 'chat_message', data: { text: 'hi' } })}\n\n`,
      'data: ping\n\n',
      'event: notification\ndata: {}\n\n',
      // Broken: a named update that is not JSON, JSON without a connection, bare values, a truncated envelope.
      'event: data_source_update\ndata: {"connectionId":\n\n',
      `event: data_source_update\ndata: ${JSON.stringify({ status: 'idle' })}\n\n`,
      'event: data_source_update\ndata: 42\n\n',
      'data: null\n\n',
      `data: ${JSON.stringify({ type: 'data_source_update', data: 'nope' })}\n\n`,
      // Field noise the reader tolerates: comments, unknown fields, a bad retry, an id with NUL, a lone CR.
      ': keep-alive\nfoo: bar\nretry: soon\nid: a\u0000b\r\n',
      // An event larger than any update may be: dropped whole.
      `data: ${'x'.repeat(2 * 1024 * 1024)}\n\n`,
      `data: ${'y'.repeat(3 * 1024 * 1024)}`,
      '\n\n',
      good,
    ]);
    const { updates, skipped } = await collect(client, 1);
    expect(updates.map((u) => u.connectionId)).toEqual(['c-9']);
    expect(skipped).toEqual({ other_event: 4, not_json: 1, no_connection: 3, too_large: 2 });
  });

  it('drops a line that never ends without holding it in memory, then reads on', async () => {
    const huge = 'data: '.concat('z'.repeat(1024 * 1024), 'z'.repeat(1024 * 1024));
    const chunks = [huge.slice(0, 700_000), huge.slice(700_000, 1_400_000), huge.slice(1_400_000), '\n\ndata: ok\n\n'];
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(encoder.encode(c));
        controller.close();
      },
    });
    const dropped: string[] = [];
    const events = [];
    for await (const event of readServerSentEvents(body, { onDropped: (reason) => dropped.push(reason) })) events.push(event);
    expect(events).toEqual([{ event: 'message', data: 'ok' }]);
    expect(dropped).toEqual(['too_large']);
  });
});
