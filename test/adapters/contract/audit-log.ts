import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../../src/index.js';
import { ASTRAL, cut, EARLIEST, HOSTILE_STRINGS, huge, LATEST, upper } from './hostile.js';

/** An audit log and the way to read an organization's entries back, oldest first. */
export type AuditLogFactory = () => Promise<{ audit: AuditLog; list: (organizationId: string) => Promise<AuditEntry[]>; dispose: () => Promise<void> }>;

/** The AuditLog contract, run by every implementation. */
export function auditLogContract(name: string, factory: AuditLogFactory): void {
  describe(`AuditLog contract: ${name}`, () => {
    const withLog = (fn: (log: Awaited<ReturnType<AuditLogFactory>>) => Promise<void>) => async () => {
      const log = await factory();
      try {
        await fn(log);
      } finally {
        await log.dispose();
      }
    };

    it(
      'keeps every entry as recorded, per organization, oldest first then in recording order',
      withLog(async ({ audit, list }) => {
        const org = crypto.randomUUID();
        const connectionId = crypto.randomUUID();
        const entries: AuditEntry[] = [
          { organizationId: org, actorId: 'system', action: 'data_source.sync_completed', connectionId, at: '2025-10-01T10:00:02.000Z', details: { documentsProcessed: 42 } },
          { organizationId: org, actorId: crypto.randomUUID(), action: 'data_source.seeded', at: '2025-10-01T10:00:01.000Z', details: { created: 6 } },
          { organizationId: org, actorId: 'system', action: 'data_source.sync_started', connectionId, at: '2025-10-01T10:00:02.000Z' },
        ];
        for (const e of entries) await audit.record(e);
        await audit.record({ ...entries[0]!, organizationId: crypto.randomUUID() });
        expect(await list(org)).toEqual([entries[1], entries[0], entries[2]]);
        expect(await list(crypto.randomUUID())).toEqual([]);
      }),
    );

    it(
      'records an entry with an id once, however often and however concurrently it is recorded',
      withLog(async ({ audit, list }) => {
        const org = crypto.randomUUID();
        const entry: AuditEntry = { id: `status:${crypto.randomUUID()}:1`, organizationId: org, actorId: 'system', action: 'data_source.sync_failed', at: '2025-10-01T10:00:00.000Z', details: { error: 'Timeout' } };
        await Promise.all(Array.from({ length: 10 }, () => audit.record(entry)));
        await audit.record({ ...entry, details: { error: 'another text, same id' } });
        await Promise.all(Array.from({ length: 10 }, (_, i) => audit.record({ ...entry, id: undefined as never, action: `a${i}` })));
        const kept = await list(org);
        expect(kept.filter((e) => e.id === entry.id)).toEqual([entry]);
        expect(kept).toHaveLength(11);
      }),
    );

    it(
      'keeps astral-plane, hostile and huge text in every field and details, and the extreme timestamps',
      withLog(async ({ audit, list }) => {
        const org = crypto.randomUUID();
        const entries: AuditEntry[] = [...HOSTILE_STRINGS, huge(1 << 20)].map((text, i) => ({
          id: `${cut(text, 40)}#${i}`,
          organizationId: org,
          actorId: `${cut(text, 80)}${ASTRAL}`,
          action: text,
          at: i % 2 ? EARLIEST : LATEST,
          details: { text, [cut(text, 60) || 'empty']: [text, i, null, true], nested: { deeper: { ['__proto__']: cut(text, 10) } } },
        }));
        for (const e of entries) await audit.record(e);
        const read = await list(org);
        expect(read).toHaveLength(entries.length);
        expect(new Set(read.map((e) => e.id))).toEqual(new Set(entries.map((e) => e.id)));
        for (const e of entries) expect(read.find((r) => r.id === e.id)).toEqual(e);
        expect(read[0]?.at).toBe(EARLIEST);
        expect(read.at(-1)?.at).toBe(LATEST);
      }),
    );

    it(
      'treats UUIDs in any letter case as the same ids and gives them back in lower case',
      withLog(async ({ audit, list }) => {
        const org = crypto.randomUUID();
        const actor = crypto.randomUUID();
        const connectionId = crypto.randomUUID();
        await audit.record({ organizationId: upper(org), actorId: upper(actor), action: 'data_source.updated', connectionId: upper(connectionId), at: '2025-10-01T10:00:00.000Z' });
        const expected = [{ organizationId: org, actorId: actor, action: 'data_source.updated', connectionId, at: '2025-10-01T10:00:00.000Z' }];
        expect(await list(org)).toEqual(expected);
        expect(await list(upper(org))).toEqual(expected);
      }),
    );

    it(
      'keeps every one of many concurrent entries',
      withLog(async ({ audit, list }) => {
        const org = crypto.randomUUID();
        await Promise.all(Array.from({ length: 200 }, (_, i) => audit.record({ id: `e${i}`, organizationId: org, actorId: 'system', action: 'data_source.sync_started', at: new Date(Date.UTC(2025, 9, 1) + i).toISOString() })));
        expect((await list(org)).map((e) => e.id)).toEqual(Array.from({ length: 200 }, (_, i) => `e${i}`));
      }),
    );
  });
}
