import { describe, expect, it } from 'vitest';
import { handlerFetch, json } from '../../src/testing/handler.js';

describe('handlerFetch honours the abort signal like fetch', () => {
  it('rejects with the reason when the handler never answers', async () => {
    const fetch = handlerFetch(() => new Promise<Response>(() => {}));
    const controller = new AbortController();
    const pending = fetch('https://x.test/slow', { signal: controller.signal });
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('errors a body that stalls mid-stream, and passes a whole body through', async () => {
    const stalled = handlerFetch(async () => new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('{"half":')) }), { status: 201 }));
    const controller = new AbortController();
    const response = await stalled('https://x.test/stall', { signal: controller.signal });
    expect(response.status).toBe(201);
    const text = response.text();
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(text).rejects.toBe(reason);

    const whole = handlerFetch(async () => json({ ok: true }, 200, { 'x-request-id': 'r1' }));
    const res = await whole('https://x.test/ok', { signal: new AbortController().signal });
    expect(res.headers.get('x-request-id')).toBe('r1');
    expect(await res.json()).toEqual({ ok: true });
  });
});
