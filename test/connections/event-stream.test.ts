import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatServerSentEvent, readServerSentEvents, type ServerSentEvent } from '../../src/connections/event-stream.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<ServerSentEvent[]> {
  const out: ServerSentEvent[] = [];
  for await (const e of readServerSentEvents(streamOf(chunks))) out.push(e);
  return out;
}

describe('server-sent events', () => {
  it('reads ids, event names, multi-line data, retry and comments across chunk boundaries and line endings', async () => {
    const events = await collect([': hi\r\nretry: 250\r\n\r', '\nid: 7\nevent: data_source_update\ndata: {"a":', '1}\ndata: x\n\ndata: plain\r\r']);
    expect(events).toEqual([
      { event: 'message', data: '', retry: 250 },
      { event: 'data_source_update', data: '{"a":1}\nx', id: '7' },
      { event: 'message', data: 'plain', id: '7' },
    ]);
  });

  it('round-trips what it formats, however the stream is chunked (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ id: fc.stringMatching(/^[0-9]{1,4}$/), event: fc.constantFrom('data_source_update', 'other'), data: fc.string() }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 7 }),
        async (events, size) => {
          const text = events.map((e) => formatServerSentEvent(e)).join('');
          const chunks: string[] = [];
          for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
          const read = await collect(chunks);
          expect(read.map((e) => ({ id: e.id, event: e.event, data: e.data }))).toEqual(
            events.map((e) => ({ id: e.id, event: e.event, data: e.data.replace(/\r\n|\r/g, '\n') })),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
