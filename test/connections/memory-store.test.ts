import { describe, expect, it } from 'vitest';
import { MemoryConnectionStore, UpdateHub } from '../../src/index.js';
import { record } from './fixtures.js';

describe('MemoryConnectionStore', () => {
  it('keeps one live row per organization and type, scoped reads, and soft deletes hidden', async () => {
    const store = new MemoryConnectionStore();
    const { version: _v, ...row } = record();
    expect((await store.insert(row)).created).toBe(true);
    const again = await store.insert({ ...row, id: 'c-2' });
    expect(again).toMatchObject({ created: false, connection: { id: 'c-1' } });
    expect(await store.get('t-2', 'c-1')).toBeUndefined();
    const current = (await store.get('t-1', 'c-1'))!;
    expect(await store.update({ ...current, deletedAt: '2025-01-01T00:00:00.000Z' }, 1)).toMatchObject({ ok: true });
    expect(await store.get('t-1', 'c-1')).toBeUndefined();
    expect(await store.list('t-1')).toEqual([]);
    expect((await store.insert({ ...row, id: 'c-3' })).created).toBe(true);
  });

  it('refuses stale versions and other organizations', async () => {
    const store = new MemoryConnectionStore();
    const { version: _v, ...row } = record();
    await store.insert(row);
    const current = (await store.get('t-1', 'c-1'))!;
    expect(await store.update({ ...current, name: 'a' }, 1)).toMatchObject({ ok: true, connection: { name: 'a', version: 2 } });
    expect(await store.update({ ...current, name: 'b' }, 1)).toEqual({ ok: false, reason: 'conflict' });
    expect(await store.update({ ...current, organizationId: 't-2' }, 2)).toEqual({ ok: false, reason: 'not_found' });
    expect((await store.get('t-1', 'c-1'))?.name).toBe('a');
  });
});

describe('UpdateHub', () => {
  it('fans out per organization and replays only buffered events after Last-Event-ID', () => {
    const hub = new UpdateHub({ bufferSize: 2 });
    const update = (org: string, version: number) => ({ ...record(), connectionId: 'c', organizationId: org, trigger: 'updated', version, timestamp: '' });
    hub.publish(update('a', 1));
    hub.publish(update('b', 1));
    hub.publish(update('a', 2));
    hub.publish(update('a', 3));
    const seen: string[] = [];
    const stop = hub.subscribe('a', (p) => seen.push(`${p.id}:${p.update.version}`), { lastEventId: '1' });
    expect(seen).toEqual(['3:2', '4:3']);
    hub.publish(update('b', 2));
    hub.publish(update('a', 4));
    stop();
    hub.publish(update('a', 5));
    expect(seen).toEqual(['3:2', '4:3', '6:4']);
    expect(hub.subscribers('a')).toBe(0);
  });
});
